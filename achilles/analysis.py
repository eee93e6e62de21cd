"""From a case to explained options: facts -> engine -> firings -> victim guard -> options,
then the near misses. Each stage has its own module; this one joins them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from achilles.catalogue import Catalogue
from achilles.facts import FactSet, case_facts
from achilles.matches import Match
from achilles.model.case import Case
from achilles.model.vocabulary import Vocabulary
from achilles.near_misses import NearMiss, find_near_misses
from achilles.options import Firing, Option, firing_of
from achilles.presumptions import Presumptions, presume
from achilles.presumptions import warnings as presumption_warnings
from achilles.rulebook.compile import CompiledRule, CPattern, FieldTest
from achilles.rulebook.in_force import ConductDates, conduct_fits, live_rules, rules_on_date
from achilles.rulebook.load import Rulebook
from achilles.victims import Blocked, Guard

EngineName = Literal["durable", "reference"]


@dataclass
class Analysis:
    case: Case
    as_of: dt.date
    options: list[Option]
    near_misses: list[NearMiss]
    blocked: list[Blocked]
    warnings: list[str]
    facts: FactSet  # with the presumptions applied
    presumptions: Presumptions = field(default_factory=lambda: Presumptions(FactSet([], {}), ()))
    conditional: list[Option] = field(default_factory=list)
    """Options whose legal trigger has not happened yet (a conviction, a closure order): the
    next steps, listed apart and never ranked."""


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
    recorded = case_facts(case, vocab, disabled=disabled, as_of=as_of)
    presumptions = presume(recorded, rulebook, as_of, jurisdiction)
    facts = presumptions.facts
    guard = Guard(case, catalogue, facts, presumptions, vocab)
    rules = rulebook.by_id()
    live = live_rules(rulebook, catalogue, as_of, jurisdiction)
    matches = _run(engine, rulebook.compiled, facts)
    blocked: list[Blocked] = []
    ready = _Gathered()
    waiting = _Gathered()
    by_fid = {f["fid"]: f for f in facts.facts}
    dates = ConductDates(case)
    for match in matches:
        compiled = live.get(match.rule)
        if compiled is None:
            continue
        rule = rules[compiled.rule_id].rule
        firing = firing_of(compiled, rule, match, by_fid)
        power = catalogue.get(rule.power)
        if power.dated_by == "conduct" and not conduct_fits(
            rule,
            power,
            jurisdiction,
            dates.periods((f for _, f in firing.facts), as_of),
            as_of,
        ):
            continue  # the law of another day governs this conduct
        refusal = guard.refuse(firing, compiled)
        if refusal:
            if not compiled.pending:
                blocked.append(refusal)
            continue
        (waiting if compiled.pending else ready).add(firing, compiled)
    presumed_only = tuple(
        sorted({p.person for p in presumptions.found if p.holds} - guard.labelled)
    )
    if presumed_only:
        blocked += _held_back(
            rules_on_date(rulebook, catalogue, as_of, jurisdiction),
            rules,
            recorded,
            facts,
            guard,
            presumed_only,
        )
    options = ready.options
    for option in options.values():
        option.exempt = guard.exempt(option)
        option.cautions = guard.lifted_cautions(option) + guard.front_cautions(option)
    conditional = [o for key, o in waiting.options.items() if key not in options]
    unknown = [
        f"event {case.event_id(i)} names power '{e.power}', which the catalogue does not hold"
        for i, e in enumerate(case.events)
        if e.power and e.power not in catalogue
    ]
    warnings = (
        unknown
        + [str(w) for w in presumption_warnings(presumptions, case)]
        + [
            f"person {person} is someone the group exploits, but no safeguarding option fired: "
            "add a safeguarding action by hand"
            for person in guard.without_support(options)
        ]
    )
    misses = (
        find_near_misses(
            rules_on_date(rulebook, catalogue, as_of, jurisdiction),
            rules,
            facts,
            {*options, *waiting.options},
            guard,
            case,
        )
        if near_misses
        else []
    )
    return Analysis(
        case,
        as_of,
        sorted(options.values(), key=lambda o: (o.power_id, o.target)),
        misses,
        sorted(set(blocked), key=lambda b: (b.power_id, b.target, b.rule_id, b.person)),
        warnings,
        facts,
        presumptions,
        sorted(conditional, key=lambda o: (o.power_id, o.target)),
    )


def _held_back(
    live: dict[str, CompiledRule],
    rules: dict,
    recorded: FactSet,
    facts: FactSet,
    guard: Guard,
    presumed_only: tuple[str, ...],
) -> list[Blocked]:
    """The options a presumption held back, so the LRO sees them refused and how to lift it.

    Rules written `exploited: false` simply do not match a presumed victim; run them once more
    on the facts as recorded (labels only), narrowed to the people only a presumption protects,
    and keep what the guard refuses on the presumed facts. The reference evaluator is enough:
    few rules, few people, and only when a presumption holds."""
    from achilles.reference import evaluate

    wanted = []
    for compiled in live.values():
        if compiled.pending or not guard.catalogue.get(rules[compiled.rule_id].rule.power).coercive:
            continue
        narrowed = _narrowed(compiled, presumed_only)
        if narrowed is not None:
            wanted.append(narrowed)
    by_name = {c.name: c for c in wanted}
    presumed = {f["fid"]: f for f in facts.facts}
    by_fid = {f["fid"]: f for f in recorded.facts}
    out = []
    for match in evaluate(wanted, recorded):
        compiled = by_name[match.rule]
        firing = firing_of(compiled, rules[compiled.rule_id].rule, match, by_fid)
        as_presumed = Firing(
            firing.rule_id,
            firing.power_id,
            firing.target,
            tuple((a, presumed[f["fid"]]) for a, f in firing.facts),
            firing.variant,
        )
        refusal = guard.refuse(as_presumed, compiled)
        if refusal:
            out.append(refusal)
    return out


def _narrowed(compiled: CompiledRule, people: tuple[str, ...]) -> CompiledRule | None:
    """The rule with its `exploited: false` target or subject limited to these people, or None
    when the rule spares no one that way (it cannot have been held back by a presumption)."""
    aims = {compiled.target, compiled.subject}
    patterns = []
    hit = False
    for p in compiled.patterns:
        if p.alias in aims and p.fact == "person" and any(_spares(t) for t in p.tests):
            p = CPattern(
                p.alias,
                p.fact,
                (*p.tests, FieldTest("key", "in", people)),
                p.joins,
                p.negated,
                p.source,
            )
            hit = True
        patterns.append(p)
    if not hit:
        return None
    return dataclasses.replace(compiled, patterns=tuple(patterns))


def _spares(t: FieldTest) -> bool:
    return t.field == "exploited" and t.op == "eq" and t.value is False


class _Gathered:
    """Firings gathered into options, each firing once."""

    def __init__(self) -> None:
        self.options: dict[tuple[str, str], Option] = {}
        self._seen: dict[tuple[str, str], set] = {}

    def add(self, firing: Firing, compiled: CompiledRule) -> None:
        key = (firing.power_id, firing.target)
        option = self.options.get(key)
        if option is None:
            target_type = firing.bound()[compiled.target]["type"]
            option = self.options[key] = Option(firing.power_id, firing.target, target_type)
        seen = self._seen.setdefault(key, set())
        marker = (firing.rule_id, firing.variant, tuple((a, f["fid"]) for a, f in firing.facts))
        if marker not in seen:  # a set: an option can gather thousands of firings in a big case
            seen.add(marker)
            option.firings.append(firing)


def _run(engine: EngineName, compiled: list[CompiledRule], facts: FactSet) -> list[Match]:
    if engine == "reference":
        from achilles import reference

        return reference.evaluate(compiled, facts)
    from achilles import engine as durable

    return durable.evaluate(compiled, facts)
