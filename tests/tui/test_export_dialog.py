"""The export dialog as the LRO uses it: Enter exports, the folder offered is one Word can see,
a missing folder is offered for creation, the file written is named on screen, and the last
folder and format are offered again."""

from __future__ import annotations

import shutil
import stat

from textual.widgets import Input, Select, Static

from achilles.knowledge import load_knowledge_lenient
from achilles.meeting.session import Session
from achilles.tui.app import AchillesApp
from tests.tui.helpers import SAMPLE, TODAY, make_app, settle


async def _open_export(pilot) -> None:
    await pilot.press("3")
    await settle(pilot)
    await pilot.press("e")
    await pilot.pause()


async def test_enter_exports_to_the_case_folder_and_names_the_file(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _open_export(pilot)
        path = app.screen.query_one("#path", Input)
        assert app.focused is path  # type or press Enter at once
        assert path.value == str(tmp_path.resolve() / "beds-transformation-plan.md")
        await pilot.press("enter")
        await settle(pilot)
        out = tmp_path / "beds-transformation-plan.md"
        assert out.read_text().startswith("**OFFICIAL-SENSITIVE**")
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        assert any(str(out.resolve()) in n.message for n in app._notifications)
        status = str(app.screen.query_one("#status", Static).render())
        assert "exported beds-transformation-plan.md" in status


async def test_a_case_in_a_hidden_folder_exports_to_the_current_folder(tmp_path, monkeypatch):
    hidden = tmp_path / ".local" / "share" / "achilles" / "demo"
    hidden.mkdir(parents=True)
    shutil.copy(SAMPLE, hidden / SAMPLE.name)
    work = tmp_path / "meeting"
    work.mkdir()
    monkeypatch.chdir(work)
    knowledge = load_knowledge_lenient([], None)
    app = AchillesApp(Session.from_file(hidden / SAMPLE.name, knowledge), knowledge)
    app.today, app.show_timing = TODAY, False
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _open_export(pilot)
        assert app.screen.query_one("#path", Input).value.startswith(str(work))


async def test_a_missing_folder_is_offered_then_created_and_the_choice_remembered(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _open_export(pilot)
        dialog = app.screen
        dialog.query_one("#format", Select).value = "text"
        dialog.query_one("#redact", Select).value = "redact"
        await pilot.pause()
        target = tmp_path / "out" / "for-the-meeting.txt"
        dialog.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert "does not exist" in str(dialog.query_one("#errors", Static).render())
        assert not target.parent.exists()  # asked first, nothing created yet
        await pilot.press("enter")
        await settle(pilot)
        assert target.exists()
        assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
        assert "OFFICIAL-SENSITIVE" in target.read_text().splitlines()[0]
        # the next export offers the same folder, format and redaction
        await pilot.press("e")
        await pilot.pause()
        again = app.screen
        assert again.query_one("#path", Input).value == str(
            target.parent / "beds-transformation-plan.txt"
        )
        assert again.query_one("#format", Select).value == "text"
        assert again.query_one("#redact", Select).value == "redact"
        assert again.children[0].border_title == "OFFICIAL-SENSITIVE"
