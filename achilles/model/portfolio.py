"""A portfolio of cases as data: what is kept of each case (a summary, or why it was skipped)
and the report across them, which achilles/render/portfolio/ writes.

Everything here holds ids, terms, counts, file names and the operation's title; never a name
or a free-text label (people appear by role and id, other targets by kind and id) and never
notes. A redacted report (`batch --redact`) holds no title either.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class TopOption:
    rank: int
    power_id: str
    target: str  # an entity id
    target_type: str
    score: float
    target_name: str = ""  # a person's role and id ("principal n1"); "" otherwise or redacted
    four_p: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Tracked:
    """One action of a case's plan, as the portfolio counts it (ids and terms only)."""

    power_id: str
    agency: str  # the action's lead agency (the partnership's, else the power's)
    status: str
    outcome: str  # a disruption level, or "" before one is recorded
    overdue: bool


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
    tracked: tuple[Tracked, ...] = ()  # the plan's actions
    rejected: tuple[str, ...] = ()  # power ids of options the partnership rejected
    title: str = ""  # the operation's name; "" in a redacted report
    threat: str = "unknown"  # the group's assessed threat (vocabulary `threat`)


@dataclass(frozen=True, slots=True)
class CaseFailure:
    file: str
    problem: str  # the first problem, as `achilles case validate` prints it
    kind: str  # input, engine, internal or crash


CaseResult = CaseSummary | CaseFailure


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
    name: str = ""  # the agency in words, from the vocabulary


@dataclass(frozen=True)
class FourPRow:
    """Options and top options under one of the four Ps (an option may serve several)."""

    four_p: str
    meaning: str  # the vocabulary's gloss
    cases: int
    options: int
    in_top: int


@dataclass(frozen=True)
class ThreatRow:
    threat: str
    meaning: str
    cases: int
    weak: int  # of them, cases with no strong option


@dataclass(frozen=True)
class NearRow:
    power_id: str
    power: str
    missing: str
    cases: int
    times: int


@dataclass(frozen=True)
class TacticRow:
    """What the partnership did with a tactic across the portfolio, and what it achieved."""

    power_id: str
    power: str
    chosen: int  # actions in plans, whatever their status
    done: int
    abandoned: int
    rejected: int
    outcomes: tuple[tuple[str, int], ...]  # disruption level -> actions done with it


@dataclass(frozen=True)
class AgencyWorkRow:
    """The actions a lead agency holds across the portfolio's plans."""

    agency: str
    open: int
    overdue: int
    done: int


@dataclass
class PortfolioReport:
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
    tactics: list[TacticRow] = field(default_factory=list)
    agency_work: list[AgencyWorkRow] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)  # disruption levels, strongest first
    actions: int = 0  # actions in the plans
    on: dt.date | None = None  # the date due dates were judged on
    four_ps: list[FourPRow] = field(default_factory=list)
    threats: list[ThreatRow] = field(default_factory=list)
    agency_names: dict[str, str] = field(default_factory=dict)
    redacted: bool = False
    findings: list[str] = field(default_factory=list)  # what a board should take from it, in words

    def agency_name(self, agency: str) -> str:
        return self.agency_names.get(agency) or agency.replace("_", " ")
