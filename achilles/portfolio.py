"""Many cases at once: the portfolio view a force or a region asks for.

For each case (a file, or a case kept in the workspace): its best options. Across the cases: the powers that apply most often, the
demand each lead agency would face, the intelligence requirements (near misses) that recur, and
the cases with no strong option. Files are evaluated in worker processes (the rules engine is
single-threaded: one engine per process), each loading the knowledge once and taking chunks of
file paths. Results stream back and only a small summary per case is kept, so memory does not
grow with the size of the cases. Everything is sorted on content, never on arrival, so a
parallel run gives exactly the report a serial run gives.

A file that cannot be read or checked is reported with its first problem and skipped; the batch
always finishes. Reports carry file names, case ids and entity ids, never people's names or notes.
"""

from __future__ import annotations

import concurrent.futures as cf
import csv
import dataclasses
import datetime as dt
import io
import json
import math
import multiprocessing
import os
import re
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from achilles.errors import AchillesError, EngineError, InputError
from achilles.render.clean import csv_cell, html_text, md, one_line

CASE_SUFFIXES = (".yaml", ".yml", ".json")
FORMATS = ("markdown", "csv", "json", "html")
DEFAULT_TOP = 5
STRONG_SCORE = 60.0
RECURRING_SHOWN = 50  # near-miss groups listed in a report
MAX_CHUNK = 64  # files per task sent to a worker
SCHEMA_VERSION = 1
MARKING = "OFFICIAL-SENSITIVE"
_CLASSIFICATIONS = ("OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET")  # lowest first


# --- what is kept per case ------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """What every worker needs to evaluate a case the same way."""

    rules: tuple[str, ...] = ()
    catalogue: str | None = None
    top: int = DEFAULT_TOP
    near_misses: bool = True
    engine: str = "durable"
    workspace: str | None = None  # the database that `workspace:<case id>` sources are read from


WORKSPACE_PREFIX = "workspace:"  # a source read from the workspace rather than from a file


@dataclass(frozen=True, slots=True)
class TopOption:
    rank: int
    power_id: str
    target: str  # an entity id, never a name
    target_type: str
    score: float


@dataclass(frozen=True, slots=True)
class CaseSummary:
    file: str
    case_id: str
    as_of: str
    jurisdiction: str
    classification: str  # the case's marking, as one of _CLASSIFICATIONS
    facts: int
    options: int
    best: float | None
    top: tuple[TopOption, ...]
    powers: tuple[tuple[str, int], ...] = ()  # power id -> options in this case
    near: tuple[tuple[str, str, int], ...] = ()  # (power id, wording with ids stripped, times)
    near_misses: int = 0
    blocked: int = 0
    warnings: int = 0


@dataclass(frozen=True, slots=True)
class CaseFailure:
    file: str
    problem: str  # the first problem, as `achilles case validate` prints it
    kind: str  # input, engine, internal or crash


Result = CaseSummary | CaseFailure


# --- evaluating one case (in a worker, or in this process for --serial) --------------------


@dataclass
class Knowledge:
    vocab: Any
    catalogue: Any
    rulebook: Any
    weights: Any


def load_knowledge(settings: Settings) -> Knowledge:
    """The vocabulary, catalogue, rulebook and weights; the checked rulebook and catalogue come
    from the private cache (achilles/rulebook/cache.py) when no file behind them has changed."""
    from achilles.catalogue import catalogue_folder, load_catalogue
    from achilles.loading.paths import env_override, shipped
    from achilles.model.vocabulary import load_vocabulary
    from achilles.ranking import load_weights
    from achilles.rulebook.cache import cached
    from achilles.rulebook.load import load_rulebook, rule_folders

    folder = Path(settings.catalogue) if settings.catalogue else None
    extra = [Path(r) for r in settings.rules]

    def build() -> tuple[Any, Any, Any]:
        vocab = load_vocabulary()
        catalogue = load_catalogue(folder, vocab)
        return vocab, catalogue, load_rulebook(catalogue, extra, vocab)

    vocabulary = env_override("vocabulary") or shipped("vocabulary")
    # this module's own path in the key: its cache entry (a tuple) never meets the CLI's
    vocab, catalogue, rulebook = cached(
        [catalogue_folder(folder), *rule_folders(extra), vocabulary, Path(__file__)], build
    )
    return Knowledge(vocab, catalogue, rulebook, load_weights())


