"""Tactics: options grouped by power, with all their targets, in an order that makes the top of
the list a menu across the group's weak points rather than one power repeated.

A tactic is one power on every target it is open against (a closure notice on the pub and on
the flat). Tactics are placed one at a time: each next place goes to the tactic whose best
option scores highest after the variety deductions (ranking/weights.yaml `tactics.variety`),
counted against the tactics already above it: points off for each one that already acts on
every one of its targets (a tactic that reaches someone new is not held back), that hits every
part of the group's heel it hits, that the same agency leads, or that sits in the same area of
the menu of tactics; never more than `most` in all. So four powers on one pub, or three police
tactics in a row, give way to a tactic that hits another weak point with another partner, while
the score still leads. Every tactic says what was taken off and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from achilles.model.power import Power
from achilles.ranking.score import RankedOption
from achilles.ranking.weights import VarietyWeights

# The kinds of repetition, in the order the reason names them, and how it says each.
_SAID = {
    "same_target": "on the same targets",
    "same_heel": "on the same parts of the heel",
    "same_agency": "led by {agency}",
    "same_area": "in {area}",
}


@dataclass
class Tactic:
    """One power on all its targets."""

    power: Power
    options: list[RankedOption]  # best first
    score: float = 0.0  # the best option's score less the variety deduction
    rank: int = 0
    repeats: dict[str, list[str]] = field(default_factory=dict)  # kind -> power ids above
    deducted: float = 0.0
    reason: str = ""  # the variety deduction in words

    @property
    def power_id(self) -> str:
        return self.power.id

    @property
    def best_score(self) -> float:
        return self.options[0].score

    @property
    def targets(self) -> list[str]:
        return [r.option.target for r in self.options]

    @property
    def keys(self) -> list[str]:
        return [r.key for r in self.options]

    @property
    def places(self) -> frozenset[str]:
        return frozenset(r.place or r.option.target for r in self.options)

    @property
    def heel(self) -> frozenset[str]:
        return frozenset(part for r in self.options for part in r.heel)

    def variety(self, weights: VarietyWeights) -> str:
        """Why the tactic sits where it does, in words: the points taken off and for what."""
        if not self.repeats:
            return "nothing off for variety: no tactic above shares its targets, agency or area"
        parts = []
        for kind, said in _SAID.items():
            n = len(self.repeats.get(kind, ()))
            if n:
                what = said.format(
                    agency=self.power.lead_agency.replace("_", " "),
                    area=f"the {self.power.area} area",
                )
                parts.append(f"{n} above {what} -{n * getattr(weights, kind):g}")
        capped = " (the most)" if self.deducted >= weights.most else ""
        return f"{self.deducted:g} off for variety{capped}: " + ", ".join(parts)


def tactics(ranked: list[RankedOption], weights: VarietyWeights) -> list[Tactic]:
    """`ranked` (best first) grouped by power and put in variety order, ranked 1..n."""
    groups: dict[str, Tactic] = {}
    for r in ranked:
        groups.setdefault(r.power.id, Tactic(r.power, [])).options.append(r)
    left = list(groups.values())
    for t in left:
        t.score = t.best_score
    placed: list[Tactic] = []
    while left:
        best = min(left, key=lambda t: (-t.score, -t.best_score, t.power_id))
        left.remove(best)
        best.rank = len(placed) + 1
        placed.append(best)
        for t in left:
            _repeat(t, best, weights)
    for t in placed:
        t.reason = t.variety(weights)
    return placed


def _repeat(t: Tactic, above: Tactic, w: VarietyWeights) -> None:
    """Count what `t` repeats of a tactic placed above it, and take its points off."""
    kinds = []
    if w.same_target and t.places <= above.places:
        kinds.append("same_target")
    if w.same_heel and t.heel and t.heel <= above.heel:
        kinds.append("same_heel")
    if w.same_agency and t.power.lead_agency == above.power.lead_agency:
        kinds.append("same_agency")
    if w.same_area and t.power.area == above.power.area:
        kinds.append("same_area")
    for kind in kinds:
        t.repeats.setdefault(kind, []).append(above.power_id)
        t.deducted = min(w.most, t.deducted + getattr(w, kind))
    t.score = round(t.best_score - t.deducted, 1)
