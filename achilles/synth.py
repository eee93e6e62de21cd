"""A synthetic corpus of case files: one file per organised crime group, for tests and benchmarks.

The shapes follow what LROs record (shared/domain/case-format.md): a few principals, members,
runners (some of them children), vulnerable people including cuckooed tenants, premises of
plausible uses and tenures with their occupants, businesses with their people and flags, vehicles
with flags, and activities that link them, at every evidential status. Sizes run from 10 to
1,000 facts: about 40 facts for a typical group (about 6.7 people, the national ratio of 39,000
people to 5,800 groups), about 1,000 for a large one.

Nothing here is real. People are "Nominal 00042-3", companies have "SYN" numbers and vehicles
"SYN" registrations. The output is a function of the seed alone: the same seed gives the same
bytes. Terms come from the vocabulary, and every file passes `load_case`.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from achilles.errors import AchillesError
from achilles.model.vocabulary import Vocabulary, load_vocabulary

Size = Literal["typical", "large", "mixed"]
SIZES: tuple[str, ...] = ("typical", "large", "mixed")
MIN_FACTS, MAX_FACTS = 10, 1_000
MAX_GROUPS = 1_000_000

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

# --- the domain's shapes, as term preferences (each checked against the vocabulary) ---------

_RESIDENTIAL = ("flat", "dwelling", "hmo")
_COMMERCIAL = (
    "pub",
    "bar",
    "takeaway",
    "cafe",
    "restaurant",
    "barber",
    "nail_bar",
    "hair_salon",
    "car_wash",
    "vehicle_repair",
    "convenience_store",
    "off_licence",
    "vape_shop",
    "shop",
    "massage_parlour",
    "lock_up",
    "warehouse",
    "industrial_unit",
    "scrap_yard",
    "taxi_office",
    "hotel",
    "nightclub",
    "betting_shop",
    "land",
)
_USE_LICENCES = {
    "pub": ("premises_licence",),
    "bar": ("premises_licence",),
    "nightclub": ("premises_licence", "late_night_refreshment"),
    "off_licence": ("premises_licence",),
    "convenience_store": ("premises_licence",),
    "takeaway": ("late_night_refreshment", "food_business_registration"),
    "cafe": ("food_business_registration",),
    "restaurant": ("food_business_registration",),
    "massage_parlour": ("massage_special_treatment",),
    "scrap_yard": ("scrap_metal_site",),
    "betting_shop": ("gambling_premises",),
    "hmo": ("hmo_licence",),
}
_CASH_TRADES = {
    "car_wash",
    "nail_bar",
    "barber",
    "takeaway",
    "vape_shop",
    "convenience_store",
    "cafe",
    "hair_salon",
    "pub",
    "bar",
    "taxi_firm",
    "scrap_yard",
}
_FOOD_TRADES = {"takeaway", "cafe", "restaurant", "pub"}
_STANDALONE_TRADES = (
    "taxi_firm",
    "haulage",
    "construction",
    "money_service_business",
    "property_letting",
    "security",
    "recruitment_agency",
    "waste_carrier",
    "online_retail",
)
# What a group does: its main line and what comes with it (activity kinds).
_PROFILES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "drugs": (
        ("drug_supply", "county_lines", "cuckooing"),
        (
            "violence",
            "weapons",
            "money_laundering",
            "child_criminal_exploitation",
            "intimidation",
            "anti_social_behaviour",
        ),
    ),
    "cannabis": (
        ("cannabis_cultivation", "drug_supply"),
        ("fire_risk", "money_laundering", "modern_slavery", "violence"),
    ),
    "exploitation": (
        ("labour_exploitation", "illegal_working", "modern_slavery"),
        (
            "human_trafficking",
            "sexual_exploitation",
            "tax_evasion",
            "organised_immigration_crime",
            "overcrowding",
        ),
    ),
    "business": (
        ("fraud", "tax_evasion", "money_laundering"),
        (
            "illicit_tobacco",
            "counterfeit_goods",
            "benefit_fraud",
            "illicit_alcohol",
            "procurement_fraud",
            "underage_sales",
        ),
    ),
    "acquisitive": (
        ("acquisitive_crime", "vehicle_crime", "stolen_goods"),
        ("metal_theft", "violence", "drug_supply", "anti_social_behaviour"),
    ),
    "waste": (
        ("waste_crime", "fly_tipping"),
        ("fraud", "tax_evasion", "intimidation", "metal_theft"),
    ),
}
_PROFILE_WEIGHTS = {
    "drugs": 50,
    "cannabis": 10,
    "exploitation": 12,
    "business": 13,
    "acquisitive": 10,
    "waste": 5,
}
_STATUS_WEIGHTS = {
    "suspected": 25,
    "intelligence": 35,
    "corroborated": 20,
    "evidenced": 14,
    "proven": 6,
}
_PREMISES_FLAGS = (
    "fire_risk",
    "overcrowding",
    "unsafe_premises",
    "planning_breach",
    "food_hygiene_risk",
    "nuisance",
    "anti_social_behaviour",
)
_AGENCIES = (
    "police",
    "council_housing",
    "licensing",
    "trading_standards",
    "fire_and_rescue",
    "environmental_health",
    "dwp",
    "hmrc",
    "home_office_immigration",
    "childrens_services",
    "adult_social_care",
    "housing_association",
    "community_safety",
    "probation",
)


def sized_target(rng: random.Random, size: str) -> int:
    """How many facts a group of this size class aims at."""
    if size == "typical":
        return max(15, min(80, round(rng.gauss(40, 9))))
    if size == "large":
        return rng.randint(900, MAX_FACTS)
    roll = rng.random()  # mixed: mostly typical, some small, a few big
    if roll < 0.15:
        return rng.randint(MIN_FACTS, 20)
    if roll < 0.90:
        return max(15, min(80, round(rng.gauss(40, 9))))
    if roll < 0.98:
        return rng.randint(80, 300)
    return rng.randint(600, MAX_FACTS)


def count_facts(data: dict[str, Any]) -> int:
    """How many facts `achilles.facts.case_facts` makes of this case data (without building it)."""
    n = 1 + len(data.get("people", []))
    for p in data.get("premises", []):
        n += 1 + len(p.get("occupants", []))
    for b in data.get("businesses", []):
        n += 1 + len(b.get("people", []))
    for v in data.get("vehicles", []):
        keeper = v.get("keeper")
        n += 1 + (1 if keeper else 0) + sum(1 for u in v.get("users", []) if u != keeper)
    for a in data.get("activities", []):
        n += 1 + len(a.get("at", [])) + len(a.get("by", [])) + len(a.get("using", []))
    return n


class _Terms:
    """Vocabulary terms by section; preferred terms kept only when the vocabulary has them."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab

    def keep(self, section: str, terms: tuple[str, ...] | list[str]) -> list[str]:
        known = [t for t in terms if self.vocab.has(section, t)]
        return known or list(self.vocab.terms(section))

    def one(self, section: str, term: str, fallback: str | None = None) -> str:
        if self.vocab.has(section, term):
            return term
        if fallback and self.vocab.has(section, fallback):
            return fallback
        return next(iter(self.vocab.terms(section)))

    def has(self, section: str, term: str) -> bool:
        return self.vocab.has(section, term)


