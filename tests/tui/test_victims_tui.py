"""The TUI tells the LRO what the law presumes as they type, and records the assessment that
lifts it: the real app, driven by Pilot, on a private copy of the contract example."""

from __future__ import annotations

from textual.widgets import DataTable

from tests.tui.helpers import fill_form, select_row, settle


def _victim_column(app, person: str) -> str:
    table = app.screen.query_one("#table-people", DataTable)
    headers = [str(c.label) for c in table.columns.values()]
    for row in range(table.row_count):
        cells = [str(c) for c in table.get_row_at(row)]
        if cells[0] == person:
            return cells[headers.index("victim")]
    raise AssertionError(f"{person} is not in the people table")


async def test_the_person_form_warns_of_a_runner_with_no_age_and_an_assessment_lifts_it(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select_row(pilot, "people", 0)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        form.query_one("#f-id").value = "r9"
        form.query_one("#f-role").value = "runner"
        await pilot.pause()
        advice = str(form.query_one("#advice").render())
        assert "r9 is a runner with no age: treated as a possible child" in advice
        assert "age assessment" in advice
        form.query_one("#f-age").value = "19"
        await pilot.pause()
        advice = str(form.query_one("#advice").render())
        assert "possible child" not in advice  # an age settles it...
        assert "potential victim of criminal exploitation" in advice  # ...but a runner is one
        form.query_one("#f-age").value = ""
        await fill_form(pilot, {})
        assert any(p["id"] == "r9" for p in app.session.data["people"])
        await select_row(pilot, "people", 0)
        await settle(pilot)
        assert _victim_column(app, "r9") == ("presumed: possible child, criminal exploitation")

        # The local authority assesses his age: an event, added in the Events tab.
        await select_row(pilot, "events", 0)
        await pilot.press("a")
        await pilot.pause()
        await fill_form(
            pilot,
            {
                "kind": "age_assessment",
                "on": "2015-05-20",
                "of": ["r9"],
                "outcome": "adult",
                "by": "childrens_services",
            },
        )
        events = app.session.data["events"]
        assert events[-1]["kind"] == "age_assessment" and events[-1]["of"] == ["r9"]
        await select_row(pilot, "people", 0)
        await settle(pilot)
        assert _victim_column(app, "r9") == "presumed: criminal exploitation"


async def test_an_event_after_the_case_date_is_refused_inline(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select_row(pilot, "events", 0)
        await pilot.press("a")
        await pilot.pause()
        await fill_form(
            pilot,
            {"kind": "conviction", "on": "2030-01-01", "of": ["n2"], "offence": "drug_supply"},
        )
        assert app.screen.__class__.__name__ == "EntityForm"
        errors = str(app.screen.query_one("#errors").render())
        assert "after the case's as_of date" in errors
        assert not app.session.data.get("events")
