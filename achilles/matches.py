"""What a rule firing leaves behind: which compiled rule, and which fact filled each alias.

The engine and the reference evaluator both return these, in the same canonical order, so their
results can be compared exactly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

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


@lru_cache(maxsize=4096)  # names repeat on every match of every case
def _rule_order(name: str) -> tuple[int, int]:
    index, _, variant = name[1:].partition("_")
    return int(index), int(variant or 0)


# --- what a pattern means: shared by the engine's re-checks and the reference evaluator ---


def blocked(
    negated: tuple[CPattern, ...], bound: dict[str, Fact], used: set[str], index: JoinIndex
) -> bool:
    """True when some negated pattern is met: a fact the rule says must not exist does."""
    return any(any(f["fid"] not in used for f in index.candidates(p, bound)) for p in negated)


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
    """A case's facts with (fact type, field, value) -> facts tables, built on first use.

    The plain strategy: each pattern's tests are run on every fact the join leaves."""

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

    def candidates(self, p: CPattern, bound: dict[str, Fact]) -> Iterable[Fact]:
        """The facts that meet pattern p, given the facts already bound to other aliases."""
        if p.joins:
            first = p.joins[0]
            pool = self.lookup(p.fact, first.field, bound[first.alias][first.other_field])
            rest = p.joins[1:]
        else:
            pool, rest = self.facts.of(p.fact), ()
        for fact in pool:
            if all(fact[j.field] == bound[j.alias][j.other_field] for j in rest) and all(
                passes(t, fact) for t in p.tests
            ):
                yield fact


class PatternIndex(JoinIndex):
    """Also keeps, per test and per pattern, which facts pass: as bit masks over each type's facts.

    For callers that ask the same patterns many times over one case (the near-miss search asks
    every relaxation of every rule): each distinct test then runs once per fact, and a pattern's
    facts, or those that fail exactly one of its tests, are a few integer operations. Entries
    are keyed by object id and hold the object, so an id is never mistaken for another's."""

    def __init__(self, facts: FactSet) -> None:
        super().__init__(facts)
        self.test_masks: dict[tuple[str, int], tuple[Test, int]] = {}
        self.masks: dict[int, tuple[CPattern, int]] = {}
        self.tests_masks: dict[tuple[str, int], tuple[tuple[Test, ...], int]] = {}
        self.lists: dict[int, tuple[CPattern, list[Fact]]] = {}
        self.one_off: dict[int, tuple[CPattern, dict[int, int]]] = {}
        self.pool_tables: dict[tuple[int, str], tuple[CPattern, dict[object, list[Fact]]]] = {}

    def _test_mask(self, fact_type: str, t: Test) -> int:
        hit = self.test_masks.get((fact_type, id(t)))  # one test can serve several fact types
        if hit is None or hit[0] is not t:
            mask = 0
            for i, fact in enumerate(self.facts.of(fact_type)):
                if passes(t, fact):
                    mask |= 1 << i
            hit = self.test_masks[(fact_type, id(t))] = (t, mask)
        return hit[1]

    def mask(self, p: CPattern) -> int:
        """Bit i set when fact i of p's type passes all of p's own tests (joins aside)."""
        hit = self.masks.get(id(p))
        if hit is None or hit[0] is not p:
            key = (p.fact, id(p.tests))  # patterns of many rules share one tuple of tests
            shared = self.tests_masks.get(key)
            if shared is None or shared[0] is not p.tests:
                mask = (1 << len(self.facts.of(p.fact))) - 1
                for t in p.tests:
                    mask &= self._test_mask(p.fact, t)
                shared = self.tests_masks[key] = (p.tests, mask)
            hit = self.masks[id(p)] = (p, shared[1])
        return hit[1]

    def set_mask(self, p: CPattern, mask: int) -> None:
        """Decide p's facts for this case (before p is first asked for candidates)."""
        self.masks[id(p)] = (p, mask)

    def failing_one(self, p: CPattern) -> dict[int, int]:
        """id of each of p's tests -> mask of the facts that fail that test and pass the others."""
        hit = self.one_off.get(id(p))
        if hit is None or hit[0] is not p:
            full = (1 << len(self.facts.of(p.fact))) - 1
            masks = [self._test_mask(p.fact, t) for t in p.tests]
            before = [full]  # before[i]: AND of the masks of tests 0..i-1
            for m in masks:
                before.append(before[-1] & m)
            after = full
            found: dict[int, int] = {}
            for i in range(len(masks) - 1, -1, -1):
                found[id(p.tests[i])] = before[i] & after & ~masks[i] & full
                after &= masks[i]
            hit = self.one_off[id(p)] = (p, found)
        return hit[1]

    def pool(self, p: CPattern) -> list[Fact]:
        """The facts of p's type that pass all of p's own tests, in order."""
        hit = self.lists.get(id(p))
        if hit is None or hit[0] is not p:
            mask, facts = self.mask(p), self.facts.of(p.fact)
            hit = self.lists[id(p)] = (p, [f for i, f in enumerate(facts) if mask >> i & 1])
        return hit[1]

    def candidates(self, p: CPattern, bound: dict[str, Fact]) -> Iterable[Fact]:
        if not p.joins:
            return self.pool(p)
        first = p.joins[0]
        hit = self.pool_tables.get((id(p), first.field))
        if hit is None or hit[0] is not p:
            table: dict[object, list[Fact]] = {}
            for fact in self.pool(p):
                table.setdefault(fact[first.field], []).append(fact)
            hit = self.pool_tables[(id(p), first.field)] = (p, table)
        found = hit[1].get(bound[first.alias][first.other_field], [])
        rest = p.joins[1:]
        if not rest:
            return found
        return [f for f in found if all(f[j.field] == bound[j.alias][j.other_field] for j in rest)]
