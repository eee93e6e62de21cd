"""A case meeting on a projector at 80x24: the marking always on screen, the Case screen's group
line and tabs drawn, the Options table searchable and jumpable, honest feedback on edits."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Select, SelectionList, Static

from achilles.tui.widgets.marking import MarkingBar
from tests.tui.helpers import SAMPLE, fill_form, make_app, open_from, row_keys, select_row, settle

SIZE = (80, 24)


def _visible(widget, size=SIZE) -> bool:
    r = widget.region
    return r.height > 0 and r.y >= 0 and r.bottom <= size[1] and r.x >= 0 and r.right <= size[0]


@pytest.mark.parametrize("key", ["1", "2", "3", "4", "5"])
async def test_marking_is_on_every_screen(tmp_path, key):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        bar = app.screen.query_one("#marking", MarkingBar)
        assert _visible(bar)
        assert str(bar.render()).startswith(" OFFICIAL-SENSITIVE ")


async def test_marking_titles_a_dialog(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("a")  # the add-a-person form
        await pilot.pause()
        box = app.screen.children[0]
        assert box.border_title == "OFFICIAL-SENSITIVE"


async def test_case_screen_draws_group_line_and_tabs_at_80x24(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        line = app.screen.query_one("#ocg-line", Static)
        assert _visible(line)
        text = str(line.render())
        assert "LRO" in text and "threat" in text
        tabs = list(app.screen.query("ContentTab"))
        assert [str(t.label) for t in tabs][:5] == [
            "People",
            "Premises",
            "Businesses",
            "Vehicles",
            "Activities",
        ]
        assert all(_visible(t) for t in tabs)


async def test_slash_filters_the_options_and_escape_clears(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        all_tactics = [t.power_id for t in app.screen.tactics()]
        await pilot.press("slash")
        assert app.focused is app.screen.query_one("#filter-text")
        await pilot.press(*"crown")
        await settle(pilot)
        shown = app.screen.tactics()
        assert 0 < len(shown) < len(all_tactics)
        case = app.session.result.analysis.case
        assert all(
            any("crown" in case.label(t).casefold() for t in tactic.targets)
            or "crown" in tactic.power.name.casefold()
            for tactic in shown
        )
        tactic_rows = [k for k in row_keys(app) if k.startswith("tactic:") or "@" in k]
        assert tactic_rows  # the table shows them
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one("#filter-text").value == ""
        assert [t.power_id for t in app.screen.tactics()] == all_tactics
        assert app.focused is app.screen.query_one("#options-table")


@pytest.mark.parametrize(("first", "last"), [("g", "G"), ("home", "end")])
async def test_first_and_last_row_keys_move_the_cursor(tmp_path, first, last):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#options-table", DataTable)
        table.focus()
        await pilot.press(last)
        await pilot.pause()
        assert table.cursor_row == table.row_count - 1 > 0
        assert table.scroll_x == 0  # not sideways
        await pilot.press(first)
        await pilot.pause()
        assert table.cursor_row == 0


async def test_an_edit_that_changes_nothing_says_so(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        case_file = tmp_path / SAMPLE.name
        before = case_file.read_bytes()
        await select_row(pilot, "premises", 0)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        said = [n.message for n in app._notifications]
        assert any(m.startswith("Nothing changed") for m in said)
        assert not any(m == "Saved" for m in said)
        assert app.session.undo_stack == []  # nothing to undo: nothing was done
        assert case_file.read_bytes() == before
        # a real change is still saved
        await pilot.press("e")
        await pilot.pause()
        await fill_form(pilot, {"label": "The Crown (renamed)"})
        assert any(n.message == "Saved" for n in app._notifications)
        assert b"The Crown (renamed)" in case_file.read_bytes()


async def test_the_case_header_is_edited_in_a_form(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_from(pilot, "1", "h")
        form = app.screen
        assert form.query_one("#h-title").value == "Operation Transformation"
        # a bad marking and date are named inline; nothing is saved
        form.query_one("#h-as_of").value = "June"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "as_of" in str(form.query_one("#errors").render())
        form.query_one("#h-as_of").value = "2015-06-01"
        form.query_one("#h-marking").value = "TOP-SECRETISH"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "marking" in str(form.query_one("#errors").render())
        form.query_one("#h-marking").value = "OFFICIAL"
        form.query_one("#h-as_of").value = "2015-06-01"
        form.query_one("#h-title").value = "Operation Kestrel"
        form.query_one("#h-ocg-reference").value = "URN-123"
        form.query_one("#h-lro-agency").value = "Anytown Council"
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = (tmp_path / SAMPLE.name).read_text()
        assert "Operation Kestrel" in text and "URN-123" in text and "Anytown Council" in text
        assert app.session.result is not None  # the case still analyses
        bar = str(app.screen.query_one("#marking", MarkingBar).render())
        assert bar.startswith(" OFFICIAL ") and "Operation Kestrel" in bar
        assert "URN-123" in str(app.screen.query_one("#ocg-line", Static).render())
        await pilot.press("ctrl+z")  # undo brings the old header back
        await settle(pilot)
        assert app.session.data["case"]["title"] == "Operation Transformation"


async def test_pickers_show_people_and_places_by_name(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_row(pilot, "activities", 0)  # drug supply, at p1 and p4, by n1 and n2
        await pilot.press("e")
        await pilot.pause()
        at = app.screen.query_one("#f-at", SelectionList)
        by = app.screen.query_one("#f-by", SelectionList)
        at_labels = [str(at.get_option_at_index(i).prompt) for i in range(at.option_count)]
        by_labels = [str(by.get_option_at_index(i).prompt) for i in range(by.option_count)]
        assert "The Crown public house (p1)" in at_labels
        assert "Principal A (n1)" in by_labels
        assert set(by.selected) >= {"n1", "n2"}  # the values stay ids: the file is unchanged
        await pilot.press("escape")
        await select_row(pilot, "premises", 0)
        await pilot.press("e")
        await pilot.pause()
        person = app.screen.query_one("#f-occupants-person", Select)
        assert "Principal A (n1)" in [str(label) for label, _ in person._options]