class Evaluator:
    """Turns a case file into its summary. One per process; holds the knowledge and the engine."""

    def __init__(self, settings: Settings, knowledge: Knowledge | None = None) -> None:
        self.settings = settings
        self.k = knowledge or load_knowledge(settings)
        self._workspace: Any = None

    def _load(self, source: str) -> Any:
        from achilles.model.case_file import load_case, parse_case

        if source.startswith(WORKSPACE_PREFIX) and self.settings.workspace:
            if self._workspace is None:  # one connection per process, opened on first use
                from achilles.store import Workspace

                self._workspace = Workspace.open(self.settings.workspace)
            text = self._workspace.get(source.removeprefix(WORKSPACE_PREFIX))
            return parse_case(text, source, self.k.vocab)
        return load_case(source, self.k.vocab)

    def summarise(self, file: str) -> Result:
        from achilles.analysis import analyse
        from achilles.ranking import rank

        k, s = self.k, self.settings
        try:
            case = self._load(file)
            analysis = analyse(
                case,
                k.catalogue,
                k.rulebook,
                k.vocab,
                engine=s.engine,  # type: ignore[arg-type]
                near_misses=s.near_misses,
            )
            ranking = rank(analysis, k.catalogue, k.vocab, k.weights)
        except InputError as exc:
            first = next((p for p in exc.problems if p.level == "error"), None)
            return CaseFailure(file, one_line(first.render() if first else exc.message), "input")
        except AchillesError as exc:
            return CaseFailure(file, one_line(f"{file}: {exc.message}"), "input")
        except EngineError as exc:  # its message never holds fact values
            return CaseFailure(
                file, one_line(f"{file}: the rules engine failed on this case ({exc})"), "engine"
            )
        except Exception as exc:  # noqa: BLE001 - one case never stops the batch
            return CaseFailure(
                file, f"{file}: internal error ({type(exc).__name__}); please report it", "internal"
            )
        options = ranking.options
        top = tuple(
            TopOption(r.rank, r.option.power_id, r.option.target, r.option.target_type, r.score)
            for r in options[: s.top]
        )
        powers = Counter(r.option.power_id for r in options)
        near: Counter[tuple[str, str]] = Counter()
        if analysis.near_misses:
            strip = id_stripper(case)
            for n in analysis.near_misses:
                near[(n.power_id, strip(n.missing))] += 1
        return CaseSummary(
            file=file,
            case_id=case.case.id,
            as_of=case.case.as_of.isoformat(),
            jurisdiction=case.case.jurisdiction,
            classification=classification(case.case.marking),
            facts=len(analysis.facts.facts),
            options=len(options),
            best=options[0].score if options else None,
            top=top,
            powers=tuple(sorted(powers.items())),
            near=tuple(sorted((p, w, c) for (p, w), c in near.items())),
            near_misses=len(analysis.near_misses),
            blocked=len(analysis.blocked),
            warnings=len(analysis.warnings),
        )


def classification(marking: str) -> str:
    """The case's marking reduced to a known classification (never less than OFFICIAL-SENSITIVE)."""
    text = " ".join(str(marking).upper().replace("_", " ").split())
    if text.startswith("TOP SECRET"):
        return "TOP SECRET"
    if text.startswith("SECRET"):
        return "SECRET"
    return MARKING


_KIND_WORD = {
    "people": "person",
    "premises": "premises",
    "businesses": "business",
    "vehicles": "vehicle",
}


