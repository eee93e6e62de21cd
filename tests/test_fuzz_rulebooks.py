"""Generated rulebooks at and past the C core's limits: never a signal, never a hang.

A seeded generator makes rulebooks of every shape that has hurt the core (aliases past 64,
children of one node past 511, joins under one type, long "one of" lists, many `unless`, many
rules ending on one node, unjoined aliases on many people) mixed with ordinary ones. What passes
the static checks runs in the durable_rules engine in-process, as the shipped rules do (and
every fifth rulebook as a council layer, in its child process); every answer is checked against
the reference evaluator. The whole run happens in a child process, so a crash in the core is a
failed test naming its seed, not a dead test run.

A second part writes generated council layers as YAML and runs the real `achilles recommend` and
`achilles rules check` on them: exit status 0 or 2, in bounded time.
"""

from __future__ import annotations

import dataclasses
import json
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

SEEDS = range(1, 121)  # about 30 s on 2 cores; raise it locally to search harder
ROLES = ["principal", "core_member", "member", "associate", "enabler", "runner"]
FLAGS = ["on_licence", "on_bail", "subject_to_cbo", "carries_weapon", "known_violence"]
KINDS = ["drug_supply", "county_lines", "cuckooing", "fraud", "violence", "nuisance"]


# --- rulebooks built straight as compiled rules (past the vocabulary, to reach every edge) -------


def _tests(rng: random.Random, fact: str):
    from achilles.rulebook.compile import FieldTest

    def words(pool: list[str], most: int) -> tuple[str, ...]:
        n = rng.choice([1, 2, 3, rng.randint(1, most)])
        return tuple(
            rng.choice(pool) if rng.random() < 0.5 else f"w{rng.randint(0, 900)}" for _ in range(n)
        )

    out = []
    if fact == "person":
        out.append(FieldTest("exploited", "eq", False))
        for _ in range(rng.randint(0, 3)):
            pick = rng.random()
            if pick < 0.25:
                out.append(FieldTest("age", rng.choice(["gte", "lte"]), rng.randint(0, 130)))
            elif pick < 0.45:
                out.append(FieldTest("role", rng.choice(["in", "not_in"]), words(ROLES, 700)))
            elif pick < 0.6:
                out.append(FieldTest("role", rng.choice(["eq", "neq"]), rng.choice(ROLES)))
            else:
                op = rng.choice(["has", "has_any", "has_all", "has_none"])
                value = rng.choice(FLAGS) if op == "has" else words(FLAGS, 120)
                out.append(FieldTest("flags", op, value))
    elif fact == "activity_at":
        out.append(FieldTest("kind", "in", words(KINDS, 600)))
        if rng.random() < 0.5:
            out.append(FieldTest("status_rank", "gte", rng.randint(0, 4)))
    elif fact == "premises" and rng.random() < 0.5:
        out.append(FieldTest("flags", "has_any", words(KINDS, 60)))
    return tuple(dict.fromkeys(out))  # a pattern never tests the same thing twice


def _rule(rng: random.Random, index: int, size: int, join_p: float = 0.7):
    from achilles.rulebook.compile import CompiledRule, CPattern, Join

    patterns: list[CPattern] = []
    kinds: dict[str, str] = {}
    for i in range(size):
        fact = rng.choices(["person", "activity_at", "premises", "occupancy"], [6, 2, 1, 1])[0]
        alias = f"a{i}"
        joins: tuple[Join, ...] = ()
        earlier = [a for a, k in kinds.items() if k in ("person", "premises")]
        joined = i > 0 and rng.random() < join_p and earlier
        if fact == "occupancy" or (fact == "activity_at" and not joined):
            fact = "person"  # link facts only ever joined, below
        if joined:
            other = rng.choice(earlier)
            if kinds[other] == "person":
                fact, field = rng.choice([("person", "key"), ("occupancy", "person")])
            else:
                fact, field = rng.choice([("premises", "key"), ("activity_at", "premises")])
            joins = (Join(field, other, "key"),)
        patterns.append(CPattern(alias, fact, _tests(rng, fact), joins))
        kinds[alias] = fact
    for j in range(rng.choice([0, 0, 0, 1, 2, rng.randint(0, 70)])):
        target = rng.choice([a for a, k in kinds.items() if k in ("person", "premises")])
        fact = "occupancy" if kinds[target] == "person" else "activity_at"
        field = "person" if fact == "occupancy" else "premises"
        joins = (Join(field, target, "key"),) if rng.random() < 0.8 else ()
        patterns.append(CPattern(f"n{j}", fact, _tests(rng, fact), joins, True))
    target = next(p.alias for p in patterns if p.fact in ("person", "premises"))
    return CompiledRule(f"r{index}_0", f"fuzz-{index}", 0, tuple(patterns), target, None)


