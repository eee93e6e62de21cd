"""`achilles rules check` finds every seeded defect, with its file, line and stable code."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from achilles.checks.lint import check_all

DATA = Path(__file__).parent / "data" / "bad_rules"
EXPECTED = yaml.safe_load((DATA / "expected.yaml").read_text())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seeded_defect_is_reported(tmp_path, name):
    want = EXPECTED[name]
    shutil.copy(DATA / name, tmp_path / name)
    report = check_all(rule_folders=[tmp_path])
    mine = [p for p in report.problems if p.file.endswith(name)]
    hits = [
        p
        for p in mine
        if want["contains"] in p.message + " " + (p.hint or "")
        and (want.get("code") is None or p.code == want["code"])
    ]
    assert hits, f"{name}: expected {want}, got " + "; ".join(p.render() for p in mine)
    if want.get("line") is not None:
        assert any(p.line == want["line"] for p in hits), [p.render() for p in hits]
    level = want.get("level", "error")
    assert any(p.level == level for p in hits)


def test_every_file_in_the_corpus_has_an_expectation():
    files = {p.name for p in DATA.glob("*.yaml")} - {"expected.yaml"}
    assert files == set(EXPECTED)


def test_cli_exit_status_on_a_broken_layer(tmp_path):
    shutil.copy(DATA / "unknown_power.yaml", tmp_path / "local.yaml")
    r = subprocess.run(
        [sys.executable, "-m", "achilles", "rules", "check", "--rules", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 2
    assert f"{tmp_path / 'local.yaml'}:4:" in r.stderr and "AR002" in r.stderr
    assert "Traceback" not in r.stderr


CATALOGUE_DATA = Path(__file__).parent / "data" / "bad_catalogue"
CATALOGUE_EXPECTED = yaml.safe_load((CATALOGUE_DATA / "expected.yaml").read_text())


@pytest.mark.parametrize("name", sorted(CATALOGUE_EXPECTED))
def test_broken_catalogue_entry_is_reported(tmp_path, name):
    from achilles.catalogue import check_catalogue

    want = CATALOGUE_EXPECTED[name]
    shutil.copy(CATALOGUE_DATA / name, tmp_path / name)
    _, problems = check_catalogue(tmp_path)
    hits = [
        p
        for p in problems
        if p.level == "error" and want["contains"] in p.message + " " + (p.hint or "")
    ]
    assert hits, [p.render() for p in problems]
    assert hits[0].line == want["line"] and hits[0].file.endswith(name)
