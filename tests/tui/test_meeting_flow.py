"""The case meeting, driven through the real app with Textual's Pilot."""

from __future__ import annotations

import stat

from textual.widgets import DataTable, Input, Select

from tests.tui.helpers import fill_form, open_from, option_keys, select_row, settle, show_option


async def test_meeting_flow(app, tmp_path):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.screen.__class__.__name__ == "OptionsScreen"
        before = option_keys(app)
        assert "premises_licence_review@p1" in before

        # Partners call out a new premises: a bar with a licence where drugs are supplied.
        await pilot.press("1")
        await settle(pilot)
        app.screen.query_one("#sections").active = "tab-premises"
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await fill_form(
            pilot,
            {
                "id": "p9",
                "label": "The Anchor bar",
                "use": "bar",
                "tenure": "commercial_lease",
                "licences": ["premises_licence"],
            },
        )
        app.screen.query_one("#sections").active = "tab-activities"
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await fill_form(
            pilot, {"kind": "drug_supply", "status": "corroborated", "at": ["p9"], "by": ["n1"]}
        )
        # ...and disorder outside it, which a closure notice needs (ASBCPA 2014 s76(1)).
        app.screen.query_one("#sections").active = "tab-activities"
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await fill_form(pilot, {"kind": "disorder", "status": "corroborated", "at": ["p9"]})
        saved = (tmp_path / "contract-example.yaml").read_text()
        assert "The Anchor bar" in saved  # autosaved after each change
        assert stat.S_IMODE((tmp_path / "contract-example.yaml").stat().st_mode) == 0o600

        # The new option appears, marked as changed.
        await pilot.press("2")
        await settle(pilot)
        after = option_keys(app)
        assert "closure_notice@p9" in after and "closure_notice@p9" not in before
        assert "closure_notice@p9" in app.session.result.changed

        # Add it to the plan.
        await show_option(pilot, "closure_notice@p9")
        await pilot.press("space")
        await pilot.pause()
        assert [a.key for a in app.session.plan_state.actions] == ["closure_notice@p9"]

        # Record a rejection, with its reason: the licence review is now a tactic on two
        # premises, opened with enter to reach the pub.
        assert "premises_licence_review@p1" not in option_keys(app)
        assert "tactic:premises_licence_review" in option_keys(app)
        await show_option(pilot, "premises_licence_review@p1")
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one(
            "#reason", Input
        ).value = "Closure first; the review would tip the group off"
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.plan_state.decision("premises_licence_review@p1").decision == "rejected"

        # Export the plan as Markdown and read it back.
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        out = tmp_path / "plan.md"
        app.screen.query_one("#path", Input).value = str(out)
        await pilot.click("#ok")
        await pilot.pause()
        text = out.read_text()
        assert text.startswith("**OFFICIAL-SENSITIVE**")
        assert "The Anchor bar" in text
        assert "Closure first; the review would tip the group off" in text
        assert stat.S_IMODE(out.stat().st_mode) == 0o600


async def test_undo_restores_the_previous_case(app, tmp_path):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        people = len(app.session.data["people"])
        await pilot.press("a")
        await pilot.pause()
        await fill_form(pilot, {"id": "n7", "name": "New Member", "role": "member"})
        assert len(app.session.data["people"]) == people + 1
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert len(app.session.data["people"]) == people
        assert "New Member" not in (tmp_path / "contract-example.yaml").read_text()


