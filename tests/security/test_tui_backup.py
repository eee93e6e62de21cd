"""F-10 through the real app (Textual's Pilot): the LRO adds a person; the first save finds a
dangling link where the backup goes, refuses to write through it, says so, and keeps the edit."""

from __future__ import annotations

from tests.tui.conftest import make_app, settle
from tests.tui.test_meeting_flow import fill_form


async def test_f10_the_tui_refuses_a_backup_link_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    app = make_app(tmp_path)
    case = tmp_path / "contract-example.yaml"
    original = case.read_bytes()
    leak = tmp_path / "elsewhere" / "leak.txt"
    leak.parent.mkdir()
    (tmp_path / f".{case.name}.before-achilles").symlink_to(leak)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        await fill_form(pilot, {"id": "n7", "name": "New Member", "role": "member"})
        shown = [n.message for n in app._notifications]
        assert any("not saved" in m and "symbolic link" in m for m in shown), shown
    assert not leak.exists()
    assert case.read_bytes() == original
    kept = list((tmp_path / "data").rglob("unsaved/*.yaml"))
    assert len(kept) == 1 and "New Member" in kept[0].read_text()
