"""In-process figures: the rulebooks and sample cases, then `recommend` stage by stage, its
profiles, and what the engine costs to build and hold."""

from __future__ import annotations

import cProfile
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from achilles.knowledge import Knowledge, load_knowledge
from achilles.portfolio import Settings
from benchmarks.measure.timing import ROOT, Entry, interleaved, profile_rows
from benchmarks.projected_rules import write_projected_rules
from benchmarks.results import (
    SAMPLES,
    SEED,
    CaseKind,
    EngineMemory,
    InProcess,
    PackingTrial,
    ProfileRow,
    StageTimes,
)

SAMPLE = ROOT / "examples" / "cases" / "contract-example.yaml"


@dataclass
class Book:
    """A rulebook to measure against, and the CLI arguments that select it."""

    name: str
    rules_args: list[str]
    knowledge: Knowledge
    rules: int

    @property
    def rule_folders(self) -> list[str]:
        """The `--rules` folders alone, as the child scripts below take them."""
        return [a for a in self.rules_args if a != "--rules"]


def rulebooks(tmp: Path, projected: bool = True) -> list[Book]:
    try:
        shipped = load_knowledge()
    except Exception as exc:  # the benchmark needs a rulebook the CLI accepts
        problems = getattr(exc, "problems", [])
        detail = "; ".join(p.render() for p in problems[:3])
        raise SystemExit(f"the shipped rules or catalogue do not load ({exc}): {detail}") from None
    books = [Book("shipped", [], shipped, len(shipped.rulebook.rules))]
    if not projected:
        return books
    extra = tmp / "projected-rules"
    n = write_projected_rules(extra, shipped.catalogue, shipped.vocab, len(shipped.rulebook.rules))
    if n:
        k = load_knowledge([extra])
        books.append(Book("projected", ["--rules", str(extra)], k, len(k.rulebook.rules)))
    return books


def sample_cases(tmp: Path) -> dict[CaseKind, Path]:
    """A typical case of 40 facts and a large one near 1,000, from the synthetic generator: the
    same file `achilles synth --groups N --seed 2026 --size SIZE` writes under the same name."""
    from achilles.synth import count_facts, generate, group_text

    out: dict[CaseKind, Path] = {}
    typical = next(
        (n, d) for n, d in generate(SAMPLES["typical"][0], SEED, "typical") if count_facts(d) == 40
    )
    large = max(generate(SAMPLES["large"][0], SEED, "large"), key=lambda nd: count_facts(nd[1]))
    kind: CaseKind
    for kind, (file, data) in (("typical", typical), ("large", large)):
        folder = tmp / f"sample-{kind}"
        folder.mkdir(mode=0o700)
        path = folder / file
        path.write_text(group_text(data), encoding="utf-8")
        os.chmod(path, 0o600)
        out[kind] = path
    return out


def recommend_once(path: Path, k: Knowledge, engine: str = "durable", near_misses: bool = True):
    """What `achilles recommend --format json` does after start-up: load, analyse, rank, explain."""
    from achilles.analysis import analyse
    from achilles.model.case_file import load_case
    from achilles.ranking import rank
    from achilles.render.json_export import recommend_data

    case = load_case(path, k.vocab)
    analysis = analyse(
        case, k.catalogue, k.rulebook, k.vocab, engine=engine, near_misses=near_misses
    )
    ranking = rank(analysis, k.catalogue, k.vocab, k.weights)
    return recommend_data(analysis, ranking, ranking.options, k.rulebook)


def summarise_once(path: Path, k: Knowledge):
    """What `achilles batch` does per case (load, analyse with near misses, rank, summarise)."""
    from achilles.portfolio import Evaluator

    return Evaluator(Settings(), k).summarise(str(path))


