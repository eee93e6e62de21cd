"""The near-miss search is fast because it prunes; it must still find exactly what the definition
says it finds.

The definition, written out plainly below: for every rule in force, every relaxation (one
establishable test taken away, or one droppable pattern dropped), every binding of the relaxed
rule found by the plain reference evaluator, whose power and target are not already an option
and which the victim guard lets through, worded. The shipped code narrows patterns to facts that
fail the removed test, skips rules with two patterns that no fact meets, shares test results
across rules as bit masks and words each near miss once. Any of those going wrong changes the
set, and these tests compare the two on the shipped rulebook over real, synthetic and generated
cases.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from achilles.analysis import analyse
from achilles.catalogue import load_catalogue
from achilles.loading.paths import examples_dir
from achilles.matches import JoinIndex, PatternIndex
from achilles.matches import passes as _passes
from achilles.model.case_file import load_case, parse_case
from achilles.model.vocabulary import load_vocabulary
from achilles.near_misses import NearMiss, _relaxations
from achilles.options import Firing
from achilles.reference import bindings
from achilles.rulebook.in_force import rules_on_date
from achilles.rulebook.load import load_rulebook
from achilles.synth import make_group
from achilles.victims import Guard

VOCAB = load_vocabulary()
CATALOGUE = load_catalogue(vocab=VOCAB)
BOOK = load_rulebook(CATALOGUE, vocab=VOCAB)
SCENARIOS = sorted((Path(__file__).parent / "scenarios" / "cases").glob("*.yaml"))


def by_definition(analysis) -> list[NearMiss]:
    """The near misses of an analysis, found the slow, obvious way."""
    case, facts = analysis.case, analysis.facts
    options = {(o.power_id, o.target) for o in analysis.options + analysis.conditional}
    rules = BOOK.by_id()
    index = JoinIndex(facts)
    guard = Guard(case, CATALOGUE, facts, analysis.presumptions, VOCAB)
    found: dict[tuple[str, str, str], NearMiss] = {}
    for compiled in rules_on_date(BOOK, CATALOGUE, analysis.as_of, case.case.jurisdiction).values():
        if compiled.pending:
            continue  # a rule waiting on its legal trigger is a conditional next step
        rule = rules[compiled.rule_id].rule
        for relaxation in _relaxations(compiled):
            if rule.trigger and relaxation.original.alias == rule.trigger:
                continue
            for bound in bindings(relaxation.rule, facts, index):
                target = bound[compiled.target]["key"]
                if (rule.power, target) in options:
                    continue
                firing = Firing(rule.id, rule.power, target, tuple(bound.items()), compiled.variant)
                if guard.refuse(firing, compiled):
                    continue
                text = relaxation.describe(bound, case, guard.vocab)
                found.setdefault(
                    (rule.power, target, text),
                    NearMiss(rule.id, rule.power, target, text, relaxation.kind),
                )
    return sorted(found.values(), key=lambda n: (n.power_id, n.target, n.missing))


def check(case) -> int:
    analysis = analyse(case, CATALOGUE, BOOK, VOCAB)
    assert analysis.near_misses == by_definition(analysis)
    return len(analysis.near_misses)


def test_samples_and_scenarios_match_the_definition():
    paths = sorted(examples_dir().glob("*.yaml")) + SCENARIOS
    assert len(paths) >= 15
    total = sum(check(load_case(p, VOCAB)) for p in paths)
    assert total > 100  # the comparison means something only if near misses are found


def test_synthetic_groups_match_the_definition():
    rng = random.Random(11)
    total = 0
    for i in range(25):
        data = make_group(i + 1, random.Random(rng.getrandbits(64)), "typical", VOCAB, seed=11)
        total += check(parse_case(yaml.safe_dump(data, sort_keys=False), f"g{i}.yaml", VOCAB))
    assert total > 200


ROLES = ["principal", "member", "runner", "vulnerable", "enabler"]
USES = ["pub", "flat", "shop", "hmo", "car_wash", "takeaway", "dwelling"]
TENURES = ["council_tenancy", "private_rented", "commercial_lease", "owner_occupied"]
KINDS = [
    "drug_supply",
    "county_lines",
    "cuckooing",
    "illegal_working",
    "fraud",
    "money_laundering",
    "illicit_tobacco",
]
STATUS = ["suspected", "intelligence", "corroborated", "evidenced", "proven"]


@st.composite
def cases(draw):
    n_people = draw(st.integers(1, 5))
    n_prem = draw(st.integers(1, 4))
    people = []
    for i in range(n_people):
        child = draw(st.booleans())
        vulnerabilities = draw(
            st.lists(st.sampled_from(["cuckooed", "drug_dependent"]), unique=True, max_size=1)
        )
        people.append(
            {
                "id": f"n{i}",
                "name": f"Person {i}",
                "role": draw(st.sampled_from(ROLES)),
                "age": 15 if child else draw(st.one_of(st.none(), st.integers(18, 60))),
                "vulnerabilities": vulnerabilities + (["child"] if child else []),
            }
        )
    premises = [
        {
            "id": f"p{i}",
            "label": f"P{i}",
            "use": draw(st.sampled_from(USES)),
            "tenure": draw(st.sampled_from(TENURES)),
            "occupants": [
                {"person": f"n{j}", "as": draw(st.sampled_from(["tenant", "occupier"]))}
                for j in draw(st.lists(st.integers(0, n_people - 1), unique=True, max_size=2))
            ],
        }
        for i in range(n_prem)
    ]
    acts = [
        {
            "kind": draw(st.sampled_from(KINDS)),
            "status": draw(st.sampled_from(STATUS)),
            "at": [
                f"p{j}" for j in draw(st.lists(st.integers(0, n_prem - 1), unique=True, max_size=2))
            ],
            "by": [
                f"n{j}"
                for j in draw(st.lists(st.integers(0, n_people - 1), unique=True, max_size=2))
            ],
        }
        for _ in range(draw(st.integers(0, 6)))
    ]
    body = {
        "case": {
            "id": "gen",
            "title": "Generated",
            "marking": "OFFICIAL-SENSITIVE",
            "jurisdiction": "england",
            "as_of": "2025-06-01",
            "lro": {"name": "LRO", "agency": "Council"},
        },
        "ocg": {"name": "Generated", "crime_types": ["drug_supply"]},
        "people": people,
        "premises": premises,
        "activities": acts,
    }
    return parse_case(yaml.safe_dump(body, sort_keys=False), "gen.yaml", VOCAB)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_generated_cases_match_the_definition(case):
    check(case)


def test_masks_agree_with_testing_each_fact():
    """PatternIndex's bit masks say the same as running each pattern's tests on each fact."""
    case = load_case(examples_dir() / "contract-example.yaml", VOCAB)
    analysis = analyse(case, CATALOGUE, BOOK, VOCAB, near_misses=False)
    facts = analysis.facts
    index, plain = PatternIndex(facts), JoinIndex(facts)
    for compiled in BOOK.compiled:
        for p in compiled.positive:
            if p.joins:
                continue
            assert index.pool(p) == list(plain.candidates(p, {})), compiled.name
            for t in p.tests:
                others = [x for x in p.tests if x is not t]
                mask = index.failing_one(p)[id(t)]
                of_type = facts.of(p.fact)
                want = [
                    i
                    for i, f in enumerate(of_type)
                    if all(_passes(x, f) for x in others) and not _passes(t, f)
                ]
                assert [i for i in range(len(of_type)) if mask >> i & 1] == want
