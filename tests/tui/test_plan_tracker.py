"""The plan an LRO keeps, through the real app (Textual's Pilot): the UX trial's reproduction
(add three options, set an owner and a due date, reject one, defer one, quit, reopen) in file
mode and in workspace mode; suggestions never dropped; the victim's safeguarding confirmed;
a stale save refused; an action whose option went away flagged for review."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from textual.widgets import DataTable, Input

from achilles.knowledge import load_knowledge_lenient
from achilles.meeting.session import Session
from achilles.model.case_file import load_case
from achilles.model.plan_state import plan_of
from achilles.store import Workspace
from achilles.tui.app import AchillesApp
from tests.tui.helpers import SAMPLE, TODAY, settle, show_option

ADDED = ["hmrc_referral@b1", "civil_injunction@n1", "illegal_working_civil_penalty@b1"]
REJECTED = "civil_injunction@n2"
DEFERRED = "hmrc_referral@b2"
VICTIM = "adult_safeguarding_referral@v1"  # v1 is a cuckooed tenant
OWNER, DUE = "PS Patel", "2026-02-01"
REJECT_WHY = "Licence review first; closure would displace"
DEFER_WHY = "After the test purchase"


def new_app(session: Session | None, knowledge, workspace=None) -> AchillesApp:
    app = AchillesApp(session, knowledge, workspace=workspace)
    app.today, app.show_timing = TODAY, False
    return app


def table_keys(app, table_id: str) -> list[str]:
    return [row.value for row in app.screen.query_one(table_id, DataTable).rows]


def cell(app, table_id: str, key: str, column: str) -> str:
    table = app.screen.query_one(table_id, DataTable)
    return str(table.get_cell(key, column))


async def on_row(pilot, table_id: str, key: str) -> None:
    if table_id == "#options-table":
        await show_option(pilot, key)  # opening its tactic first
        return
    table = pilot.app.screen.query_one(table_id, DataTable)
    table.focus()
    table.move_cursor(row=table_keys(pilot.app, table_id).index(key))
    await pilot.pause()


async def answer(pilot, **fields: str) -> None:
    """Fill a dialog's inputs by id and press Enter (which saves)."""
    for wid, value in fields.items():
        pilot.app.screen.query_one(f"#{wid}", Input).value = value
    pilot.app.screen.query_one(f"#{next(iter(fields))}", Input).focus()
    await pilot.press("enter")
    await settle(pilot)


async def reproduce(pilot) -> None:
    """The UX trial's problem 1, as an LRO does it."""
    await settle(pilot)
    for key in ADDED:
        await on_row(pilot, "#options-table", key)
        await pilot.press("space")
        await settle(pilot)
    await pilot.press("3")
    await settle(pilot)
    await on_row(pilot, "#plan-table", ADDED[0])
    await pilot.press("o")
    await pilot.pause()
    await answer(pilot, owner=OWNER, due=DUE)
    await pilot.press("2")
    await settle(pilot)
    await on_row(pilot, "#options-table", REJECTED)
    await pilot.press("r")
    await pilot.pause()
    await answer(pilot, reason=REJECT_WHY)
    await on_row(pilot, "#options-table", DEFERRED)
    await pilot.press("d")
    await pilot.pause()
    await answer(pilot, reason=DEFER_WHY, until="2026-03-01")


