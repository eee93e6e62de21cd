"""The meeting's questions: near misses as questions in names, for the partner who can answer,
with what each answer would open; the real rules on real cases."""

from __future__ import annotations

import pytest

from achilles.analysis import analyse
from achilles.knowledge import load_knowledge
from achilles.model.case_file import parse_case
from achilles.questions import load_questions, questions

K = load_knowledge()

CASE = """
case: {id: q, title: Q, as_of: 2026-11-01, jurisdiction: england, lro: {name: L, agency: A}}
ocg: {name: G, crime_types: [drug_supply]}
people:
  - {id: n1, name: Boss Smith, role: principal}
  - {id: n2, name: Dealer Jones, role: member, age: 25}
premises:
  - {id: p1, label: The Anchor, use: pub, tenure: commercial_lease, licences: [premises_licence]}
  - {id: p2, label: Flat 9, use: flat, tenure: council_tenancy, landlord: council,
     occupants: [{person: n2, as: tenant}]}
activities:
  - {id: a1, kind: drug_supply, at: [p1, p2], by: [n1, n2], status: corroborated}
  - {id: a2, kind: anti_social_behaviour, at: [p2], status: corroborated}
"""


@pytest.fixture(scope="module")
def asked():
    case = parse_case(CASE, "q.yaml", K.vocab)
    analysis = analyse(case, K.catalogue, K.rulebook, K.vocab)
    return analysis, questions(analysis, K.vocab)


def _all(groups):
    return [(g.partner, q) for g in groups for q in g.questions]


def test_a_missing_benefit_becomes_a_question_for_the_dwp_with_what_it_opens(asked):
    analysis, groups = asked
    dwp = {q.text: q for p, q in _all(groups) if p == "dwp"}
    q = dwp["Is Boss Smith claiming benefits?"]
    assert "benefit_fraud_referral@n1" in q.opens
    assert q.answer.section == "people" and q.answer.entity == "n1"
    assert q.answer.field == "benefits"
    assert any(n.key == "benefit_fraud_referral@n1" for n in analysis.near_misses)


def test_evidence_questions_are_asked_once_per_activity_and_person(asked):
    _, groups = asked
    texts = [q.text for _p, q in _all(groups) if q.text.startswith("Can the evidence")]
    assert len(texts) == len(set(texts))
    boss = [t for t in texts if "drug supply by Boss Smith" in t]
    assert boss == [
        "Can the evidence of drug supply by Boss Smith be raised? It is corroborated now."
    ]


def test_every_near_miss_is_asked_or_known(asked):
    """A near miss either becomes a question, or wants a field the case already knows."""
    analysis, groups = asked
    opened = {key for _p, q in _all(groups) for key in q.opens}
    for miss in analysis.near_misses:
        gap = miss.gap
        knows = gap.field not in ("", "status") and gap.current not in (None, "", "unknown", -1, [])
        assert miss.key in opened or knows, miss


def test_partners_with_most_to_open_come_first(asked):
    _, groups = asked
    totals = [sum(len(q.opens) for q in g.questions) for g in groups]
    assert totals == sorted(totals, reverse=True)
    for g in groups:
        counts = [len(q.opens) for q in g.questions]
        assert counts == sorted(counts, reverse=True)


def test_redacted_questions_name_no_one(asked):
    analysis, _ = asked
    text = " ".join(q.text for _p, q in _all(questions(analysis, K.vocab, redact=True)))
    assert "Boss Smith" not in text and "Dealer Jones" not in text and "The Anchor" not in text
    assert "n1" in text


def test_every_question_entry_names_a_known_partner():
    for entry in load_questions().questions:
        assert K.vocab.has("agency", entry.partner), entry.partner
