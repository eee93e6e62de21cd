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
    """lower-case letters, digits and `-`, up to 80 characters; used in file names and the
    workspace"""
    title: Text
    """the operation's name"""
    as_of: Date
    """the date this picture describes: rules and powers in force on that date apply"""
    jurisdiction: Term
    marking: Text = "OFFICIAL-SENSITIVE"
    """the protective marking printed on every export: a Government Security Classifications
    term (`OFFICIAL`, `OFFICIAL-SENSITIVE`, `SECRET`, `TOP SECRET`), optionally with a descriptor
    from the vocabulary's `marking_descriptor`; default `OFFICIAL-SENSITIVE`"""
    lro: Lro
    """`name` (a name or a post) and `agency`, both required; optional `contact`"""
    partners: list[Term] = Field(default_factory=list)
    """the agencies at the table"""
    review_on: Date | None = None
    """a date: when the partnership next reviews the case (the workspace's retention uses it)"""


class Ocg(CaseModel):
    name: Text
    """the name the group is known by"""
    reference: Text | None = None
    """the OCG mapping reference (a URN)"""
    crime_types: list[Term] = Field(default_factory=list)
    """what the group does"""
    threat: Term | None = None
    notes: Text | None = None
    """free text"""


class Link(CaseModel):
    """A person's tie to a premises or business: `{person: n1, as: tenant}`."""

    person: Id
    as_: Term = Field(alias="as")


class Person(CaseModel):
    id: Id
    """the person's id, e.g. `n1`"""
    name: Text | None = None
    """a nominal may be known only by its id"""
    role: Term
    age: Annotated[int, Field(ge=0, le=120, strict=True)] | None = None
    """a whole number from 0 to 120; under 18 is a child, presumed a victim of child criminal
    exploitation while in the group (MSA 2015 s3(6)); a runner without one is treated as a
    possible child"""
    benefits: list[Term] = Field(default_factory=list)
    licences: list[Term] = Field(default_factory=list)
    """licences the person holds"""
    immigration: Term | None = None
    flags: list[Term] = Field(default_factory=list)
    vulnerabilities: list[Term] = Field(default_factory=list)
    """including the exploitation markers"""
    notes: Text | None = None
    """free text"""


class Premises(CaseModel):
    id: Id
    """the premises' id, e.g. `p1`"""
    label: Text
    """an address or a description"""
    use: Term
    tenure: Term
    landlord: Term | None = None
    licences: list[Term] = Field(default_factory=list)
    designations: list[Term] = Field(default_factory=list)
    """licensing designations the premises lie inside (HA 2004 ss56, 80): a rented house inside
    one must be licensed"""
    occupants: list[Link] = Field(default_factory=list)
    """links `{person: ID, as: TERM}`: a person id, and how they occupy it (`link_as`: tenant,
    owner, occupier, manager, visitor, ...; `absent_tenant` for a tenant who no longer lives
    there, which tenancy fraud needs)"""
    flags: list[Term] = Field(default_factory=list)
    """a property's known problems, e.g. `fire_risk`"""
    notes: Text | None = None
    """free text"""


class Business(CaseModel):
    id: Id
    """the business's id, e.g. `b1`"""
    name: Text
    """its trading name"""
    trade: Term
    """every `premises_use` term is a trade too"""
    premises: Id | None = None
    """the id of the premises it trades from"""
    people: list[Link] = Field(default_factory=list)
    """links `{person: ID, as: TERM}` (`link_as`: director, shadow_director, employee, ...)"""
    company_number: Annotated[str, StringConstraints(max_length=16)] | None = None
    """up to 16 characters"""
    registrations: list[Term] = Field(default_factory=list)
    flags: list[Term] = Field(default_factory=list)
    notes: Text | None = None
    """free text"""


class Vehicle(CaseModel):
    id: Id
    """the vehicle's id, e.g. `v1`"""
    vrm: Annotated[str, StringConstraints(max_length=16)] | None = None
    """the registration mark, up to 16 characters"""
    kind: Term
    keeper: Id | None = None
    """the id of a person or a business"""
    users: list[Id] = Field(default_factory=list)
    """ids of people who drive it"""
    flags: list[Term] = Field(default_factory=list)
    notes: Text | None = None
    """free text"""


class Activity(CaseModel):
    kind: Term
    id: Id | None = None
    """without one, the activity is known as `act-N` (its position, from 1)"""
    at: list[Id] = Field(default_factory=list)
    """ids of premises"""
    by: list[Id] = Field(default_factory=list)
    """ids of people or businesses"""
    using: list[Id] = Field(default_factory=list)
    """ids of vehicles or businesses"""
    affecting: list[Id] = Field(default_factory=list)
    """ids of people the activity exploits or harms: its victims (the tenant a cuckooing takes
    over, the worker a labour exploitation uses)"""
    status: Term
    """weakest first as above"""
    grade: Annotated[str, StringConstraints(max_length=16)] | None = None
    """the intelligence grade as the source gave it (`B2`, `2-A-1`), up to 16 characters"""
    since: Date | None = None
    """a date: when the conduct began, as far as known"""
    until: Date | None = None
    """a date: when it stopped, if it has; with `since` it dates the conduct, so a power that
    follows the conduct's date (`dated_by: conduct`, e.g. the CPRs 2008 before 6 April 2025)
    applies if it was in force on any day of it"""
    notes: Text | None = None
    """free text"""


class Event(CaseModel):
    """Something that has happened in law: a conviction, a closure order, an assessment.

    Kept apart from activities, whose `status` says how well conduct is evidenced: a banning
    order needs a conviction, not evidence that is "proven". Which fields each kind needs is
    vocabulary data (`event_fields`)."""

    kind: Term
    on: Date
    """the date it happened; never after `case.as_of`"""
    id: Id | None = None
    """without one, the event is known as `ev-N` (its position, from 1)"""
    of: list[Id] = Field(default_factory=list)
    """ids of the people or businesses it concerns"""
    at: list[Id] = Field(default_factory=list)
    """ids of the premises it concerns"""
    until: Date | None = None
    """the date it ends (a closure order, an injunction); never before `on`"""
    offence: Term | None = None
    """the offence of a conviction, caution or warning"""
    power: Annotated[str, StringConstraints(max_length=60)] | None = None
    """a power id from the catalogue (a civil penalty, an order, a licence decision)"""
    outcome: Term | None = None
    """a term from the section the kind names: `assessment_outcome` (`exploited`,
    `not_exploited`, `pending`), `age_outcome` (`child`, `adult`), `licence_outcome`,
    `nrm_outcome`"""
    by: Term | None = None
    """who decided or assessed"""
    court: Text | None = None
    """free text"""
    reference: Text | None = None
    """free text: a court or case reference"""
    notes: Text | None = None
    """free text"""


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
