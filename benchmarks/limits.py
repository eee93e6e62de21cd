"""The rules engine's limits, measured: where the durable_rules C core crashes, hangs or drops a
rule, what our model of it (achilles/rulebook/limits.py) says of each probe, and what the
shipped rules cost on the largest real cases (the evaluation budget, achilles/matches.py).

    .venv/bin/python benchmarks/limits.py               # every probe; writes benchmarks/LIMITS.md
    .venv/bin/python benchmarks/limits.py --no-write    # print only
    .venv/bin/python benchmarks/limits.py --probe fan 65 1   # one probe, in this process
    .venv/bin/python benchmarks/limits.py --only budgets    # the case budgets only, printed

Each probe runs in a fresh process (a crash corrupts the heap of the process it happens in),
with a 20 s timeout and a 4 GB address-space cap. Every case here is synthetic.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: the repo root holds the achilles package
    sys.path.insert(0, str(ROOT))

from achilles.rulebook.compile import CompiledRule, CPattern, Join, Test  # noqa: E402

OUT = ROOT / "benchmarks" / "LIMITS.md"
TIMEOUT_S = 20
MEMORY = 4 << 30
COMMAND = ".venv/bin/python benchmarks/limits.py"

EXPLOITED = Test("exploited", "eq", False)


def _p(alias: str, *tests: Test, joins: tuple[Join, ...] = (), negated: bool = False) -> CPattern:
    return CPattern(alias, "person", (EXPLOITED, *tests), joins, negated)


def _rule(*patterns: CPattern, name: str = "r0_0") -> CompiledRule:
    return CompiledRule(name, name, 0, tuple(patterns), patterns[0].alias, None)


def _join(alias: str) -> tuple[Join, ...]:
    return (Join("key", alias, "key"),)


# Each shape: what it probes, and the rules for size n.
SHAPES: dict[str, tuple[str, Callable[[int], list[CompiledRule]]]] = {
    "fan": (
        "one rule, n aliases `age >= i` under one parent (the review's F-1), one fact meets all",
        lambda n: [_rule(*(_p(f"a{i}", Test("age", "gte", i)) for i in range(n)))],
    ),
    "fan-miss": (
        "as fan, but `age == i`: one fact meets one",
        lambda n: [_rule(*(_p(f"a{i}", Test("age", "eq", i)) for i in range(n)))],
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
                    _p(f"a{i}", Test("age", "gte", i // 8), Test("role", "neq", f"r{i % 8}"))
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
                    _p(f"b{i}", Test("age", "gte", 200), joins=_join("a0"), negated=True)
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
                    (Test("role", "in", (*(f"t{i}" for i in range(n - 1)), "member")),),
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
class Outcome:
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


def run_probe(shape: str, n: int, people: int) -> Outcome:
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    started = time.monotonic()
    try:
        r = subprocess.run(
            [sys.executable, __file__, "--probe", shape, str(n), str(people)],
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
    return Outcome(
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


# --- the budget: what the shipped rules cost on real cases ----------------------------------------


@dataclass
class CaseCost:
    name: str
    facts: int
    matches: int  # the engine's matches
    spent: int  # the case's budget spent: engine, presumptions, near misses
    seconds: float


def shipped_costs(large_groups: int, seed: int) -> list[CaseCost]:
    from achilles.analysis import analyse
    from achilles.catalogue import load_catalogue
    from achilles.engine import evaluate
    from achilles.loading.paths import examples_dir
    from achilles.matches import budget_for
    from achilles.model.case_file import load_case
    from achilles.model.vocabulary import load_vocabulary
    from achilles.rulebook.load import load_rulebook
    from achilles.synth import write_corpus

    vocab = load_vocabulary()
    catalogue = load_catalogue(None, vocab)
    book = load_rulebook(catalogue, [], vocab)
    files = sorted(examples_dir().glob("*.yaml"))
    files += sorted((ROOT / "tests" / "scenarios" / "cases").glob("*.yaml"))
    out: list[CaseCost] = []
    with tempfile.TemporaryDirectory() as tmp:
        write_corpus(Path(tmp), large_groups, seed, size="large")
        files += sorted(Path(tmp).glob("*.yaml"))
        for path in files:
            case = load_case(path, vocab)
            started = time.perf_counter()
            analysis = analyse(case, catalogue, book, vocab)
            took = time.perf_counter() - started
            found = evaluate(book.compiled, analysis.facts)
            name = path.name if tmp not in str(path) else f"synth large {path.stem}"
            out.append(
                CaseCost(
                    name,
                    len(analysis.facts.facts),
                    len(found),
                    budget_for(analysis.facts).spent,
                    round(took, 3),
                )
            )
    return out


# --- the case budgets: the review's files, and the largest files inside every budget -------------

_HEAD = (
    "case: {id: c, title: T, as_of: 2024-06-01, jurisdiction: england, "
    "lro: {name: L, agency: A}}\nocg: {name: G}\n"
)


def budget_files(folder: Path) -> dict[str, tuple[str, Path]]:
    """name -> (what it is, file): the review's F-6/F-7 files and each budget at its edge."""
    from achilles.loading.budget import MAX_ENTRIES

    def write(name: str, text: str) -> Path:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return path

    people = MAX_ENTRIES["people"]
    acts = MAX_ENTRIES["activities"]
    flat = "premises:\n  - {id: p1, label: X, use: flat, tenure: council_tenancy}\n"
    note = "x" * 19_990
    return {
        "b10": (
            "75,000 short people (review: 8.2 MB, 16.8 s to refuse)",
            write(
                "b10.yaml",
                _HEAD
                + "people:\n"
                + "".join(
                    f"  - {{id: m{i}, role: member, flags: [], benefits: []}}\n"
                    for i in range(75_000)
                ),
            ),
        ),
        "b11": (
            "20,000 people (review: 28.5 s, 596 MB)",
            write(
                "b11.yaml",
                _HEAD
                + "people:\n"
                + "".join(
                    f"  - {{id: m{i}, name: P {i}, role: member, age: {20 + i % 60}}}\n"
                    for i in range(20_000)
                ),
            ),
        ),
        "b12": (
            "5,000 identical activities (review: 30.8 s)",
            write(
                "b12.yaml",
                _HEAD
                + "people:\n  - {id: n1, role: principal}\n"
                + flat
                + "activities:\n"
                + "  - {kind: drug_supply, at: [p1], by: [n1], status: evidenced}\n" * 5_000,
            ),
        ),
        "b03": (
            "a 19,990-character note aliased by 20,000 people (review: 38.7 s, 75 MB out)",
            write(
                "b03.yaml",
                _HEAD
                + "people:\n"
                + f"  - {{id: m0, role: member, notes: &n '{note}'}}\n"
                + "".join(f"  - {{id: m{i}, role: member, notes: *n}}\n" for i in range(1, 20_000)),
            ),
        ),
        "people": (
            f"{people:,} people, the most a case may hold",
            write(
                "people.yaml",
                _HEAD
                + "people:\n"
                + "".join(
                    f"  - {{id: m{i}, role: member, age: {20 + i % 60}}}\n" for i in range(people)
                ),
            ),
        ),
        "both": (
            f"{people:,} people and {acts:,} activities: inside the case budgets, past the "
            "match budget",
            write(
                "both.yaml",
                _HEAD
                + "people:\n"
                + "".join(
                    f"  - {{id: m{i}, role: member, age: {20 + i % 60}}}\n" for i in range(people)
                )
                + flat
                + "activities:\n"
                + "  - {kind: drug_supply, at: [p1], by: [m1], status: evidenced}\n" * acts,
            ),
        ),
        "activities": (
            f"{acts:,} activities on one flat by one person, the most a case may hold",
            write(
                "activities.yaml",
                _HEAD
                + "people:\n  - {id: m1, role: principal}\n"
                + flat
                + "activities:\n"
                + "  - {kind: drug_supply, at: [p1], by: [m1], status: evidenced}\n" * acts,
            ),
        ),
    }