def inprocess(path: Path, k: Knowledge, repeats: int, whatif: bool = True) -> InProcess:
    """Median end-to-end time and where it goes, stage by stage."""
    from achilles import engine as durable
    from achilles import reference
    from achilles.analysis import analyse
    from achilles.facts import case_facts
    from achilles.model.case_file import load_case
    from achilles.ranking import rank
    from achilles.render.json_export import recommend_data

    case = load_case(path, k.vocab)
    analysis = analyse(case, k.catalogue, k.rulebook, k.vocab)
    ranking = rank(analysis, k.catalogue, k.vocab, k.weights)
    facts = case_facts(case, k.vocab)
    compiled = k.rulebook.compiled
    engine = durable.engine_for(compiled)
    matches = durable.evaluate(compiled, facts)
    assert matches == reference.evaluate(compiled, facts)
    # One entry per field of StageTimes.
    entries: dict[str, Entry] = {
        "load": (lambda: load_case(path, k.vocab), None),
        "facts": (lambda: case_facts(case, k.vocab), None),
        "engine": (lambda: durable.evaluate(compiled, facts), None),
        "engine_only": (lambda: engine.evaluate(facts), None),
        "reference": (lambda: reference.evaluate(compiled, facts), None),
        "analyse_no_near": (
            lambda: analyse(case, k.catalogue, k.rulebook, k.vocab, near_misses=False),
            None,
        ),
        "analyse": (lambda: analyse(case, k.catalogue, k.rulebook, k.vocab), None),
        "rank": (lambda: rank(analysis, k.catalogue, k.vocab, k.weights), None),
        "explain": (lambda: recommend_data(analysis, ranking, ranking.options, k.rulebook), None),
        "total": (lambda: recommend_once(path, k), None),
        "total_no_near": (lambda: recommend_once(path, k, near_misses=False), None),
        "total_reference": (lambda: recommend_once(path, k, "reference"), None),
    }
    if whatif:
        entries["batch_path"] = (lambda: summarise_once(path, k), None)
    got, rounds = interleaved(entries, repeats)
    return InProcess(
        facts=len(facts.facts),
        people=len(case.people),
        matches=len(matches),
        options=len(ranking.options),
        near_misses=len(analysis.near_misses),
        wall=StageTimes(**{key: w for key, (w, _c) in got.items()}),
        cpu=StageTimes(**{key: c for key, (_w, c) in got.items()}),
        repeats=rounds,
    )


def profile_engine(path: Path, k: Knowledge, repeats: int, limit: int = 10) -> list[ProfileRow]:
    """Where `Engine.evaluate` spends its time (the engine alone, found once by `engine_for`)."""
    from achilles.engine import engine_for
    from achilles.facts import case_facts
    from achilles.model.case_file import load_case

    facts = case_facts(load_case(path, k.vocab), k.vocab)
    eng = engine_for(k.rulebook.compiled)
    eng.evaluate(facts)
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(repeats):
        eng.evaluate(facts)
    prof.disable()
    return sorted(profile_rows(prof, repeats), key=lambda r: -r.own_ms)[:limit]


def profile_case(path: Path, k: Knowledge, repeats: int, limit: int = 14) -> list[ProfileRow]:
    """The functions where an end-to-end recommend spends its time (ms per case)."""
    recommend_once(path, k)
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(repeats):
        recommend_once(path, k)
    prof.disable()
    return sorted(profile_rows(prof, repeats), key=lambda r: -r.own_ms)[:limit]


_MEM_CHILD = r"""
import sys
from pathlib import Path
from achilles.knowledge import load_knowledge
def rss(): return int(open("/proc/self/statm").read().split()[1]) * 4096
k = load_knowledge(sys.argv[1:])
import achilles.engine as e
before = rss()
engine = e.Engine(k.rulebook.compiled)
print(rss() - before, len(engine._chunks), max(len(c[1]) for c in engine._chunks))
"""