def id_stripper(case: Any) -> Callable[[str], str]:
    """A function that replaces the case's entity ids in a sentence by their kind, so the same
    requirement in two cases reads the same: "establish that premises p4 has ..." ->
    "establish that [premises] has ..."."""
    kinds: dict[str, str] = {}
    for section, word in _KIND_WORD.items():
        for item in getattr(case, section):
            kinds[item.id] = word
    for i in range(len(case.activities)):
        kinds[case.activity_id(i)] = "activity"
    if not kinds:
        return lambda text: text
    names = "|".join(map(re.escape, sorted(kinds, key=lambda x: (-len(x), x))))
    # an id standing alone (not part of a longer token), with the kind word before it, if any
    pattern = re.compile(
        r"(?:\b(person|premises|business|vehicle|activity) )?"
        r"(?<![\w.:-])(" + names + r")(?![\w:-]|\.\w)"
    )

    def one(m: re.Match[str]) -> str:
        kind = kinds[m.group(2)]
        said = m.group(1)
        return f"[{kind}]" if said in (None, kind) else f"{said} [{kind}]"

    def strip(text: str) -> str:
        return pattern.sub(one, text).replace(" ([activity])", "")

    return strip


# --- finding the files ------------------------------------------------------------------------


def workspace_cases(path: str | Path | None) -> tuple[str, list[str]]:
    """The workspace database's path and a `workspace:<case id>` source for each case in it, at
    its latest version, in id order."""
    from achilles.store import Workspace
    from achilles.store.workspace import default_path

    where = Path(path).expanduser() if path is not None else default_path()
    if not where.exists():  # opening would create an empty one: say so instead
        raise AchillesError(
            f"{where}: no workspace there",
            hint="check --workspace (or ACHILLES_WORKSPACE); add cases with `achilles case import`",
        )
    with Workspace.open(where) as ws:
        return str(ws.path), [WORKSPACE_PREFIX + row.case_id for row in ws.list_cases()]


def case_files(paths: Iterable[str | Path]) -> list[str]:
    """Files given by name, and *.yaml, *.yml, *.json found under folders (recursively, hidden
    files and folders left out), each once, in a stable order."""
    found: list[str] = []
    seen: set[str] = set()

    def add(p: Path) -> None:
        key = os.path.realpath(p)
        if key not in seen:
            seen.add(key)
            name = str(p)  # a file never passes for a workspace case
            found.append(f".{os.sep}{name}" if name.startswith(WORKSPACE_PREFIX) else name)

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            inside: list[Path] = []
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                inside.extend(
                    Path(root) / f
                    for f in files
                    if f.endswith(CASE_SUFFIXES) and not f.startswith(".")
                )
            for f in sorted(inside, key=lambda x: x.parts):
                add(f)
        elif p.exists():
            add(p)
        else:
            raise AchillesError(f"{raw}: no such file or folder", hint="check the path")
    return found


# --- running many cases -----------------------------------------------------------------------


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
) -> Iterator[Result]:
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
) -> Iterator[Result]:
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
        max_workers=workers, mp_context=_context(), initializer=_init_worker, initargs=(settings,)
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
        ctx.set_forkserver_preload(["achilles.portfolio", "achilles.analysis", "achilles.engine"])
        return ctx
    return multiprocessing.get_context("spawn")


_evaluator: Evaluator | None = None


def _init_worker(settings: Settings) -> None:
    global _evaluator
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _evaluator = Evaluator(settings)


def _run_chunk(files: list[str]) -> tuple[list[Result], int, int, float]:
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


# --- the portfolio ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PowerRow:
    power_id: str
    power: str
    lead_agency: str
    cases: int
    options: int
    in_top: int


@dataclass(frozen=True)
class AgencyRow:
    agency: str
    cases: int
    options: int
    in_top: int


@dataclass(frozen=True)
class NearRow:
    power_id: str
    power: str
    missing: str
    cases: int
    times: int


@dataclass
class Report:
    marking: str
    generated_on: dt.date
    rules_version: str
    top: int
    threshold: float
    near_misses: bool
    files: int
    analysed: int
    facts: int
    options: int
    powers: list[PowerRow]
    agencies: list[AgencyRow]
    recurring: list[NearRow]
    near_groups: int
    weak: list[CaseSummary]
    cases: list[CaseSummary]
    skipped: list[CaseFailure]


