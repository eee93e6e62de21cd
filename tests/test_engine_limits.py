"""The rules engine never crashes or hangs on a rulebook that loads.

The outside reliability review's reproductions (its findings F-1 and F-2) are kept here as
they were found: a council layer with 66 aliases under one parent, which corrupted the C core's
heap, and one with 4 unjoined aliases on 30 people, which ran for minutes. Both are now refused
when the layer loads, with the file, the line and a stable code, exit status 2.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

import pytest

from achilles import engine, reference
from achilles.catalogue import load_catalogue
from achilles.errors import BudgetError, RulebookError
from achilles.facts import case_facts
from achilles.matches import Budget, budget_for
from achilles.model.case_file import parse_case
from achilles.model.rule import Rule
from achilles.model.vocabulary import load_vocabulary
from achilles.rulebook import compile as ir
from achilles.rulebook import limits
from achilles.rulebook.codes import CheckCode
from achilles.rulebook.compile import CompiledRule, CPattern, Join, compile_rules
from achilles.rulebook.limits import breaches, network_of
from achilles.rulebook.load import check_rulebook, load_rulebook

VOCAB = load_vocabulary()
CATALOGUE = load_catalogue()

HEAD = """theme: Minimal crash
rules:
  - id: {id}
    power: criminal_behaviour_order
    title: Probe
    citation: ASBCPA 2014 s22
    jurisdiction: [england]
    valid_from: 2014-10-20
    author: probe
    reviewed_by: probe
    reviewed_on: 2026-11-29
"""
PROBE_TESTS = """    tests:
      - {name: fires, case: {people: [{id: n1, role: member, age: 119}]}, fires_on: [n1]}
      - {name: silent, case: {}, fires_on: []}
