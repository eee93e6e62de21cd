"""Achilles benchmarks: one command, every figure written to benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/run.py            # the full run (several minutes)
    .venv/bin/python benchmarks/run.py --quick    # fewer repeats; growth 580 -> 5,800 only
    .venv/bin/python benchmarks/run.py --only inprocess,engine   # print some figures, write nothing

Figures: end-to-end `recommend` in-process (load, facts, engine, near misses, ranking,
explanations) for a typical (~40 facts) and a large (~1,000 facts) synthetic case; the durable
engine against the reference evaluator on the same cases; the cold CLI; the TUI's time to show
the options; `achilles batch` over 5,800 synthetic groups and how its cost grows; `achilles rules
check`. Each is measured against the shipped rulebook and, while the shipped rulebook is still
short of the ~120 rules it is growing to, against a projected one (benchmarks/projected_rules.py).

Everything is synthetic (achilles/synth.py); nothing here reads real case files.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import contextlib
import cProfile
import datetime as dt
import gc
import importlib.util
import json
import multiprocessing
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
for p in (str(ROOT), str(HERE)):
    if p not in sys.path:
        sys.path.insert(0, p)

from projected_rules import TARGET_RULES, write_projected_rules  # noqa: E402

from achilles.portfolio import Knowledge, Settings, load_knowledge  # noqa: E402

RESULTS = HERE / "RESULTS.md"
PY = ".venv/bin/python"
SAMPLE = ROOT / "examples" / "cases" / "contract-example.yaml"
SEED = 2026
BUDGET_S = 600  # the biggest growth step is measured only if it is expected to finish within this

TARGETS = {
    "typical_ms": 10.0,
    "large_ms": 150.0,
    "cli_s": 0.5,
    "tui_s": 1.5,
    "batch_s": 10.0,
    "batch_mb": 400.0,
}


@dataclass
class Config:
    quick: bool = False
    repeats_typical: int = 30
    repeats_large: int = 7
    cli_repeats: int = 5
    tui_repeats: int = 3
    batch_repeats: int = 3
    batch_groups: int = 5_800
    growth: tuple[int, ...] = (580, 5_800, 58_000)
    fallback: int = 17_400  # measured instead of the last step when that would take too long
    profile: bool = True
    smoke: bool = False  # the smallest run that still goes through every function (the smoke test)
    only: set[str] = field(default_factory=set)

    @classmethod
    def make(cls, quick: bool = False, smoke: bool = False, only: set[str] | None = None) -> Config:
        if smoke:
            return cls(
                quick=True,
                repeats_typical=2,
                repeats_large=1,
                cli_repeats=1,
                tui_repeats=1,
                batch_repeats=1,
                batch_groups=5,
                growth=(5,),
                fallback=5,
                profile=False,
                smoke=True,
                only=only or set(),
            )
        if quick:
            return cls(
                quick=True,
                repeats_typical=10,
                repeats_large=3,
                cli_repeats=5,
                tui_repeats=3,
                batch_repeats=1,
                growth=(580, 5_800),
                only=only or set(),
            )
        return cls(only=only or set())

    def wants(self, name: str) -> bool:
        return not self.only or name in self.only


# --- helpers ------------------------------------------------------------------------------------


def median_ms(fn, repeats: int) -> float:
    return interleaved({"x": (fn, None)}, repeats)[0]["x"][0]


def interleaved(
    entries: dict[str, tuple[Any, Any]], repeats: int
) -> tuple[dict[str, tuple[float, float]], int]:
    """Median wall and CPU milliseconds of each entry (function, context factory or None).

    The entries take turns, round after round, so work that other processes put on the machine
    weighs on all of them alike; CPU time (`time.process_time`) leaves out the time this process
    waited for a core, so it is what the code costs on an idle machine."""
    started = time.perf_counter()
    for fn, ctx in entries.values():  # warm: caches, the engine's Host for this rulebook
        with ctx() if ctx else contextlib.nullcontext():
            fn()
    if time.perf_counter() - started > 3.0:
        repeats = min(repeats, 5)  # slow steps: the median of five is enough, and the run ends
    walls: dict[str, list[float]] = {name: [] for name in entries}
    cpus: dict[str, list[float]] = {name: [] for name in entries}
    # The benchmark's own objects (knowledge, results, profiles) would make every garbage
    # collection in the timed code slower than in a real `achilles` process: freeze them.
    gc.collect()
    gc.freeze()
    try:
        for _ in range(repeats):
            for name, (fn, ctx) in entries.items():
                with ctx() if ctx else contextlib.nullcontext():
                    gc.collect()
                    w, c = time.perf_counter(), time.process_time()
                    fn()
                    cpus[name].append((time.process_time() - c) * 1000)
                    walls[name].append((time.perf_counter() - w) * 1000)
    finally:
        gc.unfreeze()
    return {
        name: (statistics.median(walls[name]), statistics.median(cpus[name])) for name in entries
    }, repeats


def achilles_cmd() -> list[str]:
    script = Path(sys.executable).parent / "achilles"
    return [str(script)] if script.exists() else [sys.executable, "-m", "achilles"]


WARM = [True]  # run each command once before timing it (off in the smoke test)


def wall(cmd: list[str], repeats: int, ok: tuple[int, ...] = (0,)) -> tuple[float, list[float]]:
    if WARM[0]:
        subprocess.run(cmd, capture_output=True, cwd=ROOT, check=False)  # warm the disk cache
    times, cpus = [], []
    for _ in range(repeats):
        before = _children_cpu()
        t = time.perf_counter()
        r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        times.append(time.perf_counter() - t)
        cpus.append(_children_cpu() - before)
        if r.returncode not in ok:
            raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr[-500:]}")
    LAST_CPU[0] = statistics.median(cpus)
    return statistics.median(times), times


LAST_CPU = [0.0]  # median CPU seconds of the children of the last `wall` call


def _children_cpu() -> float:
    try:
        import resource
    except ImportError:
        return 0.0
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


_TMP: list[str] = []  # the run's temporary folder, shown as $TMP


def shown(cmd: list[str]) -> str:
    """A command as a reader would type it from the repo root."""
    out = []
    for part in cmd:
        s = str(part)
        if s == sys.executable:
            s = PY
        s = s.replace(str(ROOT) + "/", "")
        for t in _TMP:
            s = s.replace(t, "$TMP")
        s = re.sub(r"^.*/\.venv/bin/", ".venv/bin/", s)
        out.append(s)
    return " ".join(out)


def machine() -> dict[str, Any]:
    cpu = platform.processor() or ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError, IndexError, ValueError):
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        mem = f"{kb / 1e6:.1f} GB"
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    from importlib.metadata import version

    try:
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "unknown"
    return {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "load average at the start (1, 5, 15 min)": load,
        "platform": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "cpu": cpu or "unknown",
        "cpus": f"{os.cpu_count()} (usable by this process: {usable})",
        "memory": mem or "unknown",
        "durable_rules": version("durable-rules"),
        "commit": commit + (" with uncommitted changes" if dirty else ""),
    }


# --- the cases and the rulebooks ----------------------------------------------------------------


@dataclass
class Book:
    name: str
    rules_args: list[str]  # CLI arguments that select it
    knowledge: Knowledge
    rules: int


def rulebooks(tmp: Path, projected: bool = True) -> list[Book]:
    try:
        shipped = load_knowledge(Settings())
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
        k = load_knowledge(Settings(rules=(str(extra),)))
        books.append(Book("projected", ["--rules", str(extra)], k, len(k.rulebook.rules)))
    return books


SAMPLES = {"typical": (200, "typical"), "large": (5, "large")}  # (groups, size) given to synth


def sample_cases(tmp: Path) -> dict[str, Path]:
    """A typical case of 40 facts and a large one near 1,000, from the synthetic generator: the
    same file `achilles synth --groups N --seed 2026 --size SIZE` writes under the same name."""
    from achilles.synth import count_facts, generate, group_text

    out = {}
    typical = next(
        (n, d) for n, d in generate(SAMPLES["typical"][0], SEED, "typical") if count_facts(d) == 40
    )
    large = max(generate(SAMPLES["large"][0], SEED, "large"), key=lambda nd: count_facts(nd[1]))
    for name, (file, data) in (("typical", typical), ("large", large)):
        folder = tmp / f"sample-{name}"
        folder.mkdir(mode=0o700)
        path = folder / file
        path.write_text(group_text(data), encoding="utf-8")
        os.chmod(path, 0o600)
        out[name] = path
    return out


def synth_cmd(kind: str, folder: str) -> str:
    groups, size = SAMPLES[kind]
    return f".venv/bin/achilles synth --groups {groups} --seed {SEED} --size {size} --out {folder}"


# --- in-process figures -------------------------------------------------------------------------


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


STAGES = {
    "load": "load and check the file",
    "facts": "facts",
    "engine": "engine: durable_rules matching (`evaluate`, with the `engine_for` lookup)",
    "engine_only": "engine: of which `Engine.evaluate` alone",
    "reference": "matching with the reference evaluator instead",
    "analyse_no_near": "analyse without near misses (facts, engine, victim guard, options)",
    "analyse": "analyse with near misses",
    "rank": "rank",
    "explain": "explanations (JSON record of every option)",
    "total": "**end to end** (load, analyse with near misses, rank, explain)",
    "total_no_near": "end to end without near misses",
    "total_reference": "end to end with the reference evaluator",
    "batch_path": "what `batch` does per case (load, analyse, rank, summarise)",
}


def inprocess(path: Path, k: Knowledge, repeats: int, whatif: bool = True) -> dict[str, Any]:
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
    entries: dict[str, tuple[Any, Any]] = {
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
    return {
        "facts": len(facts.facts),
        "people": len(case.people),
        "matches": len(matches),
        "options": len(ranking.options),
        "near_misses": len(analysis.near_misses),
        "wall": {key: w for key, (w, _c) in got.items()},
        "cpu": {key: c for key, (_w, c) in got.items()},
        "repeats": rounds,
    }


def summarise_once(path: Path, k: Knowledge):
    """What `achilles batch` does per case (load, analyse with near misses, rank, summarise)."""
    from achilles.portfolio import Evaluator

    return Evaluator(Settings(), k).summarise(str(path))


def profile_engine(
    path: Path, k: Knowledge, repeats: int, limit: int = 10
) -> list[tuple[str, float, float, int]]:
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
    rows = []
    for (file, line, func), (_cc, nc, tt, ct, _callers) in pstats.Stats(prof).stats.items():  # type: ignore[attr-defined]
        rows.append(
            (
                f"{_short(file)}:{line}({func})",
                tt * 1000 / repeats,
                ct * 1000 / repeats,
                nc // repeats,
            )
        )
    rows.sort(key=lambda r: -r[1])
    return rows[:limit]


_MEM_CHILD = r"""
import sys
from pathlib import Path
from achilles.portfolio import Settings, load_knowledge
def rss(): return int(open("/proc/self/statm").read().split()[1]) * 4096
k = load_knowledge(Settings(rules=tuple(sys.argv[1:])))
import achilles.engine as e
before = rss()
engine = e.Engine(k.rulebook.compiled)
print(rss() - before, len(engine._chunks), max(len(c[1]) for c in engine._chunks))
"""


def engine_memory(book: Book) -> dict[str, Any]:
    """Resident memory the durable_rules rulesets take in a fresh process (Linux only)."""
    if not Path("/proc/self/statm").exists():
        return {}
    extra = [a for a in book.rules_args if a != "--rules"]
    r = subprocess.run(
        [sys.executable, "-c", _MEM_CHILD, *extra], capture_output=True, text=True, cwd=ROOT
    )
    if r.returncode != 0:
        return {}
    grown, chunks, per = r.stdout.split()
    return {"mb": int(grown) / 1e6, "rulesets": int(chunks), "rules_per_ruleset": int(per)}


_CHUNK_CHILD = r"""
import json, statistics, sys, time
from pathlib import Path
import achilles.engine as e
from achilles import reference
from achilles.facts import case_facts
from achilles.model.case_file import load_case
from achilles.portfolio import Settings, load_knowledge
def rss(): return int(open("/proc/self/statm").read().split()[1]) * 4096
per = int(sys.argv[1]); cases = sys.argv[2:4]; rules = tuple(sys.argv[4:])
k = load_knowledge(Settings(rules=rules))
e.MAX_ALPHA_NODES = per
if per >= 10_000:
    e.MAX_FAN_OUT = per  # no limit at all: every rule in one ruleset
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


