"""One synthetic organised crime group: its people, homes, trade, vehicles and activities.

`make_group` draws a size, a date and a profile (what the group mainly does), then builds the
group in phases, each from the one before: people first, then the homes they live in and the
premises they use, the businesses, the vehicles, and activities that link them until the group
reaches its size. The phases share one random stream, in this order.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from achilles.model.vocabulary import Vocabulary, load_vocabulary
from achilles.synth.builder import Builder, DraftPerson
from achilles.synth.sizing import MAX_FACTS, activity_facts, check_size, count_facts, sized_target
from achilles.synth.terms import (
    AGENCIES,
    COMMERCIAL,
    PROFILE_WEIGHTS,
    PROFILES,
    RESIDENTIAL,
    STANDALONE_TRADES,
    Terms,
)


@dataclass(frozen=True)
class _Profile:
    """What the group does: its name, its main activity kinds and those that come with them."""

    name: str
    main_kinds: tuple[str, ...]
    side_kinds: tuple[str, ...]


def make_group(
    index: int,
    rng: random.Random,
    size: str = "typical",
    vocab: Vocabulary | None = None,
    *,
    seed: int = 0,
) -> dict[str, Any]:
    """One synthetic case, as the data of a case file."""
    check_size(size)
    vocab = vocab or load_vocabulary()
    t = Terms(vocab)
    target = sized_target(rng, size)
    b = Builder(rng, t, index)
    scale = target / 42
    as_of = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randint(0, 3650))
    profile = _profile(rng, t)

    _people(b, profile, scale)
    offenders = b.offenders() or b.people[:1]
    principal_ids = [p.id for p in b.of_role("principal")]
    _homes(b, profile, scale, principal_ids)
    _commerce(b, profile, scale, offenders, principal_ids)
    _vehicles(b, scale, offenders)
    _activities(b, profile, target, as_of, seed, offenders, principal_ids)

    kinds = list(dict.fromkeys(a["kind"] for a in b.activities))
    return _assemble(b, as_of, seed, kinds)


def _profile(rng: random.Random, t: Terms) -> _Profile:
    name = rng.choices(list(PROFILES), weights=list(PROFILE_WEIGHTS.values()))[0]
    main_kinds, side_kinds = PROFILES[name]
    main_kinds = tuple(k for k in main_kinds if t.has("activity_kind", k)) or tuple(
        t.keep("activity_kind", [])
    )
    side_kinds = tuple(k for k in side_kinds if t.has("activity_kind", k)) or main_kinds
    return _Profile(name, main_kinds, side_kinds)


def _people(b: Builder, profile: _Profile, scale: float) -> None:
    """People: the national mean is about 6.7 per group."""
    rng = b.rng
    n_people = max(2, round(scale * rng.uniform(4.9, 9.4)))
    principals = 1 + (n_people >= 6 and rng.random() < 0.35) + n_people // 45
    b.person("principal")
    for _ in range(principals - 1):
        b.person("principal")
    role_weights = {
        "core_member": 12,
        "member": 34,
        "associate": 14,
        "enabler": 6,
        "runner": 18,
        "vulnerable": 10,
        "victim": 6,
    }
    if profile.name == "drugs":
        role_weights.update(runner=26, vulnerable=14, victim=2)
    elif profile.name == "exploitation":
        role_weights.update(runner=3, vulnerable=4, victim=30)
    elif profile.name in ("business", "waste"):
        role_weights.update(runner=3, vulnerable=3, enabler=14, victim=3)
    roles = list(role_weights)
    weights = list(role_weights.values())
    for _ in range(n_people - principals):
        b.person(rng.choices(roles, weights=weights)[0])


def _homes(b: Builder, profile: _Profile, scale: float, principal_ids: list[str]) -> None:
    """Each principal's home, a cuckooed home per vulnerable person (with a member or runner
    staying there), trap houses for the drugs trade."""
    rng = b.rng
    for pid in principal_ids:
        if rng.random() < 0.8:
            b.residential("home", [(pid, rng.choice(("owner", "tenant", "occupier")))])
    for v in b.of_role("vulnerable"):
        stay = [p.id for p in b.of_role("runner", "member", "core_member")]
        residents = [(v.id, "tenant")] + ([(rng.choice(stay), "occupier")] if stay else [])
        b.cuckooed_at.append(b.residential("cuckooed", residents))
    n_trap = round(scale * rng.uniform(0.2, 1.4)) if profile.name in ("drugs", "cannabis") else 0
    runners = [p.id for p in b.of_role("runner", "member")]
    for _ in range(n_trap):
        residents = [
            (r, "occupier") for r in rng.sample(runners, k=min(len(runners), rng.randint(0, 2)))
        ]
        b.residential("trap", residents)


def _commerce(
    b: Builder,
    profile: _Profile,
    scale: float,
    offenders: list[DraftPerson],
    principal_ids: list[str],
) -> None:
    """Commercial premises with businesses, and businesses without premises."""
    rng, t = b.rng, b.terms
    n_commercial = max(0, round(scale * rng.uniform(0.6, 2.6)))
    if profile.name in ("business", "exploitation"):
        n_commercial += 1
    uses = t.keep("premises_use", COMMERCIAL)
    victims = [p.id for p in b.of_role("victim")]
    for _ in range(n_commercial):
        use = rng.choice(uses)
        manager = rng.choice(offenders).id
        staff = [
            (manager, rng.choice(("manager", "licence_holder", "designated_premises_supervisor")))
        ]
        if victims and profile.name == "exploitation":
            staff += [
                (v, "worker") for v in rng.sample(victims, k=min(len(victims), rng.randint(1, 3)))
            ]
        elif rng.random() < 0.4:
            staff.append((rng.choice(b.people).id, rng.choice(("employee", "worker"))))
        pid = b.commercial(use, staff)
        if victims and profile.name == "exploitation":
            b.labour_at.append(pid)
        if rng.random() < 0.85 and t.has("trade", use):
            people = [
                (
                    rng.choice(principal_ids + [o.id for o in offenders]),
                    rng.choice(("owner", "director", "director", "shadow_director")),
                )
            ]
            if rng.random() < 0.35:
                people.append((rng.choice(offenders).id, "employee"))
            b.business(use, pid, people)
    n_standalone = round(scale * rng.uniform(0.0, 0.9))
    if profile.name in ("business", "waste"):
        n_standalone += 1
    trades = t.keep("trade", list(STANDALONE_TRADES))
    for _ in range(n_standalone):
        if profile.name == "waste" and rng.random() < 0.6:
            trade = "waste_carrier"
        else:
            trade = rng.choice(trades)
        people = [(rng.choice(principal_ids), rng.choice(("owner", "director", "shadow_director")))]
        enablers = b.of_role("enabler")
        if enablers and rng.random() < 0.5:
            people.append((rng.choice(enablers).id, "director"))
        b.business(trade, None, people)


def _vehicles(b: Builder, scale: float, offenders: list[DraftPerson]) -> None:
    """Kept by offenders or by the group's businesses, driven by members and runners."""
    rng = b.rng
    n_vehicles = max(0, round(scale * rng.uniform(1.0, 3.0)))
    drivers = [p.id for p in offenders] + [p.id for p in b.of_role("runner")]
    for _ in range(n_vehicles):
        if b.businesses and rng.random() < 0.25:
            keeper: str | None = rng.choice(b.businesses)["id"]
        elif rng.random() < 0.9:
            keeper = rng.choice(offenders).id
        else:
            keeper = None
        users = rng.sample(drivers, k=min(len(drivers), rng.randint(0, 2)))
        b.vehicle(keeper, users)


