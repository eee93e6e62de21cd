"""Layout guards for the forms at 80x24, in the colour-blind theme: a person's edit form shows the
role's tag and what it means, and ticks that read [x] / [ ] whatever the colours. Update with
--snapshot-update after review."""

from __future__ import annotations

from tests.tui.helpers import make_app, select_row, settle


def _edit_victim(field: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.theme = "achilles-colourblind"
        await select_row(pilot, "people", 2)  # v1: vulnerable, drug dependent and cuckooed
        await pilot.press("e")
        await pilot.pause()
        pilot.app.screen.query_one(f"#f-{field}").focus()
        await pilot.pause()

    return run_before


def test_person_form_role(snap_compare, tmp_path):
    """The edit form of a cuckooed tenant, on its role: `vulnerable [protected]: ...` and the
    line under it saying no coercive option is aimed at her."""
    assert snap_compare(make_app(tmp_path), terminal_size=(80, 24), run_before=_edit_victim("role"))


def test_person_form_ticks(snap_compare, tmp_path):
    """Her vulnerabilities: `[x] drug dependent`, `[ ] young adult`... whatever the colours."""
    assert snap_compare(
        make_app(tmp_path), terminal_size=(80, 24), run_before=_edit_victim("vulnerabilities")
    )


def test_cases_screen_in_a_fresh_workspace(snap_compare, tmp_path):
    """No cases yet: the hint names n (a new case from a blank start) and d (the demo); the
    footer shows New case."""
    from achilles.knowledge import load_knowledge_lenient
    from achilles.store import Workspace
    from achilles.tui.app import AchillesApp

    app = AchillesApp(
        None,
        load_knowledge_lenient([], None),
        workspace=Workspace.open(tmp_path / "workspace.db"),
    )
    assert snap_compare(app, terminal_size=(80, 24))
