"""The workspace commands through the real Typer app (CliRunner) and through `main()`."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from achilles import cli
from achilles.cli import build_app, main
from achilles.errors import StoreError
from achilles.files import OutputError
from achilles.store import Workspace
from tests.samples import EXAMPLE

RAW = EXAMPLE.read_bytes()
CASE = "beds-transformation"
CHANGED = RAW.decode().replace("status: corroborated", "status: evidenced")

app = build_app()
runner = CliRunner()


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.delenv("ACHILLES_WORKSPACE", raising=False)
    # The CLI's consoles keep the COLUMNS set when achilles.cli was first imported (by whichever
    # test imported it first); these tests read whole rows, so the width comes from each run.
    monkeypatch.setattr(cli.out, "_width", None)
    monkeypatch.setattr(cli.err, "_width", None)
    return tmp_path / "ws" / "workspace.db"


def run(db: Path, *args: str, env: dict | None = None):
    result = runner.invoke(
        app, [*args, "--workspace", str(db)], env={"COLUMNS": "200", **(env or {})}
    )
    return result


def ok(db: Path, *args: str) -> str:
    result = run(db, *args)
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def run_main(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """The real entry point, as the `achilles` script runs it: errors become exit 2 and a message."""
    monkeypatch.setattr(sys, "argv", ["achilles", *args])
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit) as exc:
        main()
    captured = capsys.readouterr()
    return exc.value.code, captured.out, captured.err


def _import(db: Path, tmp_path: Path) -> None:
    ok(db, "case", "import", str(EXAMPLE))
    changed = tmp_path / "changed.yaml"
    changed.write_text(CHANGED, encoding="utf-8")
    ok(db, "case", "import", str(changed))


def test_import_list_and_export_round_trip(db, tmp_path):
    assert "imported as case beds-transformation (version 1)" in ok(
        db, "case", "import", str(EXAMPLE)
    )
    assert "already has this text; nothing saved" in ok(db, "case", "import", str(EXAMPLE))
    listing = ok(db, "cases", "list")
    assert CASE in listing and "Operation Transformation" in listing and "2015-06-01" in listing
    assert runner.invoke(app, ["case", "export", CASE, "--workspace", str(db)]).stdout_bytes == RAW

    target = tmp_path / "out.yaml"
    result = run(db, "case", "export", CASE, "--out", str(target))
    assert result.exit_code == 0 and "readable by you only" in result.stderr
    assert target.read_bytes() == RAW
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    refused = run(db, "case", "export", CASE, "--out", str(target))
    assert (
        isinstance(refused.exception, OutputError) and "already exists" in refused.exception.message
    )
    assert run(db, "case", "export", CASE, "--out", str(target), "--force").exit_code == 0


def test_the_environment_variable_names_the_workspace(db, tmp_path):
    result = runner.invoke(
        app, ["case", "import", str(EXAMPLE)], env={"ACHILLES_WORKSPACE": str(db)}
    )
    assert result.exit_code == 0, result.output
    with Workspace.open(db) as ws:
        assert ws.latest_version(CASE) == 1


def test_history_diff_and_restore(db, tmp_path):
    _import(db, tmp_path)
    history = ok(db, "case", "history", CASE)
    assert "first version, imported from contract-example.yaml" in history
    assert (
        "imported from changed.yaml; changed activities[3].status corroborated -> evidenced"
        in history
    )
    assert "Principal A" not in history  # summaries carry ids and terms, never names

    diff = ok(db, "case", "diff", CASE, "1", "2")
    assert "changed activities[3].status corroborated -> evidenced" in diff
    assert "-  - {kind: cuckooing, at: [p4], by: [n2], status: corroborated}" in diff
    assert "+  - {kind: cuckooing, at: [p4], by: [n2], status: evidenced}" in diff

    assert "restored version 1 as version 3" in ok(
        db, "case", "restore", CASE, "1", "--who", "Analyst 7"
    )
    assert "nothing saved" in ok(db, "case", "restore", CASE, "1")
    assert runner.invoke(app, ["case", "export", CASE, "--workspace", str(db)]).stdout_bytes == RAW
    assert (
        runner.invoke(
            app, ["case", "export", CASE, "--version", "2", "--workspace", str(db)]
        ).stdout
        == CHANGED
    )
    with Workspace.open(db) as ws:
        assert ws.history(CASE)[-1].saved_by == "Analyst 7"


def test_decisions_are_listed_in_order(db):
    ok(db, "case", "import", str(EXAMPLE))
    assert "No decisions recorded" in ok(db, "decisions", CASE)
    with Workspace.open(db) as ws:
        ws.record_decision(
            CASE,
            "closure_order@p4",
            "closure_order",
            "p4",
            "accepted",
            "partners agreed",
            "LRO",
            1,
            "rules-2025.1",
            "42",
        )
        ws.record_decision(
            CASE,
            "licence_review@p1",
            "licence_review",
            "p1",
            "deferred",
            "await test purchase",
            "LRO",
            1,
            "rules-2025.1",
            "42",
        )
    shown = ok(db, "decisions", CASE)
    assert shown.index("closure_order@p4") < shown.index("licence_review@p1")
    assert "accepted" in shown and "deferred" in shown and "await test purchase" in shown


def test_due_cases(db):
    ok(db, "case", "import", str(EXAMPLE))
    assert "No case is due" in ok(db, "cases", "list", "--due")
    due = ok(db, "cases", "list", "--due", "--on", "2099-01-01")
    assert CASE in due and "review" in due and "retention" in due


def test_delete_needs_yes(db, monkeypatch, capsys):
    ok(db, "case", "import", str(EXAMPLE))
    code, _out, err = run_main(monkeypatch, capsys, "case", "delete", CASE, "--workspace", str(db))
    assert code == 2
    assert "removes its 1 version(s) and 0 decision(s) for good; add --yes to confirm" in err
    assert "Traceback" not in err
    assert "deleted case beds-transformation: 1 version(s)" in ok(
        db, "case", "delete", CASE, "--yes"
    )
    assert "No cases in the workspace" in ok(db, "cases", "list")


def test_errors_exit_2_with_the_way_out(db, tmp_path, monkeypatch, capsys):
    ok(db, "case", "import", str(EXAMPLE))
    code, _out, err = run_main(
        monkeypatch, capsys, "case", "history", "nope", "--workspace", str(db)
    )
    assert code == 2 and "error: no case 'nope'" in err and "achilles cases list" in err

    bad = tmp_path / "bad.yaml"
    bad.write_text(RAW.decode().replace("role: principal", "role: principle"), encoding="utf-8")
    code, _out, err = run_main(
        monkeypatch, capsys, "case", "import", str(bad), "--workspace", str(db)
    )
    assert code == 2 and f"{bad}:" in err and "did you mean 'principal'" in err

    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not a database at all" * 100)
    code, _out, err = run_main(monkeypatch, capsys, "cases", "list", "--workspace", str(broken))
    assert code == 2 and f"error: {broken}: the workspace is damaged" in err
    assert "move it aside: achilles will create a new, empty one" in err and "Traceback" not in err

    result = run(broken, "case", "export", CASE)
    assert isinstance(result.exception, StoreError)