# Activity kinds that happen in homes rather than anywhere the group uses.
_AT_HOME = ("drug_supply", "county_lines", "cuckooing", "cannabis_cultivation")
# Kinds done through a business, and kinds that need a vehicle.
_THROUGH_BUSINESS = (
    "tax_evasion",
    "money_laundering",
    "fraud",
    "illegal_working",
    "illicit_tobacco",
    "counterfeit_goods",
)
_WITH_VEHICLE = ("county_lines", "drug_supply", "waste_crime", "fly_tipping", "vehicle_crime")


def _activities(
    b: Builder,
    profile: _Profile,
    target: int,
    as_of: dt.date,
    seed: int,
    offenders: list[DraftPerson],
    principal_ids: list[str],
) -> None:
    """Activities until the group reaches its size: first those its places imply, then drawn
    from its profile, then trimmed back under the largest size."""
    rng, t = b.rng, b.terms
    premises_ids = [p["id"] for p in b.premises]
    residential_ids = [p["id"] for p in b.premises if p["use"] in RESIDENTIAL]
    business_ids = [x["id"] for x in b.businesses]
    vehicle_ids = [v["id"] for v in b.vehicles]
    for pid in b.cuckooed_at:  # a cuckooed home always has its cuckooing on record
        b.activity(
            t.one("activity_kind", "cuckooing", "drug_supply"),
            [pid],
            [rng.choice(offenders).id],
            [],
            as_of,
        )
    for pid in b.labour_at[:2]:
        b.activity(
            t.one("activity_kind", "labour_exploitation", "illegal_working"),
            [pid],
            [rng.choice(principal_ids)],
            [],
            as_of,
        )
    total = count_facts(_assemble(b, as_of, seed, []))
    while total < target or not b.activities:
        if rng.random() < 0.65:
            kind = rng.choice(profile.main_kinds)
        else:
            kind = rng.choice(profile.side_kinds)
        at: list[str] = []
        by: list[str] = []
        using: list[str] = []
        if premises_ids and rng.random() < 0.75:
            pool = residential_ids if kind in _AT_HOME and residential_ids else premises_ids
            at = rng.sample(pool, k=min(len(pool), rng.choice((1, 1, 1, 2))))
        actors = [p.id for p in offenders]
        if kind in ("drug_supply", "county_lines"):
            actors += [p.id for p in b.of_role("runner")]
        by = rng.sample(actors, k=min(len(actors), rng.choice((0, 1, 1, 2, 3))))
        if business_ids and (kind in _THROUGH_BUSINESS or rng.random() < 0.1):
            by.append(rng.choice(business_ids))
        if vehicle_ids and (kind in _WITH_VEHICLE and rng.random() < 0.5):
            using.append(rng.choice(vehicle_ids))
        if business_ids and kind == "money_laundering" and rng.random() < 0.4:
            using.append(rng.choice(business_ids))
        if not (at or by):
            by = [rng.choice(offenders).id]
        b.activity(kind, at, by, using, as_of)
        total += activity_facts(b.activities[-1])
    while total > MAX_FACTS and len(b.activities) > 1:
        total -= activity_facts(b.activities.pop())


