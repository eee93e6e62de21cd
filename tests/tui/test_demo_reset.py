"""`achilles demo --reset`: the demo starts again from the bundled sample, and the copy it
replaces is kept beside it (nothing typed is lost). Run through the real entry point; only the
terminal loop is skipped (the app is recorded instead of run)."""

from __future__ import annotations

import sys

from achilles.cli import main
from achilles.tui.app import AchillesApp


def _demo(monkeypatch, tmp_path, *flags: str) -> AchillesApp:
    opened: list[AchillesApp] = []
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setattr(AchillesApp, "run", lambda self, **_: opened.append(self))
    monkeypatch.setattr(sys, "argv", ["achilles", "demo", *flags])
    try:
        main()
    except SystemExit as exc:
        assert not exc.code
    assert len(opened) == 1
    return opened[0]


def test_demo_reset_restores_the_sample_and_keeps_the_old_copy(monkeypatch, tmp_path):
    app = _demo(monkeypatch, tmp_path)
    session = app.session
    assert session is not None and session.path is not None
    sample = session.path.read_text()
    edited = sample.replace("Operation Transformation", "Operation Edited")
    assert edited != sample
    session.path.write_text(edited)

    assert "Operation Edited" in _demo(monkeypatch, tmp_path).session.path.read_text()  # kept

    reset = _demo(monkeypatch, tmp_path, "--reset").session
    assert reset.path == session.path
    assert reset.path.read_text() == sample
    assert reset.data["case"]["title"].startswith("Operation Transformation")
    kept = reset.path.with_name(f".{reset.path.name}.before-reset")
    assert kept.read_text() == edited