class Portfolio:
    """Adds up case summaries as they arrive; keeps per case only what the report shows."""

    def __init__(
        self,
        catalogue: Any,
        *,
        top: int = DEFAULT_TOP,
        threshold: float = STRONG_SCORE,
        near_misses: bool = True,
        rules_version: str = "",
    ) -> None:
        self.catalogue = catalogue
        self.top = top
        self.threshold = threshold
        self.near_misses = near_misses
        self.rules_version = rules_version
        self.cases: list[CaseSummary] = []
        self.skipped: list[CaseFailure] = []
        self.power_cases: Counter[str] = Counter()
        self.power_options: Counter[str] = Counter()
        self.power_top: Counter[str] = Counter()
        self.agency_cases: Counter[str] = Counter()
        self.agency_options: Counter[str] = Counter()
        self.agency_top: Counter[str] = Counter()
        self.near_cases: Counter[tuple[str, str]] = Counter()
        self.near_times: Counter[tuple[str, str]] = Counter()
        self.facts = 0
        self.options = 0
        self.classifications: set[str] = set()

    def lead(self, power_id: str) -> str:
        power = self.catalogue.powers.get(power_id)
        return power.lead_agency if power is not None else "unknown"

    def add(self, result: Result) -> None:
        if isinstance(result, CaseFailure):
            self.skipped.append(result)
            return
        self.facts += result.facts
        self.options += result.options
        self.classifications.add(result.classification)
        agencies: Counter[str] = Counter()
        for power_id, n in result.powers:
            self.power_cases[power_id] += 1
            self.power_options[power_id] += n
            agencies[self.lead(power_id)] += n
        for agency, n in agencies.items():
            self.agency_cases[agency] += 1
            self.agency_options[agency] += n
        for t in result.top:
            self.power_top[t.power_id] += 1
            self.agency_top[self.lead(t.power_id)] += 1
        for power_id, wording, n in result.near:
            self.near_cases[(power_id, wording)] += 1
            self.near_times[(power_id, wording)] += n
        self.cases.append(dataclasses.replace(result, powers=(), near=()))

    def report(self, generated_on: dt.date | None = None) -> Report:
        def name(power_id: str) -> str:
            power = self.catalogue.powers.get(power_id)
            return power.name if power is not None else power_id

        powers = sorted(
            (
                PowerRow(
                    p,
                    name(p),
                    self.lead(p),
                    self.power_cases[p],
                    self.power_options[p],
                    self.power_top[p],
                )
                for p in self.power_cases
            ),
            key=lambda r: (-r.cases, -r.options, r.power_id),
        )
        agencies = sorted(
            (
                AgencyRow(a, self.agency_cases[a], self.agency_options[a], self.agency_top[a])
                for a in self.agency_cases
            ),
            key=lambda r: (-r.options, -r.cases, r.agency),
        )
        recurring = sorted(
            (
                NearRow(p, name(p), w, self.near_cases[(p, w)], self.near_times[(p, w)])
                for (p, w), c in self.near_cases.items()
                if c >= 2
            ),
            key=lambda r: (-r.cases, -r.times, r.power_id, r.missing),
        )
        cases = sorted(self.cases, key=lambda c: (Path(c.file).parts, c.case_id))
        weak = sorted(
            (c for c in cases if c.best is None or c.best < self.threshold),
            key=lambda c: (-1.0 if c.best is None else c.best, Path(c.file).parts),
        )
        marking = max(self.classifications | {MARKING}, key=_CLASSIFICATIONS.index)
        return Report(
            marking=marking,
            generated_on=generated_on or dt.date.today(),
            rules_version=self.rules_version,
            top=self.top,
            threshold=self.threshold,
            near_misses=self.near_misses,
            files=len(self.cases) + len(self.skipped),
            analysed=len(self.cases),
            facts=self.facts,
            options=self.options,
            powers=powers,
            agencies=agencies,
            recurring=recurring[:RECURRING_SHOWN],
            near_groups=len(recurring),
            weak=weak,
            cases=cases,
            skipped=sorted(self.skipped, key=lambda f: Path(f.file).parts),
        )


