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


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path)