async def check_reopened(pilot) -> None:
    """What the LRO sees on reopening: the same plan, on Options and on the Plan screen."""
    app = pilot.app
    await settle(pilot)
    assert app.screen.__class__.__name__ == "OptionsScreen"
    assert cell(app, "#options-table", "tactic:hmrc_referral", "state") == "1 in plan"
    await pilot.press("e")  # every tactic open, to see each target's state
    await pilot.pause()
    states = {k: cell(app, "#options-table", k, "state") for k in table_keys(app, "#options-table")}
    assert [k for k, v in states.items() if v == "in plan"] == ADDED  # in rank order
    assert (states[REJECTED], states[DEFERRED], states[VICTIM]) == ("rejected", "deferred", "auto")
    status = str(app.screen.query_one("#status").render())
    assert "3 in plan" in status
    await pilot.press("3")
    await settle(pilot)
    assert table_keys(app, "#plan-table") == [VICTIM, *ADDED]  # the safeguarding lane first
    assert cell(app, "#plan-table", ADDED[0], "owner") == OWNER
    assert cell(app, "#plan-table", ADDED[0], "due") == DUE
    assert cell(app, "#plan-table", VICTIM, "status") == "auto"
    record = app.screen.query_one("#decisions-table", DataTable)
    rows = [[str(c) for c in record.get_row_at(i)] for i in range(record.row_count)]
    assert any(r[1].startswith("rejected (2026-01-05") and r[2] == REJECT_WHY for r in rows), rows
    assert any(r[1].startswith("deferred until 2026-03-01") and r[2] == DEFER_WHY for r in rows)


def check_plan(case) -> None:
    plan = plan_of(case)
    assert [a.key for a in plan.actions] == ADDED
    first = plan.actions[0]
    assert (first.owner, first.due, first.added) == (OWNER, dt.date(2026, 2, 1), TODAY)
    assert [(d.key, d.decision, d.reason) for d in plan.decisions] == [
        (REJECTED, "rejected", REJECT_WHY),
        (DEFERRED, "deferred", DEFER_WHY),
    ]
    assert plan.decisions[1].until == dt.date(2026, 3, 1)


async def test_the_plan_survives_quitting_a_case_file(tmp_path):
    case = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, case)
    k = load_knowledge_lenient([], None)
    app = new_app(Session.from_file(case, k), k)
    async with app.run_test(size=(120, 40)) as pilot:
        await reproduce(pilot)
        assert "plan saved" in str(app.screen.query_one("#status").render())
        await pilot.press("ctrl+q")  # nothing unsaved: quits at once
    check_plan(load_case(case))
    assert "plan:" in case.read_text() and (tmp_path / f".{case.name}.before-achilles").exists()

    again = new_app(Session.from_file(case, k), k)
    async with again.run_test(size=(120, 40)) as pilot:
        await check_reopened(pilot)
        # the plan export agrees with the screen
        from achilles.render.export import render_plan

        text = render_plan(again.session.plan(start=TODAY), "markdown")
        for said in (OWNER, REJECT_WHY, DEFER_WHY, "deferred until 2026-03-01"):
            assert said in text


