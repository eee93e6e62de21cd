"""Building the real app on a private copy of a sample case, in a fixed state for snapshots."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from achilles.knowledge import load_knowledge_lenient
from achilles.meeting.session import Session
from achilles.tui.app import AchillesApp

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "cases" / "contract-example.yaml"
TODAY = dt.date(2026, 1, 5)


def make_app(tmp_path: Path, sample: Path = SAMPLE) -> AchillesApp:
    case = tmp_path / sample.name
    shutil.copy(sample, case)
    knowledge = load_knowledge_lenient([], None)
    app = AchillesApp(Session.from_file(case, knowledge), knowledge)
    app.today = TODAY
    app.show_timing = False
    return app


async def settle(pilot) -> None:
    """Wait until the analysis worker has finished and the screen has redrawn."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


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


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path)
