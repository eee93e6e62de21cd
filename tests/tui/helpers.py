"""Pilot helpers for driving the real app: build it on a private copy of a sample case in a fixed
state (for snapshots), wait for the analysis, fill a form, put the cursor on a row."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from textual.widgets import DataTable, Select, SelectionList

from achilles.knowledge import load_knowledge_lenient
from achilles.meeting.session import Session
from achilles.tui.app import AchillesApp
from tests.samples import EXAMPLE, ROOT

SAMPLE = EXAMPLE
TODAY = dt.date(2026, 1, 5)

__all__ = [
    "ROOT",
    "SAMPLE",
    "TODAY",
    "fill_form",
    "make_app",
    "open_from",
    "option_keys",
    "select_row",
    "settle",
]


def make_app(tmp_path: Path, sample: Path = SAMPLE) -> AchillesApp:
    """The app on a copy of `sample` in tmp_path, its clock fixed and its timings hidden."""
    case = tmp_path / sample.name
    shutil.copy(sample, case)
    knowledge = load_knowledge_lenient([], None)
    app = AchillesApp(Session.from_file(case, knowledge), knowledge)
    app.today = TODAY
    app.show_timing = False
    return app


async def open_from(pilot, screen: str, key: str) -> None:
    """Wait for the analysis, go to a screen (its number key) and press a key there (a form or
    a dialog opens)."""
    await settle(pilot)
    await pilot.press(screen)
    await settle(pilot)
    await pilot.press(key)
    await pilot.pause()


async def settle(pilot) -> None:
    """Wait until the analysis worker has finished and the screen has redrawn."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def option_keys(app) -> list[str]:
    """The option keys in the Options table, top to bottom."""
    table = app.screen.query_one("#options-table", DataTable)
    return [row.value for row in table.rows]


async def fill_form(pilot, values: dict) -> None:
    """Set the open entity form's fields and save it (ctrl+s)."""
    form = pilot.app.screen
    for name, value in values.items():
        widget = form.query_one(f"#f-{name}")
        if isinstance(widget, Select):
            widget.value = value
        elif isinstance(widget, SelectionList):
            for v in value:
                widget.select(v)
        else:
            widget.value = value
    await pilot.pause()
    await pilot.press("ctrl+s")
    await settle(pilot)


async def select_row(pilot, section: str, row: int) -> None:
    """Go to the case screen, open a section's tab and put the cursor on a row."""
    await pilot.press("1")
    await settle(pilot)
    pilot.app.screen.query_one("#sections").active = f"tab-{section}"
    await pilot.pause()
    table = pilot.app.screen.query_one(f"#table-{section}", DataTable)
    table.focus()
    table.move_cursor(row=row)


def row_keys(app, table_id: str = "#options-table") -> list[str]:
    from textual.widgets import DataTable

    return [row.value for row in app.screen.query_one(table_id, DataTable).rows]


async def show_option(pilot, key: str) -> None:
    """Put the Options table's cursor on an option, opening its tactic (or the person's
    safeguarding) with enter first when it is folded, as the LRO does."""
    from textual.widgets import DataTable

    app = pilot.app
    table = app.screen.query_one("#options-table", DataTable)
    table.focus()
    if key not in row_keys(app):
        ranking = app.session.result.ranking
        tactic = ranking.tactic_of(key)
        fold = (
            f"tactic:{tactic.power_id}"
            if tactic
            else next(f"victim:{s.person}" for s in ranking.safeguarding if key in s.actions)
        )
        table.move_cursor(row=row_keys(app).index(fold))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    table.move_cursor(row=row_keys(app).index(key))
    await pilot.pause()