@dataclass
class _Person:
    id: str
    role: str
    data: dict[str, Any]
    child: bool = False
    exploited: bool = False


@dataclass
class _Builder:
    """One group under construction."""

    rng: random.Random
    terms: _Terms
    index: int
    target: int
    people: list[_Person] = field(default_factory=list)
    premises: list[dict[str, Any]] = field(default_factory=list)
    businesses: list[dict[str, Any]] = field(default_factory=list)
    vehicles: list[dict[str, Any]] = field(default_factory=list)
    activities: list[dict[str, Any]] = field(default_factory=list)
    cuckooed_at: list[str] = field(default_factory=list)  # premises ids of cuckooed homes
    labour_at: list[str] = field(default_factory=list)  # premises where victims work

    # -- people ---------------------------------------------------------------------------

    def person(self, role: str) -> _Person:
        rng, t = self.rng, self.terms
        n = len(self.people) + 1
        pid = f"n{n}"
        data: dict[str, Any] = {
            "id": pid,
            "name": f"Nominal {self.index:05d}-{n}",
            "role": t.one("role", role, "member"),
        }
        child = exploited = False
        vulns: list[str] = []
        flags: list[str] = []
        benefits: list[str] = []
        licences: list[str] = []
        if role == "principal":
            data["age"] = rng.randint(24, 58)
            flags += rng.sample(
                ["known_violence", "on_licence", "carries_weapon", "subject_to_scpo"],
                k=rng.choice((0, 1, 1, 2)),
            )
            if rng.random() < 0.25:
                benefits.append("universal_credit")
        elif role in ("core_member", "member", "associate"):
            data["age"] = rng.randint(18, 45)
            if rng.random() < 0.35:
                flags.append(
                    rng.choice(
                        ["known_violence", "on_bail", "on_licence", "iom_cohort", "carries_weapon"]
                    )
                )
            if rng.random() < 0.3:
                benefits.append(
                    rng.choice(
                        [
                            "universal_credit",
                            "housing_benefit",
                            "council_tax_single_person_discount",
                        ]
                    )
                )
            if rng.random() < 0.15:
                licences.append(
                    rng.choice(
                        ["private_hire_driver", "personal_licence", "sia_licence", "street_trader"]
                    )
                )
        elif role == "enabler":
            data["age"] = rng.randint(30, 66)
            licences.append(
                rng.choice(
                    [
                        "personal_licence",
                        "private_hire_operator",
                        "scrap_metal_dealer",
                        "hmo_licence_holder",
                        "designated_premises_supervisor",
                    ]
                )
            )
            if rng.random() < 0.2:
                flags.append("public_sector_insider")
        elif role == "runner":
            if rng.random() < 0.45:  # county lines runners are often children
                data["age"] = rng.randint(13, 17)
                vulns += ["child", "criminally_exploited"]
                child = True
            else:
                data["age"] = rng.randint(18, 24)
                vulns.append("young_adult")
                if rng.random() < 0.4:
                    vulns.append("criminally_exploited")
            if rng.random() < 0.2:
                vulns.append(rng.choice(["homeless", "debt_bonded", "mental_health"]))
        elif role == "vulnerable":
            data["age"] = rng.randint(28, 72)
            vulns += [
                "cuckooed",
                rng.choice(
                    ["drug_dependent", "alcohol_dependent", "learning_disability", "mental_health"]
                ),
            ]
            benefits += rng.sample(
                ["universal_credit", "housing_benefit", "pip", "esa", "council_tax_reduction"],
                k=rng.randint(1, 3),
            )
        elif role == "victim":
            data["age"] = rng.randint(17, 50)
            vulns += rng.sample(
                ["exploited_for_labour", "trafficked", "debt_bonded", "sexually_exploited"],
                k=rng.randint(1, 2),
            )
            data["immigration"] = rng.choice(["no_leave", "unknown", "visa_holder"])
            if data["age"] < 18:
                vulns.insert(0, "child")
                child = True
        if "immigration" not in data and rng.random() < 0.12:
            data["immigration"] = rng.choice(
                ["british", "settled", "visa_holder", "no_leave", "unknown"]
            )
        for key, section, values in (
            ("benefits", "benefit", benefits),
            ("licences", "person_licence", licences),
            ("flags", "person_flag", flags),
            ("vulnerabilities", "vulnerability", vulns),
        ):
            values = [v for v in dict.fromkeys(values) if t.has(section, v)]
            if values:
                data[key] = values
        if "immigration" in data and not t.has("immigration", data["immigration"]):
            del data["immigration"]
        exploited = role in ("vulnerable", "victim") or any(
            v
            in (
                "cuckooed",
                "trafficked",
                "exploited_for_labour",
                "sexually_exploited",
                "criminally_exploited",
                "debt_bonded",
            )
            for v in vulns
        )
        p = _Person(pid, role, data, child=child, exploited=exploited)
        self.people.append(p)
        return p

    def offenders(self) -> list[_Person]:
        return [p for p in self.people if not p.exploited]

    def of_role(self, *roles: str) -> list[_Person]:
        return [p for p in self.people if p.role in roles]

    # -- premises -------------------------------------------------------------------------

    def add_premises(
        self,
        use: str,
        tenure: str,
        landlord: str | None,
        occupants: list[tuple[str, str]],
        label: str,
    ) -> str:
        rng, t = self.rng, self.terms
        pid = f"p{len(self.premises) + 1}"
        item: dict[str, Any] = {
            "id": pid,
            "label": f"{label} {self.index:05d}/{len(self.premises) + 1}",
            "use": t.one("premises_use", use, "shop"),
            "tenure": t.one("tenure", tenure, "unknown"),
        }
        if landlord and t.has("landlord", landlord):
            item["landlord"] = landlord
        licences = [x for x in _USE_LICENCES.get(use, ()) if rng.random() < 0.75]
        licences = [x for x in licences if t.has("premises_licence", x)]
        if licences:
            item["licences"] = licences
        links = [{"person": p, "as": t.one("link_as", a, "occupier")} for p, a in occupants]
        if links:
            item["occupants"] = links
        if rng.random() < 0.18:
            flags = [
                f
                for f in rng.sample(_PREMISES_FLAGS, k=rng.randint(1, 2))
                if t.has("activity_kind", f)
            ]
            if flags:
                item["flags"] = flags
        self.premises.append(item)
        return pid

    def residential(self, kind: str, residents: list[tuple[str, str]]) -> str:
        rng = self.rng
        if kind == "cuckooed":
            use = rng.choice(("flat", "flat", "dwelling"))
            tenure, landlord = rng.choice(
                (
                    ("council_tenancy", "council"),
                    ("housing_association_tenancy", "housing_association"),
                    ("private_rented", "private"),
                )
            )
            return self.add_premises(use, tenure, landlord, residents, "cuckooed home")
        if kind == "trap":
            use = rng.choice(("hmo", "flat", "dwelling"))
            tenure, landlord = rng.choice(
                (
                    ("private_rented", "ocg_linked"),
                    ("private_rented", "private"),
                    ("council_tenancy", "council"),
                    ("unknown", "unknown"),
                )
            )
            return self.add_premises(use, tenure, landlord, residents, "address used by the group")
        use = rng.choice(("dwelling", "dwelling", "flat"))
        tenure, landlord = rng.choice(
            (
                ("owner_occupied", None),
                ("owner_occupied", None),
                ("private_rented", "private"),
                ("private_rented", "ocg_linked"),
                ("council_tenancy", "council"),
                ("housing_association_tenancy", "housing_association"),
            )
        )
        return self.add_premises(use, tenure, landlord, residents, "home address")

    def commercial(self, use: str, staff: list[tuple[str, str]]) -> str:
        rng = self.rng
        tenure = rng.choice(("commercial_lease", "commercial_lease", "owner_occupied", "unknown"))
        landlord = (
            rng.choice((None, "private", "ocg_linked", "unknown"))
            if tenure == "commercial_lease"
            else None
        )
        return self.add_premises(use, tenure, landlord, staff, "business premises")

    # -- businesses and vehicles ------------------------------------------------------------

    def business(self, trade: str, premises: str | None, people: list[tuple[str, str]]) -> str:
        rng, t = self.rng, self.terms
        bid = f"b{len(self.businesses) + 1}"
        item: dict[str, Any] = {
            "id": bid,
            "name": f"Synthetic trading {self.index:05d}/{len(self.businesses) + 1}",
            "trade": t.one("trade", trade, "shop"),
        }
        if premises:
            item["premises"] = premises
        links = [{"person": p, "as": t.one("link_as", a, "employee")} for p, a in people]
        if links:
            item["people"] = links
        registrations: list[str] = []
        if rng.random() < 0.6:
            item["company_number"] = f"SYN{self.index % 100_000:05d}{len(self.businesses) + 1:02d}"
            registrations.append("companies_house")
        if rng.random() < 0.4:
            registrations.append("vat")
        if trade in _FOOD_TRADES and rng.random() < 0.7:
            registrations.append("food_business")
        if trade == "waste_carrier" and rng.random() < 0.5:
            registrations.append("waste_carrier")
        if trade == "money_service_business" and rng.random() < 0.5:
            registrations += ["money_service_business", "hmrc_supervised"]
        flags: list[str] = []
        if trade in _CASH_TRADES and rng.random() < 0.7:
            flags.append("cash_intensive")
        for flag, chance in (
            ("front_business", 0.2),
            ("rates_relief_claimed", 0.12),
            ("unregistered", 0.08),
            ("phoenix_company", 0.05),
            ("public_contracts", 0.05),
            ("dormant_company", 0.04),
        ):
            if rng.random() < chance:
                flags.append(flag)
        registrations = [r for r in registrations if t.has("registration", r)]
        flags = [f for f in flags if t.has("business_flag", f)]
        if registrations:
            item["registrations"] = registrations
        if flags:
            item["flags"] = flags
        self.businesses.append(item)
        return bid

    def vehicle(self, keeper: str | None, users: list[str]) -> str:
        rng, t = self.rng, self.terms
        vid = f"v{len(self.vehicles) + 1}"
        kind = rng.choices(
            ("car", "van", "motorcycle", "private_hire", "hgv", "quad"),
            weights=(60, 18, 10, 6, 4, 2),
        )[0]
        item: dict[str, Any] = {"id": vid, "kind": t.one("vehicle_kind", kind, "car")}
        if rng.random() < 0.85:
            item["vrm"] = f"SYN {self.index % 100_000:05d} {len(self.vehicles) + 1}"
        if keeper:
            item["keeper"] = keeper
        users = [u for u in dict.fromkeys(users) if u != keeper]
        if users:
            item["users"] = users
        flags: list[str] = []
        for flag, chance in (
            ("anpr_hits", 0.35),
            ("used_for_drug_transport", 0.15),
            ("uninsured", 0.12),
            ("untaxed", 0.08),
            ("no_mot", 0.06),
            ("false_plates", 0.05),
            ("cloned", 0.03),
            ("used_for_waste", 0.03),
            ("unlicensed_taxi", 0.02),
        ):
            if rng.random() < chance:
                flags.append(flag)
        flags = [f for f in flags if t.has("vehicle_flag", f)]
        if flags:
            item["flags"] = flags
        self.vehicles.append(item)
        return vid

    # -- activities -----------------------------------------------------------------------

    def activity(
        self, kind: str, at: list[str], by: list[str], using: list[str], as_of: dt.date
    ) -> None:
        rng, t = self.rng, self.terms
        n = len(self.activities) + 1
        status = rng.choices(list(_STATUS_WEIGHTS), weights=list(_STATUS_WEIGHTS.values()))[0]
        item: dict[str, Any] = {}
        if rng.random() < 0.7:
            item["id"] = f"a{n}"
        item["kind"] = t.one("activity_kind", kind, "drug_supply")
        for key, values in (("at", at), ("by", by), ("using", using)):
            values = list(dict.fromkeys(values))
            if values:
                item[key] = values
        item["status"] = t.one("status", status)
        if status in ("intelligence", "corroborated") and rng.random() < 0.8:
            item["grade"] = f"{rng.choice('ABBCCCDE')}{rng.choice('1223345')}"
        if rng.random() < 0.6:
            item["since"] = as_of - dt.timedelta(days=rng.randint(14, 1500))
        self.activities.append(item)


