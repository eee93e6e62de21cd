"""Edits to the plan the LRO keeps (achilles/tracker.py): the rules every surface shares, and
the decision-log entries a change gives."""

from __future__ import annotations

import datetime as dt

import pytest

from achilles.errors import AchillesError
from achilles.model.plan_state import PlanState
from achilles.model.vocabulary import load_vocabulary
from achilles.tracker import LOG_KINDS, Tracker, plan_changes

VOCAB = load_vocabulary()
OPTIONS = [
    "closure_notice@p4",
    "closure_notice@p1",
    "closure_order@p4",
    "premises_licence_review@p1",
    "adult_safeguarding_referral@v1",
]
TODAY = dt.date(2026, 1, 5)


def tracker(state: PlanState | None = None) -> Tracker:
    return Tracker(state or PlanState(), VOCAB, OPTIONS, today=TODAY, who="tester")


def test_add_sets_owner_agency_and_due_and_withdraws_a_decision():
    t = tracker()
    t.reject("closure_notice@p1", "Licence review first")
    assert t.add("closure_notice@p1", owner="PS Patel", agency="police", due=dt.date(2026, 2, 1))
    a = t.state.action("closure_notice@p1")
    assert (a.owner, a.agency, a.due, a.status, a.added) == (
        "PS Patel",
        "police",
        dt.date(2026, 2, 1),
        "proposed",
        TODAY,
    )
    assert t.state.decision("closure_notice@p1") is None  # in the plan or rejected, not both
    assert not t.add("closure_notice@p1", owner="DS Khan")  # already there: updated
    assert t.state.action("closure_notice@p1").owner == "DS Khan"


def test_an_unknown_key_names_the_closest_keys():
    with pytest.raises(AchillesError) as exc:
        tracker().add("closure_notce@p1")
    assert "'closure_notce@p1' is not an option for this case" in exc.value.message
    assert "did you mean 'closure_notice@p1'" in exc.value.hint


def test_bad_terms_get_did_you_mean():
    t = tracker()
    t.add("closure_notice@p1")
    for kwargs, said in (
        ({"status": "in_progres"}, "did you mean 'in_progress'?"),
        ({"rag": "ambr"}, "did you mean 'amber'?"),
        ({"outcome": "majr"}, "did you mean 'major'?"),
        ({"agency": "polise"}, "did you mean 'police'?"),
    ):
        with pytest.raises(AchillesError) as exc:
            t.update("closure_notice@p1", **kwargs)
        assert exc.value.hint == said, kwargs
    with pytest.raises(AchillesError, match="is not in the plan"):
        t.update("closure_order@p4", status="agreed")


def test_progress_notes_and_the_outcome():
    t = tracker()
    t.add("closure_notice@p1")
    t.update("closure_notice@p1", status="in_progress", rag="amber", note="  Served   today ")
    t.update(
        "closure_notice@p1", outcome="moderate", note="Dealing stopped", on=dt.date(2026, 2, 3)
    )
    a = t.state.action("closure_notice@p1")
    assert a.status == "done"  # an outcome means done
    assert (a.outcome.level, a.outcome.date, a.outcome.note) == (
        "moderate",
        dt.date(2026, 2, 3),
        "Dealing stopped",
    )
    assert [(u.date, u.by, u.text) for u in a.updates] == [(TODAY, "tester", "Served today")]
    with pytest.raises(AchillesError, match="when the action is done"):
        t.update("closure_notice@p1", status="agreed", outcome="minor")
    # reopening keeps what was typed: the withdrawn outcome becomes a dated note
    t.update("closure_notice@p1", status="in_progress")
    assert a.outcome is None and "outcome withdrawn (was moderate" in a.updates[-1].text
    assert "Dealing stopped" in a.updates[-1].text


def test_work_recorded_on_an_action_is_never_thrown_away():
    t = tracker()
    t.add("closure_notice@p1")
    t.update("closure_notice@p1", note="Visited")
    for edit in (
        lambda: t.remove("closure_notice@p1"),
        lambda: t.reject("closure_notice@p1", "changed our minds"),
        lambda: t.defer("closure_notice@p1", "later"),
    ):
        with pytest.raises(AchillesError, match="has work recorded on it") as exc:
            edit()
        assert "abandoned" in exc.value.hint
    assert t.state.action("closure_notice@p1").updates


def test_reject_and_defer_need_a_reason_and_only_a_deferral_has_a_date():
    t = tracker()
    with pytest.raises(AchillesError, match="needs a reason"):
        t.reject("closure_order@p4", "   ")
    t.defer("closure_order@p4", "After the test purchase", until=dt.date(2026, 3, 1))
    d = t.state.decision("closure_order@p4")
    assert (d.decision, d.until, d.by, d.date) == ("deferred", dt.date(2026, 3, 1), "tester", TODAY)
    t.reject("closure_order@p4", "Not proportionate")
    assert len(t.state.decisions) == 1 and t.state.decision("closure_order@p4").until is None


def test_changes_give_the_decision_log_entries():
    before = PlanState()
    t = tracker(before.model_copy(deep=True))
    t.add("closure_notice@p1", owner="PS Patel", due=dt.date(2026, 2, 1))
    t.add("closure_notice@p4")
    t.reject("closure_order@p4", "Mr Jones objected")
    t.defer("premises_licence_review@p1", "wait", until=dt.date(2026, 3, 1))
    t.record_review(TODAY, OPTIONS)
    first = plan_changes(before, t.state)
    assert [(c.key, c.kind) for c in first] == [
        ("closure_notice@p1", "accepted"),
        ("closure_notice@p4", "accepted"),
        ("closure_order@p4", "rejected"),
        ("premises_licence_review@p1", "deferred"),
        ("", "reviewed"),
    ]
    assert first[0].detail == "owner set; due 2026-02-01"  # the owner's name is not in detail
    assert first[2].reason == "Mr Jones objected" and first[2].detail == ""
    assert first[3].detail == "until 2026-03-01"

    middle = t.state.model_copy(deep=True)
    t.update("closure_notice@p1", status="in_progress", rag="red", note="Served")
    t.update("closure_notice@p4", outcome="minor")
    t.reopen("premises_licence_review@p1")
    later = plan_changes(middle, t.state)
    assert [(c.key, c.kind, c.detail) for c in later] == [
        ("closure_notice@p1", "updated", "status proposed -> in_progress; rag (none) -> red"),
        ("closure_notice@p1", "updated", f"note dated {TODAY}"),
        ("closure_notice@p4", "updated", "status proposed -> done"),
        ("closure_notice@p4", "done", f"outcome minor on {TODAY}"),
        ("premises_licence_review@p1", "reopened", ""),
    ]
    assert later[1].reason == "Served"
    assert {c.kind for c in first + later} <= set(LOG_KINDS)

    gone = t.state.model_copy(deep=True)
    t.add("closure_order@p4")
    t.state.actions = [a for a in t.state.actions if a.key != "closure_order@p4"]
    t.state.decisions = []
    assert [(c.key, c.kind) for c in plan_changes(gone, t.state)] == [
        ("closure_order@p4", "reopened")
    ]
    assert [(c.key, c.kind) for c in plan_changes(t.state, PlanState())][-1] == (
        "closure_notice@p4",
        "removed",
    )
