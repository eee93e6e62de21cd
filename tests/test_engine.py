"""The durable_rules adapter against the reference evaluator, and each known engine trap.

Real engine, real compiled rules, real facts: a failure here means a recommendation could be
wrong.
"""

from __future__ import annotations

import datetime as dt
import json
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from achilles import engine, reference
from achilles.facts import case_facts
from achilles.model.case_file import parse_case
from achilles.model.rule import Rule
from achilles.model.vocabulary import load_vocabulary
from achilles.rulebook import limits
from achilles.rulebook.compile import compile_rules
from achilles.rulebook.limits import network_of

VOCAB = load_vocabulary()

BASE = """
case: {id: t, title: T, as_of: 2020-01-01, jurisdiction: england, lro: {name: L, agency: A}}
ocg: {name: G, crime_types: [drug_supply], threat: high}
"""


def case_of(body: str):
    return parse_case(BASE + body, "test.yaml", VOCAB)


def rule(**kw) -> Rule:
    data = {
        "id": "r",
        "power": "closure_notice",
        "title": "t",
        "citation": "c",
        "jurisdiction": ["england"],
        "valid_from": dt.date(2014, 10, 20),
        "author": "a",
        "reviewed_by": "b",
        "reviewed_on": dt.date(2026, 1, 1),
        "target": "premises",
        "because": "x",
    }
    data.update(kw)
    return Rule.model_validate(data)


def both(rules: list[Rule], case):
    compiled = compile_rules(rules, VOCAB)
    facts = case_facts(case, VOCAB)
    return engine.Engine(compiled).evaluate(facts), reference.evaluate(compiled, facts)


PREMISES_DRUGS = rule(
    when={
        "premises": {"fact": "premises"},
        "supply": {
            "fact": "activity_at",
            "where": {
                "premises": {"same_as": "premises"},
                "kind": {"in": ["drug_supply", "county_lines"]},
                "status": {"at_least": "intelligence"},
            },
        },
    }
)

THREE = """
premises:
  - {id: p1, label: a, use: pub, tenure: commercial_lease, licences: [premises_licence]}
  - {id: p2, label: b, use: flat, tenure: council_tenancy}
  - {id: p3, label: c, use: shop, tenure: private_rented}
activities:
  - {kind: drug_supply, at: [p1], status: intelligence}
  - {kind: county_lines, at: [p2], status: suspected}
  - {kind: fraud, at: [p3], status: proven}
"""


def targets(matches, compiled_case):
    facts = {f["fid"]: f for f in compiled_case.facts}
    return sorted(facts[dict(m.bindings)["premises"]]["key"] for m in matches)


def test_join_after_alternatives_is_kept():
    """durable_rules drops a join that follows an "$or"; the compiler must not emit that shape."""
    case = case_of(THREE)
    got, want = both([PREMISES_DRUGS], case)
    assert got == want
    assert targets(got, case_facts(case, VOCAB)) == ["p1"]


def test_list_tests_on_empty_lists():
    """`has_none` must hold for an empty list (durable's $iall is false on [] unpadded)."""
    r = rule(
        when={
            "premises": {
                "fact": "premises",
                "where": {"licences": {"has_none": ["premises_licence"]}},
            }
        }
    )
    case = case_of(THREE)
    got, want = both([r], case)
    assert got == want
    assert targets(got, case_facts(case, VOCAB)) == ["p2", "p3"]


def test_negation_does_not_depend_on_fact_order():
    r = rule(
        when={"premises": {"fact": "premises"}},
        unless={
            "licensed": {"fact": "activity_at", "where": {"premises": {"same_as": "premises"}}}
        },
    )
    case = case_of(THREE + "  - {kind: fraud, at: [p2], status: suspected}\n")
    compiled = compile_rules([r], VOCAB)
    facts = case_facts(case, VOCAB)
    want = reference.evaluate(compiled, facts)
    eng = engine.Engine(compiled)
    for seed in range(20):
        shuffled = list(facts.facts)
        random.Random(seed).shuffle(shuffled)
        reordered = type(facts)(shuffled, facts.by_type)
        assert eng.evaluate(reordered) == want
    assert want == []  # every premises has some activity


def test_any_of_alternatives_fire_separately():
    r = rule(
        when={"premises": {"fact": "premises"}},
        any_of=[
            {
                "a": {
                    "fact": "activity_at",
                    "where": {"premises": {"same_as": "premises"}, "kind": "drug_supply"},
                }
            },
            {
                "b": {
                    "fact": "activity_at",
                    "where": {"premises": {"same_as": "premises"}, "kind": "fraud"},
                }
            },
        ],
    )
    case = case_of(THREE)
    got, want = both([r], case)
    assert got == want
    assert sorted(m.rule for m in got) == ["r0_0", "r0_1"]


def test_isolation_between_cases_and_determinism():
    eng = engine.Engine(compile_rules([PREMISES_DRUGS], VOCAB))
    a = case_facts(case_of(THREE), VOCAB)
    b = case_facts(case_of("premises: [{id: p9, label: z, use: pub, tenure: unknown}]\n"), VOCAB)
    first = eng.evaluate(a)
    assert eng.evaluate(b) == []  # nothing of case a leaks into case b
    for _ in range(50):
        assert eng.evaluate(a) == first


