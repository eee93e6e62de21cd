"""Rules -> a neutral condition tree (the IR) -> durable_rules JSON. Pure data; no engine import.

Both the durable_rules engine and the plain-Python reference evaluator run the same IR, so they
can be compared on every case. Ordered terms become ranks here (status at_least corroborated ->
status_rank >= 2), so facts and rules agree on one scale taken from the vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from achilles.model.fact_types import FACT_TYPES
from achilles.model.rule import Condition, Pattern, Presumption, Rule
from achilles.model.vocabulary import Vocabulary

EMPTY = ""  # the value of a scalar field that the case did not give
LIST_PAD = ""  # the engine pads every list with this, so tests over "all items" see no empty list


@dataclass(frozen=True)
class FieldTest:
    """One test a fact must pass: its field, compared by op, with a value (compiled from a condition)."""

    field: str
    op: str  # eq, neq, in, not_in, has, has_any, has_all, has_none, gte, lte, present, absent
    value: Any


@dataclass(frozen=True)
class Join:
    field: str
    alias: str
    other_field: str


@dataclass(frozen=True)
class CPattern:
    alias: str
    fact: str
    tests: tuple[FieldTest, ...]
    joins: tuple[Join, ...]
    negated: bool = False
    source: tuple[str, ...] = ()  # the rule's own condition names, for explanations


@dataclass(frozen=True)
class CompiledRule:
    name: str  # unique engine-side name, e.g. "r12_1"
    rule_id: str
    variant: int
    patterns: tuple[CPattern, ...]  # positive patterns first, in order; then negated ones
    target: str
    subject: str | None
    pending: bool = False  # the rule without its legal trigger: a conditional next step
    layer: str | None = None  # the council folder it came from; None for the shipped rules

    @cached_property
    def positive(self) -> tuple[CPattern, ...]:
        return tuple(p for p in self.patterns if not p.negated)

    @cached_property
    def negated(self) -> tuple[CPattern, ...]:
        return tuple(p for p in self.patterns if p.negated)


def compile_rules(
    rules: list[Rule], vocab: Vocabulary, layers: list[str | None] | None = None
) -> list[CompiledRule]:
    """Each rule's variants (and, with a trigger, the rule waiting on it); `layers` names the
    council folder of each rule (None: shipped), so the engine can keep council rules apart."""
    out: list[CompiledRule] = []
    # Equal tests (and equal lists of tests) become one object, shared by every rule that uses
    # them, so per-case caches keyed by identity work out each distinct test once.
    shared: dict[Any, Any] = {}
    for index, rule in enumerate(rules):
        for v, variant in enumerate(rule.variants()):
            patterns = [compile_pattern(a, p, vocab, False, shared) for a, p in variant.items()]
            patterns += [compile_pattern(a, p, vocab, True, shared) for a, p in rule.unless.items()]
            out.append(
                CompiledRule(
                    name=f"r{index}_{v}",
                    rule_id=rule.id,
                    variant=v,
                    patterns=tuple(patterns),
                    target=rule.target,
                    subject=rule.subject,
                    layer=layers[index] if layers else None,
                )
            )
            if rule.trigger:
                # The same rule without its legal trigger: where it matches and the whole rule
                # does not, the power opens once the event happens (a conditional next step).
                waiting = tuple(p for p in patterns if p.alias != rule.trigger)
                out.append(
                    CompiledRule(
                        name=f"q{index}_{v}",
                        rule_id=rule.id,
                        variant=v,
                        patterns=waiting,
                        target=rule.target,
                        subject=rule.subject,
                        pending=True,
                        layer=layers[index] if layers else None,
                    )
                )
    return out


def compile_presumptions(
    presumptions: list[Presumption], vocab: Vocabulary
) -> list[tuple[CompiledRule, CompiledRule]]:
    """Each presumption variant as a rule on its person, paired with the same rule that also
    needs the record that lifts it."""
    out: list[tuple[CompiledRule, CompiledRule]] = []
    shared: dict[Any, Any] = {}
    for index, pr in enumerate(presumptions):
        for v, variant in enumerate(pr.variants()):
            holds = [compile_pattern(a, p, vocab, False, shared) for a, p in variant.items()]
            unless = [compile_pattern(a, p, vocab, True, shared) for a, p in pr.unless.items()]
            lifting = [compile_pattern(a, p, vocab, False, shared) for a, p in pr.lifted_by.items()]
            out.append(
                (
                    CompiledRule(f"p{index}_{v}", pr.id, v, (*holds, *unless), pr.person, None),
                    CompiledRule(
                        f"l{index}_{v}", pr.id, v, (*holds, *lifting, *unless), pr.person, None
                    ),
                )
            )
    return out


def compile_pattern(
    alias: str, pattern: Pattern, vocab: Vocabulary, negated: bool, shared: dict | None = None
) -> CPattern:
    tests: list[FieldTest] = []
    joins: list[Join] = []
    spec = FACT_TYPES[pattern.fact]
    for field, cond in pattern.where.items():
        if cond.op == "same_as":
            other, _, other_field = str(cond.value).partition(".")
            joins.append(Join(field, other, other_field or "key"))
            continue
        tests.extend(compile_condition(field, cond, spec[field], vocab))
    shared = {} if shared is None else shared
    interned = tuple(shared.setdefault(t, t) for t in tests)
    interned = shared.setdefault(interned, interned)
    return CPattern(alias, pattern.fact, interned, tuple(joins), negated, tuple(pattern.where))


def compile_condition(field: str, cond: Condition, spec: Any, vocab: Vocabulary) -> list[FieldTest]:
    op, value = cond.op, cond.value
    if op in ("at_least", "at_most"):
        cmp = "gte" if op == "at_least" else "lte"
        if spec.ordered:
            return [FieldTest(f"{field}_rank", cmp, vocab.rank(spec.vocab, str(value)))]
        tests = [FieldTest(field, cmp, int(value))]
        if cmp == "lte":
            tests.insert(0, FieldTest(field, "gte", 0))  # an unknown age (-1) is not "at most 17"
        return tests
    if op == "equals":
        return [FieldTest(field, "eq", value)]
    if op == "not":
        return [FieldTest(field, "neq", value)]
    if op == "in":
        return [FieldTest(field, "in", tuple(value))]
    if op == "not_in":
        return [FieldTest(field, "not_in", tuple(value))]
    if op == "has":
        return [FieldTest(field, "has", value)]
    if op in ("has_any", "has_all", "has_none"):
        return [FieldTest(field, op, tuple(value))]
    if op == "present":
        kind = "list" if spec.many else "number" if spec.number else "scalar"
        return [FieldTest(field, "present" if value else "absent", kind)]
    raise ValueError(f"unknown operator {op}")


# --- durable_rules JSON -----------------------------------------------------------------------

ALIAS_PREFIX = "a_"  # never 'm', 's' or 'host', which durable_rules treats specially


def durable_ruleset(rules: list[CompiledRule]) -> dict[str, Any]:
    """The JSON definition of one durable_rules ruleset holding these rules."""
    definition: dict[str, Any] = {rule.name: durable_rule(rule) for rule in rules}
    definition["sentinel"] = {"all": [{"m": {"type": "__sentinel__"}}], "run": "sentinel"}
    return definition


def durable_rule(rule: CompiledRule) -> dict[str, Any]:
    """One rule's entry in a durable_rules ruleset (a new dict each call: durable edits it)."""
    all_: list[dict[str, Any]] = []
    for p in rule.patterns:
        name = ALIAS_PREFIX + p.alias + ("$not" if p.negated else "")
        all_.append({name: _durable_pattern(p)})
    return {"all": all_, "run": rule.name, "cap": 10_000}


