"""The summaries added up: the powers that apply most often, the demand on each lead agency,
the near misses that recur, the cases with no strong option; and run_portfolio, which evaluates
the files and builds the PortfolioReport."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from achilles.errors import AchillesError
from achilles.model.plan_state import ABANDONED, CLOSED, DONE
from achilles.model.portfolio import (
    AgencyRow,
    AgencyWorkRow,
    CaseFailure,
    CaseResult,
    CaseSummary,
    FourPRow,
    NearRow,
    PortfolioReport,
    PowerRow,
    TacticRow,
    ThreatRow,
)
from achilles.portfolio.evaluate import DEFAULT_TOP, MARKING, Settings, knowledge_for
from achilles.portfolio.findings import findings
from achilles.portfolio.pool import RunStats, evaluate_files

STRONG_SCORE = 60.0
RECURRING_SHOWN = 50  # near-miss groups listed in a report
_CLASSIFICATIONS = ("OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET")  # lowest first


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
        levels: Sequence[str] = (),
        on: dt.date | None = None,
        vocab: Any = None,
        redacted: bool = False,
    ) -> None:
        self.catalogue = catalogue
        self.vocab = vocab
        self.redacted = redacted
        self.four_p_cases: Counter[str] = Counter()
        self.four_p_options: Counter[str] = Counter()
        self.four_p_top: Counter[str] = Counter()
        self.threat_cases: Counter[str] = Counter()
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
        self.levels = list(levels)
        self.on = on
        self.tactic: dict[str, Counter[str]] = {}  # power id -> chosen, done, ..., outcome:<level>
        self.work: dict[str, Counter[str]] = {}  # agency -> open, overdue, done

    def lead(self, power_id: str) -> str:
        power = self.catalogue.powers.get(power_id)
        return power.lead_agency if power is not None else "unknown"

    def _four_p(self, power_id: str) -> tuple[str, ...]:
        power = self.catalogue.powers.get(power_id)
        return tuple(power.four_p) if power is not None else ()

    def _terms(self, section: str) -> dict[str, str]:
        return dict(self.vocab.sections.get(section, {})) if self.vocab is not None else {}

    def _four_p_rows(self) -> list[FourPRow]:
        """In the vocabulary's order (pursue, prevent, protect, prepare), each P once."""
        glosses = self._terms("four_p")
        order = list(glosses) + sorted(set(self.four_p_cases) - set(glosses))
        return [
            FourPRow(
                p,
                glosses.get(p, ""),
                self.four_p_cases[p],
                self.four_p_options[p],
                self.four_p_top[p],
            )
            for p in order
        ]

    def _threat_rows(self, weak: list[CaseSummary]) -> list[ThreatRow]:
        """Highest threat first; threats with no case left out."""
        glosses = self._terms("threat")
        order = list(reversed(glosses)) + sorted(set(self.threat_cases) - set(glosses))
        weak_by = Counter(c.threat for c in weak)
        return [
            ThreatRow(t, glosses.get(t, ""), self.threat_cases[t], weak_by[t])
            for t in order
            if self.threat_cases[t]
        ]

    def add(self, result: CaseResult) -> None:
        if isinstance(result, CaseFailure):
            self.skipped.append(result)
            return
        self.facts += result.facts
        self.options += result.options
        self.classifications.add(result.classification)
        agencies: Counter[str] = Counter()
        four_ps: Counter[str] = Counter()
        for power_id, n in result.powers:
            self.power_cases[power_id] += 1
            self.power_options[power_id] += n
            agencies[self.lead(power_id)] += n
            for p in self._four_p(power_id):
                four_ps[p] += n
        for p, n in four_ps.items():
            self.four_p_cases[p] += 1
            self.four_p_options[p] += n
        self.threat_cases[result.threat] += 1
        for agency, n in agencies.items():
            self.agency_cases[agency] += 1
            self.agency_options[agency] += n
        for t in result.top:
            self.power_top[t.power_id] += 1
            self.agency_top[self.lead(t.power_id)] += 1
            for p in t.four_p:
                self.four_p_top[p] += 1
        for power_id, wording, n in result.near:
            self.near_cases[(power_id, wording)] += 1
            self.near_times[(power_id, wording)] += n
        for action in result.tracked:
            tactic = self.tactic.setdefault(action.power_id, Counter())
            work = self.work.setdefault(action.agency, Counter())
            tactic["chosen"] += 1
            if action.status in CLOSED:
                tactic[action.status] += 1
                work[action.status] += 1
            else:
                work["open"] += 1
                work["overdue"] += action.overdue
            if action.outcome:
                tactic[f"outcome:{action.outcome}"] += 1
        for power_id in result.rejected:
            self.tactic.setdefault(power_id, Counter())["rejected"] += 1
        self.cases.append(dataclasses.replace(result, powers=(), near=(), tracked=(), rejected=()))

    def report(self, generated_on: dt.date | None = None) -> PortfolioReport:
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
        # the gloss up to its first bracket: "The council (where no one service leads)." -> "The council"
        agency_names = {
            a: gloss.split(" (")[0].rstrip(".")
            for a, gloss in self._terms("agency").items()
            if gloss
        }
        agencies = sorted(
            (
                AgencyRow(
                    a,
                    self.agency_cases[a],
                    self.agency_options[a],
                    self.agency_top[a],
                    agency_names.get(a, a.replace("_", " ")),
                )
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
        levels = self.levels + sorted(
            {
                k.partition(":")[2]
                for c in self.tactic.values()
                for k in c
                if k.startswith("outcome:")
            }
            - set(self.levels)
        )
        tactics = sorted(
            (
                TacticRow(
                    p,
                    name(p),
                    c["chosen"],
                    c[DONE],
                    c[ABANDONED],
                    c["rejected"],
                    tuple((level, c[f"outcome:{level}"]) for level in levels),
                )
                for p, c in self.tactic.items()
            ),
            key=lambda r: (-r.chosen, -r.done, -r.rejected, r.power_id),
        )
        agency_work = sorted(
            (AgencyWorkRow(a, c["open"], c["overdue"], c[DONE]) for a, c in self.work.items()),
            key=lambda r: (-r.overdue, -r.open, r.agency),
        )
        marking = max(self.classifications | {MARKING}, key=_CLASSIFICATIONS.index)
        report = PortfolioReport(
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
            tactics=tactics,
            agency_work=agency_work,
            levels=levels,
            actions=sum(r.chosen for r in tactics),
            on=self.on,
            four_ps=self._four_p_rows(),
            threats=self._threat_rows(weak),
            agency_names=agency_names,
            redacted=self.redacted,
        )
        report.findings = findings(report)
        return report


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
) -> PortfolioReport:
    """Evaluate the case files (from `case_files`), in parallel unless `serial`; build the report."""
    settings = settings or Settings()
    if settings.top < 1:
        raise AchillesError(f"--top {settings.top} must be 1 or more", hint="e.g. --top 5")
    if settings.on is None and generated_on is not None:  # the workers judge due dates on it too
        settings = dataclasses.replace(settings, on=generated_on.isoformat())
    knowledge = knowledge_for(settings)  # here first: a broken rulebook stops before any work
    portfolio = Portfolio(
        knowledge.catalogue,
        top=settings.top,
        threshold=threshold,
        near_misses=settings.near_misses,
        rules_version=knowledge.rulebook.version,
        # strongest first: the vocabulary orders them weakest first
        levels=list(reversed(knowledge.vocab.sections.get("disruption_level", {}))),
        on=dt.date.fromisoformat(settings.on) if settings.on else generated_on or dt.date.today(),
        vocab=knowledge.vocab,
        redacted=settings.redact,
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
