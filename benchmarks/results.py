"""What a benchmark run measured, as typed records: one `Results` per run, one `BookResults`
per rulebook, and a record per kind of figure.

A record that is absent (None, or an empty list) was not measured in this run: `--only`, a smoke
run, or a platform without /proc. `Results.to_json` and `Results.from_json` keep a run's figures
so RESULTS.md can be written again from them (`run.py --render FILE`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import TypeAdapter

CaseKind = Literal["typical", "large"]
CASE_KINDS: tuple[CaseKind, ...] = ("typical", "large")
SEED = 2026  # every synthetic case and corpus of a run comes from this seed
# The sample cases, as (groups, size) given to `achilles synth`: the typical sample is the first
# group of 40 facts among 200 typical groups, the large one the biggest of 5 large groups.
SAMPLES: dict[CaseKind, tuple[int, str]] = {"typical": (200, "typical"), "large": (5, "large")}


@dataclass
class Config:
    """How much to measure: repeats, corpus sizes, and which parts (`--only`)."""

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


@dataclass
class StageTimes:
    """Milliseconds per stage of an in-process `recommend` (wall or CPU; labels in report)."""

    load: float
    facts: float
    engine: float
    engine_only: float
    reference: float
    analyse_no_near: float
    analyse: float
    rank: float
    explain: float
    total: float
    total_no_near: float
    total_reference: float
    batch_path: float | None = None  # what `batch` does per case; measured with profiles only


@dataclass
class InProcess:
    """One sample case through the stages, and what it holds."""

    facts: int
    people: int
    matches: int
    options: int
    near_misses: int
    wall: StageTimes
    cpu: StageTimes
    repeats: int


@dataclass
class ProfileRow:
    """One function of a cProfile, per case: where it is, own and cumulative ms, calls."""

    function: str
    own_ms: float
    cumulative_ms: float
    calls: int


@dataclass
class CaseFigures:
    """Everything measured in-process on one sample case with one rulebook."""

    inprocess: InProcess
    profile: list[ProfileRow] = field(default_factory=list)
    engine_profile: list[ProfileRow] = field(default_factory=list)


@dataclass
class EngineMemory:
    """Resident memory the engine's rulesets add to a fresh process."""

    mb: float
    rulesets: int
    rules_per_ruleset: int


@dataclass
class PackingTrial:
    """The engine built with another stack budget per ruleset (rulebook/limits.py MAX_STACK),
    in a fresh process."""

    stack: int
    error: str | None = None
    mb: float = 0.0
    rulesets: int = 0
    largest: int = 0
    ms: list[float] = field(default_factory=list)  # `Engine.evaluate`: typical, large
    same: bool = False  # the same matches as the reference evaluator


@dataclass
class ColdRun:
    """A command timed as cold processes (median of several)."""

    median_s: float
    times: list[float]
    command: str
    cpu_s: float
    imports_s: float | None = None  # importing the CLI and registering every command
    python_s: float | None = None  # a bare interpreter


@dataclass
class ColdStages:
    """Where a cold `recommend` spends its time, timed inside the process (seconds)."""

    import_cli: float
    import_models: float
    load_knowledge: float
    build_engine: float
    case: float
    create_ruleset: float  # of build_engine: durable_rules' C create_ruleset
    rulesets: int


@dataclass
class TuiPaint:
    """From launching the TUI to an options table with rows."""

    cold_s: float
    in_app_s: float
    rows: int
    times: list[float]
    cpu_s: float
    plan_s: float = 0.0  # from key 3 on the Options screen to the Plan screen's table with rows


@dataclass
class BatchRun:
    """One cold `achilles batch` over a corpus, from its own statistics line and a clock."""

    groups: int
    analysed: int
    skipped: int
    wall_s: float
    inside_s: float
    cases_per_s: float
    workers: int
    peak_mb: int
    cpu_s: float
    command: str
    runs: list[float] = field(default_factory=list)  # wall times of repeated runs, sorted


@dataclass
class BookResults:
    """Every figure for one rulebook (shipped, or shipped plus projected rules)."""

    name: str
    rules: int
    build_ms: float | None = None
    engine_memory: EngineMemory | None = None
    packing: list[PackingTrial] = field(default_factory=list)
    cases: dict[CaseKind, CaseFigures] = field(default_factory=dict)
    cli_sample: ColdRun | None = None
    cli_typical: ColdRun | None = None
    cli_stages: ColdStages | None = None
    tui: TuiPaint | None = None
    rules_check: ColdRun | None = None
    batch: BatchRun | None = None
    batch_no_near: BatchRun | None = None
    batch_serial: BatchRun | None = None
    batch_profile: list[ProfileRow] = field(default_factory=list)
    growth: list[BatchRun] = field(default_factory=list)

    def inprocess(self, kind: CaseKind) -> InProcess | None:
        figures = self.cases.get(kind)
        return figures.inprocess if figures else None


@dataclass
class Corpus:
    """A synthetic corpus the run wrote, and how long it took."""

    groups: int
    seconds: float


@dataclass
class Results:
    """One run: the machine, the settings, and the figures of each rulebook."""

    machine: dict[str, str]
    config: Config
    books: dict[str, BookResults]
    samples: dict[str, str]
    workers: int
    knowledge_cache: bool = False
    parser_nodes_kept: int = 0
    corpora: list[Corpus] = field(default_factory=list)  # the first is the batch's source
    batch_people: int = 0
    command: str = ""
    elapsed_s: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return _ADAPTER.dump_python(self, mode="json")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Results:
        return _ADAPTER.validate_python(data)


_ADAPTER = TypeAdapter(Results)
