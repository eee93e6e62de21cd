"""Timing and describing: interleaved medians in-process, cold processes, profiles, the machine."""

from __future__ import annotations

import contextlib
import cProfile
import datetime as dt
import gc
import os
import platform
import pstats
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.results import ProfileRow

ROOT = Path(__file__).resolve().parents[2]
PY = ".venv/bin/python"

Entry = tuple[Callable[[], object], Callable[[], AbstractContextManager[object]] | None]


def interleaved(
    entries: dict[str, Entry], repeats: int
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


@dataclass(frozen=True)
class Wall:
    """A command's median wall time over cold processes, every run's time, and median CPU."""

    median_s: float
    times: list[float]
    cpu_s: float


@dataclass
class Timer:
    """Runs and shows cold processes for one benchmark run.

    `warm` runs each command once, untimed, before timing it (the disk cache); the smoke test
    turns it off. `tmp` is the run's temporary folder, shown as $TMP in commands."""

    tmp: Path
    warm: bool = True

    def wall(self, cmd: list[str], repeats: int, ok: tuple[int, ...] = (0,)) -> Wall:
        if self.warm:
            subprocess.run(cmd, capture_output=True, cwd=ROOT, check=False)
        times, cpus = [], []
        for _ in range(repeats):
            before = _children_cpu()
            t = time.perf_counter()
            r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
            times.append(time.perf_counter() - t)
            cpus.append(_children_cpu() - before)
            if r.returncode not in ok:
                raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr[-500:]}")
        return Wall(statistics.median(times), times, statistics.median(cpus))

    def cold_runs(self, repeats: int) -> Iterator[bool]:
        """One flag per process to launch: True for the ones whose times count."""
        if self.warm:
            yield False
        for _ in range(repeats):
            yield True

    def shown(self, cmd: list[str]) -> str:
        """A command as a reader would type it from the repo root."""
        out = []
        for part in cmd:
            s = str(part)
            if s == sys.executable:
                s = PY
            s = s.replace(str(ROOT) + "/", "")
            s = s.replace(str(self.tmp), "$TMP")
            s = re.sub(r"^.*/\.venv/bin/", ".venv/bin/", s)
            out.append(s)
        return " ".join(out)


def _children_cpu() -> float:
    try:
        import resource
    except ImportError:
        return 0.0
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def profile_rows(prof: cProfile.Profile, per: int) -> list[ProfileRow]:
    """Every function in a profile, its times divided over `per` cases, unsorted."""
    rows = []
    for (file, line, func), (_cc, nc, tt, ct, _callers) in pstats.Stats(prof).stats.items():  # type: ignore[attr-defined]
        rows.append(
            ProfileRow(
                f"{short_path(file)}:{line}({func})", tt * 1000 / per, ct * 1000 / per, nc // per
            )
        )
    return rows


def short_path(file: str) -> str:
    for marker in ("/achilles/", "/site-packages/", "/lib/python3"):
        if marker in file:
            return file[file.index(marker) + 1 :]
    return file


def machine() -> dict[str, str]:
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
        usable = os.cpu_count() or 1
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    from importlib.metadata import version

    return {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "load average at the start (1, 5, 15 min)": load_average(),
        "platform": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "cpu": cpu or "unknown",
        "cpus": f"{os.cpu_count()} (usable by this process: {usable})",
        "memory": mem or "unknown",
        "durable_rules": version("durable-rules"),
        "commit": commit + (" with uncommitted changes" if dirty else ""),
    }


def load_average() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def workers() -> int:
    """The cores this process may use: what `achilles batch` starts a worker on each of."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