"""
CASE_HEAD = """case: {id: min-case, title: T, as_of: 2024-06-01, jurisdiction: england, lro: {name: L, agency: A}}
ocg: {name: G}
people:
"""


def f1_layer(folder: Path, aliases: int = 66, tests: bool = False) -> Path:
    """F-1: one alias per i, `age >= i` and `exploited: false`, all met by one person."""
    folder.mkdir(parents=True, exist_ok=True)
    when = "".join(
        f"      a{i}: {{fact: person, where: {{age: {{at_least: {i}}}, exploited: false}}}}\n"
        for i in range(aliases)
    )
    text = (
        HEAD.format(id="probe-fan")
        + "    target: a0\n    when:\n"
        + when
        + '    because: "{a0} matched."\n'
        + (PROBE_TESTS if tests else "")
    )
    (folder / "layer.yaml").write_text(text)
    return folder


def f2_layer(folder: Path, aliases: int = 4) -> Path:
    """F-2: the same header, with `aliases` person aliases joined to nothing."""
    folder.mkdir(parents=True, exist_ok=True)
    when = "".join(
        f"      x{i}: {{fact: person, where: {{exploited: false}}}}\n" for i in range(aliases)
    )
    (folder / "layer.yaml").write_text(
        HEAD.format(id="probe-cart")
        + "    target: x0\n    when:\n"
        + when
        + '    because: "{x0} matched."\n'
        + PROBE_TESTS
    )
    return folder


def people_case(path: Path, n: int) -> Path:
    rows = (
        ["  - {id: n1, role: member, age: 119}\n"]
        if n == 1
        else [f"  - {{id: m{i}, role: member, age: {20 + i % 80}}}\n" for i in range(n)]
    )
    path.write_text(CASE_HEAD + "".join(rows))
    return path


def achilles(*args: str, timeout: float = 60) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    r = subprocess.run(
        [sys.executable, "-m", "achilles", *args], capture_output=True, text=True, timeout=timeout
    )
    return r, time.monotonic() - started


# --- the review's reproductions ----------------------------------------------------------------


def test_f1_a_layer_with_66_aliases_is_refused_not_a_crash(tmp_path):
    layer = f1_layer(tmp_path / "min-66")
    case = people_case(tmp_path / "min-case.yaml", 1)
    for command in (["recommend", str(case)], ["batch", str(case), "--serial"]):
        r, _ = achilles(*command, "--rules", str(layer))
        assert r.returncode == 2, (command, r.returncode, r.stderr)
        assert f"{layer / 'layer.yaml'}:13:" in r.stderr and "[AR021]" in r.stderr
        assert "internal error" not in r.stderr and "Traceback" not in r.stderr


def test_f1_with_tests_rules_check_reports_it_and_survives(tmp_path):
    layer = f1_layer(tmp_path / "min-66t", tests=True)
    r, _ = achilles("rules", "check", "--rules", str(layer))
    assert r.returncode == 2, r.stderr
    assert "[AR021]" in r.stderr + r.stdout
    assert "internal error" not in r.stderr + r.stdout


def test_f2_four_unjoined_aliases_on_30_people_are_refused_at_once(tmp_path):
    layer = f2_layer(tmp_path / "cart-4")
    case = people_case(tmp_path / "case30.yaml", 30)
    r, took = achilles("recommend", str(case), "--rules", str(layer))
    assert r.returncode == 2, r.stderr
    assert f"{layer / 'layer.yaml'}:16:" in r.stderr and "[AR024]" in r.stderr
    assert took < 20


def test_the_tui_names_the_refused_layer_in_its_banner(tmp_path):
    from achilles.knowledge import load_knowledge_lenient

    layer = f1_layer(tmp_path / "min-66")
    k = load_knowledge_lenient([layer], None)
    assert any("layer.yaml" in b and "66 aliases" in b for b in k.banners), k.banners
    assert "probe-fan" not in {lr.rule.id for lr in k.rulebook.rules}


def test_a_layer_without_tests_is_refused_by_recommend(tmp_path):
    """F-27: a council rule without tests fails `rules check`, so no command uses it."""
    layer = tmp_path / "untested"
    layer.mkdir()
    (layer / "layer.yaml").write_text(
        HEAD.format(id="probe-one")
        + "    target: a0\n    when:\n"
        + "      a0: {fact: person, where: {exploited: false, role: principal}}\n"
        + '    because: "{a0} matched."\n'
    )
    with pytest.raises(RulebookError) as caught:
        load_rulebook(CATALOGUE, [layer], VOCAB)
    assert [p.code for p in caught.value.problems] == [CheckCode.AR006]


def test_a_council_presumption_is_held_to_the_same_limits(tmp_path):
    layer = tmp_path / "presume"
    layer.mkdir()
    when = "".join(f"      p{i}: {{fact: person, where: {{role: runner}}}}\n" for i in range(3))
    (layer / "layer.yaml").write_text(
        "theme: t\npresumptions:\n  - id: presume-probe\n    kind: criminal_exploitation\n"
        "    title: t\n    presumes: [exploited]\n    citation: c\n"
        "    jurisdiction: [england]\n    author: a\n    reviewed_by: b\n"
        "    reviewed_on: 2026-11-29\n    person: p0\n    when:\n" + when + "    because: x\n"
        "    warning: w\n    lift: l\n"
        "    tests:\n      - {name: a, case: {}, presumed: [r1]}\n"
        "      - {name: b, case: {}, presumed: []}\n"
    )
    _, problems = check_rulebook(CATALOGUE, [layer], VOCAB)
    mine = [p for p in problems if p.file.endswith("layer.yaml")]
    assert [(p.code, p.line) for p in mine] == [(CheckCode.AR024, 16)]


# --- the model of the C core's alpha network ---------------------------------------------------

EXPLOITED = ir.FieldTest("exploited", "eq", False)


def _rule(*patterns: CPattern, name: str = "r0_0") -> CompiledRule:
    return CompiledRule(name, name, 0, tuple(patterns), patterns[0].alias, None)


def _person(
    alias: str, *tests: ir.FieldTest, joins: tuple[Join, ...] = (), negated=False
) -> CPattern:
    return CPattern(alias, "person", (EXPLOITED, *tests), joins, negated)


@pytest.mark.parametrize("n", [64, 65])
def test_the_model_counts_what_one_fact_pushes_on_the_core_stack(n):
    """Measured: 65 `age >= i` aliases under one parent crash the core, 64 do not
    (benchmarks/LIMITS.md); the model's stack is n for both shapes."""
    fan = _rule(*(_person(f"a{i}", ir.FieldTest("age", "gte", i)) for i in range(n)))
    joined = _rule(
        _person("a0"), *(_person(f"a{i}", joins=(Join("key", "a0", "key"),)) for i in range(1, n))
    )
    assert network_of([fan]).stack() == n
    assert network_of([joined]).stack() == n