async def test_invalid_edit_is_shown_inline_and_not_applied(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await open_from(pilot, "1", "a")
        await fill_form(pilot, {"id": "n1", "role": "member"})  # n1 already exists
        assert app.screen.__class__.__name__ == "EntityForm"
        errors = str(app.screen.query_one("#errors").render())
        assert "duplicate id 'n1'" in errors


async def test_what_if_leaves_an_entity_out(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert any(k.endswith("@p1") for k in option_keys(app))
        await select_row(pilot, "premises", 0)  # p1
        await pilot.press("w")
        await settle(pilot)
        assert "p1" in app.session.disabled
        await pilot.press("2")
        await settle(pilot)
        assert not any(k.endswith("@p1") for k in option_keys(app))


async def test_broken_case_opens_read_only_with_its_errors(tmp_path):
    from tests.tui.helpers import SAMPLE, make_app

    broken = tmp_path / "src"
    broken.mkdir()
    bad = broken / "broken.yaml"
    bad.write_text(SAMPLE.read_text().replace("use: restaurant", "use: restaurnt"))
    app = make_app(tmp_path, bad)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.session.read_only
        assert any("restaurnt" in p.message for p in app.session.load_problems)
        banner = str(app.screen.query_one("#banner").render())
        assert "error" in banner
        assert len(app.session.data["premises"]) == 3  # the rest loaded
    assert "restaurnt" in (tmp_path / "broken.yaml").read_text()  # never overwritten


async def test_broken_rule_file_shows_a_banner_not_a_crash(tmp_path, monkeypatch):
    from tests.tui.helpers import make_app

    layer = tmp_path / "council-rules"
    layer.mkdir()
    (layer / "local.yaml").write_text(
        "theme: local\nrules:\n  - id: bad\n    power: no_such_power\n"
    )
    monkeypatch.setenv("ACHILLES_RULES", str(layer))
    app = make_app(tmp_path)
    assert any("local.yaml" in b for b in app.knowledge.banners)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "local.yaml" in str(app.screen.query_one("#banner").render())
        assert option_keys(app)  # the shipped rules still advise


async def test_help_and_palette_open(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert "CommandPalette" in app.screen.__class__.__name__


async def test_hostile_names_are_shown_literally(tmp_path):
    """Rich markup and escape sequences typed into a case are text, never formatting."""
    from tests.tui.helpers import SAMPLE, make_app

    src = tmp_path / "src"
    src.mkdir()
    hostile = src / "hostile.yaml"
    hostile.write_text(
        SAMPLE.read_text().replace("name: Principal A", 'name: "[bold red]Boss[/] \\e[31mX"')
    )
    app = make_app(tmp_path, hostile)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        table = app.screen.query_one("#table-people", DataTable)
        names = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert any("[bold red]Boss[/]" in n for n in names), names
        assert not any("\x1b" in n for n in names)


async def test_rules_screen_browses_powers(app):
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        table = app.screen.query_one("#rules-table", DataTable)
        assert table.row_count == len(app.knowledge.catalogue)
        assert "Law:" in str(app.screen.query_one("#rule-detail").render())


async def test_people_links_are_picked_not_typed(app, tmp_path):
    """In a meeting nobody should have to remember ids: pick a person and a role, Add link."""
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select_row(pilot, "premises", 3)  # p4, the council flat
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert form.__class__.__name__ == "EntityForm"
        before = form.query_one("#f-occupants").value
        form.query_one("#f-occupants-add").press()  # nothing picked yet: says so, adds nothing
        await pilot.pause()
        assert "pick a person" in str(form.query_one("#errors").render())
        form.query_one("#f-occupants-person", Select).value = "n2"
        form.query_one("#f-occupants-as", Select).value = "tenant"
        form.query_one("#f-occupants-add").press()
        await pilot.pause()
        form.query_one("#f-occupants-add").press()  # twice: still one link
        await pilot.pause()
        text = form.query_one("#f-occupants").value
        assert text.endswith("n2 as tenant") and text.count("n2 as tenant") == 1
        assert text.startswith(before) if before else text == "n2 as tenant"
        await pilot.press("ctrl+s")
        await settle(pilot)
        p4 = next(p for p in app.session.data["premises"] if p["id"] == "p4")
        assert {"person": "n2", "as": "tenant"} in p4["occupants"]
    import yaml

    saved = yaml.safe_load((tmp_path / "contract-example.yaml").read_text())  # autosaved at once
    p4 = next(p for p in saved["premises"] if p["id"] == "p4")
    assert {"person": "n2", "as": "tenant"} in p4["occupants"]
