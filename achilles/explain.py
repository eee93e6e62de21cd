"""An option's explanation, in words: the rule's reason filled from the facts, and the audit trail
of which fact met which condition. Ids only when redacted.
"""

from __future__ import annotations

from dataclasses import dataclass

from achilles.facts import Fact
from achilles.memo import IdentityMemo
from achilles.model.case import Case
from achilles.model.power import Power
from achilles.model.rule import Condition, Pattern, Rule
from achilles.options import Firing, Option
from achilles.rulebook.english import condition_text, entity_name, fill, pattern_text, words
from achilles.rulebook.load import Rulebook

_MEMO_LIMIT = 20_000  # entries in a per-rule memo: many times the shipped rulebook


def because(firing: Firing, rule: Rule, case: Case, *, redact: bool = False) -> str:
    """The rule's reason sentence filled from the facts that fired it."""
    return fill(rule.because, firing.bound(), case, redact=redact)


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


# --- the whole explanation of an option -------------------------------------------------------


@dataclass(frozen=True)
class Explanation:
    """Everything said about one option, gathered and de-duplicated once, so that the plan, the
    JSON, the TUI and the command line say the same thing."""

    why: tuple[str, ...]  # each rule's reason, filled from the facts
    facts: tuple[str, ...]  # the audit trail: each condition with the fact that met it
    evidence: tuple[str, ...]  # what is still needed, from the rules
    cautions: tuple[str, ...]  # this case's first (exemptions, lifted presumptions), then the
    # rules', then the power's
    exempt: tuple[str, ...]  # people the order must leave in their home
    rules: tuple[str, ...]
    opens_when: tuple[str, ...] = ()  # for a conditional next step: the legal event it waits on


def explain(
    option: Option,
    power: Power,
    rulebook: Rulebook,
    case: Case,
    *,
    redact: bool = False,
    memo: dict | None = None,
) -> Explanation:
    """The option's explanation. `memo` may be shared by every option of one case and `redact`."""
    rules = rulebook.by_id()
    why: dict[str, None] = {}  # dicts as ordered sets: a big case gives an option many firings
    facts: dict[str, None] = {}
    evidence: dict[str, None] = {}
    rule_cautions: dict[str, None] = {}
    opens: dict[str, None] = {}
    for firing in option.firings:
        rule = rules[firing.rule_id].rule
        why[because(firing, rule, case, redact=redact)] = None
        facts.update(dict.fromkeys(matched_facts(firing, rule, case, redact=redact, memo=memo)))
        if rule.trigger:
            trigger = rule.variants()[firing.variant][rule.trigger]
            opens[trigger_text(trigger, firing.bound(), case, redact=redact)] = None
    for rule_id in option.rule_ids:
        rule = rules[rule_id].rule
        evidence.update(dict.fromkeys(rule.evidence_needed))
        rule_cautions.update(dict.fromkeys(rule.cautions))
    cautions: dict[str, None] = {}
    if option.exempt:
        names = ", ".join(case.label(p, redact=redact) for p in option.exempt)
        cautions[
            f"Exempt {names}: the group exploits or may exploit them, and this is their home. "
            + (
                power.exemption
                or "Act only on the part of the premises, and the people, that the law allows."
            )
        ] = None
    cautions.update(dict.fromkeys(option.cautions))
    cautions.update(rule_cautions)
    cautions.update(dict.fromkeys(power.cautions))
    return Explanation(
        tuple(why),
        tuple(facts),
        tuple(evidence),
        tuple(cautions),
        tuple(option.exempt),
        tuple(option.rule_ids),
        tuple(opens),
    )


def trigger_text(pattern: Pattern, bound: dict[str, Fact], case: Case, *, redact: bool) -> str:
    """The legal event a conditional option waits on, in words: 'a conviction of Member B for
    drug supply or county lines (the power must be used within 6 months of it)'."""

    def named(alias: str) -> str:
        fact = bound.get(alias)
        return entity_name(fact, case, redact) if fact else f"[{alias}]"

    where = pattern.where
    kind = where.get("kind")
    text = _either(kind.value) if kind is not None and kind.op in ("equals", "in") else ""
    text = text or "legal event"
    text = f"{'an' if text[:1] in 'aeiou' else 'a'} {text}"
    for field_, cond in where.items():
        if cond.op == "same_as" and field_ in ("subject", "premises"):
            alias = str(cond.value).partition(".")[0]
            text += f" {'of' if field_ == 'subject' else 'at'} {named(alias)}"
    offence = where.get("offence")
    if offence is not None:
        text += " for " + _offence_words(offence, bound)
    notes = []
    for field_, cond in where.items():
        if field_ in ("kind", "offence", "subject", "premises") or cond.op == "same_as":
            continue
        notes.append(_window_words(field_, cond) or condition_text(field_, cond, named))
    return text + (f": {'; '.join(notes)}" if notes else "")


def _either(value: object) -> str:
    values = value if isinstance(value, list) else [value]
    said = [words(v) for v in values]
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " or " + said[-1]


def _offence_words(cond: Condition, bound: dict[str, Fact]) -> str:
    if cond.op == "same_as":
        alias, _, field_ = str(cond.value).partition(".")
        fact = bound.get(alias, {})
        return f"the {words(fact.get(field_ or 'kind', 'offence'))} recorded"
    if cond.op in ("not", "not_in"):
        return f"an offence other than {_either(cond.value)}"
    values = cond.value if isinstance(cond.value, list) else [cond.value]
    if len(values) > _SAY_AT_MOST:  # the rule itself has the full list
        shown = ", ".join(words(v) for v in values[:3])
        return f"a qualifying offence ({shown} and {len(values) - 3} more)"
    return _either(values)


_SAY_AT_MOST = 5  # offences named in a next step before it says "and N more"


def _window_words(field_: str, cond: Condition) -> str:
    """The time limits on an event, said the way a lawyer says them."""
    value = cond.value
    if field_ == "months_since" and cond.op == "at_most":
        return f"the power must be used within {value + 1} months of it"
    if field_ == "days_since" and cond.op == "at_most":
        return f"the power must be used within {value + 1} days of it"
    if field_ == "days_since" and cond.op == "at_least":
        return f"at least {value} days after it"
    if field_ == "lasted_days" and cond.op == "at_least":
        return f"lasting at least {value} days"
    return ""