def test_many_sessions_in_one_process():
    """More evaluations than the C core's 1,024 live sessions: each session is deleted after use."""
    eng = engine.Engine(compile_rules([PREMISES_DRUGS], VOCAB))
    facts = case_facts(case_of(THREE), VOCAB)
    expected = eng.evaluate(facts)
    for _ in range(1_200):
        assert eng.evaluate(facts) == expected


def test_case_with_no_matching_fact_does_not_crash():
    """delete_state on a session that stored nothing crashes the C core; the sentinel prevents it."""
    eng = engine.Engine(compile_rules([PREMISES_DRUGS], VOCAB))
    assert eng.evaluate(case_facts(case_of(""), VOCAB)) == []


def test_join_rejected_on_engine_identity():
    from achilles.catalogue import load_catalogue
    from achilles.loading.problems import Problems
    from achilles.rulebook.rule_checks import check_rule

    r = rule(when={"premises": {"fact": "premises", "where": {"id": {"same_as": "premises"}}}})
    problems = Problems("x")
    check_rule(r, ("rules", 0), problems, load_catalogue(), VOCAB)
    assert any(p.code == "AR011" for p in problems.items)


# --- generated rules and cases: the two evaluators must agree on every one --------------------

USES = ["pub", "flat", "shop", "hmo", "car_wash"]
KINDS = ["drug_supply", "fraud", "illegal_working", "cuckooing"]
STATUS = ["suspected", "intelligence", "corroborated", "evidenced", "proven"]
ROLES = ["principal", "member", "runner", "vulnerable"]


@st.composite
def cases(draw):
    n_people = draw(st.integers(0, 5))
    n_prem = draw(st.integers(0, 5))
    people = [
        {
            "id": f"n{i}",
            "role": draw(st.sampled_from(ROLES)),
            "age": draw(st.one_of(st.none(), st.integers(12, 70))),
            "vulnerabilities": draw(
                st.lists(
                    st.sampled_from(["cuckooed", "drug_dependent", "child"]),
                    unique=True,
                    max_size=2,
                )
            ),
            "benefits": draw(
                st.lists(st.sampled_from(["universal_credit", "pip"]), unique=True, max_size=2)
            ),
        }
        for i in range(n_people)
    ]
    premises = [
        {
            "id": f"p{i}",
            "label": f"P{i}",
            "use": draw(st.sampled_from(USES)),
            "tenure": draw(
                st.sampled_from(["council_tenancy", "private_rented", "commercial_lease"])
            ),
            "licences": draw(
                st.lists(
                    st.sampled_from(["premises_licence", "hmo_licence"]), unique=True, max_size=2
                )
            ),
            "occupants": [
                {"person": f"n{j}", "as": draw(st.sampled_from(["tenant", "occupier"]))}
                for j in draw(
                    st.lists(st.integers(0, max(n_people - 1, 0)), unique=True, max_size=2)
                )
                if n_people
            ],
        }
        for i in range(n_prem)
    ]
    acts = [
        {
            "kind": draw(st.sampled_from(KINDS)),
            "status": draw(st.sampled_from(STATUS)),
            "at": [
                f"p{j}"
                for j in draw(st.lists(st.integers(0, max(n_prem - 1, 0)), unique=True, max_size=2))
                if n_prem
            ],
            "by": [
                f"n{j}"
                for j in draw(
                    st.lists(st.integers(0, max(n_people - 1, 0)), unique=True, max_size=2)
                )
                if n_people
            ],
        }
        for _ in range(draw(st.integers(0, 6)))
    ]
    data = {"people": people, "premises": premises, "activities": acts}
    import yaml

    return case_of(yaml.safe_dump(data))


CONDITIONS = st.sampled_from(
    [
        {"use": {"in": ["pub", "shop"]}},
        {"use": "flat"},
        {"tenure": {"not": "commercial_lease"}},
        {"licences": {"has": "premises_licence"}},
        {"licences": {"has_none": ["hmo_licence"]}},
        {"licences": {"has_any": ["premises_licence", "hmo_licence"]}},
        {"tenure": {"not_in": ["private_rented"]}},
    ]
)
PERSON_CONDITIONS = st.sampled_from(
    [
        {"role": {"in": ["principal", "member"]}},
        {"exploited": False},
        {"age": {"at_most": 17}},
        {"age": {"at_least": 18}},
        {"vulnerabilities": {"has": "cuckooed"}},
        {"benefits": {"present": True}},
        {"child": True},
    ]
)


