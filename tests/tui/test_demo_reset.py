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


def test_demo_opens_any_shipped_sample_as_a_private_copy(monkeypatch, tmp_path):
    """The README tour's `achilles demo bedford-county-lines`: the TUI opens a private copy, so
    an edit in the tour never touches the repository's file."""
    from achilles.loading.paths import examples_dir

    shipped = examples_dir() / "bedford-county-lines.yaml"
    before = shipped.read_bytes()
    session = _demo(monkeypatch, tmp_path, "bedford-county-lines").session
    assert session is not None and session.path is not None
    assert session.path != shipped and tmp_path in session.path.parents
    assert session.path.read_bytes() == before
    assert session.path.stat().st_mode & 0o077 == 0  # personal data: the owner's alone
    session.apply("people", 0, {**session.data["people"][0], "name": "Renamed In The Tour"})
    assert "Renamed In The Tour" in session.path.read_text()
    assert shipped.read_bytes() == before


def test_demo_lists_the_samples_and_refuses_an_unknown_one(monkeypatch, tmp_path, capsys):
    from achilles.loading.paths import examples_dir

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setattr(sys, "argv", ["achilles", "demo", "--list"])
    try:
        main()
    except SystemExit as exc:
        assert not exc.code
    listed = capsys.readouterr().out.split()
    assert listed == sorted(p.stem for p in examples_dir().glob("*.yaml"))

    monkeypatch.setattr(sys, "argv", ["achilles", "demo", "bedford"])
    try:
        main()
    except SystemExit as exc:
        assert exc.code == 2
    else:
        raise AssertionError("an unknown sample must exit 2")
    err = capsys.readouterr().err
    assert "error: there is no shipped sample case called 'bedford'" in err
    assert "hint: did you mean 'bedford-county-lines'?" in err
