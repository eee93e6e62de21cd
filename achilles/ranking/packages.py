"""Joint operations: options on one place by several agencies, done as one visit."""

from __future__ import annotations

from dataclasses import dataclass

from achilles.model.case import Case
from achilles.ranking.score import RankedOption
from achilles.ranking.weights import Weights


@dataclass
class Package:
    """Options on one place by several agencies: one joint operation."""

    place: str
    options: list[RankedOption]
    agencies: list[str]
    score: float

    @property
    def key(self) -> str:
        return f"joint@{self.place}"


def packages(ranked: list[RankedOption], case: Case, weights: Weights) -> list[Package]:
    """Options on the same place (a premises, or a business's premises) by different agencies."""
    business_premises = {b.id: b.premises for b in case.businesses}
    places: dict[str, list[RankedOption]] = {}
    for r in ranked:
        if r.option.target_type not in ("premises", "business"):
            continue
        place = business_premises.get(r.option.target) or r.option.target
        places.setdefault(place, []).append(r)
    out = []
    pw = weights.packages
    for place, group in places.items():
        agencies = sorted({r.power.lead_agency for r in group})
        if len(agencies) < pw.min_agencies:
            continue
        score = sum(r.score for r in group) / len(group) + 100 * pw.joint_bonus * (
            len(agencies) - 1
        )
        out.append(Package(place, group, agencies, round(min(score, 100.0), 1)))
    out.sort(key=lambda p: (-p.score, p.place))
    return out