def _assemble(b: Builder, as_of: dt.date, seed: int, kinds: list[str]) -> dict[str, Any]:
    """The case-file data of the group so far. With `kinds` (the final pass) it has its header,
    whose random parts are drawn then and only then."""
    rng, t = b.rng, b.terms
    index = b.index
    data: dict[str, Any] = {}
    if kinds:
        jurisdiction = t.one(
            "jurisdiction", "wales" if rng.random() < 0.06 else "england", "england"
        )
        partners = [a for a in rng.sample(AGENCIES, k=rng.randint(2, 6)) if t.has("agency", a)]
        threat = rng.choices(("low", "medium", "high", "unknown"), weights=(20, 45, 30, 5))[0]
        case: dict[str, Any] = {
            "id": f"synth-{seed}-{index:05d}",
            "title": f"Synthetic group {index:05d}",
            "as_of": as_of,
            "jurisdiction": jurisdiction,
            "marking": "OFFICIAL-SENSITIVE",
            "lro": {"name": "Lead Responsible Officer (synthetic)", "agency": "Synthetic council"},
        }
        if partners:
            case["partners"] = partners
        data["case"] = case
        ocg: dict[str, Any] = {
            "name": f"Synthetic group {index:05d}",
            "reference": f"SYN/{index:05d}",
            "crime_types": kinds[:4],
        }
        if t.has("threat", threat):
            ocg["threat"] = threat
        data["ocg"] = ocg
    data["people"] = [p.data for p in b.people]
    for key, items in (
        ("premises", b.premises),
        ("businesses", b.businesses),
        ("vehicles", b.vehicles),
        ("activities", b.activities),
    ):
        if items:
            data[key] = items
    return data
