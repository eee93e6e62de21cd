"""What a rule firing leaves behind: which compiled rule, and which fact filled each alias.

The engine and the reference evaluator both return these, in the same canonical order, so their
results can be compared exactly.
"""

from __future__ import annotations

import time
import weakref
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from achilles.errors import BudgetError
from achilles.facts import Fact, FactSet
from achilles.rulebook.compile import EMPTY, CompiledRule, CPattern, FieldTest


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


def passes(t: FieldTest, fact: Fact) -> bool:
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


class MaskPlan:
    """The distinct tests, and tuples of tests, of a set of patterns: worked out once per
    rulebook, so PatternIndex.prime can fill a case's masks in one tight pass."""

    def __init__(self, patterns: Iterable[CPattern]) -> None:
        self.held = list(patterns)  # keeps every id below valid
        self.tests: dict[str, list[FieldTest]] = {}
        self.tuples: list[tuple[str, tuple[FieldTest, ...]]] = []
        self._slots: dict[tuple[str, int], int] = {}
        seen: set[tuple[str, int]] = set()
        for p in self.held:
            if (p.fact, id(p.tests)) in self._slots:
                continue
            self._slots[(p.fact, id(p.tests))] = len(self.tuples)
            self.tuples.append((p.fact, p.tests))
            for t in p.tests:
                if (p.fact, id(t)) not in seen:
                    seen.add((p.fact, id(t)))
                    self.tests.setdefault(p.fact, []).append(t)

    def slot(self, p: CPattern) -> int:
        """Where p's mask is in the list PatternIndex.prime returns."""
        return self._slots[(p.fact, id(p.tests))]


class PatternIndex(JoinIndex):
    """Also keeps, per test and per pattern, which facts pass: as bit masks over each type's facts.

    For callers that ask the same patterns many times over one case (the near-miss search asks
    every relaxation of every rule): each distinct test then runs once per fact, and a pattern's
    facts, or those that fail exactly one of its tests, are a few integer operations. Patterns
    with the same type and the same tuple of tests (compile_rules shares equal tuples) share
    every entry. Entries are keyed by object ids and hold the objects, so that an id is never
    mistaken for another object's."""

    def __init__(self, facts: FactSet) -> None:
        super().__init__(facts)
        self.test_masks: dict[tuple[str, int], tuple[FieldTest, int]] = {}
        self.masks: dict[tuple, tuple[object, int]] = {}
        self.overrides: dict[int, tuple[CPattern, tuple]] = {}
        self.lists: dict[tuple, tuple[object, list[Fact]]] = {}
        self.one_off: dict[tuple, tuple[object, dict[int, int]]] = {}
        self.pool_tables: dict[tuple, tuple[object, dict[object, list[Fact]]]] = {}

    def prime(self, plan: MaskPlan) -> list[int]:
        """Work out every test and tuple of tests in the plan for this case, at once; return the
        tuples' masks in the plan's order."""
        of, test_masks = self.facts.of, self.test_masks
        for fact_type, type_tests in plan.tests.items():
            facts = of(fact_type)
            for t in type_tests:
                mask = 0
                for i, fact in enumerate(facts):
                    if passes(t, fact):
                        mask |= 1 << i
                test_masks[(fact_type, id(t))] = (t, mask)
        out: list[int] = []
        for fact_type, tests in plan.tuples:
            mask = (1 << len(of(fact_type))) - 1
            for t in tests:
                mask &= test_masks[(fact_type, id(t))][1]
            self.masks[(fact_type, id(tests))] = (tests, mask)
            out.append(mask)
        return out

    def _key(self, p: CPattern) -> tuple[tuple, object]:
        """The cache key for p's facts, and the object its entries hold."""
        if self.overrides:
            hit = self.overrides.get(id(p))
            if hit is not None and hit[0] is p:
                return hit[1], p
        return (p.fact, id(p.tests)), p.tests

    def _test_mask(self, fact_type: str, t: FieldTest) -> int:
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
        key, holder = self._key(p)
        hit = self.masks.get(key)
        if hit is None or hit[0] is not holder:
            mask = (1 << len(self.facts.of(p.fact))) - 1
            for t in p.tests:
                mask &= self._test_mask(p.fact, t)
            hit = self.masks[key] = (holder, mask)
        return hit[1]

    def set_mask(self, p: CPattern, mask: int) -> None:
        """Decide p's facts for this case (before p is first asked for candidates)."""
        key = ("set", id(p))
        self.overrides[id(p)] = (p, key)
        self.masks[key] = (p, mask)
        self.lists.pop(key, None)

    def failing_one(self, p: CPattern) -> dict[int, int]:
        """id of each of p's tests -> mask of the facts that fail that test and pass the others."""
        key, holder = (p.fact, id(p.tests)), p.tests
        hit = self.one_off.get(key)
        if hit is None or hit[0] is not holder:
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
            hit = self.one_off[key] = (holder, found)
        return hit[1]

    def pool(self, p: CPattern) -> list[Fact]:
        """The facts of p's type that pass all of p's own tests, in order."""
        key, holder = self._key(p)
        hit = self.lists.get(key)
        if hit is None or hit[0] is not holder:
            mask, facts = self.mask(p), self.facts.of(p.fact)
            hit = self.lists[key] = (holder, [f for i, f in enumerate(facts) if mask >> i & 1])
        return hit[1]

    def candidates(self, p: CPattern, bound: dict[str, Fact]) -> Iterable[Fact]:
        if not p.joins:
            return self.pool(p)
        first = p.joins[0]
        key, holder = self._key(p)
        hit = self.pool_tables.get((key, first.field))
        if hit is None or hit[0] is not holder:
            table: dict[object, list[Fact]] = {}
            for fact in self.pool(p):
                table.setdefault(fact[first.field], []).append(fact)
            hit = self.pool_tables[(key, first.field)] = (holder, table)
        found = hit[1].get(bound[first.alias][first.other_field], [])
        rest = p.joins[1:]
        if not rest:
            return found
        return [f for f in found if all(f[j.field] == bound[j.alias][j.other_field] for j in rest)]


