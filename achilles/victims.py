"""Who the group exploits, and the guard that keeps every coercive power off them and their homes.

A person is exploited by what the analyst recorded (a protected role, an exploitation marker) or
by one of the law's presumptions (`presumptions.py`). The guard refuses, whatever a rule says:
- any coercive option aimed at them (as its target or as the person who bears it);
- any option of a power the catalogue marks `victims_home: block` (possession, tenancy fraud,
  MDA s8) that rests on the home they live in;
and it narrows a power marked `victims_home: exempt` (a closure order) to a partial order that
exempts them (ASBCPA 2014 s80(7)-(8)). A refusal is kept on record (`Blocked`), with the
presumption behind it and how to lift it, so the LRO sees why an option is absent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from achilles.catalogue import Catalogue
from achilles.facts import Fact, FactSet, is_exploited
from achilles.model.case import Case, Person
from achilles.model.vocabulary import Vocabulary
from achilles.options import Firing, Option
from achilles.presumptions import Presumed, Presumptions
from achilles.rulebook.compile import CompiledRule

# Links by which a person lives at a premises: a closure order must exempt them all. Tenancy,
# possession and s8 action is refused outright where the home is theirs (their tenancy, their
# property); where they only live in someone else's tenancy (a trafficked worker in a grow house
# the group rents), the option stays, with a caution to safeguard and rehouse them first.
_LIVES_THERE = ("tenant", "occupier", "owner")
# A tenant who fled the group (absent_tenant) still holds the tenancy the group would cost them.
_THEIR_OWN = ("tenant", "owner", "absent_tenant")
# Names on a business or a vehicle that make a person answerable for it: groups put victims
# forward as the director, the licence holder or the registered keeper (the "front").
_NAMED_AS = ("owner", "director", "licence_holder", "designated_premises_supervisor", "keeper")


@dataclass(frozen=True)
class Blocked:
    """An option the victim guard refused: kept on record so the LRO sees why it is absent."""

    rule_id: str
    power_id: str
    target: str
    person: str
    reason: str
    presumptions: tuple[str, ...] = ()  # ids of the presumptions behind it (none: a label)
    lift: str = ""  # how to lift it, when a presumption is behind it
    citation: str = ""  # the law behind the presumptions


class Guard:
    """The victim guard for one analysed case."""

    def __init__(
        self,
        case: Case,
        catalogue: Catalogue,
        facts: FactSet,
        presumptions: Presumptions,
        vocab: Vocabulary,
    ) -> None:
        self.case = case
        self.catalogue = catalogue
        self.vocab = vocab
        self.presumptions = presumptions
        self.exploited = {f["key"] for f in facts.of("person") if f["exploited"]}
        # exploited by what the analyst recorded: no assessment lifts a label
        self.labelled = {p.id for p in case.people if is_exploited(p, vocab)}
        lifted = {p.person for p in presumptions.found if not p.holds}
        self.residents: dict[str, list[str]] = {}  # premises -> exploited people living there
        self.holders: dict[str, list[str]] = {}  # ... whose tenancy or property it is
        self.lifted_residents: dict[str, set[str]] = {}  # ... and people whose presumption lifted
        for occ in facts.of("occupancy"):
            place, person, link = occ["premises"], occ["person"], occ["as"]
            if person in self.exploited:
                if link in _LIVES_THERE:
                    self.residents.setdefault(place, []).append(person)
                if link in _THEIR_OWN:
                    self.holders.setdefault(place, []).append(person)
            elif person in lifted and link in (*_LIVES_THERE, *_THEIR_OWN):
                self.lifted_residents.setdefault(place, set()).add(person)
        self.business_premises = {b["key"]: b["premises"] for b in facts.of("business")}
        self.fronts: dict[str, list[tuple[str, str]]] = {}  # business/vehicle -> (victim, as)
        for link in [*facts.of("business_role"), *facts.of("vehicle_use")]:
            thing = link["business"] if link["type"] == "business_role" else link["vehicle"]
            if link["person"] in self.exploited and link["as"] in _NAMED_AS:
                self.fronts.setdefault(thing, []).append((link["person"], link["as"]))

    # --- refusing ------------------------------------------------------------------------

    def refuse(self, firing: Firing, compiled: CompiledRule) -> Blocked | None:
        """The reason this firing must never become an option, or None."""
        power = self.catalogue.get(firing.power_id)
        bound = firing.bound()
        if power.coercive:
            for alias in (compiled.target, compiled.subject):
                fact = bound.get(alias) if alias else None
                if fact is not None and fact["type"] == "person" and fact["exploited"]:
                    return self._blocked(firing, fact["key"], "")
        if power.victims_home == "block":
            for place in _homes(bound.values(), self.business_premises):
                for person in self.holders.get(place, []):
                    return self._blocked(firing, person, place)
        return None

    def _blocked(self, firing: Firing, person: str, home: str) -> Blocked:
        lives = f"{person} lives there and " if home else f"{person} "
        held = self.presumptions.holding(person)
        if held and person not in self.labelled:
            kinds = "; ".join(_lower_first(p.presumption.title) for p in held)
            return Blocked(
                firing.rule_id,
                firing.power_id,
                firing.target,
                person,
                f"{lives}is presumed a victim until assessed ({kinds})",
                tuple(p.presumption.id for p in held),
                " ".join(dict.fromkeys(p.presumption.lift for p in held)),
                "; ".join(dict.fromkeys(p.presumption.citation for p in held)),
            )
        reason = f"{lives}is recorded as someone the group exploits ({self._label(person)})"
        return Blocked(firing.rule_id, firing.power_id, firing.target, person, reason)

    def _label(self, person_id: str) -> str:
        person = self.case.entity(person_id)
        if not isinstance(person, Person):
            return "exploited"
        if person.role in self.vocab.protected_roles:
            return f"role {person.role}"
        markers = [v for v in person.vulnerabilities if v in self.vocab.exploitation_markers]
        return ", ".join(m.replace("_", " ") for m in markers) or "exploited"

    # --- narrowing and cautions ----------------------------------------------------------

    def exempt(self, option: Option) -> list[str]:
        """The people a `victims_home: exempt` power must leave in their home (a partial order)."""
        if self.catalogue.get(option.power_id).victims_home != "exempt":
            return []
        places = {self.business_premises.get(option.target) or option.target}
        for firing in option.firings:
            places |= set(_homes((f for _, f in firing.facts), self.business_premises))
        return sorted({p for place in places for p in self.residents.get(place, [])})

    def lifted_cautions(self, option: Option) -> list[str]:
        """A caution for each presumption a record lifted about a person this option reaches."""
        people: set[str] = set()
        power = self.catalogue.get(option.power_id)
        for firing in option.firings:
            for _alias, fact in firing.facts:
                if fact["type"] == "person":
                    people.add(fact["key"])
            if power.victims_home:
                for place in _homes((f for _, f in firing.facts), self.business_premises):
                    people |= self.lifted_residents.get(place, set())
        out = [
            lifted_caution(p) for person in sorted(people) for p in self.presumptions.lifted(person)
        ]
        if power.victims_home == "block":
            lodgers = sorted(
                {
                    person
                    for firing in option.firings
                    for place in _homes((f for _, f in firing.facts), self.business_premises)
                    for person in self.residents.get(place, [])
                }
            )
            if lodgers:
                out.append(
                    f"{', '.join(lodgers)}, whom the group exploits or may exploit, "
                    f"live{'s' if len(lodgers) == 1 else ''} here in someone else's tenancy: "
                    "safeguard and rehouse them before any action that takes this home."
                )
        return out

    def front_cautions(self, option: Option) -> list[str]:
        """A coercive option on a business or vehicle a victim is named on (director, licence
        holder, keeper): the action may fall on the group's asset, never on the person."""
        if not self.catalogue.get(option.power_id).coercive:
            return []
        return [
            # the id, not the name: cautions are fixed at analysis, before any redaction
            f"{person}, whom the group exploits or may exploit, is named as its "
            f"{link.replace('_', ' ')}: groups put victims forward as the front. The action must "
            f"fall on the group (its controllers, the asset), never on them: safeguard them "
            "first, and consider the Modern Slavery Act 2015 s45 defence before any proceedings "
            "that name them."
            for person, link in self.fronts.get(option.target, [])
        ]

    def without_support(self, options: dict[tuple[str, str], Option]) -> list[str]:
        """People the group exploits whom no safeguarding option reaches."""
        supported = {
            target
            for (power_id, target) in options
            if self.catalogue.get(power_id).kind == "safeguarding"
            or "victims" in self.catalogue.get(power_id).impact.hits
        }
        return sorted(p for p in self.exploited if p not in supported)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def lifted_caution(p: Presumed) -> str:
    records = ", ".join(p.lifted_by)
    return (
        f"{p.person} was presumed a victim ({_lower_first(p.presumption.title)}; "
        f"{p.presumption.citation}) "
        f"until the record {records} lifted it: this option is open only on that record. Keep it "
        "on file, and re-assess if the picture changes."
    )


def _homes(facts: Iterable[Fact], business_premises: dict[str, str]) -> list[str]:
    """The premises a firing rests on: bound premises, occupancies, activity places, and the
    premises of bound businesses."""
    out: list[str] = []
    for fact in facts:
        kind = fact["type"]
        if kind == "premises":
            out.append(fact["key"])
        elif (
            kind in ("occupancy", "activity_at", "event_at")
            and fact.get("premises")
            or kind == "business"
            and fact.get("premises")
        ):
            out.append(fact["premises"])
    return list(dict.fromkeys(out))
