"""A power or tactic in the catalogue: what it is, who uses it, its test, procedure and risks.

Written for the council lawyer who maintains powers_catalogue/ and the LRO who reads it in the
meeting. Time limits are data (`24h`, `48h`, `14d`, `3mo`), so plans can compute deadlines.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal, get_args

from pydantic import Field, StringConstraints, field_validator, model_validator

from achilles.model.base import FrozenModel

PowerId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
Level = Literal["low", "medium", "high"]
FourP = Literal["pursue", "prevent", "protect", "prepare"]
FOUR_P: tuple[str, ...] = get_args(FourP)
"""The 4P strands in the order a plan lists them: the one place they are named."""
Area = Literal["lifestyle", "behaviour", "vehicles", "travel", "business", "crime"]
AREAS: tuple[str, ...] = get_args(Area)
"""The areas of the menu of tactics (the LGA guide's headings), in the guide's order."""
DURATION = re.compile(r"^(\d+)\s*(h|d|w|mo|y)$")
_UNIT_HOURS = {"h": 1, "d": 24, "w": 24 * 7, "mo": 24 * 30, "y": 24 * 365}


def duration_hours(text: str) -> int:
    """`48h` -> 48, `14d` -> 336, `3mo` -> 2160 (a month counted as 30 days)."""
    m = DURATION.match(text.strip())
    if not m:
        raise ValueError(f"'{text}' is not a duration like 24h, 14d, 3mo or 2y")
    return int(m.group(1)) * _UNIT_HOURS[m.group(2)]


Duration = Annotated[str, StringConstraints(pattern=DURATION.pattern)]


class Legislation(FrozenModel):
    act: str
    """The Act or statutory instrument, with its year."""
    section: str
    """Section, regulation, article or schedule paragraph, e.g. 's76', 'Sch 2 ground 7A'."""
    url: str | None = None
    """The provision on legislation.gov.uk."""

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(
            r"^https://www\.legislation\.gov\.uk/[\w/.-]+$", value
        ):
            raise ValueError("must be a https://www.legislation.gov.uk/... link")
        return value

    def cite(self) -> str:
        return f"{self.act} {self.section}"


class Actor(FrozenModel):
    agency: str
    """An agency term from vocabulary.yaml."""
    role: str | None = None
    """Who within the agency, e.g. 'inspector or above'."""


class ProcedureStep(FrozenModel):
    step: str
    """What is done, in plain words."""
    within: Duration | None = None
    """Statutory deadline from the previous step (or from the start, for the first)."""
    from_step: int | None = Field(default=None, ge=0)
    """Count `within` from the end of this earlier step (1 = the first step, 0 = the start)
    instead of from the previous step: for limits that run from the same event."""
    lasts: Duration | None = None
    """How long the effect of this step lasts at most."""
    lasts_in: dict[Literal["england", "wales"], Duration] = Field(default_factory=dict)
    """Where the limit differs by nation, the limit in that nation (a temporary stop notice:
    56 days in England, 28 in Wales); `lasts` holds for a nation not listed."""
    extendable_to: Duration | None = None
    """The longest it can be extended to, and by whom (see note)."""
    note: str | None = None
    cite: str | None = None
    """The subsection that sets this step or limit."""


def step_lasts(step: ProcedureStep, jurisdiction: str | None) -> str | None:
    """How long a step's effect lasts in that nation."""
    if jurisdiction in ("england", "wales"):
        return step.lasts_in.get(jurisdiction, step.lasts)  # type: ignore[call-overload]
    return step.lasts


class Impact(FrozenModel):
    level: Level
    hits: list[str] = Field(min_length=1)
    """Parts of the group's operation: base, revenue, logistics, people, reputation, assets, status."""
    text: str


class Provenance(FrozenModel):
    source: list[str] = Field(min_length=1)
    """Pages read to write this entry (legislation.gov.uk, statutory guidance)."""
    confirmed: bool
    """True only when its section, test, time limits, penalties and dates were each read on the
    statute text (the pages in `source` and `pages_read`)."""
    pages_read: list[str] = Field(default_factory=list)
    """Which fact was read on which page, e.g. 'dates: SI 2024/452 reg 3(c)': the record a
    reviewer checks before relying on `confirmed: true`."""
    facts_checked_on: dt.date | None = None
    """When the facts were last checked against the statute text (defaults to reviewed_on);
    `powers check --currency` lists entries checked more than a year ago."""
    unconfirmed: list[str] = Field(default_factory=list)
    """Fields or facts not confirmed, so a reviewer knows what to check."""
    reviewed_by: str
    reviewed_on: dt.date


class NationDates(FrozenModel):
    """The dates a power is in force in one nation, where they differ from the entry's own (a
    temporary stop notice of 56 days in England from 25 April 2024; a ground ended in Wales)."""

    nation: Literal["england", "wales"]
    in_force_from: dt.date | None = None
    """None: enacted but not yet in force in this nation."""
    in_force_to: dt.date | None = None
    cite: str | None = None
    """The commencement or repealing provision that sets these dates."""
    note: str | None = None
    """What differs in this nation (a time limit, a penalty), in plain words."""


class Amendment(FrozenModel):
    on: dt.date
    change: str
    source: str | None = None


class After(FrozenModel):
    """A power this one follows when both are planned on the same place (a premises, or a
    business's premises): the order the law or good practice sets between two actions."""

    power: PowerId
    """The power that comes first (an id in the catalogue)."""
    step: int | None = Field(default=None, ge=1)
    """This action starts once that power's procedure reaches this step (1 = its first step;
    default: its first step)."""
    needed: bool = False
    """True when the law allows this power only after that one (a closure order needs a closure
    notice): planning this one without that one, and without a recorded event of it, is a
    conflict the plan flags."""
    why: str
    """Why the order, in plain words, citing the section once."""


class Sequence(FrozenModel):
    """Where a power sits in the order of work (the plan's phases now, next and when)."""

    after: list[After] = Field(default_factory=list)
    stage: Literal["covert", "visit"] | None = None
    """`covert`: police work the group must not learn of; every planned `visit` waits for it,
    so the group is not tipped off. `visit`: an overt visit to premises; visits to one place by
    several agencies in one plan are made one joint visit."""
    brings_about: list[str] = Field(default_factory=list)
    """Legal events (`event_kind` terms) this action can bring about: a next step that waits on
    such an event at the same place or person follows it (a closure order, then possession on
    condition 4; a prosecution, then a criminal behaviour order)."""
    alternatives: list[PowerId] = Field(default_factory=list)
    """Powers that do the same job on the same place: planning both is a conflict to resolve
    (choose one)."""


class Power(FrozenModel):
    id: PowerId
    name: str
    summary: str
    legislation: list[Legislation] = Field(min_length=1)
    jurisdiction: list[Literal["england", "wales"]] = Field(min_length=1)
    in_force_from: dt.date | None = None
    """The commencement date (not Royal Assent). Absent only for a power enacted but not yet in
    force (`not_in_force_yet`)."""
    in_force_to: dt.date | None = None
    by_nation: list[NationDates] = Field(default_factory=list)
    """Dates that differ by nation; a nation not listed uses in_force_from / in_force_to."""
    not_in_force_yet: bool = False
    """Enacted but not commenced: never offered, listed as 'not yet in force'."""
    enacted_on: dt.date | None = None
    """Royal Assent (or the date the instrument was made), for information only."""
    expected_from: dt.date | None = None
    """The commencement date already appointed or announced for a power not yet in force."""
    dated_by: Literal["case", "conduct"] = "case"
    """`case`: the law in force on the case's date applies. `conduct`: the law in force when
    the conduct happened applies (the activity's `since`/`until`, the event's date), whatever
    the case's date: CPRs 2008 for practices before 6 April 2025, PCR 2015 for procurements
    begun before 24 February 2025."""

    four_p: list[FourP] = Field(min_length=1)
    area: Area
    targets: list[
        Literal[
            "premises", "business", "person", "vehicle", "licence", "tenancy", "finance", "group"
        ]
    ] = Field(min_length=1)
    coercive: bool
    """True when the power acts against someone's rights, liberty, home or property. Never
    aimed at a person the group exploits."""
    victims_home: Literal["block", "exempt"] | None = None
    """What the power may do to the home of a person the group exploits (or is presumed to):
    `block` (possession, tenancy fraud, MDA s8: never while they live there) or `exempt` (a
    closure order: only as a partial order that exempts them, ASBCPA 2014 s80(7)-(8))."""
    exemption: str | None = None
    """How the power leaves residents in their home, with its subsection: said beside the names
    of the people to exempt (`victims_home: exempt`)."""
    kind: Literal["power", "referral", "tactic", "safeguarding", "partnership"] = "power"
    lead_agency: str
    exercised_by: list[Actor] = Field(min_length=1)
    authorised_by: list[Actor] = Field(default_factory=list)
    legal_test: str
    evidence_standard: Literal[
        "intelligence",
        "administrative",
        "reasonable_grounds",
        "balance_of_probabilities",
        "beyond_reasonable_doubt",
    ]
    procedure: list[ProcedureStep] = Field(min_length=1)
    duration: str
    max_duration: Duration | None = None
    appeal: str
    impact: Impact
    speed_days: int = Field(ge=0, le=3650)
    """Typical days from decision until it bites."""
    cost: Level
    """Partner effort: officer time, legal costs."""
    legal_risk: Level
    """Risk of challenge or failure in court."""
    collateral_risk: Level
    """Risk of harm to people who are not the target (families, tenants, victims)."""
    cautions: list[str] = Field(min_length=1)
    partners: list[str] = Field(default_factory=list)
    sequence: Sequence = Field(default_factory=Sequence)
    """Its place in the order of work: which powers come first, covert or visit, the legal events
    it brings about, its alternatives."""
    manual_only: bool = False
    """No rule recommends it; the LRO adds it by hand (rules check accepts it unreached)."""
    amendments: list[Amendment] = Field(default_factory=list)
    provenance: Provenance

    @model_validator(mode="after")
    def _dates_given(self) -> Power:
        if self.not_in_force_yet and self.in_force_from is not None:
            raise ValueError(
                "a power not yet in force has no in_force_from: give expected_from if a "
                "commencement date is appointed, or remove not_in_force_yet"
            )
        if not self.not_in_force_yet and self.in_force_from is None:
            raise ValueError(
                "in_force_from is required (the commencement date, not Royal Assent); for a "
                "power enacted but not yet commenced set `not_in_force_yet: true`"
            )
        return self

    def dates(self, jurisdiction: str | None = None) -> tuple[dt.date | None, dt.date | None]:
        """(from, to) in that nation: its own dates where they differ, else the entry's.
        From is None while the power is not in force there."""
        if self.not_in_force_yet:
            return None, None
        for nation in self.by_nation:
            if nation.nation == jurisdiction:
                return nation.in_force_from, nation.in_force_to
        return self.in_force_from, self.in_force_to

    def in_force(self, on: dt.date, jurisdiction: str | None = None) -> bool:
        if jurisdiction is not None and jurisdiction not in self.jurisdiction:
            return False
        start, end = self.dates(jurisdiction)
        return start is not None and start <= on and (end is None or on < end)

    def in_force_during(self, start: dt.date, end: dt.date, jurisdiction: str) -> bool:
        """True when the power was in force in that nation on some day from start to end:
        the test for conduct-dated powers (`dated_by: conduct`)."""
        if jurisdiction not in self.jurisdiction:
            return False
        begins, ends = self.dates(jurisdiction)
        return begins is not None and begins <= end and (ends is None or start < ends)

    def nation_note(self, jurisdiction: str) -> str | None:
        return next((n.note for n in self.by_nation if n.nation == jurisdiction), None)

    def date_boundaries(self) -> set[dt.date]:
        """Every date on which this power starts or ends anywhere."""
        found = {self.in_force_from, self.in_force_to}
        for n in self.by_nation:
            found |= {n.in_force_from, n.in_force_to}
        return {d for d in found if d is not None}

    def in_force_text(self) -> str:
        """'2014-10-20 to now', or 'not yet in force (expected 2027-01-01)', per nation."""
        if self.not_in_force_yet:
            when = f", expected {self.expected_from}" if self.expected_from else ""
            return f"not yet in force (awaiting commencement{when})"
        text = f"{self.in_force_from} to {self.in_force_to or 'now'}"
        for n in self.by_nation:
            span = (
                f"{n.in_force_from} to {n.in_force_to or 'now'}"
                if n.in_force_from
                else "not yet in force"
            )
            text += f"; in {n.nation}: {span}"
        return text

    @property
    def pending(self) -> bool:
        """Enacted but not yet commenced (`not_in_force_yet`): never offered."""
        return self.not_in_force_yet

    def citation(self) -> str:
        return "; ".join(leg.cite() for leg in self.legislation)


class CatalogueFile(FrozenModel):
    """One file of powers_catalogue/: a family of related powers."""

    family: str
    description: str | None = None
    cautions: list[str] = Field(default_factory=list)
    """Cautions true of every power in this family (Article 8, say): each power carries them
    after its own, and a plan says them once, in its general annex, not on every action."""
    powers: list[Power] = Field(min_length=1)
