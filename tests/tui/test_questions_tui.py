"""The Questions screen (5): what to ask each partner, and the answer recorded in place. The real
app through Pilot, on a private copy of the demo case."""

from __future__ import annotations

from textual.widgets import DataTable, SelectionList

from tests.samples import DEMO
from tests.tui.helpers import make_app as _make
from tests.tui.helpers import settle


def _row_of(app, text: str) -> int:
    table = app.screen.query_one("#questions-table", DataTable)
    for row in range(table.row_count):
        if str(table.get_row_at(row)[1]) == text:
            return row
    raise AssertionError(f"no question {text!r}")


def _keys(app) -> set[str]:
    return {r.key for r in app.session.result.ranking.options}


async def test_answering_a_benefits_question_opens_the_referral(tmp_path):
    app = _make(tmp_path, DEMO)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "benefit_fraud_referral@n2" not in _keys(app)
        await pilot.press("5")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "QuestionsScreen"
        table = app.screen.query_one("#questions-table", DataTable)
        table.move_cursor(row=_row_of(app, "Is Member B claiming benefits?"))
        await pilot.pause()
        detail = str(app.screen.query_one("#question-detail").render())
        assert "Ask Department for Work and Pensions" in detail
        assert "Referral of suspected benefit fraud" in detail
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert form.__class__.__name__ == "EntityForm"
        assert form.focused is form.query_one("#f-benefits", SelectionList)
        form.query_one("#f-benefits", SelectionList).select("universal_credit")
        await pilot.press("ctrl+s")
        await settle(pilot)
        member = next(p for p in app.session.data["people"] if p["id"] == "n2")
        assert "universal_credit" in member["benefits"]
        assert "benefit_fraud_referral@n2" in _keys(app)
        assert "Member B claiming benefits" not in " ".join(
            str(table.get_row_at(r)[1]) for r in range(table.row_count)
        )


async def test_a_new_activity_answer_is_prefilled_where_the_rules_need_it(tmp_path):
    app = _make(tmp_path, DEMO)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        text = "Is there planning breach at The Crown public house (invented)?"
        table = app.screen.query_one("#questions-table", DataTable)
        table.move_cursor(row=_row_of(app, text))
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert form.query_one("#f-kind").value == "planning_breach"
        assert list(form.query_one("#f-at", SelectionList).selected) == ["p1"]
        await pilot.press("ctrl+s")
        await settle(pilot)
        added = app.session.data["activities"][-1]
        assert added["kind"] == "planning_breach" and added["at"] == ["p1"]
        assert added["status"] == "suspected"