def make_group(
    index: int,
    rng: random.Random,
    size: str = "typical",
    vocab: Vocabulary | None = None,
    *,
    seed: int = 0,
) -> dict[str, Any]:
    """One synthetic case, as the data of a case file."""
    if size not in SIZES:
        raise AchillesError(
            f"--size '{size}' is not one of {', '.join(SIZES)}", hint="use typical, large or mixed"
        )
    vocab = vocab or load_vocabulary()
    t = _Terms(vocab)
    target = sized_target(rng, size)
    b = _Builder(rng, t, index, target)
    scale = target / 42
    as_of = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randint(0, 3650))
    profile = rng.choices(list(_PROFILES), weights=list(_PROFILE_WEIGHTS.values()))[0]
    main_kinds, side_kinds = _PROFILES[profile]
    main_kinds = tuple(k for k in main_kinds if t.has("activity_kind", k)) or tuple(
        t.keep("activity_kind", [])
    )
    side_kinds = tuple(k for k in side_kinds if t.has("activity_kind", k)) or main_kinds

    # People: the national mean is about 6.7 per group.
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
    if profile == "drugs":
        role_weights.update(runner=26, vulnerable=14, victim=2)
    elif profile == "exploitation":
        role_weights.update(runner=3, vulnerable=4, victim=30)
    elif profile in ("business", "waste"):
        role_weights.update(runner=3, vulnerable=3, enabler=14, victim=3)
    roles = list(role_weights)
    weights = list(role_weights.values())
    for _ in range(n_people - principals):
        b.person(rng.choices(roles, weights=weights)[0])

    offenders = b.offenders() or b.people[:1]
    principal_ids = [p.id for p in b.of_role("principal")]

    # Homes: each principal's home, a cuckooed home per vulnerable person (with a member or
    # runner staying there), trap houses for the drugs trade.
    for pid in principal_ids:
        if rng.random() < 0.8:
            b.residential("home", [(pid, rng.choice(("owner", "tenant", "occupier")))])
    for v in b.of_role("vulnerable"):
        stay = [p.id for p in b.of_role("runner", "member", "core_member")]
        residents = [(v.id, "tenant")] + ([(rng.choice(stay), "occupier")] if stay else [])
        b.cuckooed_at.append(b.residential("cuckooed", residents))
    n_trap = round(scale * rng.uniform(0.2, 1.4)) if profile in ("drugs", "cannabis") else 0
    runners = [p.id for p in b.of_role("runner", "member")]
    for _ in range(n_trap):
        residents = [
            (r, "occupier") for r in rng.sample(runners, k=min(len(runners), rng.randint(0, 2)))
        ]
        b.residential("trap", residents)

    # Commercial premises with businesses, and businesses without premises.
    n_commercial = max(0, round(scale * rng.uniform(0.6, 2.6)))
    if profile in ("business", "exploitation"):
        n_commercial += 1
    uses = t.keep("premises_use", _COMMERCIAL)
    victims = [p.id for p in b.of_role("victim")]
    for _ in range(n_commercial):
        use = rng.choice(uses)
        manager = rng.choice(offenders).id
        staff = [
            (manager, rng.choice(("manager", "licence_holder", "designated_premises_supervisor")))
        ]
        if victims and profile == "exploitation":
            staff += [
                (v, "worker") for v in rng.sample(victims, k=min(len(victims), rng.randint(1, 3)))
            ]
        elif rng.random() < 0.4:
            staff.append((rng.choice(b.people).id, rng.choice(("employee", "worker"))))
        pid = b.commercial(use, staff)
        if victims and profile == "exploitation":
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
    if profile in ("business", "waste"):
        n_standalone += 1
    trades = t.keep("trade", list(_STANDALONE_TRADES))
    for _ in range(n_standalone):
        trade = "waste_carrier" if profile == "waste" and rng.random() < 0.6 else rng.choice(trades)
        people = [(rng.choice(principal_ids), rng.choice(("owner", "director", "shadow_director")))]
        enablers = b.of_role("enabler")
        if enablers and rng.random() < 0.5:
            people.append((rng.choice(enablers).id, "director"))
        b.business(trade, None, people)

    # Vehicles: kept by offenders or by the group's businesses, driven by members and runners.
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

    # Activities until the group reaches its size.
    data = _assemble(b, as_of, seed, [])
    premises_ids = [p["id"] for p in b.premises]
    residential_ids = [p["id"] for p in b.premises if p["use"] in _RESIDENTIAL]
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
    base = count_facts(data) + sum(
        1 + len(a.get("at", [])) + len(a.get("by", [])) + len(a.get("using", []))
        for a in b.activities
    )
    total = base
    while total < target or not b.activities:
        kind = rng.choice(main_kinds) if rng.random() < 0.65 else rng.choice(side_kinds)
        at: list[str] = []
        by: list[str] = []
        using: list[str] = []
        if premises_ids and rng.random() < 0.75:
            pool = (
                residential_ids
                if kind in ("drug_supply", "county_lines", "cuckooing", "cannabis_cultivation")
                and residential_ids
                else premises_ids
            )
            at = rng.sample(pool, k=min(len(pool), rng.choice((1, 1, 1, 2))))
        actors = [p.id for p in offenders]
        if kind in ("drug_supply", "county_lines"):
            actors += [p.id for p in b.of_role("runner")]
        by = rng.sample(actors, k=min(len(actors), rng.choice((0, 1, 1, 2, 3))))
        if business_ids and (
            kind
            in (
                "tax_evasion",
                "money_laundering",
                "fraud",
                "illegal_working",
                "illicit_tobacco",
                "counterfeit_goods",
            )
            or rng.random() < 0.1
        ):
            by.append(rng.choice(business_ids))
        if vehicle_ids and (
            kind in ("county_lines", "drug_supply", "waste_crime", "fly_tipping", "vehicle_crime")
            and rng.random() < 0.5
        ):
            using.append(rng.choice(vehicle_ids))
        if business_ids and kind == "money_laundering" and rng.random() < 0.4:
            using.append(rng.choice(business_ids))
        if not (at or by):
            by = [rng.choice(offenders).id]
        b.activity(kind, at, by, using, as_of)
        a = b.activities[-1]
        total += 1 + len(a.get("at", [])) + len(a.get("by", [])) + len(a.get("using", []))
    while total > MAX_FACTS and len(b.activities) > 1:
        a = b.activities.pop()
        total -= 1 + len(a.get("at", [])) + len(a.get("by", [])) + len(a.get("using", []))

    kinds = list(dict.fromkeys(a["kind"] for a in b.activities))
    return _assemble(b, as_of, seed, kinds)


