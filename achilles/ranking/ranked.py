"""The ranking of one case: every option scored, the safeguarding lane, the tactics in variety
order, the joint operations and the next steps that wait on a legal event."""

from __future__ import annotations

from dataclasses import dataclass, field

from achilles.analysis import Analysis
from achilles.catalogue import Catalogue
from achilles.errors import AchillesError
from achilles.loading.problems import choices_hint
from achilles.model.case import Case
from achilles.model.power import Power
from achilles.model.vocabulary import Vocabulary
from achilles.options import Option
from achilles.ranking.lane import Safeguarding, lane
from achilles.ranking.packages import Package, packages
from achilles.ranking.score import RankedOption, score_options
from achilles.ranking.tactics import Tactic, tactics
from achilles.ranking.weights import Weights, load_weights


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
    options: list[RankedOption]  # every option, best score first: the stable list for scripts
    packages: list[Package] = field(default_factory=list)
    waiting: list[Waiting] = field(default_factory=list)
    safeguarding: list[Safeguarding] = field(default_factory=list)
    """Every person the group exploits, with their protective options: first, never ranked
    against enforcement."""
    tactics: list[Tactic] = field(default_factory=list)
    """The other options grouped by power, in variety order: the list the meeting reads."""

    def tactic_of(self, key: str) -> Tactic | None:
        """The tactic an option belongs to (None for an option in the safeguarding lane)."""
        return next((t for t in self.tactics if key in t.keys), None)

    def in_lane(self, key: str) -> bool:
        return any(key in s.actions for s in self.safeguarding)


def rank(
    analysis: Analysis, catalogue: Catalogue, vocab: Vocabulary, weights: Weights | None = None
) -> Ranking:
    weights = weights or load_weights()
    ranked = score_options(analysis, catalogue, vocab, weights)
    waiting = [Waiting(o, catalogue.get(o.power_id)) for o in analysis.conditional]
    return arranged(ranked, analysis.case, weights, lane(analysis, ranked, vocab), waiting)


def arranged(
    ranked: list[RankedOption],
    case: Case,
    weights: Weights,
    safeguarding: list[Safeguarding],
    waiting: list[Waiting],
) -> Ranking:
    """The ranking of scored options (best first): the lane's options taken out of the
    competition, the rest grouped into tactics."""
    protective = {k for s in safeguarding for k in s.actions}
    return Ranking(
        ranked,
        packages(ranked, case, weights),
        waiting,
        safeguarding,
        tactics([r for r in ranked if r.key not in protective], weights.tactics.variety),
    )


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


def filter_tactics(
    tactics: list[Tactic],
    *,
    four_p: list[str] | None = None,
    agency: list[str] | None = None,
    area: list[str] | None = None,
    top: int | None = None,
) -> list[Tactic]:
    """The tactics whose power passes the filters (as `filter_options`), in their order."""
    keep = {
        r.power.id
        for r in filter_options(
            [t.options[0] for t in tactics], four_p=four_p, agency=agency, area=area
        )
    }
    out = [t for t in tactics if t.power_id in keep]
    return out[:top] if top else out