def run_portfolio(
    files: Sequence[str],
    settings: Settings | None = None,
    *,
    threshold: float = STRONG_SCORE,
    workers: int | None = None,
    serial: bool = False,
    progress: Callable[[int], None] | None = None,
    generated_on: dt.date | None = None,
    stats: RunStats | None = None,
) -> Report:
    """Evaluate the case files (from `case_files`), in parallel unless `serial`; build the report."""
    settings = settings or Settings()
    if settings.top < 1:
        raise AchillesError(f"--top {settings.top} must be 1 or more", hint="e.g. --top 5")
    knowledge = load_knowledge(settings)  # here first: a broken rulebook stops before any work
    portfolio = Portfolio(
        knowledge.catalogue,
        top=settings.top,
        threshold=threshold,
        near_misses=settings.near_misses,
        rules_version=knowledge.rulebook.version,
    )
    for result in evaluate_files(
        files,
        settings,
        workers=workers,
        serial=serial,
        knowledge=knowledge,
        progress=progress,
        stats=stats,
    ):
        portfolio.add(result)
    return portfolio.report(generated_on)


# --- rendering --------------------------------------------------------------------------------


def _score(value: float | None) -> str:
    return "none" if value is None else f"{value:.1f}"


def _target(t: TopOption) -> str:
    return f"{t.target_type} {t.target}"


def report_data(r: Report) -> dict[str, Any]:
    """The report as plain data (the JSON format); every string cleaned of control characters."""
    from achilles.render.clean import clean

    def c(value: object) -> str:
        return clean(value)

    return {
        "marking": r.marking,
        "schema_version": SCHEMA_VERSION,
        "kind": "portfolio",
        "generated_on": r.generated_on.isoformat(),
        "rules_version": r.rules_version,
        "settings": {"top": r.top, "strong_score": r.threshold, "near_misses": r.near_misses},
        "totals": {
            "files": r.files,
            "analysed": r.analysed,
            "skipped": len(r.skipped),
            "facts": r.facts,
            "options": r.options,
            "weak_cases": len(r.weak),
        },
        "powers": [dataclasses.asdict(p) for p in r.powers],
        "agencies": [dataclasses.asdict(a) for a in r.agencies],
        "recurring_near_misses": [
            {**dataclasses.asdict(n), "missing": c(n.missing)} for n in r.recurring
        ],
        "recurring_near_miss_groups": r.near_groups,
        "weak_cases": [
            {"file": c(w.file), "case": w.case_id, "best_score": w.best, "options": w.options}
            for w in r.weak
        ],
        "cases": [
            {
                "file": c(s.file),
                "case": s.case_id,
                "as_of": s.as_of,
                "jurisdiction": s.jurisdiction,
                "facts": s.facts,
                "options": s.options,
                "best_score": s.best,
                "near_misses": s.near_misses,
                "blocked": s.blocked,
                "warnings": s.warnings,
                "top": [
                    {
                        "rank": t.rank,
                        "power_id": t.power_id,
                        "target": t.target,
                        "target_type": t.target_type,
                        "score": t.score,
                    }
                    for t in s.top
                ],
            }
            for s in r.cases
        ],
        "skipped": [
            {"file": c(f.file), "problem": c(f.problem), "kind": f.kind} for f in r.skipped
        ],
        "marking_footer": r.marking,
    }


def report_json(r: Report) -> str:
    return json.dumps(report_data(r), indent=2, ensure_ascii=False) + "\n"


def _summary_rows(r: Report) -> list[tuple[str, object]]:
    return [
        ("Case files", r.files),
        ("Analysed", r.analysed),
        ("Skipped (problems)", len(r.skipped)),
        ("Facts", r.facts),
        ("Options", r.options),
        (f"Cases with no option scoring {r.threshold:g} or more", len(r.weak)),
        ("Rules version", r.rules_version),
        ("Generated on", r.generated_on.isoformat()),
        ("Near misses", "looked for" if r.near_misses else "not looked for (--no-near-misses)"),
    ]


