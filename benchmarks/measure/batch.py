"""`achilles batch` over synthetic corpora: writing them, running the batch cold, and where a
serial batch spends its time per case."""

from __future__ import annotations

import concurrent.futures as cf
import cProfile
import multiprocessing
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

from achilles.portfolio import Settings
from benchmarks.measure.in_process import Book
from benchmarks.measure.timing import ROOT, Timer, achilles_cmd, profile_rows
from benchmarks.results import SEED, BatchRun, ProfileRow


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


# The statistics line `achilles batch` prints on stderr.
_STATS = re.compile(
    r"analysed ([\d,]+) of ([\d,]+) case files \(([\d,]+) skipped\) in ([\d.]+) s: "
    r"([\d,]+) cases/s with (\d+) workers?; peak memory ([\d,]+) MB; CPU ([\d,.]+) s"
)


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def batch(
    timer: Timer, folder: Path, book: Book, out: Path, extra: list[str] | None = None
) -> BatchRun:
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
    analysed = _number(m.group(1))
    return BatchRun(
        groups=_number(m.group(2)),
        analysed=analysed,
        skipped=_number(m.group(3)),
        wall_s=seconds,
        inside_s=float(m.group(4)),
        cases_per_s=analysed / seconds,
        workers=int(m.group(6)),
        peak_mb=_number(m.group(7)),
        cpu_s=float(m.group(8).replace(",", "")),
        command=timer.shown(cmd),
    )


def corpus_people(folder: Path) -> int:
    n = 0
    for f in folder.iterdir():
        text = f.read_text(encoding="utf-8")
        n += text.count("\n- id: n") + text.count("\n  - id: n")
    return n


def batch_profile(folder: Path, book: Book, cases: int = 100) -> list[ProfileRow]:
    """Where a serial batch spends its time per case (cProfile over the first files): Achilles'
    own functions, highest cumulative time first."""
    from achilles.portfolio import Evaluator

    files = sorted(str(f) for f in folder.iterdir())[:cases]
    ev = Evaluator(Settings(), book.knowledge)
    ev.summarise(files[0])
    prof = cProfile.Profile()
    prof.enable()
    for f in files:
        ev.summarise(f)
    prof.disable()
    rows = sorted(profile_rows(prof, len(files)), key=lambda r: -r.cumulative_ms)
    return [r for r in rows if r.function.startswith("achilles/")][:14]
