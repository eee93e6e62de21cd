"""What works, across the portfolio: `batch` counts per tactic how often the partnership chose,
finished, abandoned and rejected it and the disruption each finished action achieved, and per
lead agency the open and overdue actions (issue 14, item 5)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

from achilles.portfolio import Settings, render, run_portfolio
from tests.samples import ROOT

EXAMPLE = (ROOT / "examples" / "cases" / "contract-example.yaml").read_text()
TODAY = dt.date(2026, 2, 1)

PLANS = {
    "a.yaml": """plan:
  actions:
    - {key: closure_notice@p4, status: done, outcome: {level: major, date: 2026-01-10}}
    - {key: closure_notice@p1, status: abandoned}
    - {key: hmrc_referral@b1, due: 2026-01-15}
    - {key: illegal_working_civil_penalty@b1, agency: police, due: 2026-03-01, status: agreed}
  decisions:
    - {key: closure_order@p4, decision: rejected, reason: x, date: 2026-01-05}
""",
    "b.yaml": """plan:
  actions:
    - {key: closure_notice@p4, status: done, outcome: {level: moderate, date: 2026-01-20}}
    - {key: hmrc_referral@b1, status: done, outcome: {level: none, date: 2026-01-21}}
    - {key: hmrc_referral@b2, due: 2026-01-31, status: in_progress}
""",
    "c.yaml": "",  # no plan: counts for nothing here
}


def corpus(folder: Path) -> list[str]:
    folder.mkdir()
    for name, plan in PLANS.items():
        text = EXAMPLE.replace("id: beds-transformation", f"id: case-{name[0]}") + plan
        (folder / name).write_text(text)
    return [str(folder / name) for name in PLANS]


def test_outcomes_per_tactic_and_work_per_agency(tmp_path):
    files = corpus(tmp_path / "cases")
    serial = run_portfolio(files, Settings(), serial=True, generated_on=TODAY)
    parallel = run_portfolio(files, Settings(), workers=2, generated_on=TODAY)
    assert serial == parallel
    tactics = {t.power_id: t for t in serial.tactics}
    closure = tactics["closure_notice"]
    assert (closure.chosen, closure.done, closure.abandoned, closure.rejected) == (3, 2, 1, 0)
    assert closure.outcomes == (("major", 1), ("moderate", 1), ("minor", 0), ("none", 0))
    hmrc = tactics["hmrc_referral"]
    assert (hmrc.chosen, hmrc.done) == (3, 1) and dict(hmrc.outcomes)["none"] == 1
    assert tactics["closure_order"].rejected == 1 and tactics["closure_order"].chosen == 0
    assert serial.levels == ["major", "moderate", "minor", "none"]  # strongest first
    work = {a.agency: (a.open, a.overdue, a.done) for a in serial.agency_work}
    # hmrc_referral@b1 (due 15 Jan) and @b2 (due 31 Jan) are overdue on 1 Feb; the penalty is
    # the police's because the plan says so, not its usual lead
    assert work == {"hmrc": (2, 2, 1), "police": (1, 0, 2)}
    assert serial.actions == 7
    assert serial.agency_work[0].agency == "hmrc"  # the most overdue first


def test_every_format_has_the_new_tables(tmp_path):
    report = run_portfolio(corpus(tmp_path / "cases"), Settings(), serial=True, generated_on=TODAY)
    markdown = render(report, "markdown")
    assert "## What works: the partnership's actions and outcomes per tactic" in markdown
    assert "| Outcome: major | Outcome: moderate |" in markdown
    assert "## Actions per lead agency (overdue as on 2026-02-01)" in markdown
    html = render(report, "html")
    assert "What works" in html and "<th>Overdue</th>" in html
    data = json.loads(render(report, "json"))
    assert data["totals"]["actions"] == 7 and data["due_dates_judged_on"] == "2026-02-01"
    assert {"power_id": "closure_notice", "chosen": 3, "done": 2}.items() <= data["tactics"][
        0
    ].items()
    assert data["agency_actions"][0] == {
        "agency": "hmrc",
        "name": "HM Revenue and Customs",
        "open": 2,
        "overdue": 2,
        "done": 1,
    }
    tactics = list(csv.DictReader(io.StringIO(render(report, "csv", "tactics"))))
    tactic = next(r for r in tactics if r["power_id"] == "closure_notice")
    assert (tactic["chosen"], tactic["done"], tactic["abandoned"]) == ("3", "2", "1")
    assert (tactic["outcome_major"], tactic["outcome_moderate"], tactic["outcome_minor"]) == (
        "1",
        "1",
        "0",
    )
    work = list(csv.DictReader(io.StringIO(render(report, "csv", "agency_actions"))))
    agency = next(r for r in work if r["agency_id"] == "hmrc")
    assert (agency["lead_agency"], agency["open"], agency["overdue"]) == (
        "HM Revenue and Customs",
        "2",
        "2",
    )


def test_batch_command_judges_due_dates_on_the_date_given(tmp_path):
    folder = tmp_path / "cases"
    corpus(folder)
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "achilles",
            "batch",
            str(folder),
            "--format",
            "json",
            "--on",
            "2026-01-20",
            "--serial",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {a["agency"]: a["overdue"] for a in data["agency_actions"]}["hmrc"] == 1  # only @b1