def _durable_pattern(p: CPattern) -> dict[str, Any]:
    terms: list[dict[str, Any]] = [{"type": p.fact}]
    # Joins go first: durable_rules drops a join that follows an "$or" (reproduced in
    # tests/test_engine.py). Alternatives stay "$or", never a "$mt" regex: each regex costs the
    # C core a fixed automaton of several megabytes (155 MB for the shipped rules against 14 MB).
    for j in p.joins:
        terms.append({j.field: {ALIAS_PREFIX + j.alias: j.other_field}})
    for t in sorted(p.tests, key=lambda t: t.op != "eq"):
        terms.append(_durable_test(t))
    return {"$and": terms}


def _durable_test(t: FieldTest) -> dict[str, Any]:
    f, v = t.field, t.value
    if t.op == "eq":
        return {f: v}
    if t.op == "neq":
        return {"$neq": {f: v}}
    if t.op == "in":
        return {f: v[0]} if len(v) == 1 else {"$or": [{f: x} for x in v]}
    if t.op == "not_in":
        return {"$and": [{"$neq": {f: x}} for x in v]}
    if t.op == "has":
        return {"$iany": {f: {"$i": v}}}
    if t.op == "has_any":
        return {"$or": [{"$iany": {f: {"$i": x}}} for x in v]}
    if t.op == "has_all":
        return {"$and": [{"$iany": {f: {"$i": x}}} for x in v]}
    if t.op == "has_none":
        return {"$and": [{"$iall": {f: {"$neq": {"$i": x}}}} for x in v]}
    if t.op == "gte":
        return {"$gte": {f: v}}
    if t.op == "lte":
        return {"$lte": {f: v}}
    if t.op in ("present", "absent"):
        present = t.op == "present"
        if v == "list":
            return (
                {"$iany": {f: {"$neq": {"$i": LIST_PAD}}}}
                if present
                else {"$iall": {f: {"$i": LIST_PAD}}}
            )
        if v == "number":
            return {"$gte": {f: 0}} if present else {"$lt": {f: 0}}
        return {"$neq": {f: EMPTY}} if present else {f: EMPTY}
    raise ValueError(f"unknown test {t.op}")
