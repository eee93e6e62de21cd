"""Options, explanations, near misses and the victim guard, with rules written for the test."""

from __future__ import annotations

import textwrap

import pytest

from achilles.analysis import analyse
from achilles.catalogue import load_catalogue
from achilles.explain import because, matched_facts
from achilles.model.case_file import parse_case
from achilles.model.vocabulary import load_vocabulary
from achilles.rulebook.load import check_rulebook, load_rulebook

VOCAB = load_vocabulary()
CATALOGUE = load_catalogue()
HEAD = """
rules:
  - id: test-closure
    power: closure_notice
    title: t
    citation: ASBCPA 2014 s76
    jurisdiction: [england]
    valid_from: 2014-10-20
    author: test
    reviewed_by: test
    reviewed_on: 2026-11-01
    target: premises
    when:
      premises: {fact: premises, where: {tenure: council_tenancy}}
      supply:
        fact: activity_at
        where: {premises: {same_as: premises}, kind: drug_supply, status: {at_least: corroborated}}
      occ: {fact: occupancy, where: {premises: {same_as: premises}, as: occupier}}
    because: "{premises} has {supply.kind} ({supply.status}{supply.grade})."
  - id: test-injunction
    power: civil_injunction
    title: t
    citation: ASBCPA 2014 s1
    jurisdiction: [england]
    valid_from: 2015-03-23
    author: test
    reviewed_by: test
    reviewed_on: 2026-11-01
    target: person
    when:
      person: {fact: person, where: {exploited: false}}
      act: {fact: activity_by, where: {actor: {same_as: person}, kind: cuckooing}}
    because: "{person} is linked to {act.kind}."
"""
CASE = """
case: {id: t, title: T, as_of: 2020-01-01, jurisdiction: england, lro: {name: L, agency: A}}
ocg: {name: G}
people:
  - {id: n2, name: Member Bee, role: member}
  - {id: v1, name: Tenant Vee, role: vulnerable, vulnerabilities: [cuckooed]}
premises:
  - id: p4
    label: Flat 4
    use: flat
    tenure: council_tenancy
    occupants: [{person: v1, as: tenant}, {person: n2, as: occupier}]
  - {id: p5, label: Flat 5, use: flat, tenure: council_tenancy}
activities:
  - {kind: drug_supply, at: [p4], status: intelligence, grade: B2}
  - {kind: drug_supply, at: [p5], status: evidenced}
  - {kind: cuckooing, at: [p4], by: [n2, v1], status: corroborated}
"""


@pytest.fixture(scope="module")
def rulebook(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rules")
    (folder / "test.yaml").write_text("theme: test\n" + HEAD)
    return load_rulebook(CATALOGUE, folders=[folder])


def run(rulebook, engine="durable"):
    case = parse_case(CASE, "t.yaml", VOCAB)
    return case, analyse(case, CATALOGUE, rulebook, VOCAB, engine=engine)


def test_both_evaluators_give_the_same_options(rulebook):
    _, a = run(rulebook, "durable")
    _, b = run(rulebook, "reference")
    assert [(o.power_id, o.target) for o in a.options] == [
        (o.power_id, o.target) for o in b.options
    ]
    assert a.near_misses == b.near_misses


def test_evidence_gap_becomes_an_intelligence_requirement(rulebook):
    _, a = run(rulebook)
    assert [(o.power_id, o.target) for o in a.options if o.power_id == "closure_notice"] == []
    texts = [n.missing for n in a.near_misses if n.power_id == "closure_notice"]
    assert (
        "raise the evidence of drug supply at p4 from intelligence to at least corroborated"
        in texts
    )
    # p5 has the evidence but nobody is known to occupy it: establish the occupier
    assert any(n.target == "p5" and "occupancy" in n.missing for n in a.near_misses)


def test_victim_guard_and_explanations(rulebook):
    case, a = run(rulebook)
    targets = {(o.power_id, o.target) for o in a.options}
    assert ("civil_injunction", "n2") in targets
    assert ("civil_injunction", "v1") not in targets  # exploited: the rule itself excludes her
    option = next(o for o in a.options if o.target == "n2")
    rule = rulebook.get(option.firings[0].rule_id).rule
    assert because(option.firings[0], rule, case) == "Member Bee is linked to cuckooing."
    assert because(option.firings[0], rule, case, redact=True) == "n2 is linked to cuckooing."
    assert any(
        "person n2 (Member Bee)" in line for line in matched_facts(option.firings[0], rule, case)
    )
    assert not any("v1" in n.target for n in a.near_misses if n.power_id == "civil_injunction")


def test_a_coercive_rule_without_the_victim_condition_is_refused(tmp_path):
    (tmp_path / "bad.yaml").write_text(
        "theme: bad\n" + HEAD.replace("where: {exploited: false}", "where: {}")
    )
    _, problems = check_rulebook(CATALOGUE, folders=[tmp_path])
    codes = [p.code for p in problems if p.level == "error"]
    assert "AR005" in codes
    p = next(p for p in problems if p.code == "AR005")
    assert p.file.endswith("bad.yaml") and p.line


def test_runtime_guard_blocks_what_a_layer_lets_through(rulebook, tmp_path):
    """Even if a rule reached a victim, the run-time guard refuses and records it."""
    from achilles.facts import case_facts
    from achilles.presumptions import presume
    from achilles.victims import Guard

    case = parse_case(CASE, "t.yaml", VOCAB)
    presumed = presume(case_facts(case, VOCAB), rulebook, case.case.as_of, "england")
    facts = presumed.facts
    v1 = next(f for f in facts.of("person") if f["key"] == "v1")
    from achilles.options import Firing
    from achilles.rulebook.compile import CompiledRule

    firing = Firing("x", "civil_injunction", "v1", (("person", v1),))
    compiled = CompiledRule("r0_0", "x", 0, (), "person", None)
    blocked = Guard(case, CATALOGUE, facts, presumed, VOCAB).refuse(firing, compiled)
    assert blocked is not None and blocked.person == "v1"


def test_rule_dates_and_jurisdiction(rulebook):
    case = parse_case(CASE.replace("as_of: 2020-01-01", "as_of: 2014-01-01"), "t.yaml", VOCAB)
    a = analyse(case, CATALOGUE, rulebook, VOCAB)
    assert not any(o.power_id == "civil_injunction" for o in a.options)  # not yet in force
    wales = parse_case(
        CASE.replace("jurisdiction: england", "jurisdiction: wales"), "t.yaml", VOCAB
    )
    assert (
        analyse(wales, CATALOGUE, rulebook, VOCAB).options == []
    )  # the test rules are England only


def test_layering_switches_a_rule_off_and_records_why(rulebook, tmp_path):
    base = tmp_path / "base"
    base.mkdir()
    (base / "test.yaml").write_text("theme: test\n" + HEAD)
    council = tmp_path / "council"
    council.mkdir()
    (council / "local.yaml").write_text(
        textwrap.dedent("""
        theme: Anytown
        disable:
          - {id: test-injunction, reason: "Anytown uses its own protocol"}
    """)
    )
    book = load_rulebook(CATALOGUE, folders=[base, council])
    assert "test-injunction" not in book.by_id()
    assert book.disabled["test-injunction"][0] == "Anytown uses its own protocol"
