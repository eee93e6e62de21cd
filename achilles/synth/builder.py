"""The group builder: one organised crime group under construction, and its entity factories.

Each factory draws from the group's own random stream and appends one entity (a person, a
premises, a business, a vehicle, an activity) in the shape a case file takes. The order of the
draws is the output: reordering them changes every file a seed gives.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from achilles.synth.terms import (
    CASH_TRADES,
    FOOD_TRADES,
    PREMISES_FLAGS,
    STATUS_WEIGHTS,
    USE_LICENCES,
    Terms,
)


@dataclass
class DraftPerson:
    """A person as drawn: the role asked for, the case-file record, and whether the group exploits them."""

    id: str
    role: str
    data: dict[str, Any]
    exploited: bool = False


@dataclass
class Builder:
    """One group under construction."""

    rng: random.Random
    terms: Terms
    index: int
    people: list[DraftPerson] = field(default_factory=list)
    premises: list[dict[str, Any]] = field(default_factory=list)
    businesses: list[dict[str, Any]] = field(default_factory=list)
    vehicles: list[dict[str, Any]] = field(default_factory=list)
    activities: list[dict[str, Any]] = field(default_factory=list)
    cuckooed_at: list[str] = field(default_factory=list)  # premises ids of cuckooed homes
    labour_at: list[str] = field(default_factory=list)  # premises where victims work

    # -- people ---------------------------------------------------------------------------

    def person(self, role: str) -> DraftPerson:
        """A person in this role, with the age, flags, benefits, licences and vulnerabilities it
        typically comes with."""
        rng, t = self.rng, self.terms
        n = len(self.people) + 1
        pid = f"n{n}"
        data: dict[str, Any] = {
            "id": pid,
            "name": f"Nominal {self.index:05d}-{n}",
            "role": t.one("role", role, "member"),
        }
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
        # Who is exploited is the vocabulary's call, as for `achilles.facts.is_exploited`: a
        # protected role or an exploitation marker (a child runner here always carries
        # criminally_exploited). Exploited people are never cast as offenders below.
        vocab = t.vocab
        exploited = data["role"] in vocab.protected_roles or any(
            v in vocab.exploitation_markers for v in data.get("vulnerabilities", ())
        )
        p = DraftPerson(pid, role, data, exploited=exploited)
        self.people.append(p)
        return p

    def offenders(self) -> list[DraftPerson]:
        """Everyone the group does not exploit: the people cast as managers, owners and keepers."""
        return [p for p in self.people if not p.exploited]

    def of_role(self, *roles: str) -> list[DraftPerson]:
        """The people drawn in any of these roles, in the order they were drawn."""
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
        """A premises with its licences (as its use has them), occupants and occasional flags."""
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
        licences = [x for x in USE_LICENCES.get(use, ()) if rng.random() < 0.75]
        licences = [x for x in licences if t.has("premises_licence", x)]
        if licences:
            item["licences"] = licences
        links = [{"person": p, "as": t.one("link_as", a, "occupier")} for p, a in occupants]
        if links:
            item["occupants"] = links
        if rng.random() < 0.18:
            flags = [
                f
                for f in rng.sample(PREMISES_FLAGS, k=rng.randint(1, 2))
                if t.has("activity_kind", f)
            ]
            if flags:
                item["flags"] = flags
        self.premises.append(item)
        return pid

    def residential(self, kind: str, residents: list[tuple[str, str]]) -> str:
        """A home of this kind (home, cuckooed, trap), with the tenures and landlords it has."""
        rng = self.rng
        tenure: str
        landlord: str | None  # None: the occupier owns it
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
        """Business premises of this use, with the people who run or work in it."""
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
        """A business in this trade, with its registrations and flags as that trade has them."""
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
        if trade in FOOD_TRADES and rng.random() < 0.7:
            registrations.append("food_business")
        if trade == "waste_carrier" and rng.random() < 0.5:
            registrations.append("waste_carrier")
        if trade == "money_service_business" and rng.random() < 0.5:
            registrations += ["money_service_business", "hmrc_supervised"]
        flags: list[str] = []
        if trade in CASH_TRADES and rng.random() < 0.7:
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
        """A vehicle with its keeper, its other drivers and its flags."""
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
        """An activity at any evidential status, graded when intelligence, sometimes dated."""
        rng, t = self.rng, self.terms
        n = len(self.activities) + 1
        status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
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