# --- what evaluating one case may cost ------------------------------------------------------------

MATCH_BUDGET = 200_000
"""Combinations (partial and whole matches) the rules may build on one case's facts, over every
evaluation of them: the engine, the presumptions, the near-miss search. The shipped rules build
at most about 21,000 (engine) and 46,000 (all of it) on the largest of 200 `synth --size large`
groups, the examples and the scenarios; the C core spends about 20 microseconds on each, so the
budget is reached in about 4 s (benchmarks/LIMITS.md, `.venv/bin/python benchmarks/limits.py`)."""
SECONDS_BUDGET = 15.0
"""Time the rules may take on one case's facts, counted from the first evaluation of them."""


class Budget:
    """What the rules have spent on one fact set: combinations built, and time since the first."""

    def __init__(self) -> None:
        self.spent = 0
        self.started = time.monotonic()
        self.by_rule: Counter[str] = Counter()

    def left(self) -> int:
        return MATCH_BUDGET - self.spent

    def spend(self, n: int, rule: CompiledRule) -> None:
        """Count n more combinations of this rule; refuse the case once past the budget."""
        self.spent += n
        self.by_rule[rule.rule_id] += n
        if self.spent > MATCH_BUDGET:
            raise self.refusal(rule)
        self.check_time(rule)

    def merge(self, by_rule: dict[str, int], rule: CompiledRule) -> None:
        """Count what another process spent on these facts (a council layer's child)."""
        self.by_rule.update(by_rule)
        self.spent += sum(by_rule.values())
        if self.spent > MATCH_BUDGET:
            raise self.refusal(rule)
        self.check_time(rule)

    def check_time(self, rule: CompiledRule | None = None) -> None:
        if time.monotonic() - self.started > SECONDS_BUDGET:
            running = f" (rule '{rule.rule_id}' was running)" if rule is not None else ""
            raise BudgetError(
                f"the rules took more than {SECONDS_BUDGET:g} s on this case{running}",
                hint=_BUDGET_HINT,
            )

    def refusal(self, rule: CompiledRule) -> BudgetError:
        worst, spent = max(self.by_rule.items(), key=lambda kv: kv[1], default=(rule.rule_id, 0))
        return BudgetError(
            f"the rules produced more than {MATCH_BUDGET:,} matches on this case (rule "
            f"'{worst}'{_layer(rule) if worst == rule.rule_id else ''} alone: at least "
            f"{spent:,})",
            hint=_BUDGET_HINT,
        )


_BUDGET_HINT = (
    "a rule whose aliases are not joined to each other tries every combination of the case's "
    "facts: join each alias to an earlier one with same_as (see `achilles rules explain RULE`) "
    "or switch the rule off in your layer; if the case is one very large group, split it into "
    "several case files"
)


def _layer(rule: CompiledRule) -> str:
    layer = getattr(rule, "layer", None)
    return f" (from the rules in {layer})" if layer else ""


_budgets: dict[int, tuple[weakref.ref[FactSet], Budget]] = {}


def budget_for(facts: FactSet) -> Budget:
    """The budget of this fact set, opened the first time the rules look at it."""
    key = id(facts)
    hit = _budgets.get(key)
    if hit is not None and hit[0]() is facts:
        return hit[1]
    budget = Budget()
    _budgets[key] = (weakref.ref(facts), budget)
    weakref.finalize(facts, _budgets.pop, key, None)
    return budget


def combinations(rule: CompiledRule, index: JoinIndex, limit: int) -> int:
    """How many partial and whole matches of the rule's positive patterns there are (what a
    Rete network builds for it), counted up to just past `limit`. The last pattern's facts are
    counted, not tried one by one, so a fact already bound to another alias may count: a
    bound from above, which is all a budget needs."""
    positive = rule.positive
    last = len(positive) - 1
    bound: dict[str, Fact] = {}
    used: set[str] = set()
    count = 0

    def extend(i: int) -> bool:
        nonlocal count
        pattern = positive[i]
        candidates = index.candidates(pattern, bound)
        if i == last:
            count += len(candidates) if isinstance(candidates, list) else sum(1 for _ in candidates)
            return count <= limit
        for fact in candidates:
            if fact["fid"] in used:
                continue
            count += 1
            if count > limit:
                return False
            bound[pattern.alias] = fact
            used.add(fact["fid"])
            going = extend(i + 1)
            used.discard(fact["fid"])
            del bound[pattern.alias]
            if not going:
                return False
        return True

    if positive:
        extend(0)
    return count
