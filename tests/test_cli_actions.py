"""`achilles actions` on a case file and on a workspace case, through the real entry point:
the round trip, what `plan` and `decisions` then say, bad input (exit 2 with the fix), a stale
save refused, and the rest of a case file left byte for byte."""

from __future__ import annotations

import json
import sys

import pytest

from achilles.cli import main
from achilles.model.case_file import load_case, parse_case
from achilles.model.plan_state import plan_of
from achilles.store import Workspace
from tests.samples import EXAMPLE

CASE = "beds-transformation"
VICTIM = "adult_safeguarding_referral@v1"


def achilles(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """The real entry point, as the `achilles` script runs it."""
    monkeypatch.setattr(sys, "argv", ["achilles", *args])
    monkeypatch.setenv("COLUMNS", "80")  # the width of a pipe: nothing may depend on more
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def run(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("ACHILLES_WORKSPACE", str(tmp_path / "ws" / "workspace.db"))

    def go(*args: str, code: int = 0) -> str:
        got, out, err = achilles(monkeypatch, capsys, *args)
        assert got == code, (args, got, out, err)
        assert "Traceback" not in err
        return out if code == 0 else err

    return go


def round_trip(run, case: str) -> None:
    """The UX trial's reproduction, from the command line."""
    run("actions", "add", case, "hmrc_referral@b1", "--owner", "PS Patel", "--due", "2026-02-01")
    run("actions", "add", case, "civil_injunction@n1")
    run("actions", "add", case, "illegal_working_civil_penalty@b1", "--agency", "police")
    run(
        "actions", "update", case, "hmrc_referral@b1",
        "--status", "in_progress", "--rag", "amber", "--note", "Served on the manager",
        "--on", "2026-01-10",
    )  # fmt: skip
    run(
        "actions",
        "update",
        case,
        "civil_injunction@n1",
        "--outcome",
        "moderate",
        "--on",
        "2026-01-20",
    )
    run("actions", "reject", case, "civil_injunction@n2", "--reason", "Displacement risk")
    run(
        "actions", "defer", case, "hmrc_referral@b2",
        "--reason", "After the test purchase", "--until", "2026-03-01",
    )  # fmt: skip


def check_agreement(run, case: str) -> None:
    """`actions`, `plan` and `decisions` say the same."""
    data = json.loads(run("actions", case, "--format", "json", "--on", "2026-01-25"))
    actions = {a["key"]: a for a in data["actions"]}
    assert list(actions)[0] == VICTIM  # the order of work: the safeguarding lane first
    assert set(list(actions)[1:4]) == {  # then the rest of the first phase
        "civil_injunction@n1",
        "hmrc_referral@b1",
        "illegal_working_civil_penalty@b1",
    }
    p1 = actions["hmrc_referral@b1"]
    assert (p1["owner"], p1["due"], p1["status"], p1["rag"]) == (
        "PS Patel",
        "2026-02-01",
        "in_progress",
        "amber",
    )
    assert p1["updates"] == [
        {"date": "2026-01-10", "by": "tester", "text": "Served on the manager"}
    ]
    assert actions["civil_injunction@n1"]["outcome"]["level"] == "moderate"
    assert actions["civil_injunction@n1"]["status"] == "done"
    assert actions["illegal_working_civil_penalty@b1"]["lead_agency"] == "police"
    assert actions[VICTIM]["origin"] == "automatic"
    assert {(d["key"], d["decision"], d["until"]) for d in data["decisions"]} == {
        ("civil_injunction@n2", "rejected", None),
        ("hmrc_referral@b2", "deferred", "2026-03-01"),
    }
    plan = run("plan", case, "--format", "markdown", "--start", "2026-01-25")
    for said in (
        "PS Patel",
        "Served on the manager",
        "Displacement risk",
        "deferred until 2026-03-01",
    ):
        assert said in plan
    listing = run("actions", case, "--on", "2026-02-02")
    assert "hmrc_referral@b1  in progress · RAG amber · due 2026-02-01 OVERDUE" in listing
    assert all(len(line) <= 200 for line in listing.splitlines())
    decided = run("decisions", case)
    assert "civil_injunction@n2: Displacement risk" in decided
    assert "deferred until 2026-03-01 hmrc_referral@b2" in decided or (
        "hmrc_referral@b2 (until 2026-03-01): After the test purchase" in decided
    )


def test_actions_round_trip_on_a_case_file(run, tmp_path, monkeypatch):
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("LOGNAME", "tester")
    case = tmp_path / "op.yaml"
    text = "# Our own comment, kept by every change to the plan.\n" + EXAMPLE.read_text()
    case.write_text(text)
    round_trip(run, str(case))
    check_agreement(run, str(case))
    saved = case.read_text()
    assert saved.startswith(text)  # everything outside the plan section, byte for byte
    plan = plan_of(load_case(case))
    assert [a.key for a in plan.actions] == [
        "hmrc_referral@b1",
        "civil_injunction@n1",
        "illegal_working_civil_penalty@b1",
    ]
    # taking the plan back out leaves the file as it was
    run("actions", "remove", str(case), "illegal_working_civil_penalty@b1")
    assert "has work recorded on it" in run(
        "actions", "remove", str(case), "hmrc_referral@b1", code=2
    )
    assert "nothing changed" in run("actions", "add", str(case), "hmrc_referral@b1")


def test_actions_round_trip_on_a_workspace_case(run, monkeypatch):
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("LOGNAME", "tester")
    run("case", "import", str(EXAMPLE))
    round_trip(run, CASE)
    check_agreement(run, CASE)
    log = run("decisions", CASE)
    kinds = [line.split()[3] for line in log.splitlines()[1:]]
    assert kinds == ["accepted", "accepted", "accepted", "updated", "updated", "updated",
                     "done", "rejected", "deferred"]  # fmt: skip
    assert (
        "tester updated hmrc_referral@b1 (status proposed -> in_progress; rag (none) -> amber)"
        in log
    )
    assert "updated hmrc_referral@b1 (note dated 2026-01-10): Served on the manager" in log
    with Workspace.open() as ws:
        assert ws.latest_version(CASE) == 8  # one version per change
        stored = parse_case(ws.get(CASE))
        assert ws.get(CASE).startswith(EXAMPLE.read_text())  # the imported text, then the plan
    assert plan_of(stored).decision("civil_injunction@n2").reason == "Displacement risk"
    history = run("case", "history", CASE)
    assert "plan: rejected civil_injunction@n2" in history and "Displacement" not in history


def test_bad_input_exits_2_with_the_fix(run, tmp_path):
    case = tmp_path / "op.yaml"
    case.write_text(EXAMPLE.read_text())
    before = case.read_bytes()
    err = run("actions", "add", str(case), "hmrc_referal@b1", code=2)
    assert "'hmrc_referal@b1' is not an option for this case" in err
    assert "did you mean 'hmrc_referral@b1'" in err
    run("actions", "add", str(case), "hmrc_referral@b1")
    for args, said in (
        (("--status", "in_progres"), "did you mean 'in_progress'?"),
        (("--rag", "amberr"), "did you mean 'amber'?"),
        (("--outcome", "majr"), "did you mean 'major'?"),
        (("--on", "05/01/2026", "--note", "x"), "--on '05/01/2026' is not a date"),
        ((), "nothing to update"),
    ):
        assert said in run("actions", "update", str(case), "hmrc_referral@b1", *args, code=2)
    assert "is not in the plan" in run(
        "actions", "update", str(case), "civil_injunction@n2", "--rag", "red", code=2
    )
    assert "error: missing option '--reason'\nhint: see `achilles actions reject -h`" in run(
        "actions", "reject", str(case), "civil_injunction@n2", code=2
    )
    err = run("actions", "reject", str(case), VICTIM, "--reason", "Refused support", code=2)
    assert "a person the group exploits" in err and "--yes" in err
    run("actions", "reject", str(case), VICTIM, "--reason", "Refused support", "--yes")
    assert "no such file, and no case with that id" in run("actions", "nosuch-case", code=2)
    assert "--format 'xml' is not one of table, json" in run(
        "actions", str(case), "--format", "xml", code=2
    )
    assert case.read_bytes() != before  # only the good commands changed it


def test_a_stale_save_is_refused_on_a_file(run, tmp_path, monkeypatch):
    import achilles.cli.actions as actions

    case = tmp_path / "op.yaml"
    case.write_text(EXAMPLE.read_text())
    theirs = EXAMPLE.read_text() + "# saved by someone else meanwhile\n"
    advise = actions._advice

    def someone_saves_first(*args):
        got = advise(*args)
        case.write_text(theirs)
        return got

    monkeypatch.setattr(actions, "_advice", someone_saves_first)
    err = run("actions", "add", str(case), "hmrc_referral@b1", code=2)
    assert "the file changed since it was read (someone saved first); nothing was saved" in err
    assert case.read_text() == theirs


def test_a_stale_save_is_refused_in_the_workspace(run, monkeypatch):
    import achilles.cli.actions as actions

    run("case", "import", str(EXAMPLE))
    advise = actions._advice

    def someone_saves_first(*args):
        got = advise(*args)
        with Workspace.open() as ws:
            ws.save(CASE, ws.get(CASE) + "# another save\n", "someone", 1)
        return got

    monkeypatch.setattr(actions, "_advice", someone_saves_first)
    err = run("actions", "add", CASE, "hmrc_referral@b1", code=2)
    assert "was saved by someone" in err and "since you opened version 1" in err
    assert "nothing was saved or merged" in err
    with Workspace.open() as ws:
        assert ws.latest_version(CASE) == 2 and ws.decisions(CASE) == []


def test_line_endings_and_a_byte_order_mark_survive(run, tmp_path):
    case = tmp_path / "op.yaml"
    raw = ("\ufeff" + EXAMPLE.read_text()).replace("\n", "\r\n").encode("utf-8")
    case.write_bytes(raw)
    run("actions", "add", str(case), "hmrc_referral@b1", "--owner", "PS Patel")
    saved = case.read_bytes()
    assert (
        saved.startswith(raw)
        and b"\r\nplan:\r\n" in saved
        and b"\n" not in saved.replace(b"\r\n", b"")
    )
    assert plan_of(load_case(case)).actions[0].owner == "PS Patel"


def test_a_json_case_file_stays_json(run, tmp_path):
    import yaml

    case = tmp_path / "op.json"
    case.write_text(json.dumps(yaml.safe_load(EXAMPLE.read_text()), default=str))
    run(
        "actions",
        "defer",
        str(case),
        "civil_injunction@n2",
        "--reason",
        "later",
        "--until",
        "2026-03-01",
    )
    data = json.loads(case.read_text())
    assert data["plan"]["decisions"][0]["until"] == "2026-03-01"


def test_the_redacted_tracker_shows_no_typed_text(run, tmp_path):
    case = tmp_path / "op.yaml"
    case.write_text(EXAMPLE.read_text())
    run("actions", "add", str(case), "hmrc_referral@b1", "--owner", "Sgt Quimby")
    run("actions", "update", str(case), "hmrc_referral@b1", "--note", "Met Principal A")
    run("actions", "reject", str(case), "civil_injunction@n2", "--reason", "Mr Jones objected")
    out = run("actions", str(case), "--redact", "--format", "json")
    for typed in ("Quimby", "Met Principal A", "Jones", "Principal A", "The Crown"):
        assert typed not in out
    assert "(withheld)" in out
