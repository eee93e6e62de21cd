"""`achilles rules impact`: re-running kept cases under candidate rules or a date, on a real
workspace (SQLite) and a real council layer, through the Typer app and the real entry point."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from achilles.cli import build_app, main
from achilles.impact import case_impact
from achilles.knowledge import load_knowledge
from achilles.model.case_file import load_case

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "tests" / "scenarios" / "cases"
WASTE = SCENARIOS / "waste-crime-vans.yaml"  # as_of 2020-06-01, England
CAR_WASH = SCENARIOS / "car-wash-trafficking.yaml"

LAYER = """\
theme: Anytown candidate rules
disable:
  - {id: waste-fly-tipping-vehicle, reason: "Anytown seizes tipping vans instead (Cabinet 2026-11)"}
  - {id: waste-carrier-unregistered-business, reason: "register checks done by the EA"}
rules: []
"""

app = build_app()
runner = CliRunner()


@pytest.fixture
def workspace(tmp_path, monkeypatch) -> Path:
    """A real workspace database holding two scenario cases."""
    monkeypatch.delenv("ACHILLES_WORKSPACE", raising=False)
    db = tmp_path / "ws" / "workspace.db"
    for case in (WASTE, CAR_WASH):
        result = runner.invoke(app, ["case", "import", str(case), "--workspace", str(db)])
        assert result.exit_code == 0, result.output
    return db


@pytest.fixture
def layer(tmp_path) -> Path:
    folder = tmp_path / "anytown-rules"
    folder.mkdir()
    (folder / "candidate.yaml").write_text(LAYER, encoding="utf-8")
    return folder


def impact_json(*args: str) -> list[dict]:
    result = runner.invoke(app, ["rules", "impact", *args, "--format", "json"])
    assert result.exit_code == 0, (result.output, result.exception)
    return json.loads(result.stdout)


def by_case(rows: list[dict]) -> dict[str, dict]:
    return {row["case"]: row for row in rows}


def test_a_rule_switched_off_by_a_council_layer_loses_its_options(workspace, layer):
    rows = by_case(impact_json("--rules", str(layer), "--workspace", str(workspace)))
    assert set(rows) == {"waste-crime-vans", "car-wash-trafficking"}
    waste = rows["waste-crime-vans"]
    lost = {(c["power"], c["target"]): c["rules"] for c in waste["lost"]}
    # the vans were offered fly-tipping enforcement by that rule alone: both options go
    assert lost == {
        ("fly_tipping_enforcement", "t1"): ["waste-fly-tipping-vehicle"],
        ("fly_tipping_enforcement", "t2"): ["waste-fly-tipping-vehicle"],
    }
    assert waste["gained"] == []
    # the carrier option stays (another rule still supports it), with one reason fewer
    assert waste["reasons_changed"] == [
        {
            "power": "waste_carrier_enforcement",
            "target": "b1",
            "rules_added": [],
            "rules_removed": ["waste-carrier-unregistered-business"],
        }
    ]
    car_wash = rows["car-wash-trafficking"]
    assert car_wash["lost"] == car_wash["gained"] == car_wash["reasons_changed"] == []


def test_a_date_moved_past_a_commencement_gains_the_new_power(workspace):
    rows = by_case(impact_json("--as-of", "2024-06-01", "--workspace", str(workspace)))
    waste = rows["waste-crime-vans"]
    assert waste["as_of_before"] == "2020-06-01" and waste["as_of_after"] == "2024-06-01"
    gained = {(c["power"], c["target"]): c["rules"] for c in waste["gained"]}
    # the enforcement warning notice came into force in England on 25 April 2024
    assert gained[("planning_enforcement_warning_notice", "l1")] == [
        "planning-warning-notice-england"
    ]
    back = by_case(impact_json("--as-of", "2024-04-24", "--workspace", str(workspace)))
    assert "planning_enforcement_warning_notice" not in {
        c["power"] for c in back["waste-crime-vans"]["gained"]
    }


def test_layer_and_date_together_from_a_folder_of_cases(tmp_path, layer):
    folder = tmp_path / "cases"
    folder.mkdir()
    shutil.copy(WASTE, folder / WASTE.name)
    rows = by_case(
        impact_json("--rules", str(layer), "--as-of", "2024-06-01", "--cases", str(folder))
    )
    waste = rows["waste-crime-vans"]
    assert {c["power"] for c in waste["gained"]} >= {"planning_enforcement_warning_notice"}
    assert {(c["power"], c["target"]) for c in waste["lost"]} >= {
        ("fly_tipping_enforcement", "t1"),
        ("fly_tipping_enforcement", "t2"),
    }


def test_the_table_names_the_case_the_option_and_the_rule(workspace, layer):
    result = runner.invoke(
        app,
        ["rules", "impact", "--rules", str(layer), "--workspace", str(workspace)],
        env={"COLUMNS": "220"},
    )
    assert result.exit_code == 0, result.output
    assert "2 case(s) re-run; 1 changed; 0 option(s) gained, 2 lost" in result.stdout
    line = next(ln for ln in result.stdout.splitlines() if "fly_tipping_enforcement" in ln)
    # piped (as CliRunner is), a table is one record per line, tab-separated
    cells = [c.strip() for c in line.split("\t")]
    assert cells == [
        "waste-crime-vans",
        "lost",
        "fly_tipping_enforcement",
        "t1",
        "ready",
        "waste-fly-tipping-vehicle",
    ]
    reasons = next(ln for ln in result.stdout.splitlines() if "reasons" in ln)
    assert "removed waste-carrier-unregistered-business" in reasons


def test_markdown_lists_unchanged_cases_with_all(workspace, layer):
    result = runner.invoke(
        app,
        [
            "rules",
            "impact",
            "--rules",
            str(layer),
            "--workspace",
            str(workspace),
            "--format",
            "markdown",
            "--all",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "| car-wash-trafficking | unchanged |" in result.stdout
    assert (
        "| waste-crime-vans | lost | fly\\_tipping\\_enforcement | t1 | ready | "
        "waste-fly-tipping-vehicle |" in result.stdout
    ), result.stdout


def run_main(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["achilles", *args])
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit) as exc:
        main()
    captured = capsys.readouterr()
    return exc.value.code, captured.out, captured.err


def test_nothing_to_compare_is_a_usage_error(monkeypatch, capsys, workspace):
    code, _out, err = run_main(
        monkeypatch, capsys, "rules", "impact", "--workspace", str(workspace)
    )
    assert code == 2
    assert "nothing to compare" in err and "Traceback" not in err


def test_a_bad_date_and_a_missing_workspace_are_clear_errors(monkeypatch, capsys, tmp_path):
    code, _out, err = run_main(monkeypatch, capsys, "rules", "impact", "--as-of", "2024-13-01")
    assert code == 2 and "--as-of '2024-13-01' is not a date" in err
    missing = tmp_path / "none" / "ws.db"
    code, _out, err = run_main(
        monkeypatch, capsys, "rules", "impact", "--as-of", "2025-01-01", "--workspace", str(missing)
    )
    assert code == 2 and "no workspace there" in err
    assert not missing.exists()  # never creates an empty workspace


def test_a_broken_case_in_the_folder_is_named_and_the_rest_still_run(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "cases"
    folder.mkdir()
    shutil.copy(WASTE, folder / "a-waste.yaml")
    (folder / "b-broken.yaml").write_text(
        WASTE.read_text(encoding="utf-8").replace("use: land", "use: lnad"), encoding="utf-8"
    )
    code, out, err = run_main(
        monkeypatch,
        capsys,
        "rules",
        "impact",
        "--as-of",
        "2024-06-01",
        "--cases",
        str(folder),
        "--format",
        "json",
    )
    assert code == 2
    assert [row["case"] for row in json.loads(out)] == ["waste-crime-vans"]
    assert "b-broken.yaml: skipped" in err and "lnad" in err and "land" in err


def test_case_impact_directly_with_two_knowledge_bases(layer):
    case = load_case(WASTE)
    before, after = load_knowledge(), load_knowledge([layer])
    unchanged = case_impact("w", case, before, before)
    assert not unchanged.changed
    changed = case_impact("w", case, before, after)
    assert changed.changed and {c.target for c in changed.lost} == {"t1", "t2"}