def test_equal_tests_on_one_field_push_one_child_and_joins_are_never_shared():
    roles = _rule(*(_person(f"a{i}", ir.FieldTest("role", "eq", f"r{i}")) for i in range(100)))
    net = network_of([roles])
    assert net.stack() == 1 and net.measures()["children"] == 100
    copies = [
        _rule(_person("a0"), _person("a1", joins=(Join("key", "a0", "key"),)), name=f"r{i}_0")
        for i in range(64)
    ]
    assert network_of(copies).stack() == 65  # 64 joins under one node: the core crashes


def test_a_rule_too_wide_on_its_own_never_reaches_the_core():
    wide = _rule(*(_person(f"a{i}", ir.FieldTest("age", "gte", i)) for i in range(30)))
    assert [b.code for b in breaches([wide])] == [CheckCode.AR024]
    wide_joined = _rule(
        _person("a0"),
        *(
            _person(f"a{i}", ir.FieldTest("age", "gte", i), joins=(Join("key", "a0", "key"),))
            for i in range(1, 30)
        ),
        _person("b", ir.FieldTest("flags", "has_any", tuple(f"f{i}" for i in range(30)))),
    )
    assert CheckCode.AR022 in [b.code for b in breaches([wide_joined])]
    with pytest.raises(RulebookError):
        engine.pack([wide_joined])


def test_the_shipped_rules_and_presumptions_are_inside_every_limit():
    book = load_rulebook(CATALOGUE)
    compiled = [*book.compiled, *(c for pair in book.compiled_presumptions for c in pair)]
    assert not breaches(compiled)
    assert limits.MAX_STACK < limits.CORE_STACK
    assert limits.MAX_CHILDREN < limits.CORE_CHILDREN
    assert limits.MAX_NEXT_LIST < limits.CORE_NEXT_LIST
    assert limits.MAX_BETAS < limits.CORE_BETA_LIST


# --- the evaluation budget -----------------------------------------------------------------------


def _pairs_rule() -> Rule:
    """Two people joined to nothing: allowed (AR024 allows two), but n people make n*n pairs."""
    return Rule.model_validate(
        {
            "id": "pairs",
            "power": "civil_injunction",
            "title": "t",
            "citation": "c",
            "jurisdiction": ["england"],
            "valid_from": dt.date(2015, 3, 23),
            "author": "a",
            "reviewed_by": "b",
            "reviewed_on": dt.date(2026, 1, 1),
            "target": "one",
            "because": "x",
            "when": {
                "one": {"fact": "person", "where": {"exploited": False}},
                "two": {"fact": "person", "where": {"exploited": False}},
            },
        }
    )


def _people_facts(n: int):
    rows = "".join(f"  - {{id: m{i}, role: member, age: {20 + i % 60}}}\n" for i in range(n))
    return case_facts(parse_case(CASE_HEAD + rows, "t.yaml", VOCAB), VOCAB)


@pytest.mark.parametrize("evaluate", ["durable", "reference"])
def test_a_case_past_the_match_budget_is_refused_quickly(evaluate):
    compiled = compile_rules([_pairs_rule()], VOCAB)
    facts = _people_facts(600)  # 359,400 pairs
    started = time.monotonic()
    run = engine.evaluate if evaluate == "durable" else reference.evaluate
    with pytest.raises(BudgetError) as caught:
        run(compiled, facts)
    assert time.monotonic() - started < 20
    assert "more than 200,000 matches on this case (rule 'pairs' alone" in caught.value.message
    assert "same_as" in (caught.value.hint or "")


