"""What a rule firing leaves behind: which compiled rule, and which fact filled each alias.

The engine and the reference evaluator both return these, in the same canonical order, so their
results can be compared exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from achilles.facts import Fact, FactSet
from achilles.rulebook.compile import EMPTY, CPattern, Test


@dataclass(frozen=True)
class Match:
    rule: str  # compiled rule name, e.g. "r12_0"
    bindings: tuple[tuple[str, str], ...]  # (alias, fact id), sorted by alias

    def fact_ids(self) -> dict[str, str]:
        return dict(self.bindings)


def make_match(rule: str, bound: dict[str, Fact]) -> Match:
    return Match(rule, tuple(sorted((alias, fact["fid"]) for alias, fact in bound.items())))


def canonical(matches: list[Match]) -> list[Match]:
    """Sorted and without duplicates: the order every consumer sees."""
    return sorted(set(matches), key=lambda m: (_rule_order(m.rule), m.bindings))


def _rule_order(name: str) -> tuple[int, int]:
    index, _, variant = name[1:].partition("_")
    return int(index), int(variant or 0)


# --- what a pattern means: shared by the engine's re-checks and the reference evaluator ---


def blocked(
    negated: tuple[CPattern, ...], bound: dict[str, Fact], used: set[str], facts: FactSet,
    index: JoinIndex,
) -> bool:
    """True when some negated pattern is met: a fact the rule says must not exist does."""
    return any(
        any(f["fid"] not in used for f in candidates(p, bound, facts, index)) for p in negated
    )


def candidates(p: CPattern, bound: dict[str, Fact], facts: FactSet, index: JoinIndex):
    if p.joins:
        first = p.joins[0]
        pool = index.lookup(p.fact, first.field, bound[first.alias][first.other_field])
        rest = p.joins[1:]
    else:
        pool, rest = facts.of(p.fact), ()
    for fact in pool:
        if all(fact[j.field] == bound[j.alias][j.other_field] for j in rest) and all(
            passes(t, fact) for t in p.tests
        ):
            yield fact


def passes(t: Test, fact: Fact) -> bool:
    value, want = fact[t.field], t.value
    op = t.op
    if op == "eq":
        return value == want
    if op == "neq":
        return value != want
    if op == "in":
        return value in want
    if op == "not_in":
        return value not in want
    if op == "has":
        return want in value
    if op == "has_any":
        return any(w in value for w in want)
    if op == "has_all":
        return all(w in value for w in want)
    if op == "has_none":
        return not any(w in value for w in want)
    if op == "gte":
        return value >= want
    if op == "lte":
        return value <= want
    if op in ("present", "absent"):
        if want == "list":
            present = bool(value)
        elif want == "number":
            present = value >= 0
        else:
            present = value != EMPTY
        return present if op == "present" else not present
    raise ValueError(f"unknown test {op}")


class JoinIndex:
    """(fact type, field, value) -> facts, built on first use."""

    def __init__(self, facts: FactSet) -> None:
        self.facts = facts
        self.tables: dict[tuple[str, str], dict[object, list[Fact]]] = {}

    def lookup(self, fact_type: str, field: str, value: object) -> list[Fact]:
        table = self.tables.get((fact_type, field))
        if table is None:
            table = {}
            for fact in self.facts.of(fact_type):
                table.setdefault(fact[field], []).append(fact)
            self.tables[(fact_type, field)] = table
        return table.get(value, [])