def ruleset_size_whatif(book: Book, cases: dict[str, Path]) -> dict[int, dict[str, Any]]:
    """What-if: rules packed with other node budgets (achilles/engine.py MAX_ALPHA_NODES), in a
    fresh process each: memory, `Engine.evaluate` time, same matches, or a crash?"""
    import json

    if not Path("/proc/self/statm").exists():
        return {}
    extra = [a for a in book.rules_args if a != "--rules"]
    out = {}
    for per in (100, 200, 300, 10_000):
        r = subprocess.run(
            [
                sys.executable,
                "-c",
                _CHUNK_CHILD,
                str(per),
                str(cases["typical"]),
                str(cases["large"]),
                *extra,
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=600,
        )
        try:
            out[per] = json.loads(r.stdout.strip().splitlines()[-1])
        except (IndexError, ValueError):
            out[per] = {"error": f"exit {r.returncode}: {r.stderr.strip()[-200:]}"}
    return out


def parser_keeps_nodes(k: Knowledge) -> int:
    """How many YAML nodes achilles/loading/yaml_reader.py still holds after loading one case
    (its module-level SafeConstructor caches them; `achilles.portfolio` clears the cache)."""
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
    from achilles.engine import Engine

    times = []
    for _ in range(3):
        t = time.perf_counter()
        Engine(k.rulebook.compiled)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def profile_case(
    path: Path, k: Knowledge, repeats: int, limit: int = 14
) -> list[tuple[str, float, float, int]]:
    """The functions where an end-to-end recommend spends its time (ms per case)."""
    recommend_once(path, k)
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(repeats):
        recommend_once(path, k)
    prof.disable()
    stats = pstats.Stats(prof)
    rows = []
    for (file, line, func), (_cc, nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        name = f"{_short(file)}:{line}({func})"
        rows.append((name, tt * 1000 / repeats, ct * 1000 / repeats, nc // repeats))
    rows.sort(key=lambda r: -r[1])
    return rows[:limit]


def _short(file: str) -> str:
    for marker in ("/achilles/", "/site-packages/", "/lib/python3"):
        if marker in file:
            return file[file.index(marker) + 1 :]
    return file


# --- cold processes -----------------------------------------------------------------------------


def cli_recommend(case: Path, book: Book, repeats: int, startup: bool = False) -> dict[str, Any]:
    cmd = [*achilles_cmd(), "recommend", str(case), "--format", "json", *book.rules_args]
    median, times = wall(cmd, repeats)
    out = {"median_s": median, "times": times, "command": shown(cmd), "cpu_s": LAST_CPU[0]}
    if startup:
        out["imports_s"], _ = wall(
            [sys.executable, "-c", "import achilles.cli as c; c.build_app()"], repeats
        )
        out["python_s"], _ = wall([sys.executable, "-c", "pass"], repeats)
    return out


_CLI_CHILD = r"""
import sys, time
t0 = time.perf_counter()
import achilles.cli as c
c.build_app()
from achilles.cli.advice import load_case_arg
t1 = time.perf_counter()
import achilles.catalogue, achilles.rulebook.load, achilles.ranking  # the pydantic models
t2 = time.perf_counter()
from pathlib import Path
k = c.load_knowledge([Path(p) for p in sys.argv[2:]], None)
t3 = time.perf_counter()
import durable_rules_engine
from achilles.engine import engine_for
made = [0.0]
create = durable_rules_engine.create_ruleset
def timed(*args):
    s = time.perf_counter(); h = create(*args); made[0] += time.perf_counter() - s; return h
durable_rules_engine.create_ruleset = timed
engine = engine_for(k.rulebook.compiled)
t4 = time.perf_counter()
from achilles.analysis import analyse
from achilles.ranking import rank
from achilles.render.json_export import recommend_json
case = load_case_arg(sys.argv[1])
a = analyse(case, k.catalogue, k.rulebook, k.vocab)
r = rank(a, k.catalogue, k.vocab)
recommend_json(a, r, r.options, k.rulebook)
t5 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, made[0], len(engine._chunks))
"""


def cli_breakdown(case: Path, book: Book, repeats: int) -> dict[str, float]:
    """Where a cold `recommend` spends its time, stage by stage (median of cold processes)."""
    extra = [a for a in book.rules_args if a != "--rules"]
    runs = []
    for _ in range(repeats + WARM[0]):
        r = subprocess.run(
            [sys.executable, "-c", _CLI_CHILD, str(case), *extra],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
        if r.returncode != 0:
            raise RuntimeError(f"CLI breakdown failed: {r.stderr[-800:]}")
        runs.append([float(x) for x in r.stdout.split()])
    runs = runs[WARM[0] :]
    names = [
        "import the CLI and register the commands",
        "import the catalogue and rule models (pydantic)",
        "load the vocabulary, catalogue and rules",
        "build the engine",
        "load the case, analyse, rank, explain (JSON)",
        "of the engine: durable_rules' C create_ruleset",
        "rulesets",
    ]
    return {n: statistics.median(r[i] for r in runs) for i, n in enumerate(names)}


_TUI_CHILD = r"""
import asyncio, sys, time
launched = float(sys.argv[1])
from pathlib import Path
started = time.time()
from achilles.tui.app import AchillesApp
from achilles.tui.session import Session, load_knowledge_lenient
from textual.widgets import DataTable

async def main():
    begin = time.time()
    k = load_knowledge_lenient([Path(p) for p in sys.argv[3:]], None)
    app = AchillesApp(Session.from_file(Path(sys.argv[2]), k), k)
    async with app.run_test(size=(160, 48)) as pilot:
        while True:
            tables = app.screen.query("#options-table")
            if tables and tables.first(DataTable).row_count > 0:
                break
            await asyncio.sleep(0.002)
        now = time.time()
        print(f"{now - launched:.4f} {now - begin:.4f} {tables.first(DataTable).row_count} {time.process_time():.4f}")

asyncio.run(main())
"""


def tui_first_paint(case: Path, book: Book, repeats: int) -> dict[str, Any]:
    """From launching a process to the options table having rows (headless Textual, 160x48)."""
    cold, warm, cpu, rows = [], [], [], 0
    extra = [a for a in book.rules_args if a != "--rules"]
    for i in range(repeats + WARM[0]):
        r = subprocess.run(
            [sys.executable, "-c", _TUI_CHILD, repr(time.time()), str(case), *extra],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
        if r.returncode != 0:
            raise RuntimeError(f"TUI run failed: {r.stderr[-800:]}")
        c, w, n, p = r.stdout.split()
        if i or not WARM[0]:  # the first run warms the disk cache
            cold.append(float(c))
            warm.append(float(w))
            cpu.append(float(p))
            rows = int(n)
    return {
        "cold_s": statistics.median(cold),
        "in_app_s": statistics.median(warm),
        "rows": rows,
        "times": cold,
        "cpu_s": statistics.median(cpu),
    }


def rules_check(book: Book, repeats: int) -> dict[str, Any]:
    cmd = [*achilles_cmd(), "rules", "check", *book.rules_args]
    median, times = wall(cmd, repeats, ok=(0, 2))  # 2: the check found problems (e.g. coverage)
    return {"median_s": median, "times": times, "command": shown(cmd), "cpu_s": LAST_CPU[0]}


# --- batch --------------------------------------------------------------------------------------


def make_corpus(folder: Path, groups: int, workers: int) -> float:
    """Write `groups` typical synthetic groups into `folder`, in parallel parts; return seconds."""
    from achilles.synth import write_corpus

    started = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    step = max(1, -(-groups // (workers * 4)))
    parts = [(a, min(a + step, groups + 1)) for a in range(1, groups + 1, step)]
    ctx = multiprocessing.get_context(
        "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    )
    with cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        for f in [
            pool.submit(write_corpus, folder, groups, SEED, "typical", force=True, part=p)
            for p in parts
        ]:
            f.result()
    return time.perf_counter() - started


def subset(source: Path, folder: Path, groups: int) -> Path:
    """The first `groups` files of a corpus (hard links: the same groups, no copying)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(mode=0o700)
    for f in sorted(source.iterdir())[:groups]:
        os.link(f, folder / f.name)
    return folder


_STATS = re.compile(
    r"analysed ([\d,]+) of ([\d,]+) case files \(([\d,]+) skipped\) in ([\d.]+) s: "
    r"([\d,]+) cases/s with (\d+) workers?; peak memory ([\d,]+) MB; CPU ([\d,.]+) s"
)


def batch(folder: Path, book: Book, out: Path, extra: list[str] | None = None) -> dict[str, Any]:
    cmd = [
        *achilles_cmd(),
        "batch",
        str(folder),
        "--format",
        "json",
        "--out",
        str(out),
        "--force",
        *book.rules_args,
        *(extra or []),
    ]
    started = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    if r.returncode != 0:
        raise RuntimeError(f"batch failed: {r.stderr[-800:]}")
    m = _STATS.search(r.stderr)
    if not m:
        raise RuntimeError(f"no statistics line in: {r.stderr[-500:]}")
    analysed = int(m.group(1).replace(",", ""))
    return {
        "groups": int(m.group(2).replace(",", "")),
        "analysed": analysed,
        "skipped": int(m.group(3).replace(",", "")),
        "wall_s": seconds,
        "inside_s": float(m.group(4)),
        "cases_per_s": analysed / seconds,
        "workers": int(m.group(6)),
        "peak_mb": int(m.group(7).replace(",", "")),
        "cpu_s": float(m.group(8).replace(",", "")),
        "command": shown(cmd),
    }


def corpus_people(folder: Path) -> int:
    n = 0
    for f in folder.iterdir():
        text = f.read_text(encoding="utf-8")
        n += text.count("\n- id: n") + text.count("\n  - id: n")
    return n


def batch_profile(
    folder: Path, book: Book, cases: int = 100
) -> list[tuple[str, float, float, int]]:
    """Where a serial batch spends its time per case (cProfile over the first files)."""
    from achilles.portfolio import Evaluator

    files = sorted(str(f) for f in folder.iterdir())[:cases]
    ev = Evaluator(Settings(), book.knowledge)
    ev.summarise(files[0])
    prof = cProfile.Profile()
    prof.enable()
    for f in files:
        ev.summarise(f)
    prof.disable()
    rows = []
    for (file, line, func), (_cc, nc, tt, ct, _callers) in pstats.Stats(prof).stats.items():  # type: ignore[attr-defined]
        rows.append(
            (
                f"{_short(file)}:{line}({func})",
                tt * 1000 / len(files),
                ct * 1000 / len(files),
                nc // len(files),
            )
        )
    rows.sort(key=lambda r: -r[2])
    keep = [
        r
        for r in rows
        if "portfolio.py" in r[0]
        or "analysis.py" in r[0]
        or "engine.py" in r[0]
        or "case_file.py" in r[0]
        or "ranking.py" in r[0]
        or "yaml_reader.py" in r[0]
        or "reference.py" in r[0]
    ]
    return keep[:14]


# --- the run ------------------------------------------------------------------------------------


def run_all(cfg: Config, tmp: Path, log=print) -> dict[str, Any]:
    res: dict[str, Any] = {
        "machine": machine(),
        "config": cfg.__dict__ | {"only": sorted(cfg.only)},
    }
    _TMP[:] = [str(tmp)]
    WARM[0] = not cfg.smoke
    books = rulebooks(tmp, projected=not cfg.smoke)
    res["books"] = {b.name: b.rules for b in books}
    cases = sample_cases(tmp)
    res["samples"] = {k: str(p.relative_to(tmp)) for k, p in cases.items()}
    res["knowledge_cache"] = importlib.util.find_spec("achilles.rulebook.cache") is not None
    workers = (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )
    res["workers"] = workers

    if cfg.wants("inprocess") or cfg.wants("engine"):
        for b in books:
            log(f"in-process: {b.name} rulebook ({b.rules} rules)")
            res[f"build_{b.name}"] = engine_build(b.knowledge)
            if not cfg.smoke:
                res[f"engine_memory_{b.name}"] = engine_memory(b)
            if cfg.profile:
                res[f"ruleset_whatif_{b.name}"] = ruleset_size_whatif(b, cases)
            res["parser_nodes_kept"] = parser_keeps_nodes(b.knowledge)
            for name, path in cases.items():
                if cfg.smoke and name == "large":
                    continue
                reps = cfg.repeats_typical if name == "typical" else cfg.repeats_large
                res[f"inprocess_{b.name}_{name}"] = inprocess(
                    path, b.knowledge, reps, whatif=cfg.profile
                )
                if cfg.profile:
                    res[f"profile_{b.name}_{name}"] = profile_case(
                        path, b.knowledge, max(3, reps // 3)
                    )
                    res[f"engine_profile_{b.name}_{name}"] = profile_engine(
                        path, b.knowledge, max(3, reps // 3)
                    )

    if cfg.wants("cli"):
        for b in books:
            log(f"cold CLI: recommend, {b.name} rulebook")
            res[f"cli_{b.name}_sample"] = cli_recommend(
                SAMPLE, b, cfg.cli_repeats, startup=b.name == "shipped"
            )
            res[f"cli_{b.name}_typical"] = cli_recommend(cases["typical"], b, cfg.cli_repeats)
            if not cfg.smoke:
                res[f"cli_{b.name}_stages"] = cli_breakdown(SAMPLE, b, cfg.cli_repeats)

    if cfg.wants("tui"):
        for b in books:
            log(f"TUI first paint: {b.name} rulebook")
            res[f"tui_{b.name}"] = tui_first_paint(SAMPLE, b, cfg.tui_repeats)

    if cfg.wants("rules") and not cfg.smoke:  # seconds per run once the rules carry many tests
        for b in books:
            log(f"rules check: {b.name} rulebook")
            res[f"rules_{b.name}"] = rules_check(b, cfg.cli_repeats)

    if cfg.wants("batch"):
        out = tmp / "portfolio.json"
        biggest = (
            max(cfg.batch_groups, *cfg.growth[:-1]) if len(cfg.growth) > 1 else cfg.batch_groups
        )
        source = tmp / "corpus-source"
        log(f"synthetic corpus: {biggest:,} groups")
        res["synth_s"] = make_corpus(source, biggest, workers)
        res["synth_groups"] = biggest
        folders: dict[int, Path] = {}

        def corpus(n: int) -> Path:
            if n not in folders:
                if n <= biggest:
                    folders[n] = subset(source, tmp / f"corpus-{n}", n)
                else:
                    log(f"synthetic corpus: {n:,} groups")
                    folders[n] = tmp / f"corpus-{n}"
                    res[f"synth_{n}_s"] = make_corpus(folders[n], n, workers)
            return folders[n]

        main = corpus(cfg.batch_groups)
        res["batch_people"] = corpus_people(main)
        for b in books:
            log(f"batch: {cfg.batch_groups:,} groups, {b.name} rulebook")
            runs = [batch(main, b, out)]
            if runs[0]["wall_s"] < 60:  # short runs are noisy: take the median of a few
                runs += [batch(main, b, out) for _ in range(cfg.batch_repeats - 1)]
            runs.sort(key=lambda r: r["wall_s"])
            res[f"batch_{b.name}"] = runs[len(runs) // 2] | {"runs": [r["wall_s"] for r in runs]}
            if not cfg.smoke:
                res[f"batch_{b.name}_no_near"] = batch(main, b, out, ["--no-near-misses"])
                res[f"batch_{b.name}_serial"] = batch(
                    corpus(min(cfg.batch_groups, 580)), b, out, ["--serial"]
                )
            if cfg.profile:
                res[f"batch_profile_{b.name}"] = batch_profile(main, b)
        for b in books:
            series: list[dict[str, Any]] = []
            for i, n in enumerate(cfg.growth):
                if i == len(cfg.growth) - 1 and series:
                    expected = series[-1]["wall_s"] / series[-1]["groups"] * n
                    if expected > BUDGET_S and cfg.fallback < n:
                        log(
                            f"growth: {n:,} groups would take about {expected:.0f} s; measuring "
                            f"{cfg.fallback:,} and extrapolating"
                        )
                        n = cfg.fallback
                if n == cfg.batch_groups:
                    series.append(res[f"batch_{b.name}"])
                    continue
                log(f"growth: {n:,} groups, {b.name} rulebook")
                series.append(batch(corpus(n), b, out))
            res[f"growth_{b.name}"] = series
    return res


# --- RESULTS.md ---------------------------------------------------------------------------------


def _v(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _ms(x: float) -> str:
    return f"{x:.1f} ms" if x >= 1 else f"{x:.2f} ms"


def results_markdown(res: dict[str, Any], command: str) -> str:
    m = res["machine"]
    books = res["books"]
    names = list(books)
    lines = [
        "# Achilles benchmark results",
        "",
        f"Written by `{command}` on {m['date']}. Every figure below can be reproduced with the",
        "command beside it (the in-process figures with `"
        + PY
        + " benchmarks/run.py --only inprocess`).",
        f"All case data is synthetic (`achilles synth`, seed {SEED}); no real case file was read.",
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
    ]
    lines += [f"| {k} | {v} |" for k, v in m.items()]
    lines += [f"| worker processes used by batch | {res['workers']} |", ""]
    try:
        busy = float(m.get("load average at the start (1, 5, 15 min)", "0").split(",")[0]) > 1.0
    except ValueError:
        busy = False
    if busy:
        lines += [
            "Other work was running on this machine when the run started (load average above); "
            "every figure is a median, and the CPU times beside the wall times are not inflated by it.",
            "",
        ]
    lines += ["## Rulebooks", ""]
    lines.append(f"- **shipped**: the rules in `rules/` today: {books['shipped']} rule(s).")
    if "projected" in books:
        lines.append(
            f"- **projected**: the shipped rules plus {books['projected'] - books['shipped']} generated ones "
            f"(`benchmarks/projected_rules.py`, loaded as a `--rules` layer), {books['projected']} in all: "
            f"the size the rulebook is growing to (~{TARGET_RULES}). Shaped like real rules (1 to 4 joined facts, "
            "evidential thresholds, `unless` patterns), but not legal content. Until the real rulebook reaches "
            "that size, the projected column is the better guide to the targets."
        )
    lines.append("")

    # summary table
    lines += [
        "## Summary against the targets",
        "",
        "| figure | target | " + " | ".join(names) + " | command |",
        "| --- | --- | " + " | ".join("---" for _ in names) + " | --- |",
    ]

    def row(label: str, target: str, cells: list[str], cmd: str) -> None:
        lines.append(f"| {label} | {target} | " + " | ".join(cells) + f" | `{cmd}` |")

    inproc = f"{PY} benchmarks/run.py --only inprocess"
    if any(k.startswith("inprocess_") for k in res):
        for case, target_key in (("typical", "typical_ms"), ("large", "large_ms")):
            cells = []
            for b in names:
                r = res.get(f"inprocess_{b}_{case}")
                if r:
                    w, c = r["wall"]["total"], r["cpu"]["total"]
                    cells.append(
                        f"{_ms(w)} wall, {_ms(c)} CPU ({r['facts']} facts, {r['options']} options) "
                        f"{_v(w < TARGETS[target_key])}"
                    )
                else:
                    cells.append("")
            row(
                f"recommend in-process, {case} case (median)",
                f"< {TARGETS[target_key]:g} ms",
                cells,
                inproc,
            )
        for case in ("typical", "large"):
            cells = []
            for b in names:
                r = res.get(f"inprocess_{b}_{case}")
                if r:
                    cpu = r["cpu"]
                    ratio = cpu["engine"] / cpu["reference"] if cpu["reference"] else 0
                    e2e = cpu["total"] / cpu["total_reference"] if cpu["total_reference"] else 0
                    cells.append(
                        f"matching {ratio:.2f}x, end to end {e2e:.2f}x (CPU time) {_v(ratio <= 1.0)}"
                    )
                else:
                    cells.append("")
            row(f"durable engine / reference evaluator, {case} case", "<= 1.0x", cells, inproc)
    if any(k.startswith("cli_") for k in res):
        cells = []
        for b in names:
            r = res.get(f"cli_{b}_sample")
            cells.append(
                f"{r['median_s']:.2f} s wall, {r['cpu_s']:.2f} s CPU {_v(r['median_s'] < TARGETS['cli_s'])}"
                if r
                else ""
            )
        row(
            "`achilles recommend` wall, cold process, contract example (median of "
            f"{res['config']['cli_repeats']})",
            "< 0.5 s",
            cells,
            res["cli_shipped_sample"]["command"],
        )
        cells = []
        for b in names:
            r = res.get(f"cli_{b}_typical")
            cells.append(
                f"{r['median_s']:.2f} s wall, {r['cpu_s']:.2f} s CPU {_v(r['median_s'] < TARGETS['cli_s'])}"
                if r
                else ""
            )
        row(
            "`achilles recommend` wall, cold process, typical synthetic case",
            "< 0.5 s",
            cells,
            synth_cmd("typical", "$TMP/sample-typical")
            + " && "
            + res["cli_shipped_typical"]["command"],
        )
    if any(k.startswith("tui_") for k in res):
        cells = []
        for b in names:
            r = res.get(f"tui_{b}")
            cells.append(
                f"{r['cold_s']:.2f} s wall, {r['cpu_s']:.2f} s CPU {_v(r['cold_s'] < TARGETS['tui_s'])}"
                if r
                else ""
            )
        row(
            "TUI: launch to options table with rows (median)",
            "< 1.5 s",
            cells,
            f"{PY} benchmarks/run.py --only tui",
        )
    if any(k.startswith("batch_") for k in res):
        cells = []
        for b in names:
            r = res.get(f"batch_{b}")
            if r:
                ok = r["wall_s"] < TARGETS["batch_s"]
                cells.append(
                    f"{r['wall_s']:.1f} s wall, {r['cases_per_s']:.0f} cases/s; {r['cpu_s']:.0f} s CPU "
                    f"in all processes {_v(ok)}"
                )
            else:
                cells.append("")
        g = res.get("config", {}).get("batch_groups", 5800)
        row(
            f"`achilles batch`, {g:,} groups ({res.get('batch_people', 0):,} people), wall",
            f"< {TARGETS['batch_s']:g} s on 2 cores",
            cells,
            f".venv/bin/achilles synth --groups {g} --seed {SEED} --out $TMP/corpus-{g} && "
            + res["batch_shipped"]["command"],
        )
        cells = []
        for b in names:
            r = res.get(f"batch_{b}")
            cells.append(f"{r['peak_mb']} MB {_v(r['peak_mb'] < TARGETS['batch_mb'])}" if r else "")
        row(
            "`achilles batch` peak memory (this process + each worker at its peak)",
            "< 400 MB",
            cells,
            "as above",
        )
        cells = []
        for b in names:
            s = res.get(f"growth_{b}")
            cells.append(_growth_cell(s) if s else "")
        row(
            "cost growth " + " -> ".join(f"{x['groups']:,}" for x in res.get("growth_shipped", [])),
            "linear (CPU per group no more than 10% higher at the largest size)",
            cells,
            "as above, on each corpus size",
        )
    if any(k.startswith("rules_") for k in res):
        cells = []
        for b in names:
            r = res.get(f"rules_{b}")
            cells.append(f"{r['median_s']:.2f} s wall, {r['cpu_s']:.2f} s CPU" if r else "")
        row(
            "`achilles rules check` wall, cold process (median)",
            "(none set)",
            cells,
            res["rules_shipped"]["command"],
        )
    lines.append("")
    lines += findings(res, names)
    lines += _details(res, names)
    return "\n".join(lines) + "\n"


def _near(cpu: dict[str, float]) -> str:
    """The near-miss share: analysis with near misses less analysis without (medians)."""
    diff = cpu["analyse"] - cpu["analyse_no_near"]
    return _ms(diff) if diff > 0 else "too little to tell from the noise"


def findings(res: dict[str, Any], names: list[str]) -> list[str]:
    """Where the time and memory go, worked out from this run's own figures."""
    b = "projected" if "projected" in names else "shipped"
    t, lg = res.get(f"inprocess_{b}_typical"), res.get(f"inprocess_{b}_large")
    out = [
        "## Where the time and memory go, and what is left",
        "",
        f"Figures for the {b} rulebook ({res['books'][b]} rules) unless said otherwise, in CPU time; the "
        "profiles and the stage tables are under Details.",
        "",
    ]
    if t:
        c, lc = t["cpu"], (lg["cpu"] if lg else None)
        out.append(
            f"1. **Near misses** (`find_near_misses`, achilles/analysis.py) cost "
            f"{_near(c)} of the typical case's {_ms(c['total'])} "
            f"({t['near_misses']} near misses)"
            + (f" and {_near(lc)} of the large case's {_ms(lc['total'])}" if lc else "")
            + ". The search no longer runs the reference evaluator over every relaxation of every rule: "
            "each distinct test is run once per fact and kept as a bit mask (`PatternIndex.prime`, "
            "achilles/matches.py; equal tests are one object since compile), a rule with two conditions that "
            "no fact meets is skipped, a relaxed condition is narrowed to the facts that fail only the test "
            "taken away, and each near miss is worded once. tests/test_near_misses.py checks the result "
            "against the plain definition. What is left is Python's cost of visiting every rule in force "
            "for every case."
        )
        ratio = c["engine"] / c["reference"]
        text = (
            f"2. **The engine against the reference evaluator.** Matching the typical case costs "
            f"{_ms(c['engine'])} in durable_rules against {_ms(c['reference'])} in the reference evaluator "
            f"({ratio:.2f}x)"
        )
        if lc:
            text += (
                f"; the large case {_ms(lc['engine'])} against {_ms(lc['reference'])} "
                f"({lc['engine'] / lc['reference']:.2f}x)"
            )
        text += (
            ". What made the engine faster: each fact is encoded to JSON once per case, with only "
            "the fields some rule tests or joins on (so durable_rules also hands back less JSON per "
            "match); rules are packed into a few large rulesets by a static check of the C core's "
            "limits (`pack` in achilles/engine.py), so a case opens a few sessions instead of ten; and "
            "alternatives are compiled to `$or`, never to `$mt` regexes (see Memory); and the engine "
            "drives the C core's action loop itself, so a match costs a JSON decoding and a dict, not "
            "durable_rules' Closure and wrapper objects and a state write-back. What is left is the C "
            "assert and decoding the matches the C core hands back as JSON (see the engine profiles "
            "under Details)."
        )
        out.append(text)
    if lg:
        lc = lg["cpu"]
        out.append(
            f"3. **The large case** ({lg['facts']} facts, {lg['options']} options, {lg['matches']} matches) "
            f"splits into the engine ({_ms(lc['engine'])}), near misses "
            f"({_near(lc)}), the explanations (`recommend_data`: "
            f"{_ms(lc['explain'])}: `because` and `matched_facts` for every firing of every option) and "
            f"loading the file ({_ms(lc['load'])}). The explanations word each rule's conditions once "
            "(`_condition_words`) and gather an option's lines in ordered sets."
        )
    if t:
        out.append(
            f"4. **Loading a case** (YAML with line numbers, pydantic, vocabulary and reference checks) costs "
            f"{_ms(t['cpu']['load'])} for a typical case"
            + (f" and {_ms(lg['cpu']['load'])} for a large one" if lg else "")
            + "; the YAML is parsed by libyaml, and walking its nodes for line numbers is most of the rest."
        )
    stages = res.get("cli_shipped_stages")
    tui = res.get("tui_shipped")
    if stages:
        v = [x * 1000 for x in stages.values()]
        cache = res.get("knowledge_cache")
        out.append(
            f"5. **Cold start.** A cold `achilles recommend` (shipped rules) spends {v[0]:.0f} ms importing the CLI, "
            f"{v[1]:.0f} ms importing the catalogue and rule models (pydantic builds every model's validators "
            f"when its class is defined), {v[2]:.0f} ms loading the vocabulary, catalogue and "
            f"{res['books']['shipped']} rules"
            + (" (from the private cache, achilles/rulebook/cache.py)" if cache else "")
            + f", {v[3]:.0f} ms building the engine ({stages['rulesets']:.0f} rulesets; {v[5]:.0f} ms of it in "
            f"durable_rules' C `create_ruleset`), and {v[4]:.0f} ms on the case itself ({sum(v[:5]):.0f} ms in "
            "all, plus the interpreter and the output). The imports are now the largest part: pydantic and "
            "typer with rich. Pydantic's `defer_build` was tried by hand: it moves most of the model cost to "
            "first use, which a `recommend` reaches anyway (about 20 ms saved in all)."
            + (
                f" The TUI pays the same before its first paint ({tui['cold_s']:.2f} s to the options table, "
                f"{tui['in_app_s']:.2f} s of it after the imports)."
                if tui
                else ""
            )
        )
    bt = res.get(f"batch_{b}")
    if bt and t and "batch_path" in t["cpu"]:
        c = t["cpu"]
        budget = TARGETS["batch_s"] * bt["workers"] / max(bt["groups"], 1) * 1000
        floor = c["load"] + c["engine"]
        text = (
            f"6. **Batch.** `achilles batch` does per case what the items above describe, minus the "
            f"explanations: {_ms(c['batch_path'])} of CPU for the typical case; the synthetic corpus "
            f"averages more ({bt['cpu_s'] / bt['groups'] * 1000:.1f} ms of CPU per group over the whole run, "
            f"start-up and the parent included). {bt['groups']:,} groups on {bt['workers']} workers took "
            f"{bt['wall_s']:.1f} s; under {TARGETS['batch_s']:g} s needs at most {budget:.1f} ms per case per "
            f"core. Loading the file and the durable_rules match alone take {_ms(floor)} of the typical "
            "case"
        )
        if f"batch_{b}_no_near" in res:
            text += (
                f"; without near misses the batch took {res[f'batch_{b}_no_near']['wall_s']:.1f} s"
            )
        text += (
            ". So the target is out of reach on two cores while every case is parsed from YAML and "
            "matched in its own durable_rules session: it would take several cases per session (every "
            "pattern joined on a case key, which the C core's join limits make risky) or a compiled "
            "matcher instead of durable_rules, against the architecture this project chose. The batch "
            "uses every core it is given, and its cost grows linearly (see the summary)."
        )
        out.append(text)
    mem = res.get(f"engine_memory_{b}")
    if mem and bt:
        rules = res["books"][b]
        out.append(
            f"7. **Memory.** Building the engine adds {mem['mb']:.0f} MB to a process ({mem['rulesets']} "
            f"durable_rules rulesets of up to {mem['rules_per_ruleset']} rules, for {rules} rules). It was "
            '155 MB: every `$mt` regex, which the compiler used for "one of" tests, costs the C core a '
            "fixed automaton of megabytes. A batch's peak is the parent plus each worker's knowledge, engine "
            f"and current case: {bt['peak_mb']} MB with {bt['workers']} workers"
        )
        series = res.get(f"growth_{b}", [])
        if len(series) >= 2 and series[-1]["groups"] > series[0]["groups"]:
            per = (
                (series[-1]["peak_mb"] - series[0]["peak_mb"])
                / (series[-1]["groups"] - series[0]["groups"])
                * 1000
            )
            out[-1] += (
                f", growing slowly with the number of cases: {per:.1f} KB per group from "
                f"{series[0]['groups']:,} to {series[-1]['groups']:,} groups ({series[0]['peak_mb']} -> "
                f"{series[-1]['peak_mb']} MB), the parent's summary of each case and the report"
            )
        out[-1] += "."
        wi = res.get(f"ruleset_whatif_{b}")
        if wi:
            parts = []
            for per, r in wi.items():
                label = "no limit (one ruleset)" if int(per) >= 10_000 else f"{per} nodes"
                if "error" in r:
                    parts.append(f"{label}: fails ({r['error'][:120]})")
                else:
                    parts.append(
                        f"{label}: {r['rulesets']} ruleset(s) of up to {r.get('largest', '?')} rules, "
                        f"{r['mb']:.0f} MB, `Engine.evaluate` {' / '.join(_ms(x) for x in r['ms'])} "
                        "(typical / large), "
                        f"{'same matches as the reference' if r['same'] else '**different matches**'}"
                    )
            out[-1] += (
                " How the packing budget was chosen, measured in fresh processes with "
                "`MAX_ALPHA_NODES` patched (achilles/engine.py): "
                + "; ".join(parts)
                + ". The C core "
                "corrupts its heap once one ruleset needs about 410 alpha nodes (137 of these rules); "
                "the engine packs to 200."
            )
    series = res.get(f"growth_{b}", [])
    repeated = next((x for x in series if len(x.get("runs", [])) > 1), None)
    if len(series) >= 2 and repeated:
        runs = repeated["runs"]
        out.append(
            "8. **Growth.** CPU per group at "
            + ", ".join(
                f"{x['groups']:,} groups: {x['cpu_s'] / x['groups'] * 1000:.1f} ms" for x in series
            )
            + f". The same {repeated['groups']:,}-group batch, run {len(runs)} times in this run, took "
            f"{min(runs):.1f} to {max(runs):.1f} s ({max(runs) / min(runs) - 1:.0%} apart): differences of "
            "that size between corpus sizes are this machine's speed drifting, not the code. Nothing in a "
            "worker grows with the number of cases (it keeps the knowledge and the engine; each case's "
            "objects go when it is done); the parent keeps each case's summary for the report (see Memory)."
        )
    if res.get("parser_nodes_kept"):
        out.append(
            f"8. **A leak in the YAML reader.** achilles/loading/yaml_reader.py builds scalars with one "
            f"module-level `SafeConstructor`, whose `constructed_objects` cache keeps every node it has seen "
            f"({res['parser_nodes_kept']:,} after loading the contract example once). `achilles.portfolio` "
            "clears that cache after each case; the TUI and the workspace load cases in long-lived processes too."
        )
    out.append("")
    n = 0
    for i, line in enumerate(out):  # number the findings in the order they are shown
        if re.match(r"^\d+\. \*\*", line):
            n += 1
            out[i] = re.sub(r"^\d+\.", f"{n}.", line)
    return out


def _growth_cell(series: list[dict]) -> str:
    per = [s["wall_s"] / s["groups"] * 1000 for s in series]
    cpu = [s["cpu_s"] / s["groups"] * 1000 for s in series]
    parts = [f"{s['groups']:,}: {s['wall_s']:.1f} s" for s in series]
    marg = ""
    last = series[-1]
    if len(series) >= 2 and last["groups"] < 58_000:
        # CPU per group is the steady figure; wall follows it at the last run's parallel efficiency
        efficiency = last["cpu_s"] / last["workers"] / last["wall_s"]
        guess = cpu[-1] / 1000 * 58_000 / last["workers"] / min(efficiency, 1.0)
        marg = f"; 58,000 extrapolated from the CPU per group: about {guess:.0f} s"
    # Allowed: 10% more CPU per group at the largest size, or more when repeated runs of one size
    # differ by more than that (this machine's speed drifts over a run of minutes).
    repeated = next((s for s in series if len(s.get("runs", [])) > 1), None)
    runs = repeated["runs"] if repeated else []
    spread = max(runs) / min(runs) - 1 if runs else 0.0
    margin = max(0.10, spread)
    linear = len(cpu) < 2 or cpu[-1] <= (1 + margin) * min(cpu[:-1])
    noise = ""
    if repeated and spread > 0.10:
        noise = (
            f"; allowed +{margin:.0%}, as {len(runs)} runs of {repeated['groups']:,} groups "
            f"differed by {spread:.0%} in wall time"
        )
    return (
        "; ".join(parts)
        + f" (wall per group {per[0]:.2f} -> {per[-1]:.2f} ms{marg}; CPU per group "
        + " -> ".join(f"{x:.2f}" for x in cpu)
        + f" ms{noise}) {_v(linear)}"
    )


def _details(res: dict[str, Any], names: list[str]) -> list[str]:
    out: list[str] = ["## Details", ""]
    for b in names:
        if f"inprocess_{b}_typical" not in res:
            continue
        out += [
            f"### In-process, {b} rulebook ({res['books'][b]} rules)",
            "",
            f"Engine build (compile the rulebook into durable_rules rulesets, once per process): "
            f"{_ms(res[f'build_{b}'])}.",
            "",
        ]
        cols = [res.get(f"inprocess_{b}_typical"), res.get(f"inprocess_{b}_large")]
        out += [
            "| stage (median; the stages take turns, round after round) | typical: wall | CPU | "
            "large: wall | CPU |",
            "| --- | --- | --- | --- | --- |",
        ]
        for key, label in STAGES.items():
            if not any(r and key in r["wall"] for r in cols):
                continue
            cells = []
            for r in cols:
                cells += (
                    [_ms(r["wall"][key]), _ms(r["cpu"][key])]
                    if r and key in r["wall"]
                    else ["", ""]
                )
            out.append(f"| {label} | " + " | ".join(cells) + " |")
        info = []
        for r in cols:
            info += (
                [
                    f"{r['facts']} / {r['people']} / {r['matches']} / {r['options']} / {r['near_misses']}",
                    "",
                ]
                if r
                else ["", ""]
            )
        out.append(
            "| facts / people / matches / options / near misses | " + " | ".join(info) + " |"
        )
        out.append(
            "| rounds | "
            + " | ".join(x for r in cols for x in ([str(r["repeats"]), ""] if r else ["", ""]))
            + " |"
        )
        out.append("")
        for case in ("typical", "large"):
            prof = res.get(f"engine_profile_{b}_{case}")
            if prof:
                out += [
                    f"Profile of `Engine.evaluate` alone, {case} case, {b} rulebook (ms per case, inflated "
                    "by the profiler):",
                    "",
                    "| function | own ms | cumulative ms | calls |",
                    "| --- | --- | --- | --- |",
                ]
                out += [f"| `{n}` | {tt:.2f} | {ct:.2f} | {nc:,} |" for n, tt, ct, nc in prof]
                out.append("")
            prof = res.get(f"profile_{b}_{case}")
            if prof:
                out += [
                    f"Profile, {case} case, {b} rulebook (cProfile; ms per case, inflated by the profiler; "
                    "highest own time first):",
                    "",
                    "| function | own ms | cumulative ms | calls |",
                    "| --- | --- | --- | --- |",
                ]
                out += [f"| `{n}` | {tt:.2f} | {ct:.2f} | {nc:,} |" for n, tt, ct, nc in prof]
                out.append("")
    for b in names:
        c1, c2 = res.get(f"cli_{b}_sample"), res.get(f"cli_{b}_typical")
        if c1:
            out += [
                f"### Cold CLI, {b} rulebook",
                "",
                f"- `recommend` on the contract example: median {c1['median_s']:.3f} s wall, {c1['cpu_s']:.3f} s CPU "
                f"(runs: {', '.join(f'{x:.3f}' for x in c1['times'])}).",
                f"- `recommend` on the typical synthetic case: median {c2['median_s']:.3f} s.",
            ]
            if "python_s" in c1:
                out.append(
                    f"- Start-up alone: a bare `python -c pass` {c1['python_s']:.3f} s; importing "
                    f"`achilles.cli` and registering every command {c1['imports_s']:.3f} s (cold "
                    "processes, median)."
                )
            stages = res.get(f"cli_{b}_stages")
            if stages:
                out.append(
                    "- Stages of a cold `recommend` on the contract example (timed inside the process, "
                    "median): "
                    + "; ".join(
                        f"{n} {v * 1000:.0f} ms" for n, v in stages.items() if n != "rulesets"
                    )
                    + "."
                )
            out.append("")
    for b in names:
        r = res.get(f"tui_{b}")
        if r:
            out += [
                f"### TUI, {b} rulebook",
                "",
                f"Launch to options table with {r['rows']} rows: median {r['cold_s']:.3f} s wall, {r['cpu_s']:.3f} s CPU "
                f"(runs: {', '.join(f'{x:.3f}' for x in r['times'])}); of which {r['in_app_s']:.3f} s after "
                "the imports (knowledge, session, app start, analysis worker, first paint). Headless "
                "(`App.run_test`, 160x48), on the contract example.",
                "",
            ]
    if "synth_s" in res:
        out += [
            "### Batch",
            "",
            f"Corpus: {res['synth_groups']:,} typical synthetic groups written in {res['synth_s']:.1f} s "
            f"({res['workers']} processes). Every batch is a cold `achilles batch ... --format json --out FILE` "
            "process; the wall time includes start-up, the knowledge load in the parent and in each "
            "worker, and writing the report. Peak memory is the parent's peak RSS plus each worker's peak "
            "RSS (VmHWM, reported by the workers): an upper bound, as pages shared with the fork server are "
            "counted in each. CPU is the user and system time of the parent and every worker.",
            "",
            "| rulebook | run | groups | wall | cases/s | workers | peak memory | CPU, all processes |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for b in names:
            for key, label in (
                (f"batch_{b}", "default"),
                (f"batch_{b}_no_near", "--no-near-misses"),
                (f"batch_{b}_serial", "--serial"),
            ):
                r = res.get(key)
                if r:
                    runs = (
                        (" (median of " + ", ".join(f"{x:.2f}" for x in r["runs"]) + ")")
                        if len(r.get("runs", [])) > 1
                        else ""
                    )
                    out.append(
                        f"| {b} | {label} | {r['groups']:,} | {r['wall_s']:.2f} s{runs} | {r['cases_per_s']:.0f} | "
                        f"{r['workers']} | {r['peak_mb']} MB | {r['cpu_s']:.1f} s |"
                    )
            for r in res.get(f"growth_{b}", []):
                out.append(
                    f"| {b} | growth | {r['groups']:,} | {r['wall_s']:.2f} s | {r['cases_per_s']:.0f} | "
                    f"{r['workers']} | {r['peak_mb']} MB | {r['cpu_s']:.1f} s |"
                )
        out.append("")
        for b in names:
            prof = res.get(f"batch_profile_{b}")
            if prof:
                out += [
                    f"Where a batch spends its time per case, {b} rulebook (cProfile of a serial run over "
                    "100 groups; ms per case, inflated by the profiler; highest cumulative first):",
                    "",
                    "| function | own ms | cumulative ms | calls |",
                    "| --- | --- | --- | --- |",
                ]
                out += [f"| `{n}` | {tt:.2f} | {ct:.2f} | {nc:,} |" for n, tt, ct, nc in prof]
                out.append("")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--quick", action="store_true", help="fewer repeats; growth 580 -> 5,800 only")
    ap.add_argument(
        "--only",
        default="",
        help="comma-separated: inprocess, cli, tui, rules, batch "
        "(prints the figures; RESULTS.md is left alone)",
    )
    ap.add_argument("--keep", action="store_true", help="keep the temporary corpora")
    ap.add_argument(
        "--render",
        metavar="JSON",
        help="write RESULTS.md again from the figures a run saved "
        "(their path is printed at the end of every run); measures nothing",
    )
    args = ap.parse_args(argv)
    if args.render:
        res = json.loads(Path(args.render).read_text(encoding="utf-8"))
        text = (
            results_markdown(res, res["command"])
            + f"\nThe whole run took {res['elapsed_s']:.0f} s.\n"
        )
        RESULTS.write_text(text, encoding="utf-8")
        print(f"wrote {RESULTS.relative_to(ROOT)}", file=sys.stderr)
        return 0
    only = {x.strip() for x in args.only.split(",") if x.strip()}
    cfg = Config.make(quick=args.quick, only=only)
    command = (
        f"{PY} benchmarks/run.py"
        + (" --quick" if args.quick else "")
        + (f" --only {args.only}" if only else "")
    )
    tmp = Path(tempfile.mkdtemp(prefix="achilles-bench-"))
    started = time.perf_counter()
    try:
        res = run_all(
            cfg,
            tmp,
            log=lambda s: print(f"[{time.perf_counter() - started:6.0f} s] {s}", file=sys.stderr),
        )
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    res["elapsed_s"] = time.perf_counter() - started
    res["command"] = command
    with contextlib.suppress(OSError):
        res["machine"]["load average at the end (1, 5, 15 min)"] = ", ".join(
            f"{x:.2f}" for x in os.getloadavg()
        )
    saved = Path(tempfile.gettempdir()) / f"achilles-bench-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    saved.write_text(
        json.dumps(res, indent=1, default=str), encoding="utf-8"
    )  # synthetic figures only
    print(f"figures saved in {saved}", file=sys.stderr)
    try:
        text = results_markdown(res, command)
    except Exception:
        print(repr(res), file=sys.stderr)  # the figures are not lost to a bug in the write-up
        raise
    text += f"\nThe whole run took {res['elapsed_s']:.0f} s.\n"
    if only:
        print(text)
    else:
        RESULTS.write_text(text, encoding="utf-8")
        print(f"wrote {RESULTS.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