def _assemble(b: _Builder, as_of: dt.date, seed: int, kinds: list[str]) -> dict[str, Any]:
    rng, t = b.rng, b.terms
    index = b.index
    data: dict[str, Any] = {}
    if kinds:  # the final pass: draw the header's random parts only once
        jurisdiction = t.one(
            "jurisdiction", "wales" if rng.random() < 0.06 else "england", "england"
        )
        partners = [a for a in rng.sample(_AGENCIES, k=rng.randint(2, 6)) if t.has("agency", a)]
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


def group_text(data: dict[str, Any]) -> str:
    head = "# Synthetic case file generated by `achilles synth`: no real people, places or firms.\n"
    return head + yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )


def generate(
    n_groups: int,
    seed: int,
    size: str = "typical",
    vocab: Vocabulary | None = None,
    *,
    part: tuple[int, int] | None = None,
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(file name, case data) for each group, in order. Deterministic for (seed, size).

    `part` = (start, stop) makes only groups start..stop-1 (1-based), identical to the same
    groups of a whole run, so a corpus can be written by several processes.
    """
    if not 1 <= n_groups <= MAX_GROUPS:
        raise AchillesError(f"--groups {n_groups} is out of range", hint=f"use 1 to {MAX_GROUPS:,}")
    if seed < 0:
        raise AchillesError(f"--seed {seed} is negative", hint="use a whole number, 0 or more")
    if size not in SIZES:
        raise AchillesError(
            f"--size '{size}' is not one of {', '.join(SIZES)}", hint="use typical, large or mixed"
        )
    vocab = vocab or load_vocabulary()
    start, stop = part or (1, n_groups + 1)
    master = random.Random(seed)
    width = max(5, len(str(n_groups)))
    for index in range(1, min(stop, n_groups + 1)):
        group_seed = master.getrandbits(64)  # drawn for every group, so parts agree with the whole
        if index < start:
            continue
        rng = random.Random(group_seed)
        yield f"group-{index:0{width}d}.yaml", make_group(index, rng, size, vocab, seed=seed)


def write_corpus(
    out: Path,
    n_groups: int,
    seed: int,
    size: str = "typical",
    *,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
    part: tuple[int, int] | None = None,
) -> list[Path]:
    """Write one case file per group into `out` (created owner-only), each file 0600."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise AchillesError(f"{out}: is a file", hint="give a folder for the corpus")
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    written: list[Path] = []
    for name, data in generate(n_groups, seed, size, part=part):
        path = out / name
        _write_new(path, group_text(data).encode("utf-8"), force=force)
        written.append(path)
        if progress:
            progress(1)
    return written


def _write_new(path: Path, raw: bytes, *, force: bool) -> None:
    """Owner-only from the first byte. No fsync: a synthetic corpus can be made again."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise AchillesError(
            f"{path}: already exists",
            hint="add --force to replace the corpus, or choose another --out",
        ) from None
    except OSError as exc:
        raise AchillesError(
            f"{path}: could not be written ({exc.strerror})",
            hint="choose a folder you can write to",
        ) from None
    with open(fd, "wb") as fh:
        os.fchmod(fd, 0o600)  # an existing file replaced with --force keeps no wider mode
        fh.write(raw)
