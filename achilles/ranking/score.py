"""An option's score: six criteria, each 0 to 1, weighted (ranking/weights.yaml) into a score
out of 100, with every criterion's points and the reason for its value, so the order can be
defended at the meeting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from achilles.analysis import Analysis
from achilles.catalogue import Catalogue
from achilles.model.power import Power
from achilles.model.vocabulary import Vocabulary
from achilles.options import Option
from achilles.ranking.heel import Heel, heel_of
from achilles.ranking.weights import CRITERIA, Weights


@dataclass(frozen=True)
class Criterion:
    name: str
    value: float  # 0..1
    weight: float  # normalised
    reason: str

    @property
    def points(self) -> float:
        return round(100 * self.value * self.weight, 1)


@dataclass
class RankedOption:
    option: Option
    power: Power
    score: float  # 0..100
    breakdown: list[Criterion]
    rank: int = 0
    heel: tuple[str, ...] = ()  # the parts of the group's heel it hits (weights impact.heel)
    place: str = ""  # where it acts: a business's premises, or the target itself

    @property
    def key(self) -> str:
        return self.option.key


def score_options(
    analysis: Analysis, catalogue: Catalogue, vocab: Vocabulary, weights: Weights
) -> list[RankedOption]:
    """Every option scored, best first, ranked 1..n. Equal scores are ordered by power id and
    target, so they never swap between runs."""
    total = sum(weights.criteria[c] for c in CRITERIA) or 1.0
    norm = {c: weights.criteria[c] / total for c in CRITERIA}
    context = _Context(analysis, vocab, weights)
    ranked = []
    for option in analysis.options:
        power = catalogue.get(option.power_id)
        heel = context.heel.fit(option.target, power)
        values = {
            "impact": _impact(power, heel, weights),
            "readiness": _readiness(option, power, context),
            "speed": _speed(power, weights),
            "cost": (weights.levels[power.cost], f"partner effort {power.cost}"),
            "legal_risk": (weights.levels[power.legal_risk], f"legal risk {power.legal_risk}"),
            "harm": _harm(option, power, context),
        }
        breakdown = [Criterion(c, round(v, 3), norm[c], why) for c, (v, why) in values.items()]
        score = round(sum(c.value * c.weight for c in breakdown) * 100, 1)
        place = context.heel.place(option.target)
        ranked.append(RankedOption(option, power, score, breakdown, heel=heel, place=place))
    return ordered(ranked)


def ordered(ranked: list[RankedOption]) -> list[RankedOption]:
    """Best score first (ties by power id and target), ranked 1..n in place."""
    ranked.sort(key=lambda r: (-r.score, r.option.power_id, r.option.target))
    for i, r in enumerate(ranked, 1):
        r.rank = i
    return ranked


class _Context:
    """What the criteria need to know about the case, computed once."""

    def __init__(self, analysis: Analysis, vocab: Vocabulary, weights: Weights):
        case = analysis.case
        self.weights = weights
        self.vocab = vocab
        self.heel: Heel = heel_of(case, weights.impact.heel, weights.impact.reached_through)
        exploited = {f["key"] for f in analysis.facts.of("person") if f["exploited"]}
        self.exploited_at = {
            pr.id: {o.person for o in pr.occupants} & exploited for pr in case.premises
        }


def _impact(power: Power, heel: tuple[str, ...], weights: Weights) -> tuple[float, str]:
    """The catalogue's impact level, plus a bonus for each part of the group's heel it hits,
    scaled down for referrals and partnership work, which hand the blow to another body."""
    iw = weights.impact
    value = iw.level[power.impact.level]
    reasons = [f"{power.impact.level} impact on {', '.join(power.impact.hits)}"]
    for name in heel:
        part = iw.heel[name]
        value += part.bonus
        reasons.append(part.says)
    factor = iw.kind_factor.get(power.kind, 1.0)
    if factor != 1.0:
        reasons.append(f"a {power.kind}: scaled by {factor}")
    return min(value, 1.0) * factor, "; ".join(reasons)


def _readiness(option: Option, power: Power, ctx: _Context) -> tuple[float, str]:
    rw = ctx.weights.readiness
    standard = rw.standards[power.evidence_standard]
    statuses = list(ctx.vocab.terms("status"))
    need = statuses.index(standard.needs)
    best = -1
    for firing in option.firings:
        for _alias, fact in firing.facts:
            if "status_rank" in fact:
                best = max(best, fact["status_rank"])
    if best < 0:
        return (
            rw.attributes_only,
            f"rests on known facts, not on reported activity ({standard.means})",
        )
    have = statuses[best]
    if best >= need:
        return 1.0, f"evidence {have}: ready to start ({standard.means})"
    return (best + 1) / (need + 1), f"evidence {have}, needs {standard.needs} ({standard.means})"


def _speed(power: Power, weights: Weights) -> tuple[float, str]:
    sw = weights.speed
    days = power.speed_days
    if days <= sw.fast_days:
        value = 1.0
    elif days >= sw.slow_days:
        value = 0.0
    else:
        value = 1 - math.log(days / max(sw.fast_days, 1)) / math.log(
            sw.slow_days / max(sw.fast_days, 1)
        )
    return value, f"bites in about {days} day{'s' if days != 1 else ''}"


def _harm(option: Option, power: Power, ctx: _Context) -> tuple[float, str]:
    value = ctx.weights.levels[power.collateral_risk]
    reason = f"collateral risk {power.collateral_risk}"
    place = ctx.heel.place(option.target)
    if power.coercive and ctx.exploited_at.get(place):
        value = max(0.0, value - ctx.weights.harm.exploited_occupant_penalty)
        reason += "; someone the group exploits lives there: plan safeguarding first"
    return value, reason
