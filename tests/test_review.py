"""`achilles review` and the TUI's review view: the monthly case meeting's agenda, built from
the plan the LRO keeps, the workspace's history and the options recorded at the last review."""

from __future__ import annotations

import json
import sys

import pytest

from achilles.cli import main
from achilles.model.case_file import load_case
from achilles.model.plan_state import plan_of
from achilles.store import Workspace
from tests.samples import EXAMPLE

CASE = "beds-transformation"
PLAN = """plan:
  actions:
    - {key: hmrc_referral@b1, owner: PS Patel, due: 2026-01-20}
    - {key: civil_injunction@n1, owner: DS Khan, due: 2026-02-10, status: agreed}
    - {key: illegal_working_civil_penalty@b1, status: done, outcome: {level: major, date: 2026-01-15}}
    - {key: closure_notice@p9, owner: Licensing}
  decisions:
    - {key: civil_injunction@n2, decision: deferred, reason: After the test purchase, date: 2026-01-02, until: 2026-01-25}
    - {key: hmrc_referral@b2, decision: deferred, reason: Waiting for Mr Jones, date: 2026-01-02, until: 2026-06-01}
"""


def achilles(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["achilles", *args])
    monkeypatch.setenv("COLUMNS", "80")
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def run(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("ACHILLES_WORKSPACE", str(tmp_path / "ws.db"))

    def go(*args: str, code: int = 0) -> tuple[str, str]:
        got, out, err = achilles(monkeypatch, capsys, *args)
        assert got == code, (args, got, out, err)
        return out, err

    return go


def sections(agenda: str) -> dict[str, list[str]]:
    data = json.loads(agenda)
    return {s["heading"].split(" (")[0].split(" since")[0]: s["items"] for s in data["sections"]}


def test_the_agenda_of_a_case_file(run, tmp_path):
    case = tmp_path / "op.yaml"
    case.write_text(EXAMPLE.read_text() + PLAN)
    out, _ = run("review", str(case), "--on", "2026-01-26", "--format", "json")
    data = json.loads(out)
    assert data["marking"] == data["marking_footer"] == "OFFICIAL-SENSITIVE"
    assert data["overdue"] == ["hmrc_referral@b1"]  # due 2026-01-20, still open
    assert data["due_before_next_review"] == ["civil_injunction@n1"]  # due before 2026-02-23
    assert data["next_review"] == "2026-02-23"  # 28 days on (ranking/weights.yaml)
    assert data["deferrals_due"] == ["civil_injunction@n2"]  # the other waits until June
    assert data["stale"] == ["closure_notice@p9"]  # no premises p9: flagged, not dropped
    assert data["outcomes"] == [
        {"key": "illegal_working_civil_penalty@b1", "level": "major", "date": "2026-01-15"}
    ]
    said = sections(out)
    assert "A case file keeps no history" in json.dumps(data["sections"])
    assert said["Options that opened"] == [] and data["opened"] == []
    # record this review: the next agenda compares against today's options
    _, err = run("review", str(case), "--on", "2026-01-26", "--record")
    assert "review of 2026-01-26 recorded with 13 options" in err
    assert plan_of(load_case(case)).last_review.options[0] == "premises_licence_review@p1"
    case.write_text(
        case.read_text()
        .replace("status: intelligence, grade: B2", "status: corroborated, grade: B2")
        .replace("{kind: illegal_working, at: [p2, p3]", "{kind: illegal_working, at: [p2]")
    )
    data = json.loads(run("review", str(case), "--on", "2026-02-20", "--format", "json")[0])
    assert data["last_review"] == "2026-01-26"
    assert "premises_licence_summary_review@p1" in data["opened"]
    assert data["closed"] == ["illegal_working_civil_penalty@b2"]
    assert data["outcomes"] == []  # recorded before the last review


def test_the_agenda_of_a_workspace_case_says_what_changed_since_the_last_review(run, tmp_path):
    run("case", "import", str(EXAMPLE))
    run("actions", "add", CASE, "hmrc_referral@b1", "--owner", "PS Patel", "--due", "2026-01-20")
    run("review", CASE, "--on", "2026-01-26", "--record")
    with Workspace.open() as ws:
        text = ws.get(CASE).replace(
            "status: intelligence, grade: B2", "status: corroborated, grade: B2"
        )
        ws.save(CASE, text, "analyst", ws.latest_version(CASE))
        ws.save(
            CASE,
            text.replace("role: member", "role: core_member"),
            "analyst",
            ws.latest_version(CASE),
        )
    out, _ = run("review", CASE, "--on", "2026-02-20", "--format", "markdown")
    assert out.startswith("**OFFICIAL-SENSITIVE**") and out.rstrip().endswith(
        "**OFFICIAL-SENSITIVE**"
    )
    picture = out.split("## What changed in the picture")[1].split("##")[0]
    assert "changed activities\\[0\\].status intelligence -&gt; corroborated" in picture
    assert "changed person n2.role member -&gt; core\\_member" in picture
    assert "plan:" not in picture and "first version" not in picture  # only since the review
    assert "hmrc\\_referral@b1" not in picture
    opened = out.split("## Options that opened")[1].split("##")[0]
    assert "(participation\\_offence@n2)" in opened  # a core member now: the offence opens
    assert "Overdue actions" in out and "PS Patel" in out
    redacted, _ = run("review", CASE, "--on", "2026-02-20", "--redact")
    for name in ("PS Patel", "Principal A", "Member B", "The Crown", "analyst"):
        assert name not in redacted
    assert "(withheld)" in redacted


async def test_the_tui_shows_the_agenda_and_records_the_review(tmp_path):
    from tests.tui.helpers import make_app, settle

    case = tmp_path / "src" / "op.yaml"
    case.parent.mkdir()
    case.write_text(EXAMPLE.read_text() + PLAN)
    app = make_app(tmp_path, case)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ReviewScreen"
        agenda = app.screen.query_one("#agenda").source
        assert "## Overdue actions" in agenda and "Referral of suspected tax" in agenda
        assert "No review is recorded yet" in agenda
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.session.plan_state.last_review.date == app.today
        assert (
            "## Options that opened since the last review" in app.screen.query_one("#agenda").source
        )
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "PlanScreen"
    assert plan_of(load_case(tmp_path / "op.yaml")).last_review is not None
