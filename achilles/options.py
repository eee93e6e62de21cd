"""Rule firings gathered into options: one power against one target, with every reason for it.

A firing is one rule matched on one combination of facts; an option is what the LRO decides on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from achilles.facts import Fact
from achilles.matches import Match
from achilles.model.rule import Rule
from achilles.rulebook.compile import CompiledRule


@dataclass(frozen=True)
class Firing:
    """One rule firing on one combination of facts."""

    rule_id: str
    power_id: str
    target: str
    facts: tuple[tuple[str, Fact], ...]  # (alias, fact), in the rule's order
    variant: int = 0  # which `any_of` alternative matched (0 when the rule has none)

    def bound(self) -> dict[str, Fact]:
        return dict(self.facts)


@dataclass
class Option:
    """One power against one target, with every firing that supports it."""

    power_id: str
    target: str
    target_type: str
    firings: list[Firing] = field(default_factory=list)
    exempt: list[str] = field(default_factory=list)
    """People the group exploits who live at the target: the power may act only as a partial
    order that exempts them (the catalogue's `victims_home: exempt`)."""
    cautions: list[str] = field(default_factory=list)
    """Cautions that come from this case rather than the rule or power (a lifted presumption)."""

    @property
    def key(self) -> str:
        return f"{self.power_id}@{self.target}"

    @property
    def rule_ids(self) -> list[str]:
        return sorted({f.rule_id for f in self.firings})


def firing_of(compiled: CompiledRule, rule: Rule, match: Match, by_fid: dict[str, Fact]) -> Firing:
    """The firing an engine match stands for, with its facts in the rule's order."""
    ids = match.fact_ids()
    order = [p.alias for p in compiled.positive]
    bound = tuple((alias, by_fid[ids[alias]]) for alias in order)
    target = dict(bound)[compiled.target]["key"]
    return Firing(rule.id, rule.power, target, bound, compiled.variant)
