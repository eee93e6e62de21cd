"""What a plan holds: dated 4P actions in the order of work, the safeguarding lane, next steps,
conflicts, joint visits, information requests, the cautions said once, and the decision record.
Text only from here on; renderers format it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from achilles.model.power import FOUR_P

PHASES = ("now", "next", "when")  # the order of work: at once, after a planned action, on an event
STALE = "no longer supported by the rules: review"
ORIGINS = ("chosen", "suggested", "automatic")  # how an action came to be in the plan


@dataclass(frozen=True)
class Step:
    due: dt.date | None
    text: str
    note: str = ""


@dataclass(frozen=True)
class ActionNote:
    """A dated update on an action, as this plan may show it."""

    date: dt.date
    by: str
    text: str


@dataclass(frozen=True)
class ActionOutcome:
    """The outcome of a completed action."""

    level: str
    date: dt.date
    note: str


@dataclass
class Action:
    key: str
    rank: int
    score: float
    section: str
    title: str
    power_id: str
    target_id: str
    target: str
    legal_basis: str
    lead_agency: str
    partners: list[str]
    owner: str
    due: dt.date | None
    steps: list[Step]
    evidence: list[str]
    cautions: list[str]  # this action's own: the family's general cautions are the plan's
    because: list[str]
    facts: list[str]
    rules: list[str]
    breakdown: list[tuple[str, float, str]]
    exempt: list[str] = field(default_factory=list)  # people a partial order must leave at home
    status: str = "proposed"
    rag: str = ""
    origin: str = "chosen"  # chosen by the LRO, suggested (until they choose), automatic
    stale: bool = False  # its option no longer appears: review it
    due_set: bool = False  # the due date is the partnership's (else the law's latest date)
    overdue: bool = False  # open and past the partnership's due date on the plan date
    added: dt.date | None = None
    updates: list[ActionNote] = field(default_factory=list)
    outcome: ActionOutcome | None = None
    phase: str = "now"  # one of PHASES
    after: list[str] = field(default_factory=list)  # the keys of the actions it waits for
    waits: list[str] = field(default_factory=list)  # why it waits, one line per action
    start: dt.date | None = None  # the date its steps count from
    visit: str = ""  # the place of the joint visit it is part of

    @property
    def last_update(self) -> ActionNote | None:
        return self.updates[-1] if self.updates else None


@dataclass
class Safeguard:
    person_id: str
    person: str
    needs: str
    actions: list[str]
    presumed: list[str] = field(default_factory=list)  # why the law treats them as a victim
    lift: list[str] = field(default_factory=list)  # what record would lift each presumption
    keys: list[str] = field(default_factory=list)  # the plan's actions that safeguard them


@dataclass
class InformationRequest:
    """What one partner is asked, in plain words and names, with what each answer would open."""

    partner: str  # an agency term
    partner_name: str
    questions: list[str]


@dataclass
class NextStep:
    """A power that opens only when a legal event happens (a conviction, a closure order)."""

    key: str
    title: str
    target: str
    opens_when: list[str]
    legal_basis: str
    lead_agency: str
    phase: str = "when"
    after: list[str] = field(default_factory=list)  # planned actions that may bring the event


@dataclass(frozen=True)
class Conflict:
    """Two or more chosen actions that clash, or one that lacks what must come first."""

    kind: str  # missing, alternatives, order, visits, circle
    keys: list[str]
    text: str


@dataclass
class JointVisit:
    """Visits by several agencies to one place, made one visit on one date."""

    place: str  # the premises id
    label: str
    date: dt.date | None
    keys: list[str]
    agencies: list[str]


@dataclass
class GeneralCaution:
    """A caution true of every power of a family: said once per plan, with what it applies to."""

    text: str
    applies_to: list[str]  # action titles


@dataclass
class DecisionRecord:
    key: str
    title: str
    target: str
    decision: str
    reason: str
    by: str = ""
    at: str = ""  # the date decided
    until: str = ""  # a deferral's date to look again


@dataclass
class Plan:
    marking: str
    operation: str
    ocg: str
    ocg_reference: str
    lro: str
    lro_agency: str
    date: dt.date
    as_of: dt.date
    summary: list[str]
    sections: dict[str, list[Action]]
    safeguarding: list[Safeguard]
    next_steps: list[NextStep]
    intelligence: list[str]  # every information request, partner first, on one line each
    joint_operations: list[str]
    review_date: dt.date
    decisions: list[DecisionRecord]
    warnings: list[str]
    redacted: bool
    requests: list[InformationRequest] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)
    chosen: bool = False  # the LRO has chosen actions (else the best options are suggested)
    last_review: dt.date | None = None
    order: list[str] = field(default_factory=list)  # action keys in the order of work
    conflicts: list[Conflict] = field(default_factory=list)
    visits: list[JointVisit] = field(default_factory=list)
    general_cautions: list[GeneralCaution] = field(default_factory=list)
    lane: list[str] = field(default_factory=list)  # the safeguarding lane's keys, in order

    def actions(self) -> list[Action]:
        """Every action, in the order of work (phase, then date); 4P order before sequencing."""
        by_4p = [a for p in FOUR_P for a in self.sections.get(p, [])]
        if not self.order:
            return by_4p
        place = {k: i for i, k in enumerate(self.order)}
        return sorted(by_4p, key=lambda a: place.get(a.key, len(place)))
