"""Rules in plain English, for the lawyer who reviews them and the LRO who asks "why?"."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from achilles.model.case import Activity, Case
from achilles.model.fact_types import FACT_TYPES
from achilles.model.rule import Condition, Pattern, Presumption, Rule

# {alias} or {alias.field} in a rule's `because` (and a presumption's `because` and `warning`)
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)(?:\.([a-z_]+))?\}")
_BRACED = re.compile(r"\{[^{}]*\}|[{}]")


def stray_braces(text: str) -> list[str]:
    """Braces in a sentence that are not {alias} or {alias.field} placeholders ({0},
    {x!r:>999}, {x.__class__}, a lone brace): `fill` leaves them as they are, so the rule
    author must hear of them at check time, not the meeting at print time."""
    return [m.group(0) for m in _BRACED.finditer(text) if not PLACEHOLDER.fullmatch(m.group(0))]


Namer = Callable[[str], str]  # alias -> how to call it in a sentence

_FACT = {
    "ocg": "the group",
    "person": "a person",
    "premises": "a premises",
    "business": "a business",
    "vehicle": "a vehicle",
    "activity": "an activity",
    "activity_at": "an activity at {premises}",
    "activity_by": "an activity by {actor}",
    "activity_using": "an activity using {thing}",
    "occupancy": "{person} occupying {premises}",
    "business_role": "{person} in business {business}",
    "vehicle_use": "{person} using vehicle {vehicle}",
    "activity_affecting": "an activity affecting {person}",
    "event": "a legal event",
    "event_of": "a legal event concerning {subject}",
    "event_at": "a legal event at {premises}",
}

_FIELD = {
    "exploited": {True: "someone the group exploits", False: "not someone the group exploits"},
    "child": {True: "a child", False: "not a child"},
    "company": {True: "a registered company", False: "not a registered company"},
    "graded": {True: "graded intelligence", False: "no intelligence grade"},
    "current": {True: "still in force", False: "no longer in force"},
}


def words(term: object) -> str:
    if isinstance(term, bool):
        return "yes" if term else "no"
    return str(term).replace("_", " ")


def condition_text(field: str, cond: Condition, name: Namer) -> str:
    op, value = cond.op, cond.value
    if field in _FIELD and op == "equals" and isinstance(value, bool):
        return _FIELD[field][value]
    label = "is" if field != "as" else "as"
    f = words(field)
    if op == "equals":
        return f"{words(value)}" if field == "as" else f"{f} {label} {words(value)}"
    if op == "not":
        return f"{f} is not {words(value)}"
    if op == "in":
        return f"{f} is one of {_list(value)}"
    if op == "not_in":
        return f"{f} is none of {_list(value)}"
    if op == "has":
        return f"{f} include {words(value)}"
    if op == "has_any":
        return f"{f} include any of {_list(value)}"
    if op == "has_all":
        return f"{f} include all of {_list(value)}"
    if op == "has_none":
        return f"{f} include none of {_list(value)}"
    if op == "at_least":
        return f"{f} at least {words(value)}"
    if op == "at_most":
        return f"{f} at most {words(value)}"
    if op == "present":
        return f"{f} {'is known' if value else 'is not known'}"
    if op == "same_as":
        other, _, other_field = str(value).partition(".")
        return f"{f} is {name(other)}" + (f"'s {words(other_field)}" if other_field else "")
    return f"{f} {op} {value}"


def pattern_text(pattern: Pattern, name: Namer, *, skip_joins: bool = True) -> str:
    joins = {f: c for f, c in pattern.where.items() if c.op == "same_as"}
    head = _FACT.get(pattern.fact, pattern.fact)
    fill = {f: name(str(c.value).partition(".")[0]) for f, c in joins.items()}
    for slot in ("premises", "actor", "thing", "person", "business", "vehicle", "subject"):
        fill.setdefault(slot, f"some {slot}")
    head = head.format(**fill)
    parts = [
        condition_text(f, c, name)
        for f, c in pattern.where.items()
        if not (
            skip_joins
            and c.op == "same_as"
            and f in ("premises", "actor", "thing", "person", "business", "vehicle", "subject")
        )
    ]
    return head + (" where " + "; ".join(parts) if parts else "")


def rule_text(rule: Rule) -> str:
    """The whole rule as a reviewing lawyer reads it."""

    def name(alias: str) -> str:
        return f"[{alias}]"

    lines = [f"Rule {rule.id}: {rule.title}", f"Recommends: {rule.power} ({rule.citation})"]
    lines.append(
        f"In force: {rule.valid_from} to {rule.valid_to or 'no end date'}; "
        f"in {', '.join(rule.jurisdiction)}."
    )
    lines.append("It applies when all of these are known:")
    for alias, pattern in rule.when.items():
        mark = (
            " (the legal trigger: until it happens, a next step)" if alias == rule.trigger else ""
        )
        lines.append(f"  - [{alias}] {pattern_text(pattern, name, skip_joins=False)}{mark}")
    for i, alt in enumerate(rule.any_of, 1):
        lines.append(f"  and, as alternative {i} of {len(rule.any_of)}:")
        for alias, pattern in alt.items():
            lines.append(f"    - [{alias}] {pattern_text(pattern, name, skip_joins=False)}")
    if rule.unless:
        lines.append("and none of these is known:")
        for alias, pattern in rule.unless.items():
            lines.append(f"  - [{alias}] {pattern_text(pattern, name, skip_joins=False)}")
    lines.append(
        f"The option acts on [{rule.target}]"
        + (f" and bears on [{rule.subject}]." if rule.subject else ".")
    )
    lines.append(f"Reason given: {rule.because}")
    for e in rule.evidence_needed:
        lines.append(f"Evidence still needed: {e}")
    for c in rule.cautions:
        lines.append(f"Caution: {c}")
    lines.append(f"Written by {rule.author}; reviewed by {rule.reviewed_by} on {rule.reviewed_on}.")
    return "\n".join(lines)


def presumption_text(pr: Presumption) -> str:
    """A presumption as a reviewing lawyer reads it."""

    def name(alias: str) -> str:
        return f"[{alias}]"

    lines = [
        f"Presumption {pr.id}: {pr.title}",
        f"Presumes the person [{pr.person}] {' and '.join(pr.presumes)} ({pr.citation}).",
        f"In {', '.join(pr.jurisdiction)}; "
        + (f"from {pr.valid_from}." if pr.valid_from else "for a case of any date."),
        "It holds when all of these are known:",
    ]
    lines += [f"  - [{a}] {pattern_text(p, name, skip_joins=False)}" for a, p in pr.when.items()]
    for i, alt in enumerate(pr.any_of, 1):
        lines.append(f"  and, as alternative {i} of {len(pr.any_of)}:")
        lines += [f"    - [{a}] {pattern_text(p, name, skip_joins=False)}" for a, p in alt.items()]
    if pr.unless:
        lines.append("and none of these is known:")
        lines += [
            f"  - [{a}] {pattern_text(p, name, skip_joins=False)}" for a, p in pr.unless.items()
        ]
    if pr.lifted_by:
        lines.append("It is lifted by this record:")
        lines += [
            f"  - [{a}] {pattern_text(p, name, skip_joins=False)}" for a, p in pr.lifted_by.items()
        ]
    lines.append(f"Reason given: {pr.because}")
    lines.append(f"Warning shown: {pr.warning}")
    if pr.lift:
        lines.append(f"How to lift it: {pr.lift}")
    lines.append(f"Written by {pr.author}; reviewed by {pr.reviewed_by} on {pr.reviewed_on}.")
    return "\n".join(lines)


def _list(values: object) -> str:
    items = [words(v) for v in (values if isinstance(values, list | tuple) else [values])]
    return ", ".join(items[:-1]) + (" or " if len(items) > 1 else "") + items[-1]


# --- sentences filled from matched facts -----------------------------------------------------


def fill(text: str, bound: dict[str, dict[str, Any]], case: Case, *, redact: bool = False) -> str:
    """A `because` sentence with its {alias} and {alias.field} placeholders filled."""

    def one(m: re.Match[str]) -> str:
        alias, fld = m.group(1), m.group(2)
        fact = bound.get(alias)
        if fact is None:
            return m.group(0)
        if fld is None or fld in ("label", "name"):
            return entity_name(fact, case, redact)
        if fld == "grade":
            grade = _activity(fact, case)
            return f", graded {grade.grade}" if grade and grade.grade else ""
        value = fact.get(fld)
        spec = FACT_TYPES[fact["type"]].get(fld)
        if spec is not None and spec.ref and isinstance(value, str) and value:
            return case.label(value, redact=redact)
        if isinstance(value, list):
            return ", ".join(words(v) for v in value) or "none"
        return words(value)

    return PLACEHOLDER.sub(one, text)


def entity_name(fact: dict[str, Any], case: Case, redact: bool) -> str:
    kind = fact["type"]
    if kind in ("activity_at", "activity_by", "activity_using"):
        return words(fact["kind"])
    if kind == "ocg":
        return case.ocg.name if not redact else "the group"
    if kind in ("occupancy", "business_role", "vehicle_use"):
        return case.label(fact["person"], redact=redact)
    return case.label(fact["key"], redact=redact)


def _activity(fact: dict[str, Any], case: Case) -> Activity | None:
    key = fact.get("activity") or (fact.get("key") if fact["type"] == "activity" else None)
    item = case.entity(key) if key else None
    return item if isinstance(item, Activity) else None
