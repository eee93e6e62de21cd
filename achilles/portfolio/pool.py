"""Many cases in worker processes: chunks of files to a process pool, results streamed back,
and a crashed worker (the C rules engine) never losing the batch."""

from __future__ import annotations

import concurrent.futures as cf
import math
import multiprocessing
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from achilles.errors import EngineError
from achilles.knowledge import Knowledge
from achilles.model.portfolio import CaseFailure, CaseResult
from achilles.portfolio.evaluate import Evaluator, Settings

MAX_CHUNK = 64  # files per task sent to a worker


@dataclass
class RunStats:
    files: int = 0
    workers: int = 1
    chunks: int = 0
    seconds: float = 0.0
    parent_peak: int = 0  # bytes
    worker_peaks: dict[int, int] = field(default_factory=dict)  # pid -> bytes
    parent_cpu: float = 0.0  # seconds of CPU
    worker_cpu: dict[int, float] = field(default_factory=dict)  # pid -> seconds of CPU
    crashes: int = 0

    @property
    def cpu_seconds(self) -> float:
        """CPU time of this process and every worker: what the batch costs on an idle machine."""
        return self.parent_cpu + sum(self.worker_cpu.values())

    @property
    def peak_total(self) -> int:
        """This process plus every worker at its own peak: an upper bound on the memory used
        at once (pages the workers share are counted in each)."""
        return self.parent_peak + sum(self.worker_peaks.values())

    @property
    def cases_per_second(self) -> float:
        return self.files / self.seconds if self.seconds else 0.0


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))  # the CPUs this process may use
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def evaluate_files(
    files: Sequence[str],
    settings: Settings,
    *,
    workers: int | None = None,
    serial: bool = False,
    knowledge: Knowledge | None = None,
    progress: Callable[[int], None] | None = None,
    stats: RunStats | None = None,
) -> Iterator[CaseResult]:
    """Every file's result, streamed in no particular order (sort before you show)."""
    stats = stats if stats is not None else RunStats()
    stats.files = len(files)
    workers = max(1, workers or default_workers())
    started = time.perf_counter()
    cpu = time.process_time()
    try:
        if serial or workers == 1 or not files:
            stats.workers = 1
            evaluator = Evaluator(settings, knowledge)
            for f in files:
                yield evaluator.summarise(f)
                if progress:
                    progress(1)
        else:
            yield from _parallel(list(files), settings, workers, progress, stats)
    finally:
        stats.seconds = time.perf_counter() - started
        stats.parent_cpu = time.process_time() - cpu
        stats.parent_peak = max_rss()


def _chunks(files: list[str], workers: int) -> list[list[str]]:
    size = max(1, min(MAX_CHUNK, math.ceil(len(files) / (workers * 8))))
    return [files[i : i + size] for i in range(0, len(files), size)]


def _parallel(
    files: list[str],
    settings: Settings,
    workers: int,
    progress: Callable[[int], None] | None,
    stats: RunStats,
) -> Iterator[CaseResult]:
    queue = _chunks(files, workers)
    stats.workers = min(workers, len(queue))
    stats.chunks = len(queue)
    attempt = 0
    barren = 0  # single-worker rounds in a row that died on their first file
    while queue:
        single = attempt >= 2
        unfinished = yield from _pool_round(
            queue, settings, 1 if single else stats.workers, progress, stats
        )
        if not unfinished:
            return
        if single:
            barren = barren + 1 if unfinished[0] == queue[0] else 0
            if (
                barren >= 3
            ):  # three files in a row, each first in its round: the workers, not the files
                raise EngineError(
                    "worker processes keep dying; run again with --serial to find "
                    "the file that causes it"
                )
        # A worker died (the C engine crashed): never lose the batch. Retry the unfinished
        # files one per task, then with one worker, where the first unfinished file is the one
        # that killed it.
        if single:
            culprit, rest = unfinished[0][0], [[f] for c in unfinished for f in c][1:]
            stats.crashes += 1
            yield CaseFailure(
                culprit,
                f"{culprit}: a worker process died on this file (a crash "
                "in the rules engine); please report it (see SECURITY.md)",
                "crash",
            )
            if progress:
                progress(1)
            queue = rest
        else:
            queue = [[f] for c in unfinished for f in c]
            attempt += 1


def _pool_round(
    chunks: list[list[str]],
    settings: Settings,
    workers: int,
    progress: Callable[[int], None] | None,
    stats: RunStats,
):
    """Run the chunks on a pool; yield results; return the chunks lost to a dead worker."""
    pool = cf.ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_context(),
        initializer=_init_worker,
        initargs=(settings, os.getpid()),
    )
    lost: list[int] = []
    try:
        futures = {pool.submit(_run_chunk, chunk): i for i, chunk in enumerate(chunks)}
        for fut in cf.as_completed(futures):
            try:
                results, pid, peak, cpu = fut.result()
            except BrokenProcessPool:
                lost.append(futures[fut])
                continue
            stats.worker_peaks[pid] = max(stats.worker_peaks.get(pid, 0), peak)
            stats.worker_cpu[pid] = max(stats.worker_cpu.get(pid, 0.0), cpu)
            for r in results:
                yield r
                if progress:
                    progress(1)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return [chunks[i] for i in sorted(lost)]


def _context():
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:  # fresh workers, no inherited threads or engine state; cheap forks
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(
            ["achilles.portfolio.evaluate", "achilles.analysis", "achilles.engine"]
        )
        return ctx
    return multiprocessing.get_context("spawn")


_evaluator: Evaluator | None = None


def _init_worker(settings: Settings, parent: int) -> None:
    global _evaluator
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    watch_parent(parent)
    _evaluator = Evaluator(settings)


def watch_parent(parent: int) -> None:
    """End this worker when the batch that started it ends, however it ends.

    A worker holds case data in memory and, idle, would wait for work forever: its task queue
    never reads as closed, because every worker holds both ends. With the forkserver the
    worker's own parent is the fork server, not the batch, so PR_SET_PDEATHSIG would not fire
    when the batch dies: a thread waits on the batch process itself instead. When the workers
    go, the fork server and the resource tracker see their pipes close and end too.
    """
    try:
        handle = os.pidfd_open(parent)  # Linux 5.3+: readable once the process has ended
    except (AttributeError, OSError):
        handle = None
    if handle is None and not _alive(parent):
        os._exit(0)
    threading.Thread(target=_wait_for, args=(parent, handle), daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _wait_for(parent: int, handle: int | None) -> None:
    if handle is not None:
        select.select([handle], [], [])
    else:  # elsewhere: ask once a second (a pid reused within the second is not worth more)
        while _alive(parent) and os.getppid() != 1:
            time.sleep(1.0)
    os._exit(0)  # nothing to flush: results go back only through the pool


def _run_chunk(files: list[str]) -> tuple[list[CaseResult], int, int, float]:
    assert _evaluator is not None
    out = [_evaluator.summarise(f) for f in files]
    return out, os.getpid(), max_rss(), time.process_time()


def max_rss() -> int:
    """This process's peak resident memory in bytes (0 where the platform cannot say).

    On Linux, VmHWM: `ru_maxrss` survives exec, so a process started by a big parent would
    report the parent's peak as its own."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
    except ImportError:  # Windows
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024