@st.composite
def rules(draw):
    when = {"premises": {"fact": "premises", "where": draw(CONDITIONS)}}
    shape = draw(st.sampled_from(["act", "occ", "both", "neg"]))
    unless = {}
    if shape in ("act", "both"):
        when["act"] = {
            "fact": "activity_at",
            "where": {
                "premises": {"same_as": "premises"},
                "kind": {
                    "in": draw(
                        st.lists(st.sampled_from(KINDS), min_size=1, max_size=3, unique=True)
                    )
                },
                "status": {"at_least": draw(st.sampled_from(STATUS))},
            },
        }
    if shape in ("occ", "both"):
        when["occ"] = {"fact": "occupancy", "where": {"premises": {"same_as": "premises"}}}
        when["person"] = {
            "fact": "person",
            "where": {"key": {"same_as": "occ.person"}, **draw(PERSON_CONDITIONS)},
        }
    if shape == "neg":
        unless["act"] = {
            "fact": "activity_at",
            "where": {"premises": {"same_as": "premises"}, "kind": draw(st.sampled_from(KINDS))},
        }
    return rule(id=f"g{draw(st.integers(0, 999))}", when=when, unless=unless)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rs=st.lists(rules(), min_size=1, max_size=4), c=cases())
def test_engine_matches_reference_on_generated_rules_and_cases(rs, c):
    got, want = both(rs, c)
    assert got == want


def test_shipped_rulebook_agrees_with_reference_on_samples():
    from achilles.catalogue import load_catalogue
    from achilles.loading.paths import examples_dir
    from achilles.model.case_file import load_case
    from achilles.rulebook.load import load_rulebook

    book = load_rulebook(load_catalogue())
    samples = sorted(examples_dir().glob("*.yaml"))
    assert len(samples) >= 8  # the LGA studies and the contract example: a moved folder fails
    for path in samples:
        facts = case_facts(load_case(path), VOCAB)
        assert engine.evaluate(book.compiled, facts) == reference.evaluate(book.compiled, facts), (
            path.name
        )


# --- packing rules into rulesets ----------------------------------------------------------------


def _within_limits(chunk) -> bool:
    net = network_of(chunk)
    m = net.measures()
    return (
        m["stack"] <= limits.MAX_STACK
        and m["children"] <= limits.MAX_CHILDREN
        and m["next list"] <= limits.MAX_NEXT_LIST
        and m["betas"] <= limits.MAX_BETAS
    )


def test_shipped_rulebook_packs_in_order_within_the_core_limits():
    from achilles.catalogue import load_catalogue
    from achilles.rulebook.load import load_rulebook

    book = load_rulebook(load_catalogue())
    chunks = engine.pack(book.compiled)
    assert [r.name for c in chunks for r in c] == [r.name for r in book.compiled]
    assert 1 < len(chunks) < len(book.compiled) // 24  # fewer sessions than fixed chunks of 24
    assert all(_within_limits(chunk) for chunk in chunks)
    assert not _within_limits(book.compiled)  # all in one ruleset would crash the core


def test_a_wide_rulebook_is_split_and_still_agrees_with_the_reference():
    """60 rules that each test a different minimum age under one node: one fact meets them
    all, which would overflow the C core's stack in one ruleset."""
    rules = [
        rule(
            id=f"w{i}",
            target="person",
            power="civil_injunction",
            valid_from=dt.date(2015, 3, 23),
            when={"person": {"fact": "person", "where": {"age": {"at_least": i}}}},
        )
        for i in range(60)
    ]
    compiled = compile_rules(rules, VOCAB)
    chunks = engine.pack(compiled)
    assert len(chunks) >= 2
    assert all(_within_limits(c) for c in chunks)
    facts = case_facts(case_of("people: [{id: m1, role: member, age: 40}]"), VOCAB)
    got = engine.Engine(compiled).evaluate(facts)
    assert got == reference.evaluate(compiled, facts)
    assert len(got) == 41


def test_equal_tests_on_one_field_share_a_ruleset():
    """60 rules that each test a different use: one fact meets one of them, so they fit."""
    uses = [f"use_{i}" for i in range(60)]
    rules = [
        rule(id=f"w{i}", when={"premises": {"fact": "premises", "where": {"use": u}}})
        for i, u in enumerate(uses)
    ]
    compiled = compile_rules(rules, VOCAB)
    assert len(engine.pack(compiled)) == 1
    facts = case_facts(case_of(THREE), VOCAB)
    for f, use in zip(facts.of("premises"), ["use_20", "use_40", "pub"], strict=True):
        f["use"] = use  # the third is a use no rule names
    got = engine.Engine(compiled).evaluate(facts)
    assert got == reference.evaluate(compiled, facts)
    assert sorted(m.rule for m in got) == ["r20_0", "r40_0"]


def test_the_engine_is_sent_only_the_fields_rules_look_at():
    eng = engine.Engine(compile_rules([PREMISES_DRUGS], VOCAB))
    facts = case_facts(case_of(THREE), VOCAB)
    sent = [json.loads(text) for _kind, text in eng._encode(facts, "s1")]
    assert {s["type"] for s in sent} == {"premises", "activity_at"}  # no person, no ocg
    premises = next(s for s in sent if s["type"] == "premises")
    assert set(premises) == {"id", "sid", "type", "key"}  # no use, tenure or licences
