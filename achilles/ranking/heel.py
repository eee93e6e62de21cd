"""The group's heel: what this group depends on, as its case records it.

Its principals and core members, its revenue businesses, its base, its logistics and its
enablers, each defined by the terms in ranking/weights.yaml (`impact.heel`), never by a list in
code. An option fits the heel when its target is one of those things (or reaches it: the
premises of a revenue business, a pub a principal manages) and the catalogue says its power hits
that part of an operation (the power's `impact.hits`). The score's impact criterion adds each
part's bonus, and the breakdown names the parts.
"""

from __future__ import annotations

from dataclasses import dataclass

from achilles.model.case import Case
from achilles.model.power import Power
from achilles.ranking.weights import HeelPart

# How a person is linked to the premises they live in, for `home_uses`: as its tenant or
# occupier, or as its owner when the owner occupies it (a landlord owns many houses he does
# not live in).
LIVES_AS = frozenset({"tenant", "occupier"})
OWNER_OCCUPIED = "owner_occupied"


@dataclass(frozen=True)
class Heel:
    """Each part of the heel (in the weights' order) with the ids of the things that are it, and
    what an option's target reaches."""

    parts: dict[str, HeelPart]
    members: dict[str, frozenset[str]]
    business_premises: dict[str, str]
    people_of: dict[str, frozenset[str]]

    def place(self, target: str) -> str:
        """Where a target is: a business's premises, or the target itself."""
        return self.business_premises.get(target) or target

    def reach(self, target: str) -> frozenset[str]:
        """The target, its place and what is linked to either (occupants, a business's people,
        a vehicle's keeper and users, a driver's vehicles)."""
        place = self.place(target)
        return frozenset(
            {target, place}
            | self.people_of.get(target, frozenset())
            | self.people_of.get(place, frozenset())
        )

    def fit(self, target: str, power: Power) -> tuple[str, ...]:
        """The parts of the heel an option on `target` with `power` hits. Only coercive powers
        strike at the group; protective and partnership actions count by their own level."""
        if not power.coercive:
            return ()
        reached = self.reach(target)
        hits = set(power.impact.hits)
        return tuple(
            name
            for name, part in self.parts.items()
            if reached & self.members[name] and (not part.hits or hits & set(part.hits))
        )


def heel_of(case: Case, parts: dict[str, HeelPart], reached_through: list[str]) -> Heel:
    """The heel of the case's group. A person is reached through a premises or business they
    are linked to as one of `reached_through` (its owner, manager...: not a worker or visitor)."""
    links = set(reached_through)
    business_premises = {b.id: b.premises for b in case.businesses if b.premises}
    people_of: dict[str, set[str]] = {}
    for pr in case.premises:
        people_of.setdefault(pr.id, set()).update(o.person for o in pr.occupants if o.as_ in links)
    for b in case.businesses:
        people = {link.person for link in b.people if link.as_ in links}
        people_of.setdefault(b.id, set()).update(people)
        if b.premises:
            people_of.setdefault(b.premises, set()).update(people)
    for v in case.vehicles:
        drivers = [*v.users, *([v.keeper] if v.keeper else [])]
        people_of.setdefault(v.id, set()).update(drivers)
        # and a driver reaches the vehicles they keep or drive: taking a licensed driver off
        # the road takes the group's taxi or van with them (a power that hits logistics)
        for person in drivers:
            people_of.setdefault(person, set()).add(v.id)
    members = {
        name: frozenset(_members(case, part, business_premises)) for name, part in parts.items()
    }
    return Heel(
        dict(parts),
        members,
        business_premises,
        {k: frozenset(v) for k, v in people_of.items()},
    )


def _members(case: Case, part: HeelPart, business_premises: dict[str, str]) -> set[str]:
    """The ids of what is this part of the heel, by the terms the weights give it."""
    roles = {p.id: p.role for p in case.people}
    uses = {pr.id: pr.use for pr in case.premises}
    ids = {p.id for p in case.people if p.role in part.roles}
    for b in case.businesses:
        if set(b.flags) & set(part.business_flags) or b.trade in part.trades:
            ids.add(b.id)
    ids |= {pr.id for pr in case.premises if pr.landlord in part.landlords}
    for pr in case.premises:
        lives = LIVES_AS | ({"owner"} if pr.tenure == OWNER_OCCUPIED else set())
        if pr.use in part.home_uses and any(
            o.as_ in lives and roles.get(o.person) in part.home_roles for o in pr.occupants
        ):
            ids.add(pr.id)
    ids |= {v.id for v in case.vehicles if set(v.flags) & set(part.vehicle_flags)}
    for a in case.activities:
        if a.kind in part.activities:
            ids.update(x for x in a.at if x in uses)
        if part.used_by_activities:
            ids.update(a.using)
        ids.update(x for x in a.at if uses.get(x) in part.store_uses)
    # A business that is part of the heel makes its premises part too: closing the shop hits
    # the cash business that trades there.
    ids |= {business_premises[b] for b in list(ids) if b in business_premises}
    return ids
