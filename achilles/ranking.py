"""Ranking options with a transparent score, and grouping them into joint operations.

Weights are data (ranking/weights.yaml). Every option carries its breakdown: each criterion's
value, weight, points and the reason for the value, so the order can be defended.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from achilles.analysis import Analysis
from achilles.catalogue import Catalogue
from achilles.errors import AchillesError, InputError
from achilles.loading.paths import env_override, shipped
from achilles.loading.problems import Problems, choices_hint
from achilles.loading.validation import add_validation_errors
from achilles.loading.yaml_reader import load_yaml
from achilles.model.case import Case
from achilles.model.power import Power
from achilles.model.vocabulary import Vocabulary
from achilles.options import Option

CRITERIA = ("impact", "readiness", "speed", "cost", "legal_risk", "harm")


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class ImpactWeights(_M):
    level: dict[str, float]
    bonus: dict[str, float]
    kind_factor: dict[str, float] = Field(default_factory=dict)
    principal_roles: list[str]
    revenue_flags: list[str]
    base_activities: list[str]


class Standard(_M):
    needs: str
    """The evidential status (vocabulary `status`) the standard needs before action starts."""
    means: str
    """What that means, in the words the breakdown shows."""


class ReadinessWeights(_M):
    standards: dict[str, Standard]
    attributes_only: float = Field(ge=0, le=1)


class SpeedWeights(_M):
    fast_days: int = Field(ge=0)
    slow_days: int = Field(ge=1)


class HarmWeights(_M):
    exploited_occupant_penalty: float = Field(ge=0, le=1)


class PackageWeights(_M):
    min_agencies: int = Field(ge=2)
    joint_bonus: float = Field(ge=0, le=0.2)


class PlanWeights(_M):
    default_top: int = Field(ge=1, le=100)
    review_after_days: int = Field(ge=1, le=365)


class OutcomeWeights(_M):
    """The partnership's own outcomes as a ranking factor: off while weight is 0."""

    weight: float = Field(default=0.0, ge=0, le=1)
    min_done: int = Field(default=3, ge=1)
    level_value: dict[str, float] = Field(default_factory=dict)


class Weights(_M):
    criteria: dict[str, float]
    impact: ImpactWeights
    readiness: ReadinessWeights
    speed: SpeedWeights
    levels: dict[str, float]
    harm: HarmWeights
    packages: PackageWeights
    plan: PlanWeights
    outcomes: OutcomeWeights = OutcomeWeights()


def load_weights(path: Path | None = None) -> Weights:
    folder = path or env_override("ranking") or shipped("ranking")
    file = folder / "weights.yaml" if folder.is_dir() else folder
    return _load(file.resolve())


@lru_cache(maxsize=4)
def _load(file: Path) -> Weights:
    doc = load_yaml(file, what="ranking weights file")
    problems = doc.problems
    try:
        weights = Weights.model_validate(doc.data)
    except ValidationError as exc:
        add_validation_errors(problems, exc, Weights)
        raise InputError(f"{file}: the ranking weights are not valid", problems.items) from None
    _check_standards(weights, file, doc.lines)
    missing = [c for c in CRITERIA if c not in weights.criteria]
    if missing or any(v < 0 for v in weights.criteria.values()):
        p = Problems(str(file), doc.lines)
        p.add(
            ("criteria",),
            f"every criterion needs a weight of 0 or more (missing: {missing})",
            f"list: {', '.join(CRITERIA)}",
        )
        raise InputError(f"{file}: the ranking weights are not valid", p.items)
    return weights


def _check_standards(weights: Weights, file: Path, lines: dict) -> None:
    """Every evidence standard a power may name has a readiness entry, needing a known status."""
    from achilles.model.vocabulary import load_vocabulary

    vocab = load_vocabulary()
    p = Problems(str(file), lines)
    for term in vocab.terms("evidence_standard"):
        if term not in weights.readiness.standards:
            p.add(
                ("readiness", "standards"),
                f"no readiness entry for the evidence standard '{term}'",
                f"add {term}: {{needs: <a status>, means: <what it means>}}",
            )
    for name, standard in weights.readiness.standards.items():
        if not vocab.has("status", standard.needs):
            p.add(
                ("readiness", "standards", name, "needs"),
                f"'{standard.needs}' is not an evidential status",
                f"one of {', '.join(vocab.terms('status'))}",
            )
    if p.items:
        raise InputError(f"{file}: the ranking weights are not valid", p.items)


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

    @property
    def key(self) -> str:
        return self.option.key


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