async def test_the_plan_survives_quitting_a_workspace_case_and_is_logged(tmp_path):
    ws = Workspace.open(tmp_path / "ws.db")
    case_id, _ = ws.import_case(SAMPLE.read_text(), SAMPLE.name, "tester")
    k = load_knowledge_lenient([], None)
    app = new_app(None, k, ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # open the case from the workspace list
        await reproduce(pilot)
        await pilot.press("ctrl+q")
    from achilles.model.case_file import parse_case

    check_plan(parse_case(ws.get(case_id)))
    log = [(d.decision, d.option_key, d.reason) for d in ws.decisions(case_id)]
    assert log == [
        *[("accepted", key, "") for key in ADDED],
        ("updated", ADDED[0], ""),
        ("rejected", REJECTED, REJECT_WHY),
        ("deferred", DEFERRED, DEFER_WHY),
    ]
    assert ws.decisions(case_id)[3].detail == "owner set; due (none) -> 2026-02-01"
    assert ws.latest_version(case_id) == 7  # each change a version of the case

    again = new_app(None, k, ws)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await check_reopened(pilot)
    ws.close()


async def test_an_owner_on_a_suggested_action_keeps_the_other_suggestions(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        suggested = table_keys(app, "#plan-table")
        assert len(suggested) == 8  # the top 8 (the cuckooed tenant's safeguarding among them)
        assert "Suggested actions" in str(app.screen.query_one("#plan-hint").render())
        await on_row(pilot, "#plan-table", suggested[2])
        await pilot.press("o")
        await pilot.pause()
        await answer(pilot, owner=OWNER)
        assert table_keys(app, "#plan-table") == suggested  # nothing dropped
        assert {a.key for a in app.session.plan_state.actions} == set(suggested)
        assert cell(app, "#plan-table", suggested[2], "owner") == OWNER
        assert "Action plan: 8 action(s)" in str(app.screen.query_one("#plan-hint").render())


async def test_rejecting_a_victims_safeguarding_asks_first(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await on_row(pilot, "#options-table", VICTIM)
        await pilot.press("r")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "Confirm"
        assert "safeguarding of a person the group exploits" in str(
            app.screen.query_one("Label").render()
        )
        await pilot.press("escape")  # no: nothing recorded
        await settle(pilot)
        assert app.session.plan_state.decision(VICTIM) is None
        await pilot.press("r")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        await answer(pilot, reason="Refused support; referral made by GP")
        assert app.session.plan_state.decision(VICTIM).decision == "rejected"
        assert cell(app, "#options-table", VICTIM, "state") == "rejected"


async def test_progress_and_outcome_from_the_plan_screen(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await on_row(pilot, "#options-table", ADDED[0])
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await on_row(pilot, "#plan-table", ADDED[0])
        await pilot.press("u")
        await pilot.pause()
        form = app.screen
        form.query_one("#status").value = "in_progress"
        form.query_one("#rag").value = "amber"
        await answer(pilot, note="Notice drafted")
        assert cell(app, "#plan-table", ADDED[0], "status") == "in progress"
        assert cell(app, "#plan-table", ADDED[0], "RAG") == "amber"
        assert cell(app, "#plan-table", ADDED[0], "last update") == f"{TODAY}: Notice drafted"
        detail = str(app.screen.query_one("#plan-text").render())  # beside the tracker
        assert detail.startswith("OFFICIAL-SENSITIVE") and "Notice drafted" in detail
        await pilot.press("u")
        await pilot.pause()
        app.screen.query_one("#outcome").value = "moderate"
        await answer(pilot, on="2026-01-20")
        tracked = app.session.plan_state.action(ADDED[0])
        assert (tracked.status, tracked.outcome.level) == ("done", "moderate")
        assert cell(app, "#plan-table", ADDED[0], "status") == "done: moderate"
        # overdue is highlighted: a due date in the past on an open action
        await on_row(pilot, "#plan-table", VICTIM)
        await pilot.press("o")
        await pilot.pause()
        await answer(pilot, due="2026-01-01")
        assert cell(app, "#plan-table", VICTIM, "due") == "2026-01-01!"
        assert "1 overdue" in str(app.screen.query_one("#plan-hint").render())


async def test_a_case_file_changed_behind_the_app_is_not_overwritten(app, tmp_path):
    path = tmp_path / SAMPLE.name
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        theirs = path.read_text() + "# someone else's edit\n"
        path.write_text(theirs)
        await on_row(pilot, "#options-table", ADDED[0])
        await pilot.press("space")
        await settle(pilot)
        assert path.read_text() == theirs  # refused, never merged
        error = app.session.save_error
        assert "changed by another program" in error and "kept at" in error
        kept = Path(error.split("kept at ")[1].split("; ctrl+r")[0])
        assert ADDED[0] in kept.read_text()
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.session.plan_state.empty and app.session.save_error is None
        await pilot.press("space")
        await settle(pilot)
        assert "someone else" not in path.read_text()  # theirs was loaded, then saved over it
        assert plan_of(load_case(path)).actions[0].key == ADDED[0]


async def test_an_action_whose_option_went_away_stays_flagged(tmp_path):
    case = tmp_path / SAMPLE.name
    case.write_text(
        SAMPLE.read_text()
        + "plan:\n  actions:\n    - {key: closure_notice@p9, owner: PS Patel}\n"
        + "    - {key: hmrc_referral@b1}\n"
    )
    k = load_knowledge_lenient([], None)
    app = new_app(Session.from_file(case, k), k)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        keys = table_keys(app, "#plan-table")
        assert keys.index("closure_notice@p9") == keys.index("hmrc_referral@b1") + 1
        assert cell(app, "#plan-table", "closure_notice@p9", "status") == "review"
        assert "1 to review (no longer supported by the rules)" in str(
            app.screen.query_one("#plan-hint").render()
        )
