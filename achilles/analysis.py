"""From a case to explained options: facts -> engine -> firings -> victim guard -> options,
then the near misses. Each stage has its own module; this one joins them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from achilles.catalogue import Catalogue
from achilles.facts import FactSet, case_facts
from achilles.matches import Match
from achilles.model.case import Case
from achilles.model.vocabulary import Vocabulary
from achilles.near_misses import NearMiss, find_near_misses
from achilles.options import Option, firing_of
from achilles.rulebook.compile import CompiledRule
from achilles.rulebook.in_force import live_rules
from achilles.rulebook.load import Rulebook
from achilles.victims import Blocked, exploited_without_support, victim_guard

EngineName = Literal["durable", "reference"]


@dataclass
class Analysis:
    case: Case
    as_of: dt.date
    options: list[Option]
    near_misses: list[NearMiss]
    blocked: list[Blocked]
    warnings: list[str]
    facts: FactSet


def analyse(
    case: Case,
    catalogue: Catalogue,
    rulebook: Rulebook,
    vocab: Vocabulary,
    *,
    as_of: dt.date | None = None,
    engine: EngineName = "durable",
    disabled: frozenset[str] = frozenset(),
    near_misses: bool = True,
) -> Analysis:
    as_of = as_of or case.case.as_of
    jurisdiction = case.case.jurisdiction
    facts = case_facts(case, vocab, disabled=disabled)
    rules = rulebook.by_id()
    live = live_rules(rulebook, catalogue, as_of, jurisdiction)
    matches = _run(engine, rulebook.compiled, facts)
    warnings: list[str] = []
    blocked: list[Blocked] = []
    options: dict[tuple[str, str], Option] = {}
    by_fid = {f["fid"]: f for f in facts.facts}
    seen_firings: dict[tuple[str, str], set] = {}
    for match in matches:
        compiled = live.get(match.rule)
        if compiled is None:
            continue
        firing = firing_of(compiled, rules[compiled.rule_id].rule, match, by_fid)
        refusal = victim_guard(firing, compiled, catalogue, case, facts, vocab)
        if refusal:
            blocked.append(refusal)
            continue
        target_fact = firing.bound()[compiled.target]
        key = (firing.power_id, firing.target)
        option = options.setdefault(
            key, Option(firing.power_id, firing.target, target_fact["type"])
        )
        seen = seen_firings.setdefault(key, set())
        marker = (firing.rule_id, firing.variant, tuple((a, f["fid"]) for a, f in firing.facts))
        if marker not in seen:  # a set: an option can gather thousands of firings in a big case
            seen.add(marker)
            option.firings.append(firing)
    for person in exploited_without_support(case, options, catalogue, vocab):
        warnings.append(
            f"person {person} is someone the group exploits, but no safeguarding option fired: "
            "add a safeguarding action by hand"
        )
    misses = (
        find_near_misses(live, rules, facts, options, catalogue, case, vocab) if near_misses else []
    )
    ordered = sorted(options.values(), key=lambda o: (o.power_id, o.target))
    blocked = sorted(set(blocked), key=lambda b: (b.power_id, b.target, b.rule_id, b.person))
    return Analysis(case, as_of, ordered, misses, blocked, warnings, facts)


def _run(engine: EngineName, compiled: list[CompiledRule], facts: FactSet) -> list[Match]:
    if engine == "reference":
        from achilles.reference import evaluate
    else:
        from achilles.engine import evaluate
    return evaluate(compiled, facts)
