"""The command line through its real entry point: exit codes, messages, outputs."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.samples import EXAMPLE


def achilles(
    *args: str, cwd: Path | None = None, env: dict | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "achilles", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_version():
    r = achilles("--version")
    assert r.returncode == 0
    assert r.stdout.startswith("achilles ")


def test_validate_good_file():
    r = achilles("case", "validate", str(EXAMPLE))
    assert r.returncode == 0, r.stderr
    assert "valid" in r.stdout


def test_validate_reports_every_mistake_with_lines(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        EXAMPLE.read_text()
        .replace("role: principal", "role: principle")
        .replace("use: pub", "use: pubb")
        .replace("status: corroborated", "status: confirmed")
        .replace("by: [n1, n2]", "by: [n1, n9]")
        .replace("title: Operation", "titel: Operation")
    )
    r = achilles("case", "validate", str(bad))
    assert r.returncode == 2
    err = r.stderr
    assert "Traceback" not in err
    for fragment in (
        "did you mean 'principal'",
        "did you mean 'pub'",
        "'confirmed' is not a known status",
        "refers to 'n9'",
        "unknown field 'titel'",
    ):
        assert fragment in err, err
    assert err.count(f"{bad}:") >= 5


def test_bad_flag_and_bad_format_exit_2():
    r = achilles("recommend", str(EXAMPLE), "--format", "yml")
    assert r.returncode == 2
    assert "--format 'yml'" in r.stderr and "Traceback" not in r.stderr
    r = achilles("recommend", str(EXAMPLE), "--nope")
    assert r.returncode == 2
    r = achilles("recommend", str(EXAMPLE), "--as-of", "yesterday")
    assert r.returncode == 2 and "YYYY-MM-DD" in r.stderr


def test_missing_file_is_a_clear_error(tmp_path):
    r = achilles("recommend", str(tmp_path / "nope.yaml"))
    assert r.returncode == 2
    assert "no such case file" in r.stderr and "Traceback" not in r.stderr


def test_recommend_json_is_the_stable_interface():
    r = achilles("recommend", str(EXAMPLE), "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["case"] == "beds-transformation"
    assert data["marking"] == data["marking_footer"] == "OFFICIAL-SENSITIVE"
    for key in ("as_of", "options", "packages", "near_misses", "warnings"):
        assert key in data
    assert data["options"], "the example must give options"
    first = data["options"][0]
    for key in (
        "rank",
        "power_id",
        "power",
        "legislation",
        "four_p",
        "lead_agency",
        "targets",
        "score",
        "score_breakdown",
        "because",
        "rules",
        "evidence_needed",
        "cautions",
    ):
        assert key in first, key
    assert [o["rank"] for o in data["options"]] == list(range(1, len(data["options"]) + 1))
    scores = [o["score"] for o in data["options"]]
    assert scores == sorted(scores, reverse=True)


def test_out_refuses_to_overwrite_and_writes_owner_only(tmp_path):
    target = tmp_path / "plan.md"
    r = achilles("plan", str(EXAMPLE), "--out", str(target), "--start", "2026-01-05")
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text().startswith("**OFFICIAL")
    r = achilles("plan", str(EXAMPLE), "--out", str(target))
    assert r.returncode == 2 and "--force" in r.stderr
    r = achilles("plan", str(EXAMPLE), "--out", str(tmp_path / "missing" / "plan.md"))
    assert r.returncode == 2 and "does not exist" in r.stderr


def test_case_new_writes_a_template_that_validates(tmp_path):
    target = tmp_path / "new.yaml"
    r = achilles("case", "new", "--out", str(target))
    assert r.returncode == 0, r.stderr
    assert achilles("case", "validate", str(target)).returncode == 0


def test_case_show_prints_user_text_literally(tmp_path):
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(
        EXAMPLE.read_text().replace("name: Principal A", 'name: "[bold red]Boss[/] \\e[31m"')
    )
    r = achilles("case", "show", str(hostile), env={"COLUMNS": "200"})
    assert r.returncode == 0, r.stderr
    assert "[bold red]Boss[/]" in r.stdout
    assert "\x1b[31m" not in r.stdout


def test_runs_from_another_folder(tmp_path):
    """The shipped rules and catalogue are found wherever the command runs."""
    r = achilles("powers", "list", "--format", "json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert any(p["id"] == "closure_notice" for p in json.loads(r.stdout))


@pytest.mark.parametrize("fmt", ["markdown", "text", "html", "csv", "json"])
def test_plan_formats_carry_the_marking_top_and_bottom(fmt):
    r = achilles("plan", str(EXAMPLE), "--format", fmt, "--start", "2026-01-05")
    assert r.returncode == 0, r.stderr
    lines = [line for line in r.stdout.splitlines() if line.strip()]
    assert "OFFICIAL-SENSITIVE" in lines[0] or "OFFICIAL-SENSITIVE" in lines[1]
    assert "OFFICIAL-SENSITIVE" in lines[-1] or "OFFICIAL-SENSITIVE" in lines[-2]
