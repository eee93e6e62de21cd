"""The safeguarding lane: for every person the group exploits, or is presumed to, the protective
options that fired for them (aimed at them, or at the place where they live or work). They come first, above the tactics, and never compete with
enforcement for a place in the ranked list: a victim's safeguarding is not weighed against
closing a pub.
"""

from __future__ import annotations

from dataclasses import dataclass

from achilles.analysis import Analysis
from achilles.model.power import Power
from achilles.model.vocabulary import Vocabulary
from achilles.options import Option
from achilles.ranking.score import RankedOption


@dataclass(frozen=True)
class Safeguarding:
    """One person the group exploits (by label or presumption) and what protects them."""

    person: str
    options: tuple[RankedOption, ...]  # best first; empty when no protective option fired
    why: tuple[str, ...]  # what the analyst recorded, and each presumption that holds, in words

    @property
    def actions(self) -> list[str]:
        return [r.key for r in self.options]


def exploited(analysis: Analysis) -> set[str]:
    """Everyone the group exploits, by label or by a presumption that holds."""
    return {f["key"] for f in analysis.facts.of("person") if f["exploited"]}


def protects(option: Option, power: Power, victims: set[str]) -> bool:
    """The option safeguards a person the group exploits, or is presumed to: a non-coercive
    option (a safeguarding referral, an NRM referral, early help) aimed at them."""
    return not power.coercive and option.target_type == "person" and option.target in victims


def protected_at(analysis: Analysis, victims: set[str]) -> dict[str, list[str]]:
    """For each premises, the people the group exploits who live or work there (in the case's
    order): a non-coercive protective option aimed at the place (a reception centre for the
    workers found at a car wash) is their safeguarding too."""
    order = {p.id: i for i, p in enumerate(analysis.case.people)}
    return {
        pr.id: sorted({o.person for o in pr.occupants} & victims, key=order.__getitem__)
        for pr in analysis.case.premises
    }


def _for_whom(r: RankedOption, victims: set[str], at: dict[str, list[str]]) -> list[str]:
    """The people the option safeguards, or none when it is not protective."""
    if protects(r.option, r.power, victims):
        return [r.option.target]
    if not r.power.coercive and "protect" in r.power.four_p and r.option.target_type == "premises":
        return at.get(r.option.target, [])
    return []


def lane(analysis: Analysis, ranked: list[RankedOption], vocab: Vocabulary) -> list[Safeguarding]:
    """Each exploited person in the case's order, with their protective options best first."""
    victims = exploited(analysis)
    at = protected_at(analysis, victims)
    protective: dict[str, list[RankedOption]] = {}
    for r in ranked:
        for person_id in _for_whom(r, victims, at):
            protective.setdefault(person_id, []).append(r)
    out = []
    for person in analysis.case.people:
        if person.id not in victims:
            continue
        why: list[str] = []
        recorded = [person.role] if person.role in vocab.protected_roles else []
        recorded += [v for v in person.vulnerabilities if v in vocab.exploitation_markers]
        if recorded:
            why.append(f"recorded as {_either(recorded)}")
        for p in analysis.presumptions.holding(person.id):
            why.append(f"presumed: {p.presumption.title} ({p.presumption.citation})")
        out.append(Safeguarding(person.id, tuple(protective.get(person.id, ())), tuple(why)))
    return out


def _words(term: str) -> str:
    return term.replace("_", " ")


def _either(terms: list[str]) -> str:
    said = [_words(t) for t in terms]
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
