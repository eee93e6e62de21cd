"""The case file's `plan` section: what it holds, how it is checked, what survives a broken file.

Broken plan sections are in the loader corpus (tests/data/bad_cases/plan_*.yaml, with their
expected file:line errors in expected.yaml); a full valid one is tests/data/good_cases/with_plan.yaml.
"""

from __future__ import annotations

import datetime as dt

import pytest

from achilles.errors import InputError
from achilles.meeting.salvage import salvage
from achilles.model.case_file import case_yaml, load_case, parse_case
from achilles.model.plan_state import PlanState, TrackedAction, closest_keys, plan_of
from achilles.model.vocabulary import load_vocabulary
from tests.samples import ROOT

WITH_PLAN = ROOT / "tests" / "data" / "good_cases" / "with_plan.yaml"
VOCAB = load_vocabulary()
EXAMPLE_TEXT = (ROOT / "examples" / "cases" / "contract-example.yaml").read_text()


def test_every_field_of_the_plan_section_loads():
    plan = plan_of(load_case(WITH_PLAN))
    done, running = plan.actions
    assert (done.key, done.owner, done.agency, done.due) == (
        "closure_notice@p1",
        "PS Patel",
        "police",
        dt.date(2026, 2, 1),
    )
    assert (done.status, done.rag, done.added) == ("done", "green", dt.date(2026, 1, 5))
    assert done.updates[0].text == "Notice served" and done.updates[0].shareable
    assert (done.outcome.level, done.outcome.date) == ("moderate", dt.date(2026, 2, 3))
    assert not done.outcome.shareable  # typed text is withheld from redacted exports by default
    assert running.status == "in_progress" and running.owner is None
    rejected, deferred = plan.decisions
    assert (rejected.decision, rejected.reason, rejected.until) == (
        "rejected",
        "Solicitor objected",
        None,
    )
    assert (deferred.decision, deferred.until) == ("deferred", dt.date(2026, 2, 1))
    assert plan.last_review.options == ["closure_notice@p1", "premises_licence_review@p1"]


def test_the_plan_reads_back_the_same_from_the_yaml_it_is_written_as():
    case = load_case(WITH_PLAN)
    text = case_yaml(case.to_data())
    again = parse_case(text, "again.yaml", VOCAB)
    assert plan_of(again) == plan_of(case)
    assert "shareable: false" not in text  # defaults are not written out
    section = case_yaml({"plan": plan_of(case).to_data()})
    assert "due: 2026-02-01" in section  # the plan as saved: dates stay dates, unquoted
    assert "status: proposed" not in section


def test_a_case_without_a_plan_has_an_empty_one():
    case = load_case(ROOT / "examples" / "cases" / "contract-example.yaml")
    assert case.plan is None and plan_of(case).empty
    assert "plan" not in case.to_data()


def test_open_and_overdue():
    action = TrackedAction(key="closure_notice@p1", due=dt.date(2026, 2, 1))
    assert action.open and not action.overdue(dt.date(2026, 2, 1))
    assert action.overdue(dt.date(2026, 2, 2))
    action.status = "done"
    assert not action.open and not action.overdue(dt.date(2026, 3, 1))
    action.status = "on_hold"  # a partnership's own status term stays open
    assert action.open


def test_a_vocabulary_without_the_plan_sections_says_so(tmp_path, monkeypatch):
    from achilles.model.vocabulary import parse_vocabulary

    shipped = VOCAB.sections
    bare = parse_vocabulary(
        {k: v for k, v in shipped.items() if k not in ("action_status", "rag")}, "bare"
    )
    with pytest.raises(InputError) as exc:
        parse_case(WITH_PLAN.read_text(), "with_plan.yaml", bare)
    said = "\n".join(p.render() for p in exc.value.problems)
    assert "plan.actions[0].status" in said
    assert "the vocabulary has no 'action_status' section" in said


def test_closest_keys_prefer_the_same_power_or_target():
    keys = ["closure_notice@p1", "closure_notice@p4", "closure_order@p4", "hmrc_referral@b1"]
    assert closest_keys("closure_notce@p1", keys)[0] == "closure_notice@p1"
    assert set(closest_keys("closure_notice@p9", keys)) >= {
        "closure_notice@p1",
        "closure_notice@p4",
    }
    assert closest_keys("nothing@like", keys) == []


def test_salvage_keeps_the_sound_parts_of_a_broken_plan():
    text = WITH_PLAN.read_text().replace("status: in_progress", "status: in_progres")
    text = text.replace("- {key: civil_injunction@n1,", "- {key: Civil injunction,")
    data = __import__("yaml").safe_load(text)
    out = salvage(data, VOCAB)
    kept = PlanState.model_validate(out["plan"])
    # the action with the misspelt status and the decision with a bad key are dropped; the
    # rest (with every update and the outcome) is kept, and the whole reads as a valid case
    assert [a.key for a in kept.actions] == ["closure_notice@p1"]
    assert kept.actions[0].outcome.level == "moderate"
    assert [d.key for d in kept.decisions] == ["adult_safeguarding_referral@v1"]
    parse_case(case_yaml(out), "salvaged.yaml", VOCAB)


def test_the_plan_in_the_case_new_template_is_valid_once_uncommented():
    import re

    from achilles.cli.case import TEMPLATE

    text = TEMPLATE.format(today=dt.date.today().isoformat())
    head, _, plan = text.partition("# plan:\n")
    assert plan, "the template shows a plan section"
    uncommented = "plan:\n" + re.sub(r"(?m)^# ", "", plan)
    case = parse_case(head + uncommented, "template.yaml", VOCAB)
    assert [a.key for a in plan_of(case).actions] == ["closure_notice@p1"]
    assert plan_of(case).decisions[0].until is not None


def test_the_plan_example_in_the_case_format_doc_is_valid():
    doc = (ROOT / "docs" / "CASE-FORMAT.md").read_text()
    example = doc[doc.rindex("```yaml\nplan:") + len("```yaml\n") : doc.rindex("```")]
    case = parse_case(EXAMPLE_TEXT + example, "CASE-FORMAT.md", VOCAB)
    assert plan_of(case).actions[0].outcome.level == "moderate"
