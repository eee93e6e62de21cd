"""A plain-Python evaluator of the compiled rules: the oracle the engine is checked against.

Same IR, same facts, same semantics as the durable_rules adapter (facts distinct across
aliases, equality joins, negated patterns that block a match), written for clarity.
"""

from __future__ import annotations

from collections.abc import Iterable

from achilles.facts import Fact, FactSet
from achilles.matches import JoinIndex, Match, blocked, budget_for, canonical, make_match
from achilles.rulebook.compile import CompiledRule


def evaluate(rules: Iterable[CompiledRule], facts: FactSet) -> list[Match]:
    index = JoinIndex(facts)
    out: list[Match] = []
    for rule in rules:
        for bound in bindings(rule, facts, index):
            out.append(make_match(rule.name, bound))
    return canonical(out)


def bindings(
    rule: CompiledRule, facts: FactSet, index: JoinIndex | None = None
) -> list[dict[str, Fact]]:
    """Every way the rule's positive patterns are met with none of its negated ones.

    Each partial match is charged to the fact set's budget (matches.Budget): past it, or past
    its time, the case is refused rather than searched for minutes."""
    index = index or JoinIndex(facts)
    budget = budget_for(facts)
    left = budget.left()
    positive, negated = rule.positive, rule.negated
    found: list[dict[str, Fact]] = []
    bound: dict[str, Fact] = {}
    used: set[str] = set()
    steps = 0

    def extend(i: int) -> None:
        nonlocal steps
        if i == len(positive):
            if not blocked(negated, bound, used, index):
                found.append(dict(bound))
            return
        pattern = positive[i]
        for fact in index.candidates(pattern, bound):
            if fact["fid"] in used:
                continue
            steps += 1
            if steps > left:
                budget.spend(steps, rule)  # raises: past the budget
            if not steps & 0xFFF:
                budget.check_time(rule)
            bound[pattern.alias] = fact
            used.add(fact["fid"])
            extend(i + 1)
            used.discard(fact["fid"])
            del bound[pattern.alias]

    extend(0)
    budget.spend(steps, rule)
    return found
