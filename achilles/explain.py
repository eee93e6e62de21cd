"""An option's explanation, in words: the rule's reason filled from the facts, and the audit trail
of which fact met which condition. Ids only when redacted.
"""

from __future__ import annotations

import re

from achilles.facts import Fact
from achilles.memo import IdentityMemo
from achilles.model.case import Activity, Case
from achilles.model.fact_types import FACT_TYPES
from achilles.model.rule import Rule
from achilles.options import Firing
from achilles.rulebook.english import condition_text, pattern_text, words
from achilles.rulebook.load import PLACEHOLDER

_MEMO_LIMIT = 20_000  # entries in a per-rule memo: many times the shipped rulebook


def because(firing: Firing, rule: Rule, case: Case, *, redact: bool = False) -> str:
    """The rule's reason sentence filled from the facts that fired it."""
    bound = firing.bound()

    def fill(m: re.Match[str]) -> str:
        alias, fld = m.group(1), m.group(2)
        fact = bound.get(alias)
        if fact is None:
            return m.group(0)
        if fld is None or fld in ("label", "name"):
            return _entity_name(fact, case, redact)
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

    return PLACEHOLDER.sub(fill, rule.because)


def _entity_name(fact: Fact, case: Case, redact: bool) -> str:
    kind = fact["type"]
    if kind in ("activity_at", "activity_by", "activity_using"):
        return words(fact["kind"])
    if kind == "ocg":
        return case.ocg.name if not redact else "the group"
    if kind in ("occupancy", "business_role", "vehicle_use"):
        return case.label(fact["person"], redact=redact)
    return case.label(fact["key"], redact=redact)


def _activity(fact: Fact, case: Case) -> Activity | None:
    key = fact.get("activity") or (fact.get("key") if fact["type"] == "activity" else None)
    item = case.entity(key) if key else None
    return item if isinstance(item, Activity) else None


def matched_facts(
    firing: Firing, rule: Rule, case: Case, *, redact: bool = False, memo: dict | None = None
) -> list[str]:
    """Each condition of the rule with the fact that met it: the option's audit trail.

    `memo`, shared by the calls for one case with one `redact`, keeps lines that many firings
    repeat (the same premises meeting the same conditions)."""
    out = []
    conditions, unless = _condition_words(rule, firing.variant)
    for alias, fact in firing.facts:
        conds = conditions.get(alias)
        if conds is None:
            continue
        key = (alias, conds, fact["fid"])
        line = memo.get(key) if memo is not None else None
        if line is None:
            shown = fact_phrase(fact, case)
            if fact["type"] in ("person", "premises", "business", "vehicle"):
                shown = f"{fact['type']} {fact['key']} ({case.label(fact['key'], redact=redact)})"
            line = f"[{alias}] {shown}" + (f": {conds}" if conds else "")
            if memo is not None:
                memo[key] = line
        out.append(line)
    return out + unless


_worded: IdentityMemo[tuple[dict[str, str], list[str]]] = IdentityMemo(_MEMO_LIMIT)


def _condition_words(rule: Rule, variant: int) -> tuple[dict[str, str], list[str]]:
    """alias -> its conditions in words, and the `unless` lines: the same for every firing."""

    def build() -> tuple[dict[str, str], list[str]]:
        variants = rule.variants()
        patterns = variants[variant] if variant < len(variants) else variants[0]
        conditions = {
            alias: "; ".join(condition_text(f, c, lambda a: f"[{a}]") for f, c in p.where.items())
            for alias, p in patterns.items()
        }
        unless = [
            f"[{alias}] none known: {pattern_text(p, lambda a: f'[{a}]')}"
            for alias, p in rule.unless.items()
        ]
        return conditions, unless

    conditions, unless = _worded.get((rule,), build, variant)
    return conditions, list(unless)


def fact_phrase(fact: Fact, case: Case) -> str:
    """A neutral phrase for a fact: ids only, so near misses carry no personal text."""
    kind = fact["type"]
    if kind in ("activity_at", "activity_by", "activity_using"):
        where = fact.get("premises") or fact.get("actor") or fact.get("thing")
        link = {"activity_at": "at", "activity_by": "by", "activity_using": "using"}[kind]
        return f"{words(fact['kind'])} {link} {where}"
    if kind == "activity":
        return f"{words(fact['kind'])} ({fact['key']})"
    return f"{kind} {fact.get('key') or ''}".strip()