@dataclass(frozen=True)
class Waiting:
    """A conditional next step: an option whose legal trigger has not happened. Never scored."""

    option: Option
    power: Power

    @property
    def key(self) -> str:
        return self.option.key


@dataclass
class Ranking:
    options: list[RankedOption]
    packages: list[Package] = field(default_factory=list)
    waiting: list[Waiting] = field(default_factory=list)


def rank(
    analysis: Analysis, catalogue: Catalogue, vocab: Vocabulary, weights: Weights | None = None
) -> Ranking:
    weights = weights or load_weights()
    total = sum(weights.criteria[c] for c in CRITERIA) or 1.0
    norm = {c: weights.criteria[c] / total for c in CRITERIA}
    context = _Context(analysis.case, analysis, vocab, weights)
    ranked = []
    for option in analysis.options:
        power = catalogue.get(option.power_id)
        values = {
            "impact": _impact(option, power, context),
            "readiness": _readiness(option, power, context),
            "speed": _speed(power, weights),
            "cost": (weights.levels[power.cost], f"partner effort {power.cost}"),
            "legal_risk": (weights.levels[power.legal_risk], f"legal risk {power.legal_risk}"),
            "harm": _harm(option, power, context),
        }
        breakdown = [Criterion(c, round(v, 3), norm[c], why) for c, (v, why) in values.items()]
        score = round(sum(c.value * c.weight for c in breakdown) * 100, 1)
        ranked.append(RankedOption(option, power, score, breakdown))
    # total order: score, then power id and target, so equal scores never swap between runs
    ranked.sort(key=lambda r: (-r.score, r.option.power_id, r.option.target))
    for i, r in enumerate(ranked, 1):
        r.rank = i
    waiting = [Waiting(o, catalogue.get(o.power_id)) for o in analysis.conditional]
    return Ranking(ranked, packages(ranked, analysis.case, weights), waiting)


class _Context:
    """What the criteria need to know about the case, computed once."""

    def __init__(self, case: Case, analysis: Analysis, vocab: Vocabulary, weights: Weights):
        iw = weights.impact
        self.weights = weights
        self.vocab = vocab
        self.principals = {p.id for p in case.people if p.role in iw.principal_roles}
        self.revenue = {b.id for b in case.businesses if set(b.flags) & set(iw.revenue_flags)}
        self.business_premises = {b.id: b.premises for b in case.businesses}
        self.people_of: dict[str, set[str]] = {}
        for pr in case.premises:
            self.people_of.setdefault(pr.id, set()).update(o.person for o in pr.occupants)
        for b in case.businesses:
            people = {link.person for link in b.people}
            self.people_of.setdefault(b.id, set()).update(people)
            if b.premises:
                self.people_of.setdefault(b.premises, set()).update(people)
        for v in case.vehicles:
            self.people_of.setdefault(v.id, set()).update(
                [*v.users, *([v.keeper] if v.keeper else [])]
            )
        self.base = set()
        for a in case.activities:
            if a.kind in iw.base_activities:
                self.base.update(a.at)
        self.exploited = {f["key"] for f in analysis.facts.of("person") if f["exploited"]}
        self.exploited_at: dict[str, set[str]] = {}
        for pr in case.premises:
            self.exploited_at[pr.id] = {o.person for o in pr.occupants} & self.exploited


