"""A case flattened into facts: the only thing the engine and the reference evaluator see.

Facts hold ids and vocabulary terms, never names, labels or notes: the engine need not hold
personal text, and explanations look names up in the case afterwards. Every fact has every
field of its type (missing scalars are "", unknown numbers -1), so tests behave the same in
durable_rules and in plain Python.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from achilles.model.case import Case, Event, Person
from achilles.model.fact_types import FACT_TYPES
from achilles.model.vocabulary import Vocabulary

Fact = dict[str, Any]


@dataclass(frozen=True)
class FactSet:
    facts: list[Fact]
    by_type: dict[str, list[Fact]]

    def of(self, fact_type: str) -> list[Fact]:
        return self.by_type.get(fact_type, [])


def is_exploited(person: Person, vocab: Vocabulary) -> bool:
    """Recorded as someone the group exploits: a protected role or an exploitation marker.

    The law's presumptions (a runner, a possible child, a presumed cuckooed tenant) are applied
    on top of this by `presumptions.presume`, from rules/presumptions.yaml."""
    return person.role in vocab.protected_roles or any(
        v in vocab.exploitation_markers for v in person.vulnerabilities
    )


def is_child(person: Person) -> bool:
    return "child" in person.vulnerabilities or (person.age is not None and person.age < 18)


def case_facts(
    case: Case,
    vocab: Vocabulary,
    *,
    disabled: frozenset[str] = frozenset(),
    as_of: dt.date | None = None,
) -> FactSet:
    """Flatten a case. `disabled` holds entity ids left out for a "what if" run; event ages
    (days and months since) count to `as_of`, the case's own date unless given."""
    as_of = as_of or case.case.as_of
    facts: list[Fact] = []
    kinds = {p.id: "person" for p in case.people}
    kinds.update({b.id: "business" for b in case.businesses})
    kinds.update({v.id: "vehicle" for v in case.vehicles})

    def add(fact_type: str, **values: Any) -> None:
        fact: Fact = {"type": fact_type}
        for name, spec in FACT_TYPES[fact_type].items():
            value = values.get(name)
            if spec.many:
                fact[name] = list(value or [])
            elif spec.number:
                fact[name] = -1 if value is None else int(value)
            elif spec.boolean:
                fact[name] = bool(value)
            else:
                fact[name] = "" if value is None else str(value)
            if spec.ordered:
                fact[f"{name}_rank"] = vocab.rank(spec.vocab or "", fact[name]) if value else -1
        if fact.get("weak_grade") and fact.get("status") == "intelligence":
            # weak intelligence counts as suspicion until corroborated (vocabulary weak_grades)
            fact["status_rank"] = vocab.rank("status", "suspected")
        facts.append(fact)

    add(
        "ocg",
        key="ocg",
        crime_types=case.ocg.crime_types,
        threat=case.ocg.threat,
        jurisdiction=case.case.jurisdiction,
    )
    for p in case.people:
        if p.id in disabled:
            continue
        add(
            "person",
            key=p.id,
            role=p.role,
            age=p.age,
            benefits=p.benefits,
            licences=p.licences,
            immigration=p.immigration,
            flags=p.flags,
            vulnerabilities=p.vulnerabilities,
            exploited=is_exploited(p, vocab),
            child=is_child(p),
        )
    for pr in case.premises:
        if pr.id in disabled:
            continue
        add(
            "premises",
            key=pr.id,
            use=pr.use,
            tenure=pr.tenure,
            landlord=pr.landlord,
            licences=pr.licences,
            designations=pr.designations,
            flags=pr.flags,
        )
        for link in pr.occupants:
            if link.person not in disabled:
                add("occupancy", person=link.person, premises=pr.id, **{"as": link.as_})
    for b in case.businesses:
        if b.id in disabled:
            continue
        add(
            "business",
            key=b.id,
            trade=b.trade,
            premises=b.premises if b.premises not in disabled else None,
            registrations=b.registrations,
            flags=b.flags,
            company=bool(b.company_number) or "companies_house" in b.registrations,
        )
        for link in b.people:
            if link.person not in disabled:
                add("business_role", person=link.person, business=b.id, **{"as": link.as_})
    for v in case.vehicles:
        if v.id in disabled:
            continue
        add(
            "vehicle",
            key=v.id,
            kind=v.kind,
            keeper=v.keeper if v.keeper not in disabled else None,
            flags=v.flags,
        )
        if v.keeper and v.keeper not in disabled:
            add("vehicle_use", person=v.keeper, vehicle=v.id, **{"as": "keeper"})
        for user in v.users:
            if user not in disabled and user != v.keeper:
                add("vehicle_use", person=user, vehicle=v.id, **{"as": "user"})
    for i, a in enumerate(case.activities):
        key = case.activity_id(i)
        if key in disabled:
            continue
        weak = vocab.weak_grade(a.grade)
        add(
            "activity", key=key, kind=a.kind, status=a.status, graded=bool(a.grade), weak_grade=weak
        )
        common = {"activity": key, "kind": a.kind, "status": a.status, "weak_grade": weak}
        for pid in a.at:
            if pid not in disabled:
                add("activity_at", premises=pid, **common)
        for actor in a.by:
            if actor not in disabled:
                add("activity_by", actor=actor, actor_type=kinds.get(actor, ""), **common)
        for thing in a.using:
            if thing not in disabled:
                add("activity_using", thing=thing, thing_type=kinds.get(thing, ""), **common)
        for person in a.affecting:
            if person not in disabled:
                add("activity_affecting", person=person, **common)
    for i, e in enumerate(case.events):
        key = case.event_id(i)
        if key in disabled:
            continue
        about = _event_fields(e, as_of)
        add("event", key=key, **about)
        for subject in e.of:
            if subject not in disabled:
                add(
                    "event_of",
                    event=key,
                    subject=subject,
                    subject_type=kinds.get(subject, ""),
                    **about,
                )
        for pid in e.at:
            if pid not in disabled:
                add("event_at", event=key, premises=pid, **about)

    by_type: dict[str, list[Fact]] = {}
    for n, fact in enumerate(facts):
        fact["fid"] = f"f{n}"  # the engine's identity; domain joins use `key` and ref fields
        by_type.setdefault(fact["type"], []).append(fact)
    return FactSet(facts, by_type)


def _event_fields(e: Event, as_of: dt.date) -> dict[str, Any]:
    return {
        "kind": e.kind,
        "offence": e.offence,
        "power": e.power,
        "outcome": e.outcome,
        "by": e.by,
        "days_since": max((as_of - e.on).days, 0),
        "months_since": months_between(e.on, as_of),
        "lasted_days": (e.until - e.on).days if e.until else None,
        "current": e.until is None or e.until >= as_of,
    }


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from start to end: 1 Jan to 31 Mar is 2, to 1 Apr is 3.

    "Within 3 months beginning with the day of the order" holds while this is at most 2."""
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day and not _month_end_reached(start, end):
        months -= 1
    return months


def _month_end_reached(start: dt.date, end: dt.date) -> bool:
    # An order of 31 January is three months old on 30 April (April has no 31st).
    last = calendar.monthrange(end.year, end.month)[1]
    return end.day == last and start.day > last
