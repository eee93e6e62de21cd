"""The case file: one OCG as the LRO knows it on one date (docs/CASE-FORMAT.md).

Structure is checked by pydantic; vocabulary terms and references are checked against the
vocabulary data by `check_case`, so councils can extend terms without touching code.
"""

from __future__ import annotations

import datetime as dt
import weakref
from typing import Annotated

from pydantic import BeforeValidator, ConfigDict, Field, StringConstraints

from achilles.model.base import FrozenModel
from achilles.model.plan_state import PlanState

Id = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]
# Starts with a letter or digit: an id like "-rf" would read as an option on the command line.
CaseId = Annotated[
    str, StringConstraints(min_length=1, max_length=80, pattern=r"^[a-z0-9][a-z0-9-]*$")
]
Text = Annotated[str, StringConstraints(max_length=20_000)]
Term = Annotated[str, StringConstraints(min_length=1, max_length=80)]


def _not_a_number(value: object) -> object:
    # pydantic would read 1420070400 as a Unix time; the law in force turns on this date
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError("is not a date but a number: write it as YYYY-MM-DD, e.g. 2015-06-01")
    return value


Date = Annotated[dt.date, BeforeValidator(_not_a_number)]


_INDEXES: dict[int, tuple[weakref.ref, dict]] = {}


class CaseModel(FrozenModel):
    """A part of a case. Frozen: edits build a new Case from changed data (Session.apply), so
    the entity index kept beside a case (Case.entity) can never go stale. Fields may be given
    by name or by their alias (`as` is a Python keyword)."""

    model_config = ConfigDict(populate_by_name=True)


class Lro(CaseModel):
    name: Text
    """The Lead Responsible Officer (a name or a post)."""
    agency: Text
    contact: Text | None = None


class CaseInfo(CaseModel):
    id: CaseId
    """Lower-case letters, digits and '-': used in file names and the workspace."""
    title: Text
    as_of: Date
    """The date this picture describes; rules in force on that date apply."""
    jurisdiction: Term
    marking: Text = "OFFICIAL-SENSITIVE"
    lro: Lro
    partners: list[Term] = Field(default_factory=list)
    review_on: Date | None = None
    """When the partnership next reviews this case (workspace retention uses it)."""


class Ocg(CaseModel):
    name: Text
    reference: Text | None = None
    crime_types: list[Term] = Field(default_factory=list)
    threat: Term | None = None
    notes: Text | None = None


class Link(CaseModel):
    """A person's tie to a premises or business: `{person: n1, as: tenant}`."""

    person: Id
    as_: Term = Field(alias="as")


class Person(CaseModel):
    id: Id
    name: Text | None = None
    role: Term
    age: Annotated[int, Field(ge=0, le=120, strict=True)] | None = None
    benefits: list[Term] = Field(default_factory=list)
    licences: list[Term] = Field(default_factory=list)
    immigration: Term | None = None
    flags: list[Term] = Field(default_factory=list)
    vulnerabilities: list[Term] = Field(default_factory=list)
    notes: Text | None = None


class Premises(CaseModel):
    id: Id
    label: Text
    use: Term
    tenure: Term
    landlord: Term | None = None
    licences: list[Term] = Field(default_factory=list)
    designations: list[Term] = Field(default_factory=list)
    """Licensing designations the premises lie inside (selective or additional licensing)."""
    occupants: list[Link] = Field(default_factory=list)
    flags: list[Term] = Field(default_factory=list)
    notes: Text | None = None


class Business(CaseModel):
    id: Id
    name: Text
    trade: Term
    premises: Id | None = None
    people: list[Link] = Field(default_factory=list)
    company_number: Annotated[str, StringConstraints(max_length=16)] | None = None
    registrations: list[Term] = Field(default_factory=list)
    flags: list[Term] = Field(default_factory=list)
    notes: Text | None = None


class Vehicle(CaseModel):
    id: Id
    vrm: Annotated[str, StringConstraints(max_length=16)] | None = None
    kind: Term
    keeper: Id | None = None
    users: list[Id] = Field(default_factory=list)
    flags: list[Term] = Field(default_factory=list)
    notes: Text | None = None