def _md_cell(value: object) -> str:
    """User text escaped; numbers we computed are shown as they are."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return md(value)
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def report_markdown(r: Report) -> str:
    out = [f"**{md(r.marking)}**", "", "# Portfolio of disruption options", ""]
    out += ["| | |", "| --- | --- |"] + [
        f"| {md(k)} | {_md_cell(v)} |" for k, v in _summary_rows(r)
    ]

    def table(headers: list[str], rows: list[list[object]], empty: str) -> None:
        if not rows:
            out.extend([f"_{md(empty)}_"])
            return
        out.append("| " + " | ".join(md(h) for h in headers) + " |")
        out.append("|" + " --- |" * len(headers))
        out.extend("| " + " | ".join(_md_cell(x) for x in row) + " |" for row in rows)

    out += ["", "## Most applicable powers", ""]
    table(
        ["Power", "Id", "Lead agency", "Cases", "Options", f"In a top {r.top}"],
        [[p.power, p.power_id, p.lead_agency, p.cases, p.options, p.in_top] for p in r.powers],
        "No options in any case.",
    )
    out += ["", "## Demand per lead agency", ""]
    table(
        ["Lead agency", "Cases", "Options", f"In a top {r.top}"],
        [[a.agency, a.cases, a.options, a.in_top] for a in r.agencies],
        "No options in any case.",
    )
    out += ["", "## Recurring intelligence requirements (near misses)", ""]
    if r.near_groups > len(r.recurring):
        out += [f"The {len(r.recurring)} most frequent of {r.near_groups}.", ""]
    table(
        ["Power", "What to establish", "Cases", "Times"],
        [[n.power, n.missing, n.cases, n.times] for n in r.recurring],
        "None recur in two or more cases." if r.near_misses else "Not looked for.",
    )
    out += ["", f"## Cases with no strong option (best score under {r.threshold:g})", ""]
    table(
        ["File", "Case", "Best score", "Options"],
        [[w.file, w.case_id, "none" if w.best is None else w.best, w.options] for w in r.weak],
        "Every case has a strong option.",
    )
    out += ["", f"## Top {r.top} options per case", ""]
    leads = {p.power_id: p.lead_agency for p in r.powers}
    rows: list[list[object]] = []
    for s in r.cases:
        if not s.top:
            rows.append([s.file, s.case_id, "", "no options", "", "", ""])
        for t in s.top:
            rows.append(
                [
                    s.file,
                    s.case_id,
                    t.rank,
                    t.power_id,
                    _target(t),
                    leads.get(t.power_id, ""),
                    t.score,
                ]
            )
    table(
        ["File", "Case", "Rank", "Power", "Target", "Lead agency", "Score"],
        rows,
        "No cases analysed.",
    )
    out += ["", "## Files skipped", ""]
    table(["File", "First problem"], [[f.file, f.problem] for f in r.skipped], "None.")
    out += ["", f"**{md(r.marking)}**", ""]
    return "\n".join(out)


CSV_COLUMNS = [
    "section",
    "file",
    "case",
    "rank",
    "power_id",
    "power",
    "target",
    "lead_agency",
    "score",
    "cases",
    "options",
    "in_top",
    "detail",
]


def report_csv(r: Report) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")

    def row(**cells: object) -> None:
        w.writerow([csv_cell("" if cells.get(c) is None else cells.get(c)) for c in CSV_COLUMNS])

    w.writerow([csv_cell(r.marking)])
    w.writerow(CSV_COLUMNS)
    for k, v in _summary_rows(r):
        row(section="summary", detail=f"{k}: {v}")
    for p in r.powers:
        row(
            section="power",
            power_id=p.power_id,
            power=p.power,
            lead_agency=p.lead_agency,
            cases=p.cases,
            options=p.options,
            in_top=p.in_top,
        )
    for a in r.agencies:
        row(
            section="agency",
            lead_agency=a.agency,
            cases=a.cases,
            options=a.options,
            in_top=a.in_top,
        )
    for n in r.recurring:
        row(
            section="near miss",
            power_id=n.power_id,
            power=n.power,
            cases=n.cases,
            options=n.times,
            detail=n.missing,
        )
    for c in r.weak:
        row(
            section="weak case",
            file=c.file,
            case=c.case_id,
            score=_score(c.best),
            options=c.options,
        )
    leads = {p.power_id: p.lead_agency for p in r.powers}
    for s in r.cases:
        if not s.top:
            row(section="case option", file=s.file, case=s.case_id, detail="no options")
        for t in s.top:
            row(
                section="case option",
                file=s.file,
                case=s.case_id,
                rank=t.rank,
                power_id=t.power_id,
                target=_target(t),
                lead_agency=leads.get(t.power_id, ""),
                score=f"{t.score:.1f}",
            )
    for f in r.skipped:
        row(section="skipped", file=f.file, detail=f.problem)
    w.writerow([csv_cell(r.marking)])
    return buf.getvalue()


_STYLE = (
    "body{font-family:Arial,sans-serif;font-size:11pt}"
    "table{border-collapse:collapse;margin:6pt 0}td,th{border:1px solid #444;padding:3pt 6pt;"
    "vertical-align:top;text-align:left}.marking{font-weight:bold;text-align:center;color:#000}"
)


def report_html(r: Report) -> str:
    h = html_text

    def table(headers: list[str], rows: list[list[object]], empty: str) -> str:
        if not rows:
            return f"<p><em>{h(empty)}</em></p>"
        head = "".join(f"<th>{h(x)}</th>" for x in headers)
        body = "".join("<tr>" + "".join(f"<td>{h(c)}</td>" for c in row) + "</tr>" for row in rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    leads = {p.power_id: p.lead_agency for p in r.powers}
    case_rows: list[list[object]] = []
    for s in r.cases:
        if not s.top:
            case_rows.append([s.file, s.case_id, "", "no options", "", "", ""])
        for t in s.top:
            case_rows.append(
                [
                    s.file,
                    s.case_id,
                    t.rank,
                    t.power_id,
                    _target(t),
                    leads.get(t.power_id, ""),
                    f"{t.score:.1f}",
                ]
            )
    p = [
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{h(r.marking)}: '
        f"portfolio of disruption options</title><style>{_STYLE}</style></head><body>",
        f'<p class="marking">{h(r.marking)}</p>',
        "<h1>Portfolio of disruption options</h1>",
        table(["", ""], [[k, v] for k, v in _summary_rows(r)], ""),
        "<h2>Most applicable powers</h2>",
        table(
            ["Power", "Id", "Lead agency", "Cases", "Options", f"In a top {r.top}"],
            [[x.power, x.power_id, x.lead_agency, x.cases, x.options, x.in_top] for x in r.powers],
            "No options in any case.",
        ),
        "<h2>Demand per lead agency</h2>",
        table(
            ["Lead agency", "Cases", "Options", f"In a top {r.top}"],
            [[a.agency, a.cases, a.options, a.in_top] for a in r.agencies],
            "No options in any case.",
        ),
        "<h2>Recurring intelligence requirements (near misses)</h2>",
        (
            f"<p>The {len(r.recurring)} most frequent of {r.near_groups}.</p>"
            if r.near_groups > len(r.recurring)
            else ""
        ),
        table(
            ["Power", "What to establish", "Cases", "Times"],
            [[n.power, n.missing, n.cases, n.times] for n in r.recurring],
            "None recur in two or more cases." if r.near_misses else "Not looked for.",
        ),
        f"<h2>Cases with no strong option (best score under {h(f'{r.threshold:g}')})</h2>",
        table(
            ["File", "Case", "Best score", "Options"],
            [[w.file, w.case_id, _score(w.best), w.options] for w in r.weak],
            "Every case has a strong option.",
        ),
        f"<h2>Top {r.top} options per case</h2>",
        table(
            ["File", "Case", "Rank", "Power", "Target", "Lead agency", "Score"],
            case_rows,
            "No cases analysed.",
        ),
        "<h2>Files skipped</h2>",
        table(["File", "First problem"], [[f.file, f.problem] for f in r.skipped], "None."),
        f'<p class="marking">{h(r.marking)}</p></body></html>',
    ]
    return "\n".join(x for x in p if x) + "\n"


def render(r: Report, fmt: str) -> str:
    return {
        "markdown": report_markdown,
        "csv": report_csv,
        "json": report_json,
        "html": report_html,
    }[fmt](r)