def rulebook(seed: int):
    """One generated rulebook: ordinary rules, or one shape pushed to or past a limit."""
    rng = random.Random(seed)
    shape = rng.choice(["ordinary", "aliases", "copies", "wide", "cartesian", "pairs"])
    if shape == "aliases":  # around the 32 allowed, nearly all joined
        return shape, [_rule(rng, 0, rng.randint(24, 70), join_p=0.97)]
    if shape == "copies":  # many rules ending on the same nodes
        one = _rule(rng, 0, rng.randint(1, 3))
        return shape, [
            dataclasses.replace(one, name=f"r{i}_0") for i in range(rng.randint(60, 300))
        ]
    if shape == "wide":  # many rules with wide tests under the same types
        return shape, [_rule(rng, i, rng.randint(1, 6)) for i in range(rng.randint(40, 160))]
    if shape == "cartesian":
        return shape, [_rule(rng, 0, rng.randint(2, 5), join_p=0)]
    if shape == "pairs":  # two unjoined people, run on 700 of them: past the match budget
        from achilles.rulebook.compile import CompiledRule, CPattern, FieldTest

        person = CPattern("a", "person", (FieldTest("exploited", "eq", False),), ())
        pair = (person, dataclasses.replace(person, alias="b"))
        return shape, [CompiledRule("r0_0", "fuzz-pairs", 0, pair, "a", None)]
    return shape, [_rule(rng, i, rng.randint(1, 8)) for i in range(rng.randint(1, 40))]