@dataclass
class FileRun:
    name: str
    what: str
    size: int
    status: int
    seconds: float
    out_bytes: int
    said: str


def budget_runs() -> list[FileRun]:
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, (what, path) in budget_files(Path(tmp)).items():
            started = time.monotonic()
            r = subprocess.run(
                [sys.executable, "-m", "achilles", "recommend", str(path), "--format", "json"],
                capture_output=True,
                text=True,
                timeout=300,
                cwd=ROOT,
            )
            said = (r.stderr.strip().splitlines() or [""])[0].replace(str(path), path.name)
            out.append(
                FileRun(
                    name,
                    what,
                    path.stat().st_size,
                    r.returncode,
                    round(time.monotonic() - started, 2),
                    len(r.stdout.encode()),
                    said[:160],
                )
            )
    return out


# --- the report -----------------------------------------------------------------------------------


def report(
    outcomes: list[Outcome], costs: list[CaseCost], files: list[FileRun], large: int, seed: int
) -> str:
    from achilles.loading.budget import MAX_ENTRIES, MAX_LINKS
    from achilles.loading.yaml_reader import MAX_ALIAS_CHARS, MAX_FILE_BYTES, MAX_VALUES
    from achilles.matches import MATCH_BUDGET, SECONDS_BUDGET
    from achilles.rulebook import limits

    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# The rules engine's limits, measured",
        "",
        f"Written by `{COMMAND}` on {now} ({platform.platform()}, CPython "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, durable_rules 2.0.28). Each probe "
        f"builds its rules straight into the C core, past every check of ours, in a fresh "
        f"process with a {TIMEOUT_S} s timeout and a {MEMORY >> 30} GB address-space cap. "
        "`model` is what achilles/rulebook/limits.py says of the same rules; `refused` is what "
        "Achilles does with them (a check code at load, or packing into several rulesets).",
        "",
        "| probe | n | people | C core | time (s) | matches | model: stack / children / "
        "betas | refused |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for o in outcomes:
        got = "" if o.matches is None else f"{o.matches:,}"
        if o.expected is not None and o.matches is not None and o.matches != o.expected:
            got += f" (**{o.expected:,} expected**)"
        m = o.model
        lines.append(
            f"| {o.shape} | {o.n} | {o.people} | {o.result} | {o.seconds} | {got} | "
            f"{m['stack']} / {m['children']} / {m['betas']} | {', '.join(o.refused) or '-'} |"
        )
    lines += ["", "What each probe is:", ""]
    lines += [f"- **{name}**: {what}." for name, (what, _) in SHAPES.items()]
    lines += [
        "",
        "## The limits chosen (achilles/rulebook/limits.py)",
        "",
        "| what | the C core | we allow | code |",
        "| --- | --- | --- | --- |",
        f"| nodes one fact can put on the alpha stack, per ruleset | {limits.CORE_STACK} | "
        f"{limits.MAX_STACK} | AR022 (one rule), packing |",
        f"| children of one alpha node | {limits.CORE_CHILDREN} | {limits.MAX_CHILDREN} | "
        "AR022, packing |",
        f"| 'one of' forward nodes in one node's list | {limits.CORE_NEXT_LIST} | "
        f"{limits.MAX_NEXT_LIST} | AR022, packing |",
        f"| patterns ending on one alpha node | {limits.CORE_BETA_LIST} (257 refused with "
        f"error 108, or one rule silently lost) | {limits.MAX_BETAS} | AR022, packing |",
        f"| aliases in one rule | 64 joined ones crash | {limits.MAX_ALIASES} | AR021 |",
        f"| `unless` aliases in one rule | 64 joined ones crash | {limits.MAX_NEGATED} | AR023 |",
        f"| aliases joined to nothing (the group aside) | 4 on 30 people: minutes | "
        f"{limits.MAX_UNJOINED} | AR024 |",
        "",
        "## The evaluation budget (achilles/matches.py)",
        "",
        f"A case may cost the rules {MATCH_BUDGET:,} combinations (partial and whole matches, "
        f"over the engine, the presumptions and the near-miss search) and {SECONDS_BUDGET:g} s; "
        "past either it is refused with exit status 2. The shipped rules on the examples, the "
        f"scenarios and {large} `achilles synth --size large` groups (seed {seed}):",
        "",
        "| | cases | largest facts | largest engine matches | largest budget spent | "
        "slowest analysis (s) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    groups = {
        "examples and scenarios": [c for c in costs if not c.name.startswith("synth")],
        "synth large": [c for c in costs if c.name.startswith("synth")],
    }
    for label, rows in groups.items():
        if not rows:
            continue
        lines.append(
            f"| {label} | {len(rows)} | {max(c.facts for c in rows):,} | "
            f"{max(c.matches for c in rows):,} | {max(c.spent for c in rows):,} | "
            f"{max(c.seconds for c in rows)} |"
        )
    worst = max(costs, key=lambda c: c.spent)
    lines += [
        "",
        f"The most any case spent is {worst.spent:,} ({worst.name}): the budget is "
        f"{MATCH_BUDGET / worst.spent:.1f} times that. Median spent: "
        f"{statistics.median(c.spent for c in costs):,.0f}.",
        "",
        "## Case budgets (achilles/loading/yaml_reader.py, achilles/loading/budget.py)",
        "",
        f"A file holds at most {MAX_FILE_BYTES:,} bytes and {MAX_VALUES:,} values (counting what "
        f"aliases repeat); aliases repeat at most {MAX_ALIAS_CHARS:,} characters; a case holds "
        "at most "
        + ", ".join(f"{n:,} {s}" for s, n in MAX_ENTRIES.items())
        + f" and {MAX_LINKS:,} links between them. `achilles recommend FILE --format json`, "
        "a cold process each:",
        "",
        "| file | what | bytes | exit | wall (s) | output bytes | first line on stderr |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *(
            f"| {f.name} | {f.what} | {f.size:,} | {f.status} | {f.seconds} | {f.out_bytes:,} | "
            f"{f.said.replace('|', '/')} |"
            for f in files
        ),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--probe", nargs=3, metavar=("SHAPE", "N", "PEOPLE"))
    parser.add_argument("--no-write", action="store_true", help="print, do not write LIMITS.md")
    parser.add_argument("--large", type=int, default=200, help="synthetic large groups")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", choices=["budgets"], help="print one part only")
    args = parser.parse_args(argv)
    if args.only == "budgets":
        for f in budget_runs():
            print(f)
        return 0
    if args.probe:
        shape, n, people = args.probe
        print(json.dumps(probe(shape, int(n), int(people))))
        return 0
    outcomes = []
    for shape, n, people in PROBES:
        o = run_probe(shape, n, people)
        print(f"{shape} n={n} people={people}: {o.result} in {o.seconds} s", flush=True)
        outcomes.append(o)
    costs = shipped_costs(args.large, args.seed)
    files = budget_runs()
    text = report(outcomes, costs, files, args.large, args.seed)
    if args.no_write:
        print(text)
    else:
        OUT.write_text(text, encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