class Activity(CaseModel):
    kind: Term
    id: Id | None = None
    at: list[Id] = Field(default_factory=list)
    by: list[Id] = Field(default_factory=list)
    using: list[Id] = Field(default_factory=list)
    affecting: list[Id] = Field(default_factory=list)
    """People the activity exploits or harms: its victims (a trafficked worker, a cuckooed
    tenant, a child drawn into running)."""
    status: Term
    grade: Annotated[str, StringConstraints(max_length=16)] | None = None
    since: Date | None = None
    """When the conduct began, as far as known."""
    until: Date | None = None
    """When it stopped, if it has. With `since`, this dates the conduct: a power that follows
    the conduct's date (`dated_by: conduct`, e.g. the CPRs 2008 before 6 April 2025) applies
    if it was in force on any day of it."""
    notes: Text | None = None


class Event(CaseModel):
    """Something that has happened in law: a conviction, a closure order, an assessment.

    Kept apart from activities, whose `status` says how well conduct is evidenced: a banning
    order needs a conviction, not evidence that is "proven". Which fields each kind needs is
    vocabulary data (`event_fields`)."""

    kind: Term
    on: Date
    """The date it happened (the date of conviction, of the order, of the assessment)."""
    id: Id | None = None
    of: list[Id] = Field(default_factory=list)
    """The people or businesses it concerns."""
    at: list[Id] = Field(default_factory=list)
    """The premises it concerns."""
    until: Date | None = None
    """When it ends (a closure order, an injunction)."""
    offence: Term | None = None
    """The offence, as an activity kind (conviction, caution, warning)."""
    power: Annotated[str, StringConstraints(max_length=60)] | None = None
    """The power used, as a catalogue id (civil penalty, order, licence decision)."""
    outcome: Term | None = None
    by: Term | None = None
    """The agency that decided or assessed."""
    court: Text | None = None
    reference: Text | None = None
    notes: Text | None = None


class Case(CaseModel):
    case: CaseInfo
    ocg: Ocg
    people: list[Person] = Field(default_factory=list)
    premises: list[Premises] = Field(default_factory=list)
    businesses: list[Business] = Field(default_factory=list)
    vehicles: list[Vehicle] = Field(default_factory=list)
    activities: list[Activity] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    plan: PlanState | None = None
    """The plan the LRO keeps: actions, decisions and reviews (achilles/model/plan_state.py)."""

    def activity_id(self, index: int) -> str:
        """Activities may omit `id`; they are then known by position (act-1, act-2...)."""
        given = self.activities[index].id
        return given or f"act-{index + 1}"

    def event_id(self, index: int) -> str:
        """Events may omit `id`; they are then known by position (ev-1, ev-2...)."""
        return self.events[index].id or f"ev-{index + 1}"

    def entity(self, key: str) -> Person | Premises | Business | Vehicle | Activity | Event | None:
        # Cases are not edited in place (edits build a new Case), so the index is built once,
        # kept outside the model so that equality and dumps never see it.
        cached = _INDEXES.get(id(self))
        if cached is None or cached[0]() is not self:
            cached = (weakref.ref(self), self.index())
            _INDEXES[id(self)] = cached
            weakref.finalize(self, _INDEXES.pop, id(self), None)
        return cached[1].get(key)

    def index(self) -> dict[str, Person | Premises | Business | Vehicle | Activity | Event]:
        out: dict[str, Person | Premises | Business | Vehicle | Activity | Event] = {}
        for group in (self.people, self.premises, self.businesses, self.vehicles):
            for item in group:
                out[item.id] = item
        for i, activity in enumerate(self.activities):
            out[self.activity_id(i)] = activity
        for i, event in enumerate(self.events):
            out[self.event_id(i)] = event
        return out

    def label(self, key: str, *, redact: bool = False) -> str:
        """How an entity is named in sentences: a person's name (or id when redacted)."""
        item = self.entity(key)
        if isinstance(item, Person):
            return key if redact or not item.name else item.name
        if isinstance(item, Premises):
            return f"premises {key}" if redact else item.label
        if isinstance(item, Business):
            return f"business {key}" if redact else item.name
        if isinstance(item, Vehicle):
            return f"vehicle {key}" if redact or not item.vrm else f"vehicle {item.vrm}"
        if isinstance(item, Activity):
            return item.kind.replace("_", " ")
        if isinstance(item, Event):
            return f"{item.kind.replace('_', ' ')} of {item.on.isoformat()}"
        return key

    def to_data(self) -> dict:
        """The case as plain data in the file's own shape (aliases, no empty fields)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_defaults=True)