def fact_sets(seed: int, people: int | None = None):
    """Cases that meet as many tests at once as they can: the worst for the core's stack."""
    from achilles.facts import case_facts
    from achilles.model.case_file import parse_case
    from achilles.model.vocabulary import load_vocabulary

    vocab = load_vocabulary()
    rng = random.Random(seed)
    people = people or rng.choice([1, 5, 30, 80])
    rows = [
        f"  - {{id: m{i}, role: {rng.choice(ROLES)}, age: {rng.choice([119, 30, 17, 64])}, "
        f"flags: [{', '.join(FLAGS)}]}}"
        for i in range(people)
    ]
    premises = [
        f"  - {{id: p{i}, label: P, use: flat, tenure: council_tenancy, flags: [{', '.join(KINDS)}], "
        f"occupants: [{{person: m{i % people}, as: tenant}}]}}"
        for i in range(max(1, people // 3))
    ]
    acts = [
        f"  - {{kind: {rng.choice(KINDS)}, at: [p{i % len(premises)}], status: evidenced}}"
        for i in range(people)
    ]
    text = (
        "case: {id: c, title: T, as_of: 2024-06-01, jurisdiction: england, "
        "lro: {name: L, agency: A}}\nocg: {name: G}\n"
        + "people:\n"
        + "\n".join(rows)
        + "\npremises:\n"
        + "\n".join(premises)
        + "\nactivities:\n"
        + "\n".join(acts)
        + "\n"
    )
    case = parse_case(text, "fuzz.yaml", vocab)
    return lambda: case_facts(case, vocab)  # a fresh fact set (and budget) per evaluation


def run_seed(seed: int) -> str:
    """What the seed came to: 'refused' (a check code: exit 2), 'budget' (exit 2), or 'ok'."""
    from achilles import engine, reference
    from achilles.errors import AchillesError
    from achilles.rulebook.limits import breaches

    shape, rules = rulebook(seed)
    kept = [r for r in rules if not breaches([r])]
    if not kept:
        return f"{shape}: refused"
    if seed % 5 == 0:
        kept = [dataclasses.replace(r, layer=f"/councils/fuzz-{seed}") for r in kept]
    try:
        eng = engine.Engine(kept)
    except AchillesError:
        return f"{shape}: refused"
    facts = fact_sets(seed, 700 if shape == "pairs" else None)
    outcome = "ok"
    try:
        for _ in range(2):  # twice: sessions are reused and must not leak matches
            try:
                got = eng.evaluate(facts())
            except AchillesError:
                outcome = "budget"
                continue
            try:
                want = reference.evaluate(kept, facts())
            except AchillesError:
                outcome = "budget"
                continue
            assert got == want, f"seed {seed}: the engine and the reference disagree"
    finally:
        for contained in eng._contained:
            contained.stop()
    return f"{shape}: {outcome}"


def child(seeds: list[int]) -> None:
    for seed in seeds:
        print(f"seed {seed} ...", flush=True)
        started = time.monotonic()
        outcome = run_seed(seed)
        print(
            json.dumps(
                {"seed": seed, "outcome": outcome, "s": round(time.monotonic() - started, 2)}
            ),
            flush=True,
        )


def test_generated_rulebooks_never_crash_or_hang_the_engine():
    started = time.monotonic()
    r = subprocess.run(
        [sys.executable, __file__, *map(str, SEEDS)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=Path(__file__).parent.parent,
    )
    lines = r.stdout.strip().splitlines()
    last = lines[-1] if lines else ""
    assert r.returncode == 0, f"the child ended with {r.returncode} at {last}: {r.stderr[-800:]}"
    results = [json.loads(line) for line in lines if line.startswith("{")]
    assert [x["seed"] for x in results] == list(SEEDS)
    # Bounded, not timed: each seed ends by its budget (wall-clock, so a loaded machine adds
    # its wait); a hang would run to the subprocess timeout. Speeds are benchmarks/LIMITS.md's.
    from achilles.matches import SECONDS_BUDGET

    slowest = max(results, key=lambda x: x["s"])
    assert slowest["s"] < 4 * SECONDS_BUDGET, slowest
    outcomes = {x["outcome"].split(": ")[1] for x in results}
    assert outcomes == {"ok", "refused", "budget"}, outcomes  # every path was taken
    assert time.monotonic() - started < 600


# --- generated council layers through the real command line ----------------------------------------

HEAD = """  - id: fuzz-{i}
    power: closure_notice
    title: t
    citation: ASBCPA 2014 s76
    jurisdiction: [england]
    valid_from: 2014-10-20
    author: fuzz
    reviewed_by: fuzz
    reviewed_on: 2026-11-29
    target: a0
    because: "{{a0}}."
    tests:
      - {{name: fires, case: {{premises: [{{id: p1, label: a, use: flat, tenure: council_tenancy}}]}}, fires_on: [p1]}}
      - {{name: silent, case: {{}}, fires_on: []}}
"""


def yaml_layer(seed: int, folder: Path) -> Path:
    rng = random.Random(seed)
    rules = []
    for i in range(rng.choice([1, 3, 40])):
        when = ["      a0: {fact: premises, where: {use: {in: [flat, pub, shop]}}}"]
        for j in range(1, rng.choice([1, 2, 4, 20, 40, 70])):
            if rng.random() < 0.6:
                when.append(
                    f"      a{j}: {{fact: activity_at, where: {{premises: {{same_as: a0}}, "
                    f"kind: {{in: [{', '.join(rng.sample(KINDS, 3))}]}}}}}}"
                )
            else:
                when.append(f"      a{j}: {{fact: premises, where: {{use: flat}}}}")
        rules.append(HEAD.format(i=i) + "    when:\n" + "\n".join(when) + "\n")
    folder.mkdir(parents=True)
    (folder / "layer.yaml").write_text("theme: fuzz\nrules:\n" + "".join(rules))
    return folder


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_generated_layers_through_the_cli_exit_0_or_2(tmp_path, seed):
    case = tmp_path / "case.yaml"
    premises = "".join(
        f"  - {{id: p{i}, label: P, use: flat, tenure: council_tenancy}}\n" for i in range(25)
    )
    acts = "".join(f"  - {{kind: drug_supply, at: [p{i}], status: evidenced}}\n" for i in range(25))
    case.write_text(
        "case: {id: c, title: T, as_of: 2024-06-01, jurisdiction: england, "
        "lro: {name: L, agency: A}}\nocg: {name: G}\npremises:\n"
        + premises
        + "activities:\n"
        + acts
    )
    layer = yaml_layer(seed, tmp_path / "layer")
    for command in (["recommend", str(case)], ["rules", "check"]):
        started = time.monotonic()
        r = subprocess.run(
            [sys.executable, "-m", "achilles", *command, "--rules", str(layer)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert r.returncode in (0, 2), (command, r.returncode, r.stderr[-600:])
        assert "Traceback" not in r.stderr and "internal error" not in r.stderr
        assert time.monotonic() - started < 30


if __name__ == "__main__":
    child([int(s) for s in sys.argv[1:]])
