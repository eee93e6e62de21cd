"""The ranking weights (ranking/weights.yaml): the numbers a partnership reviews, loaded and checked.

Every term the weights name (a role, a business flag, an activity...) is checked against the
vocabulary when the file loads, so a misspelt term is an error with its line, never a bonus that
silently never applies.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from achilles.errors import InputError
from achilles.loading.paths import env_override, shipped
from achilles.loading.problems import Problems
from achilles.loading.validation import add_validation_errors
from achilles.loading.yaml_reader import load_yaml

CRITERIA = ("impact", "readiness", "speed", "cost", "legal_risk", "harm")


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class HeelPart(_M):
    """One part of what a group depends on (its revenue, its base...), as a case records it."""

    bonus: float = Field(ge=0, le=1)
    """Added to an option's impact when it hits this part."""
    says: str
    """What the score breakdown says of an option that hits it."""
    hits: list[str] = Field(default_factory=list)
    """The catalogue's impact `hits` that strike this part; empty: any coercive power does."""
    roles: list[str] = Field(default_factory=list)
    """People with these roles are this part."""
    business_flags: list[str] = Field(default_factory=list)
    """Businesses with any of these flags (and their premises)."""
    trades: list[str] = Field(default_factory=list)
    """Businesses in these trades (and their premises)."""
    landlords: list[str] = Field(default_factory=list)
    """Premises let by these kinds of landlord."""
    activities: list[str] = Field(default_factory=list)
    """Premises where activities of these kinds happen."""
    home_uses: list[str] = Field(default_factory=list)
    """Premises of these uses that a person with one of `home_roles` lives in."""
    home_roles: list[str] = Field(default_factory=list)
    vehicle_flags: list[str] = Field(default_factory=list)
    """Vehicles with any of these flags."""
    used_by_activities: bool = False
    """Whatever an activity records as `using` (vehicles, premises, businesses)."""
    store_uses: list[str] = Field(default_factory=list)
    """Premises of these uses where an activity happens (stores, lock-ups)."""


class ImpactWeights(_M):
    level: dict[str, float]
    heel: dict[str, HeelPart] = Field(default_factory=dict)
    reached_through: list[str] = Field(default_factory=list)
    """How a person must be linked to a premises or business for an option on it to reach them
    (link terms: owner, manager...); a vehicle reaches its keeper and users."""
    kind_factor: dict[str, float] = Field(default_factory=dict)


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


class VarietyWeights(_M):
    """Points taken off a tactic for each tactic already above it that it repeats."""

    same_target: float = Field(default=0.0, ge=0, le=50)
    """Per tactic above that acts on one of its targets (the same premises, person, vehicle)."""
    same_heel: float = Field(default=0.0, ge=0, le=50)
    """Per tactic above that hits only the parts of the group's heel this one hits."""
    same_agency: float = Field(default=0.0, ge=0, le=50)
    """Per tactic above led by the same agency."""
    same_area: float = Field(default=0.0, ge=0, le=50)
    """Per tactic above in the same area of the menu of tactics."""
    most: float = Field(default=0.0, ge=0, le=100)
    """The most points taken off one tactic, so the score still leads."""


class TacticWeights(_M):
    variety: VarietyWeights = VarietyWeights()


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
    tactics: TacticWeights = TacticWeights()
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
    _check_terms(weights, file, doc.lines)
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


# Each list in a heel part and the vocabulary section its terms come from.
_HEEL_TERMS = {
    "roles": "role",
    "business_flags": "business_flag",
    "trades": "trade",
    "landlords": "landlord",
    "activities": "activity_kind",
    "home_uses": "premises_use",
    "home_roles": "role",
    "vehicle_flags": "vehicle_flag",
    "store_uses": "premises_use",
}


def _check_terms(weights: Weights, file: Path, lines: dict) -> None:
    """Every evidence standard a power may name has a readiness entry, needing a known status;
    every term a heel part names is in the vocabulary."""
    from achilles.loading.problems import did_you_mean
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
    for part_name, part in weights.impact.heel.items():
        for field_, section in _HEEL_TERMS.items():
            for i, term in enumerate(getattr(part, field_)):
                if not vocab.has(section, term):
                    p.add(
                        ("impact", "heel", part_name, field_, i),
                        f"'{term}' is not a {section.replace('_', ' ')} term",
                        did_you_mean(term, vocab.terms(section))
                        or f"see the '{section}' section of vocabulary.yaml",
                    )
    for i, term in enumerate(weights.impact.reached_through):
        if not vocab.has("link_as", term):
            p.add(
                ("impact", "reached_through", i),
                f"'{term}' is not a link term",
                did_you_mean(term, vocab.terms("link_as")) or "see 'link_as' in vocabulary.yaml",
            )
    if p.items:
        raise InputError(f"{file}: the ranking weights are not valid", p.items)
