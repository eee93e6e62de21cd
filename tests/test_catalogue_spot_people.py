"""Spot checks of figures the catalogue holds for orders against people and for safeguarding.

Each assertion names the provision it encodes. Only figures the research reference or the
legislation read for the catalogue confirms are asserted (see provenance in the YAML files).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from achilles.catalogue import load_catalogue
from achilles.model.power import Power, duration_hours


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def _steps_citing(power: Power, cite: str):
    return [s for s in power.procedure if s.cite and cite in s.cite]


def _from_file(catalogue, name: str) -> list[Power]:
    return [catalogue.get(pid) for pid, f in catalogue.files.items() if Path(f).name == name]


def test_civil_injunction_under_18_at_most_12_months(catalogue):
    # ASBCPA 2014 s1(6): an injunction granted before the respondent is 18 must specify a
    # period of no more than 12 months; an adult's may run until further order.
    p = catalogue.get("civil_injunction")
    [step] = _steps_citing(p, "s1(6)")
    assert step.lasts == "12mo"
    assert duration_hours(step.lasts) == 12 * 30 * 24
    assert p.max_duration is None  # adults: fixed period or until further order
    # ASBCPA 2014 s1(1)-(2): aged 10 or over, civil standard.
    assert "aged 10 or over" in p.legal_test
    assert p.evidence_standard == "balance_of_probabilities"
    # Part 1 valid from 23 March 2015 (legislation.gov.uk point-in-time of s21).
    assert p.in_force_from == dt.date(2015, 3, 23)
    assert not p.in_force(dt.date(2015, 1, 1))


def test_cbo_only_on_conviction(catalogue):
    # Sentencing Act 2020 s331(1)-(3): made only where the offender is convicted, on the
    # prosecution's application, in addition to dealing with the offender (not with an absolute
    # discharge). ASBCPA 2014 ss22-33 were repealed and restated in the Sentencing Code from
    # 1 December 2020, so the Sentencing Act leads the legislation list.
    p = catalogue.get("criminal_behaviour_order")
    lead = p.legislation[0]
    assert lead.act == "Sentencing Act 2020" and lead.section.startswith("s331")
    assert any("repealed" in leg.section for leg in p.legislation if leg.act.startswith("Anti"))
    assert "convicted" in p.legal_test
    assert "s331(5)" in p.legal_test  # youth offending team's views for under-18s
    assert p.evidence_standard == "beyond_reasonable_doubt"
    assert p.coercive
    # Parts 2-4 commenced 20 October 2014 (SI 2014/2590 art 3).
    assert p.in_force_from == dt.date(2014, 10, 20)
    # Sentencing Act 2020 s330 restates the order for sentencing from 1 December 2020.
    assert any(a.on == dt.date(2020, 12, 1) for a in p.amendments)


def test_scpo_at_most_five_years(catalogue):
    # Serious Crime Act 2007 s16(2): not in force for more than 5 years from coming into force.
    p = catalogue.get("serious_crime_prevention_order")
    assert p.max_duration == "5y"
    [step] = _steps_citing(p, "s16(2)")
    assert step.lasts == "5y"
    # Serious Crime Act 2007 s6: individuals must be 18 or over.
    assert "18 or over" in p.legal_test


def test_stpo_at_least_five_years(catalogue):
    # Modern Slavery Act 2015 s17(4): prohibitions last a fixed period of AT LEAST 5 years, or
    # until further order - a minimum, so the catalogue holds no maximum.
    p = catalogue.get("slavery_trafficking_prevention_order")
    assert "at least 5 years" in p.duration
    assert p.max_duration is None
    [step] = _steps_citing(p, "s17(4)")
    assert step.lasts is None
    # Modern Slavery Act 2015 s18(1),(3): a foreign travel ban is for at most 5 years at a time,
    # renewable for further periods of up to 5 years.
    [travel] = _steps_citing(p, "s18(1)")
    assert travel.lasts == "5y"


def test_stro_at_least_two_years(catalogue):
    # Modern Slavery Act 2015 s24(4): fixed period of at least 2 years, or until further order.
    p = catalogue.get("slavery_trafficking_risk_order")
    assert "at least 2 years" in p.duration
    assert p.max_duration is None


def test_gang_injunction_still_in_force_for_14_and_over(catalogue):
    # Policing and Crime Act 2009 s34(1) (as substituted by Serious Crime Act 2015 s51 from
    # 1 June 2015): respondents aged 14 or over; gang-related drug dealing included. Part 4
    # valid from 31 January 2011 and not replaced by ASBCPA 2014 Part 1.
    p = catalogue.get("gang_injunction")
    assert "aged 14 or over" in p.legal_test
    assert p.in_force_from == dt.date(2011, 1, 31)
    assert p.in_force_to is None
    assert any(a.on == dt.date(2015, 6, 1) for a in p.amendments)
    # Policing and Crime Act 2009 s35(4): a curfew may not exceed 8 hours in any day.
    [curfew] = _steps_citing(p, "s35(4)")
    assert curfew.lasts == "8h"


def test_cpn_appeal_within_21_days(catalogue):
    # ASBCPA 2014 s46(2): appeal within 21 days of being issued with the notice.
    p = catalogue.get("community_protection_notice")
    [step] = _steps_citing(p, "s46(2)")
    assert step.within == "21d"


def test_cpn_issuer_satisfied_on_reasonable_grounds_about_a_person_16_or_over(catalogue):
    # ASBCPA 2014 s43(1): an authorised person may issue a CPN to an individual aged 16 or over,
    # or a body, "if satisfied on reasonable grounds" - the issuer's standard, not a court's.
    p = catalogue.get("community_protection_notice")
    assert p.evidence_standard == "reasonable_grounds"
    assert "16 or over" in p.legal_test


def test_taxi_and_private_hire_fitness_is_an_administrative_judgement(catalogue):
    # LG(MP)A 1976 s60-62 ("any other reasonable cause"): the council's own judgement on all the
    # information before it, police intelligence included (McCool v Rushcliffe BC [1998];
    # Statutory Taxi and Private Hire Vehicle Standards 2020). Drivers and operators alike.
    for pid in ("taxi_driver_licence_action", "phv_operator_licence_action"):
        p = catalogue.get(pid)
        assert p.evidence_standard == "administrative", pid
        assert "intelligence" in p.legal_test, pid


def test_safeguarding_and_partnership_entries_are_not_coercive(catalogue):
    # Safeguarding, referral to support and partnership actions never act against a person's
    # rights, home, licence, property or money (so the plan can offer them to victims).
    entries = _from_file(catalogue, "safeguarding_partnership.yaml")
    assert len(entries) >= 10
    for p in entries:
        assert p.coercive is False, p.id
        assert p.kind in ("safeguarding", "partnership", "referral"), p.id
        assert p.evidence_standard == "intelligence", p.id
    mine = [
        p
        for name in (
            "licensing_people.yaml",
            "benefits_fraud.yaml",
            "vehicles_travel.yaml",
            "orders_people.yaml",
            "safeguarding_partnership.yaml",
        )
        for p in _from_file(catalogue, name)
    ]
    protective = [p for p in mine if p.kind in ("safeguarding", "partnership")]
    assert len(protective) >= 5  # a renamed file would otherwise check nothing
    for p in protective:
        assert p.coercive is False, p.id


def test_orders_against_people_are_never_aimed_at_victims(catalogue):
    # Every coercive order against a person carries the caution that it is never sought against
    # someone the group exploits (a criminally exploited child runner is a victim first).
    orders = [
        p
        for p in _from_file(catalogue, "orders_people.yaml")
        if p.coercive and "person" in p.targets
    ]
    assert len(orders) >= 8  # a renamed file would otherwise check nothing
    for p in orders:
        assert any("exploits" in c for c in p.cautions), p.id


def test_nrm_available_before_and_after_the_2015_duty(catalogue):
    # Modern Slavery Act 2015 s52 duty to notify in force 1 November 2015; the NRM itself is
    # older, so a case dated earlier still gets a victim referral.
    p = catalogue.get("nrm_referral")
    assert p.in_force(dt.date(2014, 6, 1))
    assert any(a.on == dt.date(2015, 11, 1) for a in p.amendments)