def test_under_the_budget_the_engine_still_agrees_with_the_reference():
    compiled = compile_rules([_pairs_rule()], VOCAB)
    facts = _people_facts(40)
    assert engine.evaluate(compiled, facts) == reference.evaluate(compiled, _people_facts(40))
    assert budget_for(facts).spent == 40 * 39


def test_the_time_budget_ends_a_long_search(monkeypatch):
    import achilles.matches as matches

    compiled = compile_rules([_pairs_rule()], VOCAB)
    facts = _people_facts(300)
    budget = budget_for(facts)
    monkeypatch.setattr(matches, "SECONDS_BUDGET", 0.0)
    with pytest.raises(BudgetError, match="took more than 0 s"):
        reference.evaluate(compiled, facts)
    assert isinstance(budget, Budget)


def test_the_budget_refuses_a_shipped_rule_on_a_huge_case_via_the_cli(tmp_path):
    """The shipped PSPO rule pairs every supply with every disorder of the group: 500 of each
    are 250,000 pairs, refused before the C core starts."""
    case = tmp_path / "market.yaml"
    case.write_text(
        "case: {id: c, title: T, as_of: 2024-06-01, jurisdiction: england, "
        "lro: {name: L, agency: A}}\nocg: {name: G, crime_types: [drug_supply]}\nactivities:\n"
        + "  - {kind: drug_supply, status: corroborated}\n" * 500
        + "  - {kind: anti_social_behaviour, status: intelligence}\n" * 500
    )
    r, took = achilles("recommend", str(case), timeout=120)
    assert r.returncode == 2, r.stderr[-500:]
    assert "more than 200,000 matches on this case (rule 'people-pspo-street-drug-market'" in (
        r.stderr
    )
    assert took < 20


# --- a council's rules in a child process --------------------------------------------------------


def _council(compiled: list[CompiledRule], layer: str = "/councils/anytown") -> list[CompiledRule]:
    import dataclasses

    return [dataclasses.replace(c, layer=layer) for c in compiled]


def test_a_council_layer_runs_contained_and_agrees_with_the_reference():
    compiled = _council(compile_rules([_pairs_rule()], VOCAB))
    eng = engine.Engine(compiled)
    assert not eng._chunks and len(eng._contained) == 1
    try:
        facts = _people_facts(12)
        assert eng.evaluate(facts) == reference.evaluate(compiled, _people_facts(12))
        assert budget_for(facts).spent == 12 * 11  # what the child spent, on our budget
        with pytest.raises(BudgetError, match="more than 200,000 matches"):
            eng.evaluate(_people_facts(600))
    finally:
        eng._contained[0].stop()


def _crash(conn, compiled):  # the child's side, crashing as the C core does
    import faulthandler
    import os
    import signal

    faulthandler.disable()  # pytest's, inherited through the fork: no dump in the test output
    conn.recv()
    os.kill(os.getpid(), signal.SIGSEGV)


def _hang(conn, compiled):
    conn.recv()
    time.sleep(60)


def test_a_crash_in_a_council_layer_is_exit_2_naming_the_layer(monkeypatch):
    monkeypatch.setattr(engine, "serve", _crash)
    contained = engine.Contained("/councils/anytown", compile_rules([_pairs_rule()], VOCAB))
    with pytest.raises(RulebookError) as caught:
        contained.evaluate(_people_facts(3), Budget())
    (problem,) = caught.value.problems
    assert problem.file == "/councils/anytown" and "signal 11" in problem.message
    assert caught.value.exit_code == 2


def test_a_hang_in_a_council_layer_is_ended_by_the_time_budget(monkeypatch):
    monkeypatch.setattr(engine, "serve", _hang)
    monkeypatch.setattr(engine, "SECONDS_BUDGET", 0.5)
    monkeypatch.setattr(engine, "CONTAINED_START_S", 0.5)
    contained = engine.Contained("/councils/anytown", compile_rules([_pairs_rule()], VOCAB))
    started = time.monotonic()
    with pytest.raises(BudgetError, match="the rules in /councils/anytown took more than"):
        contained.evaluate(_people_facts(3), Budget())
    assert time.monotonic() - started < 10
    assert contained._process is None  # killed, not left behind
