"""Issue 18: full power names on a projector. The Options table's tactic column is cut to fit
80 columns, so the highlighted row's full name heads the detail pane (scrolled to its top on
every new row) and is the table's tooltip; the longest power name there is appears whole on
the 80x24 screen."""

from __future__ import annotations

from achilles.knowledge import load_knowledge_lenient
from achilles.meeting.session import Session
from achilles.tui.widgets.tactic_rows import is_option, tactic_key
from tests.samples import EXAMPLES, ROOT
from tests.tui.helpers import make_app, row_keys, settle

SIZE = (80, 24)


def _screen_text(app) -> str:
    """What the terminal shows, line by line (text only: no colour)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def _case_with_longest_name():
    """The shipped case whose options include the longest power name: the catalogue's longest
    when a shipped case fires it (the catalogue grows; the test follows it)."""
    k = load_knowledge_lenient([], None)
    longest_in_catalogue = max(len(p.name) for p in k.catalogue.powers.values())
    best = None
    for path in [
        *sorted(EXAMPLES.glob("*.yaml")),
        *sorted((ROOT / "tests/scenarios/cases").glob("*.yaml")),
    ]:
        s = Session.from_file(path, k)
        s.analyse()
        if s.result is None or not s.result.ranking.options:
            continue
        power = max((r.power for r in s.result.ranking.options), key=lambda p: len(p.name))
        if best is None or len(power.name) > len(best[1].name):
            best = (path, power)
        if len(power.name) == longest_in_catalogue:
            break
    assert best is not None
    assert len(best[1].name) > 34  # longer than the column
    return best


def _row_of(app, power_id: str) -> int:
    """The Options row of a power: its tactic's row (folded or not), or its option's row."""
    return next(
        i
        for i, k in enumerate(row_keys(app))
        if k == tactic_key(power_id) or (is_option(k) and k.startswith(f"{power_id}@"))
    )


async def test_the_longest_power_name_is_whole_on_screen_at_80x24(tmp_path):
    path, power = _case_with_longest_name()
    app = make_app(tmp_path, path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#options-table")
        table.focus()
        row = _row_of(app, power.id)
        pane = app.screen.query_one("#detail-pane")
        pane.scroll_end(animate=False)  # a previous row's detail read to its end
        await pilot.pause()
        table.move_cursor(row=row)
        await pilot.pause()
        await pilot.pause()
        shown = _screen_text(app)
        # the detail pane wraps the name over lines: join them and look for it whole
        flat = " ".join(line.strip(" │") for line in shown.splitlines())
        assert power.name in " ".join(flat.split())
        assert power.name in str(table.tooltip)
        assert pane.scroll_y == 0


async def test_f_wraps_the_tactic_column_so_whole_names_show_in_the_table(tmp_path):
    """`f` on Options: the tactic column wraps instead of cutting (rows grow), so the meeting can
    read whole power names in the list itself; `f` again folds them back to one line."""
    path, power = _case_with_longest_name()
    app = make_app(tmp_path, path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#options-table")
        table.focus()
        row = _row_of(app, power.id)
        tail = power.name.split()[-1]

        def column_text() -> str:
            # the tactic column's cells as drawn, row after row, joined into one text
            region = table.region
            lines = _screen_text(app).splitlines()[region.y : region.bottom]
            return " ".join(" ".join(line.split()) for line in lines)

        heights = [r.height for r in table.rows.values()]
        assert set(heights) == {1}
        await pilot.press("f")
        await settle(pilot)
        assert max(r.height for r in table.rows.values()) > 1
        table.move_cursor(row=row)
        await pilot.pause()
        await pilot.pause()
        # the power's whole name is in the table now: every word of it, to the last
        drawn = column_text()
        first_words = " ".join(power.name.split()[:2])
        assert first_words in drawn and tail in drawn
        await pilot.press("f")
        await settle(pilot)
        assert {r.height for r in table.rows.values()} == {1}
