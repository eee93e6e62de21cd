"""The Options screen reads as the meeting does: the safeguarding of every person the group
exploits first, then tactics (one power with all its targets) that open with enter to the
options the LRO acts on. The real app, driven by Pilot, on private copies of the samples."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Select, Static

from tests.tui.conftest import ROOT, make_app, row_keys, settle, show_option

RECEPTION = ROOT / "examples" / "cases" / "derbyshire-trafficking-reception.yaml"


def cell(app, key: str, column: str) -> str:
    return str(app.screen.query_one("#options-table", DataTable).get_cell(key, column))


def detail(app) -> str:
    return str(app.screen.query_one("#detail", Static).render())


async def test_safeguarding_comes_first_then_tactics(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        keys = row_keys(app)
        ranking = app.session.result.ranking
        # the lane: its heading, then the cuckooed tenant's safeguarding, before any tactic
        assert keys[:3] == ["section:lane", "adult_safeguarding_referral@v1", "section:tactics"]
        # in the plan until the LRO chooses (suggested) or after (auto), unless rejected
        assert cell(app, "adult_safeguarding_referral@v1", "state") in ("suggested", "auto")
        assert cell(app, "adult_safeguarding_referral@v1", "#") == ""  # not ranked
        # the cursor starts on the first row to act on: the victim's safeguarding
        table = app.screen.query_one("#options-table", DataTable)
        assert keys[table.cursor_row] == "adult_safeguarding_referral@v1"
        assert "Safeguarding of a person the group exploits" in detail(app)
        # then one row a tactic, in the tactics' order; folded ones say how many targets
        shown = keys[3:]
        expected = [
            t.keys[0] if len(t.keys) == 1 else f"tactic:{t.power_id}" for t in ranking.tactics
        ]
        assert shown == expected
        assert cell(app, "tactic:hmrc_referral", "target").startswith("2 targets: ")
        assert all("adult_safeguarding_referral" not in k for k in shown)


async def test_enter_opens_a_tactic_to_its_targets_and_e_opens_them_all(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        tactic = app.session.result.ranking.tactic_of("hmrc_referral@b1")
        assert tactic is not None and tactic.keys == ["hmrc_referral@b1", "hmrc_referral@b2"]
        table = app.screen.query_one("#options-table", DataTable)
        table.focus()
        table.move_cursor(row=row_keys(app).index("tactic:hmrc_referral"))
        await pilot.pause()
        assert "Place in the list:" in detail(app) and "Targets" in detail(app)
        await pilot.press("enter")
        await pilot.pause()
        keys = row_keys(app)
        at = keys.index("tactic:hmrc_referral")
        assert keys[at + 1 : at + 3] == tactic.keys  # its targets under it, best first
        assert keys[table.cursor_row] == "tactic:hmrc_referral"  # the cursor stays put
        await pilot.press("enter")  # folds again
        await pilot.pause()
        assert "hmrc_referral@b1" not in row_keys(app)
        await pilot.press("e")
        await pilot.pause()
        every = {k for t in app.session.result.ranking.tactics for k in t.keys}
        assert every <= set(row_keys(app))
        await pilot.press("e")  # all open: e folds them all
        await pilot.pause()
        assert "hmrc_referral@b1" not in row_keys(app)


async def test_space_on_a_tactic_opens_it_and_plans_nothing(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#options-table", DataTable)
        table.focus()
        table.move_cursor(row=row_keys(app).index("tactic:civil_injunction"))
        await pilot.press("space")
        await settle(pilot)
        assert app.session.plan_state.empty
        assert "civil_injunction@n1" in row_keys(app)
        # each target is its own option: it goes into the plan alone
        await show_option(pilot, "civil_injunction@n1")
        await pilot.press("space")
        await settle(pilot)
        assert [a.key for a in app.session.plan_state.actions] == ["civil_injunction@n1"]
        assert cell(app, "civil_injunction@n1", "state") == "in plan"
        assert cell(app, "tactic:civil_injunction", "state") == "1 in plan"


async def test_the_lane_is_shown_whatever_the_filters(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.screen.query_one("#filter-agency", Select).value = "police"
        await settle(pilot)
        keys = row_keys(app)
        assert "adult_safeguarding_referral@v1" in keys  # adult social care leads it
        tactics = keys[keys.index("section:tactics") + 1 :]
        assert tactics
        ranking = app.session.result.ranking
        for k in tactics:
            power = k.removeprefix("tactic:") if k.startswith("tactic:") else k.split("@")[0]
            t = next(t for t in ranking.tactics if t.power_id == power)
            assert t.power.lead_agency == "police"


async def test_a_person_with_several_protective_actions_opens_like_a_tactic(tmp_path: Path):
    app = make_app(tmp_path, RECEPTION)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        keys = row_keys(app)
        people = [k for k in keys[: keys.index("section:tactics")] if k.startswith("victim:")]
        assert people == ["victim:w1", "victim:w2", "victim:w3", "victim:w4", "victim:w5"]
        assert cell(app, "victim:w1", "tactic").startswith("▸ 3 actions: ")  # with the reception
        await show_option(pilot, "nrm_referral@w1")
        await pilot.press("r")
        await pilot.pause()
        # rejecting a victim's safeguarding asks first, from inside the lane too
        assert app.screen.__class__.__name__ == "Confirm"


async def test_an_options_detail_says_what_is_still_missing_once_and_in_names(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await show_option(pilot, "premises_licence_review@p1")
        text = detail(app)
        assert "Still missing" in text
        # evidence and cautions are one list now, not two
        assert "Evidence needed" not in text and "\nCautions\n" not in text
        section = text[text.index("Still missing") :].splitlines()[1:]
        items = [line for line in section if line.startswith("  - ")]
        assert items and len(items) == len(set(items))
        assert items[0].startswith("  - gather: ")
        assert any(line.startswith("  - caution: ") for line in items)
        # a power named, not its id
        assert "Summary (expedited) review of an alcohol premises licence" in text
        assert "(premises_licence_summary_review)" not in text


async def test_an_action_for_the_workplace_is_shown_once_under_the_first_worker(tmp_path):
    app = make_app(tmp_path, RECEPTION)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for person in ("victim:w1", "victim:w2"):
            table = app.screen.query_one("#options-table", DataTable)
            table.focus()
            table.move_cursor(row=row_keys(app).index(person))
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
        keys = row_keys(app)
        assert keys.count("victim_reception_centre@cw") == 1
        assert keys.index("victim_reception_centre@cw") < keys.index("victim:w2")
        assert "nrm_referral@w2" in keys