def _impact(option: Option, power: Power, ctx: _Context) -> tuple[float, str]:
    iw = ctx.weights.impact
    value = iw.level[power.impact.level]
    reasons = [f"{power.impact.level} impact on {', '.join(power.impact.hits)}"]
    target = option.target
    linked = {target} | ctx.people_of.get(target, set())
    if target in ctx.business_premises and ctx.business_premises[target]:
        linked |= ctx.people_of.get(ctx.business_premises[target] or "", set())
    if linked & ctx.principals and power.coercive:
        value += iw.bonus.get("principal", 0)
        reasons.append("reaches a principal")
    place = ctx.business_premises.get(target) or target
    if (
        target in ctx.revenue
        or any(b in ctx.revenue for b, p in ctx.business_premises.items() if p == place)
    ) and power.coercive:
        value += iw.bonus.get("revenue", 0)
        reasons.append("hits a revenue-earning business")
    if place in ctx.base and power.coercive:
        value += iw.bonus.get("base", 0)
        reasons.append("hits the group's base")
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
    place = ctx.business_premises.get(option.target) or option.target
    if power.coercive and ctx.exploited_at.get(place):
        value = max(0.0, value - ctx.weights.harm.exploited_occupant_penalty)
        reason += "; someone the group exploits lives there: plan safeguarding first"
    return value, reason


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


LOCAL_OUTCOMES = "local outcomes"


def with_local_outcomes(
    ranking: Ranking,
    record: dict[str, dict[str, int]],
    case: Case,
    weights: Weights | None = None,
) -> Ranking:
    """The ranking with the partnership's own outcomes as one more, visible criterion (weights
    `outcomes` section; off while its weight is 0). `record`: power id -> disruption level ->
    actions done with that outcome, from the partnership's plans. A power done fewer than
    min_done times, or with levels the weights do not value, gets value 0 and says why; the
    other criteria are scaled by 1/(1 + weight) so scores stay out of 100."""
    weights = weights or load_weights()
    ow = weights.outcomes
    if ow.weight <= 0:
        return ranking
    share = ow.weight / (1 + ow.weight)
    out = []
    for r in ranking.options:
        counts = {k: n for k, n in record.get(r.power.id, {}).items() if k in ow.level_value}
        done = sum(counts.values())
        if done >= ow.min_done:
            value = sum(ow.level_value[k] * n for k, n in counts.items()) / done
            said = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()) if n)
            reason = f"done {done} times in the partnership's plans: {said}"
        else:
            value = 0.0
            reason = f"done {done} times in the partnership's plans (counts from {ow.min_done})"
        breakdown = [
            Criterion(c.name, c.value, c.weight / (1 + ow.weight), c.reason) for c in r.breakdown
        ] + [Criterion(LOCAL_OUTCOMES, round(value, 3), share, reason)]
        score = round(sum(c.value * c.weight for c in breakdown) * 100, 1)
        out.append(RankedOption(r.option, r.power, score, breakdown))
    out.sort(key=lambda r: (-r.score, r.option.power_id, r.option.target))
    for i, r in enumerate(out, 1):
        r.rank = i
    return Ranking(out, packages(out, case, weights))


_FILTER_WORDS = {"four_p": "4P strand", "area": "menu-of-tactics area"}


def filter_terms(
    vocab: Vocabulary, option: str, section: str, given: list[str] | None
) -> list[str]:
    """The terms of a filter option (`--four-p pursue,protect`), each a vocabulary term.

    An unknown or empty term is refused (exit 2, with the closest term): silently showing
    "0 of 23 options" would tell the meeting there is nothing to do."""
    if given is None:
        return []
    terms = [v.strip() for item in given for v in item.split(",")]
    known = list(vocab.sections.get(section, {}))
    if not any(terms):
        raise AchillesError(f"{option} is empty", hint=choices_hint("", known))
    for term in terms:
        if term and term not in known:
            raise AchillesError(
                f"{option} '{' '.join(term.split())[:40]}' is not a known "
                f"{_FILTER_WORDS.get(section, section)}",
                hint=choices_hint(term, known),
            )
    return [t for t in terms if t]


def filter_options(
    ranked: list[RankedOption],
    *,
    four_p: list[str] | None = None,
    agency: list[str] | None = None,
    area: list[str] | None = None,
    top: int | None = None,
) -> list[RankedOption]:
    out = [
        r
        for r in ranked
        if (not four_p or set(four_p) & set(r.power.four_p))
        and (
            not agency
            or r.power.lead_agency in agency
            or any(a.agency in agency for a in r.power.exercised_by)
        )
        and (not area or r.power.area in area)
    ]
    return out[:top] if top else out
