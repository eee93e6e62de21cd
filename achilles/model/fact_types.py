"""The facts a rule can match: one fact type per entity or link, with its fields.

This is the contract between case files and rules. Each field names the vocabulary section its
values come from (for rule checks and "did you mean"), whether it holds a list, and whether it is
ordered (so `at_least` works) or a reference to another fact's key (so `same_as` joins work).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldSpec:
    vocab: str | None = None  # vocabulary section of its values
    many: bool = False  # holds a list of terms
    ordered: bool = False  # compare with at_least / at_most (by rank in the vocabulary)
    number: bool = False  # a whole number (age)
    boolean: bool = False
    ref: tuple[str, ...] = ()  # fact types whose `key` this field names (joins)
    doc: str = ""


F = FieldSpec

# What every event fact says about the event, so rules can test it without a join.
_EVENT: dict[str, FieldSpec] = {
    "kind": F("event_kind"),
    "offence": F("activity_kind", doc="the offence (convictions, cautions, warnings)"),
    "power": F(doc="a power id from the catalogue (civil penalties, orders, decisions)"),
    "outcome": F(doc="the outcome term (assessments, licence decisions, NRM referrals)"),
    "by": F("agency"),
    "days_since": F(number=True, doc="whole days from the event to the case's date"),
    "months_since": F(
        number=True,
        doc="whole calendar months from the event to the case's date: 'within 3 months "
        "beginning with the day' is months_since at most 2",
    ),
    "lasted_days": F(number=True, doc="days from 'on' to 'until'; -1 when it has no end date"),
    "current": F(boolean=True, doc="in force on the case's date (no 'until', or not yet passed)"),
}

FACT_TYPES: dict[str, dict[str, FieldSpec]] = {
    "ocg": {
        "key": F(doc="always 'ocg'"),
        "crime_types": F("activity_kind", many=True),
        "threat": F("threat", ordered=True),
        "jurisdiction": F("jurisdiction"),
    },
    "person": {
        "key": F(doc="the person's id"),
        "role": F("role"),
        "age": F(number=True, doc="-1 when not known"),
        "benefits": F("benefit", many=True),
        "licences": F("person_licence", many=True),
        "immigration": F("immigration"),
        "flags": F("person_flag", many=True),
        "vulnerabilities": F("vulnerability", many=True),
        "exploited": F(
            boolean=True,
            doc="the group exploits this person, by label or by a presumption: never a coercive target",
        ),
        "child": F(
            boolean=True,
            doc="under 18 by age or the 'child' vulnerability, or presumed so (MSA 2015 s51)",
        ),
        "presumed": F(
            "presumption", many=True, doc="the presumptions that hold for this person, by kind"
        ),
    },
    "premises": {
        "key": F(),
        "use": F("premises_use"),
        "tenure": F("tenure"),
        "landlord": F("landlord"),
        "licences": F("premises_licence", many=True),
        "designations": F(
            "licensing_designation",
            many=True,
            doc="licensing designations the premises lie inside (HA 2004 ss56, 80)",
        ),
        "flags": F("activity_kind", many=True),
    },
    "business": {
        "key": F(),
        "trade": F("trade"),
        "premises": F(ref=("premises",)),
        "registrations": F("registration", many=True),
        "flags": F("business_flag", many=True),
        "company": F(
            boolean=True,
            doc="a registered company: a company number, or registered at Companies House",
        ),
    },
    "vehicle": {
        "key": F(),
        "kind": F("vehicle_kind"),
        "keeper": F(ref=("person", "business")),
        "flags": F("vehicle_flag", many=True),
    },
    "activity": {
        "key": F(),
        "kind": F("activity_kind"),
        "status": F("status", ordered=True),
        "graded": F(boolean=True, doc="an intelligence grade was recorded"),
        "weak_grade": F(
            boolean=True, doc="graded so weakly it counts as suspected (vocabulary weak_grades)"
        ),
    },
    "activity_at": {
        "activity": F(ref=("activity",)),
        "premises": F(ref=("premises",)),
        "kind": F("activity_kind"),
        "status": F("status", ordered=True),
        "weak_grade": F(boolean=True, doc="graded so weakly it counts as suspected"),
    },
    "activity_by": {
        "activity": F(ref=("activity",)),
        "actor": F(ref=("person", "business")),
        "actor_type": F(doc="person or business"),
        "kind": F("activity_kind"),
        "status": F("status", ordered=True),
        "weak_grade": F(boolean=True, doc="graded so weakly it counts as suspected"),
    },
    "activity_using": {
        "activity": F(ref=("activity",)),
        "thing": F(ref=("vehicle", "business")),
        "thing_type": F(doc="vehicle or business"),
        "kind": F("activity_kind"),
        "status": F("status", ordered=True),
        "weak_grade": F(boolean=True, doc="graded so weakly it counts as suspected"),
    },
    "activity_affecting": {
        "activity": F(ref=("activity",)),
        "person": F(ref=("person",)),
        "kind": F("activity_kind"),
        "status": F("status", ordered=True),
        "weak_grade": F(boolean=True, doc="graded so weakly it counts as suspected"),
    },
    "event": {
        "key": F(doc="the event's id (ev-1... when it has none)"),
        **_EVENT,
    },
    "event_of": {
        "event": F(ref=("event",)),
        "subject": F(ref=("person", "business")),
        "subject_type": F(doc="person or business"),
        **_EVENT,
    },
    "event_at": {
        "event": F(ref=("event",)),
        "premises": F(ref=("premises",)),
        **_EVENT,
    },
    "occupancy": {
        "person": F(ref=("person",)),
        "premises": F(ref=("premises",)),
        "as": F("link_as"),
    },
    "business_role": {
        "person": F(ref=("person",)),
        "business": F(ref=("business",)),
        "as": F("link_as"),
    },
    "vehicle_use": {
        "person": F(ref=("person", "business")),
        "vehicle": F(ref=("vehicle",)),
        "as": F(doc="keeper or user"),
    },
}

# Entity facts: those that can be an option's target and that carry a `key`.
ENTITY_TYPES = ("ocg", "person", "premises", "business", "vehicle", "activity")
# Facts that record the legal record: a rule's legal trigger is one of these.
EVENT_TYPES = ("event", "event_of", "event_at")
