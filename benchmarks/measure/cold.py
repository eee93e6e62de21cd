"""Cold processes: `achilles recommend` and `rules check` as a user starts them, where a cold
`recommend` spends its time, and the TUI's launch to its first options."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.measure.in_process import Book
from benchmarks.measure.timing import ROOT, Timer, achilles_cmd
from benchmarks.results import ColdRun, ColdStages, TuiPaint


def cli_recommend(
    timer: Timer, case: Path, book: Book, repeats: int, startup: bool = False
) -> ColdRun:
    cmd = [*achilles_cmd(), "recommend", str(case), "--format", "json", *book.rules_args]
    w = timer.wall(cmd, repeats)
    run = ColdRun(median_s=w.median_s, times=w.times, command=timer.shown(cmd), cpu_s=w.cpu_s)
    if startup:
        imports = [sys.executable, "-c", "import achilles.cli as c; c.build_app()"]
        run.imports_s = timer.wall(imports, repeats).median_s
        run.python_s = timer.wall([sys.executable, "-c", "pass"], repeats).median_s
    return run


def rules_check(timer: Timer, book: Book, repeats: int) -> ColdRun:
    cmd = [*achilles_cmd(), "rules", "check", *book.rules_args]
    w = timer.wall(cmd, repeats, ok=(0, 2))  # 2: the check found problems (e.g. coverage)
    return ColdRun(median_s=w.median_s, times=w.times, command=timer.shown(cmd), cpu_s=w.cpu_s)


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
from achilles.knowledge import load_knowledge
k = load_knowledge([Path(p) for p in sys.argv[2:]], None)
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


def cli_breakdown(timer: Timer, case: Path, book: Book, repeats: int) -> ColdStages:
    """Where a cold `recommend` spends its time, stage by stage (median of cold processes)."""
    runs = []
    for counted in timer.cold_runs(repeats):
        r = subprocess.run(
            [sys.executable, "-c", _CLI_CHILD, str(case), *book.rule_folders],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
        if r.returncode != 0:
            raise RuntimeError(f"CLI breakdown failed: {r.stderr[-800:]}")
        if counted:
            runs.append([float(x) for x in r.stdout.split()])
    medians = [statistics.median(r[i] for r in runs) for i in range(7)]
    return ColdStages(*medians[:6], rulesets=round(medians[6]))


_TUI_CHILD = r"""
import asyncio, sys, time
launched = float(sys.argv[1])
from pathlib import Path
started = time.time()
from achilles.tui.app import AchillesApp
from achilles.knowledge import load_knowledge_lenient
from achilles.meeting.session import Session
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
        rows = tables.first(DataTable).row_count
        cpu = time.process_time()
        # then the Plan screen, as the LRO opens it in the meeting: key 3 to a plan table with rows
        await pilot.press("3")
        while True:
            plans = app.screen.query("#plan-table")
            if plans and plans.first(DataTable).row_count > 0:
                break
            await asyncio.sleep(0.002)
        plan_s = time.time() - now
        print(f"{now - launched:.4f} {now - begin:.4f} {rows} {cpu:.4f} {plan_s:.4f}")

asyncio.run(main())
"""


def tui_first_paint(timer: Timer, case: Path, book: Book, repeats: int) -> TuiPaint:
    """From launching a process to the options table having rows (headless Textual, 160x48),
    then from key 3 to the Plan screen's table having rows."""
    cold, warm, cpu, plan, rows = [], [], [], [], 0
    for counted in timer.cold_runs(repeats):
        r = subprocess.run(
            [sys.executable, "-c", _TUI_CHILD, repr(time.time()), str(case), *book.rule_folders],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
        if r.returncode != 0:
            raise RuntimeError(f"TUI run failed: {r.stderr[-800:]}")
        c, w, n, p, s = r.stdout.split()
        if counted:
            cold.append(float(c))
            warm.append(float(w))
            cpu.append(float(p))
            plan.append(float(s))
            rows = int(n)
    return TuiPaint(
        cold_s=statistics.median(cold),
        in_app_s=statistics.median(warm),
        rows=rows,
        times=cold,
        cpu_s=statistics.median(cpu),
        plan_s=statistics.median(plan),
    )
