"""Who the group exploits, and the guard that keeps every coercive power off them.

No coercive power is ever aimed at a person the group exploits; a refusal is kept on record
(`Blocked`) so the LRO sees why an option is absent.
"""

from __future__ import annotations

from dataclasses import dataclass

from achilles.catalogue import Catalogue
from achilles.facts import FactSet, is_exploited
from achilles.model.case import Case
from achilles.model.vocabulary import Vocabulary
from achilles.options import Firing, Option
from achilles.rulebook.compile import CompiledRule


@dataclass(frozen=True)
class Blocked:
    """An option the victim guard refused: kept on record so the LRO sees why it is absent."""

    rule_id: str
    power_id: str
    target: str
    person: str
    reason: str


def victim_guard(
    firing: Firing,
    compiled: CompiledRule,
    catalogue: Catalogue,
    case: Case,
    facts: FactSet,
    vocab: Vocabulary,
) -> Blocked | None:
    """No coercive power is ever aimed at a person the group exploits, whatever a rule says."""
    power = catalogue.get(firing.power_id)
    if not power.coercive:
        return None
    bound = firing.bound()
    for alias in (compiled.target, compiled.subject):
        fact = bound.get(alias) if alias else None
        if fact is not None and fact["type"] == "person" and fact["exploited"]:
            return Blocked(
                firing.rule_id,
                firing.power_id,
                firing.target,
                fact["key"],
                "the person is someone the group exploits",
            )
    if "tenancy" in power.targets and bound[compiled.target]["type"] == "premises":
        exploited = {f["key"] for f in facts.of("person") if f["exploited"]}
        for occ in facts.of("occupancy"):
            if (
                occ["premises"] == firing.target
                and occ["as"] == "tenant"
                and occ["person"] in exploited
            ):
                return Blocked(
                    firing.rule_id,
                    firing.power_id,
                    firing.target,
                    occ["person"],
                    "the tenant is someone the group exploits",
                )
    return None


def exploited_without_support(
    case: Case, options: dict[tuple[str, str], Option], catalogue: Catalogue, vocab: Vocabulary
) -> list[str]:
    supported = {
        target
        for (power_id, target) in options
        if catalogue.get(power_id).kind == "safeguarding"
        or "victims" in catalogue.get(power_id).impact.hits
    }
    return [p.id for p in case.people if is_exploited(p, vocab) and p.id not in supported]
