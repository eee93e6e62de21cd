"""The law's presumptions about who is a victim, applied to a case's facts before any rule runs.

A runner whose age is not known may be a child (MSA 2015 s51) and is a potential victim of
criminal exploitation; an adult with care and support needs whose home the group deals from is
presumed cuckooed. The presumptions themselves are legal content (rules/presumptions.yaml); this
module only applies them: each one that holds marks its person `exploited` (and `child`), so
every rule written `exploited: false` passes them by, the victim guard refuses any coercive
option aimed at them, and the safeguarding rules reach them.

A presumption holds until a record lifts it (an assessment with outcome not_exploited, an age
assessment finding an adult). A lifted presumption is kept too: the options it held back
return, with a caution that names the record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from achilles.facts import Fact, FactSet
from achilles.matches import JoinIndex
from achilles.memo import IdentityMemo
from achilles.model.case import Case
from achilles.model.rule import Presumption
from achilles.reference import bindings
from achilles.rulebook.compile import CompiledRule
from achilles.rulebook.english import fill
from achilles.rulebook.load import Rulebook

# Presumptions feed each other (a possible child linked to sexual exploitation is then presumed
# exploited); they only ever add, so a few rounds reach the fixed point.
_MAX_ROUNDS = 8


@dataclass(frozen=True)
class Presumed:
    """One presumption about one person, holding or lifted."""

    person: str
    presumption: Presumption
    bound: tuple[tuple[str, Fact], ...]  # the facts it rests on, for its `because`
    lifted_by: tuple[str, ...] = ()  # the keys of the events that lifted it

    @property
    def holds(self) -> bool:
        return not self.lifted_by


@dataclass(frozen=True)
class Presumptions:
    facts: FactSet  # the case's facts with every presumption that holds applied
    found: tuple[Presumed, ...]

    def holding(self, person: str) -> list[Presumed]:
        return [p for p in self.found if p.person == person and p.holds]

    def lifted(self, person: str) -> list[Presumed]:
        return [p for p in self.found if p.person == person and not p.holds]


def presume(facts: FactSet, rulebook: Rulebook, as_of: dt.date, jurisdiction: str) -> Presumptions:
    """Apply every presumption in force to the facts, until nothing more follows."""
    pairs = [
        (rulebook.presumption(holds.rule_id), holds, lifted)
        for holds, lifted in rulebook.compiled_presumptions
    ]
    pairs = [
        (pr, holds, lifted)
        for pr, holds, lifted in pairs
        if pr.in_force(as_of) and jurisdiction in pr.jurisdiction
    ]
    found: dict[tuple[str, str], Presumed] = {}
    current = facts
    for _ in range(_MAX_ROUNDS):
        before = len(found)
        index = JoinIndex(current)
        for pr, holds, lifted in pairs:
            _apply(pr, holds, lifted, current, index, found)
        if len(found) == before:
            break
        current = _with_presumptions(facts, found.values())
        if not _feeds_back(rulebook):
            break
    ordered = sorted(found.values(), key=lambda p: (p.person, p.presumption.id))
    return Presumptions(current, tuple(ordered))


def _apply(
    pr: Presumption,
    holds: CompiledRule,
    lifted: CompiledRule,
    facts: FactSet,
    index: JoinIndex,
    found: dict[tuple[str, str], Presumed],
) -> None:
    matched = bindings(holds, facts, index)
    if not matched:
        return
    lifting: dict[str, set[str]] = {}
    lift_aliases = set(pr.lifted_by)
    for bound in bindings(lifted, facts, index) if lift_aliases else ():
        person = bound[pr.person]["key"]
        lifting.setdefault(person, set()).update(
            _event_key(bound[a]) for a in lift_aliases if a in bound
        )
    for bound in matched:
        person = bound[pr.person]["key"]
        key = (pr.id, person)
        if key in found:
            continue
        order = [p.alias for p in holds.positive]
        found[key] = Presumed(
            person,
            pr,
            tuple((a, bound[a]) for a in order),
            tuple(sorted(lifting.get(person, ()))),
        )


_feedback: IdentityMemo[bool] = IdentityMemo(16)


def _feeds_back(rulebook: Rulebook) -> bool:
    """Some presumption tests what another presumes (`child`, `exploited`, `presumed`), so a
    presumption found in one round can bring another in the next."""

    def build() -> bool:
        return any(
            t.field in ("child", "exploited", "presumed")
            for holds, _lifted in rulebook.compiled_presumptions
            for p in holds.positive
            for t in p.tests
        )

    return _feedback.get((rulebook,), build)


def _event_key(fact: Fact) -> str:
    return str(fact.get("event") or fact.get("key") or fact.get("fid"))


def _with_presumptions(facts: FactSet, found) -> FactSet:
    """A new fact set whose person facts carry what the holding presumptions say."""
    marks: dict[str, list[Presumed]] = {}
    for p in found:
        if p.holds:
            marks.setdefault(p.person, []).append(p)
    if not marks:
        return facts
    out: list[Fact] = []
    for fact in facts.facts:
        if fact["type"] == "person" and fact["key"] in marks:
            fact = dict(fact)
            kinds = list(fact["presumed"])
            for p in marks[fact["key"]]:
                if "exploited" in p.presumption.presumes:
                    fact["exploited"] = True
                if "child" in p.presumption.presumes:
                    fact["child"] = True
                if p.presumption.kind not in kinds:
                    kinds.append(p.presumption.kind)
            fact["presumed"] = sorted(kinds)
        out.append(fact)
    by_type: dict[str, list[Fact]] = {}
    for fact in out:
        by_type.setdefault(fact["type"], []).append(fact)
    return FactSet(out, by_type)


@dataclass(frozen=True)
class PresumptionWarning:
    """What to tell the LRO about a presumption that holds, with ids only (no names)."""

    person: str
    text: str
    lift: str

    def __str__(self) -> str:
        lift = self.lift[:1].lower() + self.lift[1:] if self.lift else ""
        return self.text + (f"; to lift it, {lift}" if lift else "")


def warnings(presumptions: Presumptions, case: Case) -> list[PresumptionWarning]:
    """One warning per presumption that holds, in the presumption's own words."""
    return [
        PresumptionWarning(
            p.person,
            fill(p.presumption.warning, dict(p.bound), case, redact=True),
            p.presumption.lift,
        )
        for p in presumptions.found
        if p.holds
    ]