def engine_memory(book: Book) -> EngineMemory | None:
    """Resident memory the durable_rules rulesets take in a fresh process (Linux only)."""
    if not Path("/proc/self/statm").exists():
        return None
    r = subprocess.run(
        [sys.executable, "-c", _MEM_CHILD, *book.rule_folders],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if r.returncode != 0:
        return None
    grown, chunks, per = r.stdout.split()
    return EngineMemory(mb=int(grown) / 1e6, rulesets=int(chunks), rules_per_ruleset=int(per))


_CHUNK_CHILD = r"""
import json, statistics, sys, time
from pathlib import Path
import achilles.engine as e
from achilles import reference
from achilles.facts import case_facts
from achilles.model.case_file import load_case
from achilles.knowledge import load_knowledge
def rss(): return int(open("/proc/self/statm").read().split()[1]) * 4096
per = int(sys.argv[1]); cases = sys.argv[2:4]; rules = tuple(sys.argv[4:])
k = load_knowledge(rules)
import achilles.rulebook.limits as limits
limits.MAX_STACK = per
if per >= 10_000:  # no limit at all: every rule in one ruleset
    limits.MAX_CHILDREN = limits.MAX_NEXT_LIST = limits.MAX_BETAS = per
before = rss()
try:
    engine = e.Engine(k.rulebook.compiled)
except Exception as exc:
    print(json.dumps({"error": f"build: {type(exc).__name__}: {exc}"})); sys.exit(0)
out = {"mb": (rss() - before) / 1e6, "rulesets": len(engine._chunks), "ms": [], "same": True,
       "largest": max(len(c[1]) for c in engine._chunks)}
for path in cases:
    facts = case_facts(load_case(path, k.vocab), k.vocab)
    try:
        got = engine.evaluate(facts)
    except Exception as exc:
        print(json.dumps({"error": f"evaluate: {type(exc).__name__}: {exc}"})); sys.exit(0)
    out["same"] &= got == reference.evaluate(k.rulebook.compiled, facts)
    times = []
    for _ in range(5):
        t = time.perf_counter(); engine.evaluate(facts); times.append((time.perf_counter() - t) * 1000)
    out["ms"].append(statistics.median(times))
print(json.dumps(out))
"""

# The stack budgets tried by `packing_trials`; 10,000 stands for no limit (one ruleset).
PACKING_BUDGETS = (32, 48, 64, 10_000)


def packing_trials(book: Book, cases: dict[CaseKind, Path]) -> list[PackingTrial]:
    """What-if: rules packed with other stack budgets (rulebook/limits.py MAX_STACK), in a
    fresh process each: memory, `Engine.evaluate` time, same matches, or a crash?"""
    if not Path("/proc/self/statm").exists():
        return []
    out = []
    for per in PACKING_BUDGETS:
        r = subprocess.run(
            [
                sys.executable,
                "-c",
                _CHUNK_CHILD,
                str(per),
                str(cases["typical"]),
                str(cases["large"]),
                *book.rule_folders,
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=600,
        )
        try:
            out.append(PackingTrial(stack=per, **json.loads(r.stdout.strip().splitlines()[-1])))
        except (IndexError, ValueError):
            out.append(
                PackingTrial(stack=per, error=f"exit {r.returncode}: {r.stderr.strip()[-200:]}")
            )
    return out


def parser_keeps_nodes(k: Knowledge) -> int:
    """How many YAML nodes the case reader still holds after loading one case (its module-level
    SafeConstructor caches them; `achilles.portfolio` clears the cache)."""
    from achilles.loading import yaml_reader
    from achilles.model.case_file import load_case

    cache = getattr(getattr(yaml_reader, "_constructor", None), "constructed_objects", None)
    if not isinstance(cache, dict):
        return 0
    cache.clear()
    load_case(SAMPLE, k.vocab)
    n = len(cache)
    cache.clear()
    return n


def engine_build(k: Knowledge) -> float:
    """Median milliseconds to compile the rulebook into durable_rules rulesets."""
    from achilles.engine import Engine

    times = []
    for _ in range(3):
        t = time.perf_counter()
        Engine(k.rulebook.compiled)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)
