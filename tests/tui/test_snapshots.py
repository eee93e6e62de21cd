"""Layout guards: each screen at 80x24 and 160x48. Update with --snapshot-update after review."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.helpers import make_app, settle

SIZES = [(80, 24), (160, 48)]


def _run(keys: list[str]):
    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x48"])
def test_options_screen(snap_compare, tmp_path, size):
    """Safeguarding first (the cuckooed tenant's adult safeguarding, unranked, state beside it),
    then the tactics in order (rank, state, best score with any variety deduction, tactic, its
    target or "N targets: ...", folded with ▸); the highlighted safeguarding option's detail on
    the right (or below at 80x24), saying it comes first, apart from the tactics."""
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=_run([]))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x48"])
def test_case_screen(snap_compare, tmp_path, size):
    """The group's line (marking, name, threat, date, LRO) and the people table, with section tabs."""
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=_run(["1"]))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x48"])
def test_plan_screen(snap_compare, tmp_path, size):
    """Plan actions (the top options by default) and the decision record on the left; the plan
    preview, starting with the protective marking, on the right."""
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=_run(["3"]))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x48"])
def test_rules_screen(snap_compare, tmp_path, size):
    """Rules with how often each fired on this case; the first rule in plain English."""
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=_run(["4"]))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x48"])
def test_help_screen(snap_compare, tmp_path, size):
    """The help dialog over the options screen: keys table and the saving/victims notes."""
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=_run(["f1"]))


TRACKED = Path(__file__).parent / "data" / "tracked.yaml"


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x48"])
def test_plan_tracker(snap_compare, tmp_path, size):
    """A plan the LRO keeps: status, RAG (red, green), owner, due (one overdue, in red), the last
    update, an outcome, an action whose option went away (review); rejected and deferred below."""
    assert snap_compare(make_app(tmp_path, TRACKED), terminal_size=size, run_before=_run(["3"]))


def test_options_with_plan_states(snap_compare, tmp_path):
    """The state beside the rank at 80 columns: auto (a victim's safeguarding, in the lane
    first); on a folded tactic, how many of its targets are in the plan ("1 in plan")."""
    assert snap_compare(make_app(tmp_path, TRACKED), terminal_size=(80, 24), run_before=_run([]))
