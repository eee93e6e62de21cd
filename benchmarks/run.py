"""Achilles benchmarks: one command, every figure written to benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/run.py            # the full run (several minutes)
    .venv/bin/python benchmarks/run.py --quick    # fewer repeats; growth 580 -> 5,800 only
    .venv/bin/python benchmarks/run.py --only inprocess,engine   # print some figures, write nothing
    .venv/bin/python benchmarks/run.py --render FIGURES.json     # RESULTS.md again, measuring nothing

Figures: end-to-end `recommend` in-process (load, facts, engine, near misses, ranking,
explanations) for a typical (~40 facts) and a large (~1,000 facts) synthetic case; the durable
engine against the reference evaluator on the same cases; the cold CLI; the TUI's time to show
the options; `achilles batch` over 5,800 synthetic groups and how its cost grows; `achilles rules
check`. Each is measured against the shipped rulebook and, while the shipped rulebook is still
short of the ~120 rules it is growing to, against a projected one (benchmarks/projected_rules.py).

Everything is synthetic (achilles/synth/); nothing here reads real case files. This module runs
the measures in measure/ into the records of results.py, and report/ writes RESULTS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: the repo root holds the benchmarks package
    sys.path.insert(0, str(ROOT))

from benchmarks.measure import batch as batch_measures  # noqa: E402
from benchmarks.measure import cold, in_process, timing  # noqa: E402
from benchmarks.measure.in_process import SAMPLE, Book  # noqa: E402
from benchmarks.report import results_markdown  # noqa: E402
from benchmarks.report.style import PY  # noqa: E402
from benchmarks.results import (  # noqa: E402
    CASE_KINDS,
    BatchRun,
    BookResults,
    CaseFigures,
    CaseKind,
    Config,
    Corpus,
    Results,
)

RESULTS = ROOT / "benchmarks" / "RESULTS.md"
BUDGET_S = 600  # the biggest growth step is measured only if it is expected to finish within this

__all__ = ["Config", "Results", "results_markdown", "run_all", "main"]


def run_all(cfg: Config, tmp: Path, log: Callable[[str], object] = print) -> Results:
    """Every figure `cfg` asks for, measured with temporary files under `tmp`."""
    timer = timing.Timer(tmp, warm=not cfg.smoke)
    books = in_process.rulebooks(tmp, projected=not cfg.smoke)
    cases = in_process.sample_cases(tmp)
    res = Results(
        machine=timing.machine(),
        config=cfg,
        books={b.name: BookResults(b.name, b.rules) for b in books},
        samples={kind: str(p.relative_to(tmp)) for kind, p in cases.items()},
        workers=timing.workers(),
        knowledge_cache=importlib.util.find_spec("achilles.rulebook.cache") is not None,
    )

    if cfg.wants("inprocess") or cfg.wants("engine"):
        for b in books:
            log(f"in-process: {b.name} rulebook ({b.rules} rules)")
            _engine_figures(cfg, b, res.books[b.name], cases)
            res.parser_nodes_kept = in_process.parser_keeps_nodes(b.knowledge)
            _case_figures(cfg, b, res.books[b.name], cases)

    if cfg.wants("cli"):
        for b in books:
            log(f"cold CLI: recommend, {b.name} rulebook")
            r = res.books[b.name]
            r.cli_sample = cold.cli_recommend(
                timer, SAMPLE, b, cfg.cli_repeats, startup=b.name == "shipped"
            )
            r.cli_typical = cold.cli_recommend(timer, cases["typical"], b, cfg.cli_repeats)
            if not cfg.smoke:
                r.cli_stages = cold.cli_breakdown(timer, SAMPLE, b, cfg.cli_repeats)

    if cfg.wants("tui"):
        for b in books:
            log(f"TUI first paint: {b.name} rulebook")
            res.books[b.name].tui = cold.tui_first_paint(timer, SAMPLE, b, cfg.tui_repeats)

    if cfg.wants("rules") and not cfg.smoke:  # seconds per run once the rules carry many tests
        for b in books:
            log(f"rules check: {b.name} rulebook")
            res.books[b.name].rules_check = cold.rules_check(timer, b, cfg.cli_repeats)

    if cfg.wants("batch"):
        _batches(cfg, timer, books, res, tmp, log)
    return res


def _engine_figures(cfg: Config, b: Book, r: BookResults, cases: dict[CaseKind, Path]) -> None:
    """Building the engine: its time, its memory, and other packing budgets."""
    r.build_ms = in_process.engine_build(b.knowledge)
    if not cfg.smoke:
        r.engine_memory = in_process.engine_memory(b)
    if cfg.profile:
        r.packing = in_process.packing_trials(b, cases)


def _case_figures(cfg: Config, b: Book, r: BookResults, cases: dict[CaseKind, Path]) -> None:
    """Each sample case in-process, and its profiles."""
    for kind in CASE_KINDS:
        if cfg.smoke and kind == "large":
            continue
        path = cases[kind]
        reps = cfg.repeats_typical if kind == "typical" else cfg.repeats_large
        figures = CaseFigures(in_process.inprocess(path, b.knowledge, reps, whatif=cfg.profile))
        if cfg.profile:
            figures.profile = in_process.profile_case(path, b.knowledge, max(3, reps // 3))
            figures.engine_profile = in_process.profile_engine(path, b.knowledge, max(3, reps // 3))
        r.cases[kind] = figures


def _batches(
    cfg: Config,
    timer: timing.Timer,
    books: list[Book],
    res: Results,
    tmp: Path,
    log: Callable[[str], object],
) -> None:
    """The batch at its main size, without near misses and serial, then its growth by size."""
    out = tmp / "portfolio.json"
    biggest = max(cfg.batch_groups, *cfg.growth[:-1]) if len(cfg.growth) > 1 else cfg.batch_groups
    source = tmp / "corpus-source"
    log(f"synthetic corpus: {biggest:,} groups")
    res.corpora.append(Corpus(biggest, batch_measures.make_corpus(source, biggest, res.workers)))
    folders: dict[int, Path] = {}

    def corpus(n: int) -> Path:
        if n not in folders:
            if n <= biggest:
                folders[n] = batch_measures.subset(source, tmp / f"corpus-{n}", n)
            else:
                log(f"synthetic corpus: {n:,} groups")
                folders[n] = tmp / f"corpus-{n}"
                seconds = batch_measures.make_corpus(folders[n], n, res.workers)
                res.corpora.append(Corpus(n, seconds))
        return folders[n]

    def batch(folder: Path, b: Book, extra: list[str] | None = None) -> BatchRun:
        return batch_measures.batch(timer, folder, b, out, extra)

    main = corpus(cfg.batch_groups)
    res.batch_people = batch_measures.corpus_people(main)
    for b in books:
        r = res.books[b.name]
        log(f"batch: {cfg.batch_groups:,} groups, {b.name} rulebook")
        runs = [batch(main, b)]
        if runs[0].wall_s < 60:  # short runs are noisy: take the median of a few
            runs += [batch(main, b) for _ in range(cfg.batch_repeats - 1)]
        runs.sort(key=lambda x: x.wall_s)
        r.batch = runs[len(runs) // 2]
        r.batch.runs = [x.wall_s for x in runs]
        if not cfg.smoke:
            r.batch_no_near = batch(main, b, ["--no-near-misses"])
            r.batch_serial = batch(corpus(min(cfg.batch_groups, 580)), b, ["--serial"])
        if cfg.profile:
            r.batch_profile = batch_measures.batch_profile(main, b)
    for b in books:
        r = res.books[b.name]
        for i, n in enumerate(cfg.growth):
            if i == len(cfg.growth) - 1 and r.growth:
                expected = r.growth[-1].wall_s / r.growth[-1].groups * n
                if expected > BUDGET_S and cfg.fallback < n:
                    log(
                        f"growth: {n:,} groups would take about {expected:.0f} s; measuring "
                        f"{cfg.fallback:,} and extrapolating"
                    )
                    n = cfg.fallback
            if n == cfg.batch_groups and r.batch:
                r.growth.append(r.batch)
                continue
            log(f"growth: {n:,} groups, {b.name} rulebook")
            r.growth.append(batch(corpus(n), b))


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
        res = Results.from_json(json.loads(Path(args.render).read_text(encoding="utf-8")))
        text = results_markdown(res, res.command) + f"\nThe whole run took {res.elapsed_s:.0f} s.\n"
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
    res.elapsed_s = time.perf_counter() - started
    res.command = command
    with contextlib.suppress(OSError):
        res.machine["load average at the end (1, 5, 15 min)"] = ", ".join(
            f"{x:.2f}" for x in os.getloadavg()
        )
    saved = Path(tempfile.gettempdir()) / f"achilles-bench-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    # Synthetic figures only: nothing in them comes from a real case.
    saved.write_text(json.dumps(res.to_json(), indent=1), encoding="utf-8")
    print(f"figures saved in {saved}", file=sys.stderr)
    try:
        text = results_markdown(res, command)
    except Exception:
        print(repr(res), file=sys.stderr)  # the figures are not lost to a bug in the write-up
        raise
    text += f"\nThe whole run took {res.elapsed_s:.0f} s.\n"
    if only:
        print(text)
    else:
        RESULTS.write_text(text, encoding="utf-8")
        print(f"wrote {RESULTS.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
