"""Probes of the durable_rules C core: rule shapes built straight into it, past every check of
ours, each run in a fresh process (`benchmarks/limits.py --probe`) with a timeout and a memory
cap, beside what our model of the core (achilles/rulebook/limits.py) says of the same rules."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from achilles.rulebook.compile import CompiledRule, CPattern, FieldTest, Join

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "limits.py"  # runs one probe in its own process
TIMEOUT_S = 20
MEMORY = 4 << 30

EXPLOITED = FieldTest("exploited", "eq", False)


def _p(
    alias: str, *tests: FieldTest, joins: tuple[Join, ...] = (), negated: bool = False
) -> CPattern:
    return CPattern(alias, "person", (EXPLOITED, *tests), joins, negated)


def _rule(*patterns: CPattern, name: str = "r0_0") -> CompiledRule:
    return CompiledRule(name, name, 0, tuple(patterns), patterns[0].alias, None)


def _join(alias: str) -> tuple[Join, ...]:
    return (Join("key", alias, "key"),)


# Each shape: what it probes, and the rules for size n.
SHAPES: dict[str, tuple[str, Callable[[int], list[CompiledRule]]]] = {
    "fan": (
        "one rule, n aliases `age >= i` under one parent (the review's F-1), one fact meets all",
        lambda n: [_rule(*(_p(f"a{i}", FieldTest("age", "gte", i)) for i in range(n)))],
    ),
    "fan-miss": (
        "as fan, but `age == i`: one fact meets one",
        lambda n: [_rule(*(_p(f"a{i}", FieldTest("age", "eq", i)) for i in range(n)))],
    ),
    "joined": (
        "one rule, n aliases each joined to the one before",
        lambda n: [_rule(_p("a0"), *(_p(f"a{i}", joins=_join(f"a{i - 1}")) for i in range(1, n)))],
    ),
    "joined-copies": (
        "n copies of a two-alias joined rule in one ruleset",
        lambda n: [_rule(_p("a0"), _p("a1", joins=_join("a0")), name=f"r{i}_0") for i in range(n)],
    ),
    "unjoined-narrow": (
        "one rule, n unjoined aliases on distinct paths (at most 8 children a node)",
        lambda n: [
            _rule(
                *(
                    _p(
                        f"a{i}",
                        FieldTest("age", "gte", i // 8),
                        FieldTest("role", "neq", f"r{i % 8}"),
                    )
                    for i in range(n)
                )
            )
        ],
    ),
    "unless-joined": (
        "one alias and n joined `unless` aliases",
        lambda n: [
            _rule(
                _p("a0"),
                *(
                    _p(f"b{i}", FieldTest("age", "gte", 200), joins=_join("a0"), negated=True)
                    for i in range(n)
                ),
            )
        ],
    ),
    "in-list": (
        "one `in` test with n values",
        lambda n: [
            _rule(
                CPattern(
                    "a0",
                    "person",
                    (FieldTest("role", "in", (*(f"t{i}" for i in range(n - 1)), "member")),),
                    (),
                )
            )
        ],
    ),
    "copies": (
        "n copies of a one-alias rule in one ruleset (n rules end on one node)",
        lambda n: [_rule(_p("a0"), name=f"r{i}_0") for i in range(n)],
    ),
    "cartesian": (
        "one rule, n unjoined aliases, on the given number of people",
        lambda n: [_rule(*(_p(f"x{i}") for i in range(n)))],
    ),
}

# (shape, n, people): the edges we found, a step either side.
PROBES = [
    ("fan", 48, 1),
    ("fan", 64, 1),
    ("fan", 65, 1),
    ("fan", 66, 1),
    ("fan", 100, 1),
    ("fan-miss", 400, 1),
    ("fan-miss", 600, 1),
    ("joined", 64, 1),
    ("joined", 65, 1),
    ("joined-copies", 63, 1),
    ("joined-copies", 64, 1),
    ("unjoined-narrow", 100, 1),
    ("unjoined-narrow", 450, 1),
    ("unjoined-narrow", 500, 1),
    ("unless-joined", 63, 1),
    ("unless-joined", 64, 1),
    ("in-list", 511, 1),
    ("in-list", 512, 1),
    ("copies", 256, 1),
    ("copies", 257, 1),
    ("copies", 300, 1),
    ("cartesian", 2, 100),
    ("cartesian", 2, 1000),
    ("cartesian", 3, 30),
    ("cartesian", 3, 100),
    ("cartesian", 4, 30),
]


def _people(n: int):
    from achilles.facts import case_facts
    from achilles.model.case_file import parse_case
    from achilles.model.vocabulary import load_vocabulary

    rows = (
        ["  - {id: n1, role: member, age: 119}\n"]
        if n == 1
        else [f"  - {{id: m{i}, role: member, age: {20 + i % 80}}}\n" for i in range(n)]
    )
    text = (
        "case: {id: c, title: T, as_of: 2024-06-01, jurisdiction: england, "
        "lro: {name: L, agency: A}}\nocg: {name: G}\npeople:\n" + "".join(rows)
    )
    vocab = load_vocabulary()
    return case_facts(parse_case(text, "probe.yaml", vocab), vocab)


def probe(shape: str, n: int, people: int) -> dict:
    """Build the rules straight into the C core, past every check of ours, and run them."""
    import achilles.engine as engine
    import achilles.matches as matches

    matches.MATCH_BUDGET = 10**12  # measure the core, not our budget
    matches.SECONDS_BUDGET = 10**6
    compiled = SHAPES[shape][1](n)

    def one_ruleset(rules, entries=None):
        return [list(rules)]

    engine.pack = one_ruleset  # the probe is the ruleset, however big
    facts = _people(people)
    started = time.perf_counter()
    eng = engine.Engine(compiled)
    built = time.perf_counter() - started
    started = time.perf_counter()
    found = eng.evaluate(facts)
    return {
        "built_s": round(built, 3),
        "evaluate_s": round(time.perf_counter() - started, 3),
        "matches": len(found),
    }


@dataclass
class ProbeOutcome:
    shape: str
    n: int
    people: int
    result: str  # "ok", "signal N", "exit N: ...", "timeout"
    seconds: float
    matches: int | None
    expected: int | None  # what the reference evaluator finds, where it is quick to know
    model: dict[str, int]
    refused: list[str]  # our codes, or what `pack` would do


def _expected(shape: str, n: int, people: int) -> int | None:
    if shape == "copies":
        return n  # every copy fires once on the one person
    if shape == "in-list":
        return 1
    return None


def _model(shape: str, n: int, people: int) -> tuple[dict[str, int], list[str]]:
    from achilles.rulebook.limits import breaches, network_of

    compiled = SHAPES[shape][1](n)
    measures = network_of(compiled).measures()
    codes = sorted({b.code.value for b in breaches(compiled)})
    if len(compiled) > 1 and not codes:
        import achilles.engine as engine

        chunks = engine.pack(compiled)
        codes = [f"packed into {len(chunks)} rulesets"] if len(chunks) > 1 else []
    if shape == "cartesian":
        from achilles.matches import MATCH_BUDGET

        tried, partial = 0, 1
        for i in range(n):
            partial *= people - i
            tried += partial
        if tried > MATCH_BUDGET:
            codes.append(f"budget ({tried:,} combinations)")
    return measures, codes


def run_probe(shape: str, n: int, people: int) -> ProbeOutcome:
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    started = time.monotonic()
    try:
        r = subprocess.run(
            [sys.executable, str(SCRIPT), "--probe", shape, str(n), str(people)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            preexec_fn=cap,
            cwd=ROOT,
        )
        took = time.monotonic() - started
        if r.returncode == 0:
            got = json.loads(r.stdout.strip().splitlines()[-1])
            result, matches = "ok", got["matches"]
        elif r.returncode < 0:
            tail = (r.stderr.strip().splitlines() or [""])[-1][:60]
            result, matches = f"signal {-r.returncode}" + (f" ({tail})" if tail else ""), None
        else:
            tail = (r.stderr.strip().splitlines() or [""])[-1]
            result, matches = f"exit {r.returncode}: {tail[-80:]}", None
    except subprocess.TimeoutExpired:
        took, result, matches = time.monotonic() - started, f"timeout ({TIMEOUT_S} s)", None
    model, refused = _model(shape, n, people)
    return ProbeOutcome(
        shape,
        n,
        people,
        result,
        round(took, 1),
        matches,
        _expected(shape, n, people),
        model,
        refused,
    )
