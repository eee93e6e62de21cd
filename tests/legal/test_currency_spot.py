"""Spot tests of the facts corrected for the law as it stands on 4 December 2026 (issue 16).

Each test reads the shipped catalogue entry and asserts one corrected fact, naming the provision
and the page it was read on (the entry's provenance holds the same page). A fact read only in a
secondary source is asserted together with its `unconfirmed` note, so the test also fails if the
note is dropped without the fact being confirmed.
"""

from __future__ import annotations

import datetime as dt

import pytest

from achilles.catalogue import load_catalogue
from achilles.model.power import Power, step_lasts


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def _unconfirmed(power: Power) -> str:
    return " ".join(power.provenance.unconfirmed)


def _step(power: Power, cite: str):
    steps = [s for s in power.procedure if s.cite and cite in s.cite]
    assert len(steps) == 1, f"{power.id}: expected one step citing {cite}"
    return steps[0]


def test_temporary_stop_notice_56_days_in_england_28_in_wales(catalogue):
    # TCPA 1990 s171E as amended in England by LURA 2023 s116, in force 25 April 2024
    # (SI 2024/452 reg 3(c)); Wales unchanged at 28 days (s171E(7)).
    p = catalogue.get("planning_stop_notice")
    tsn = _step(p, "s171E")
    assert step_lasts(tsn, "england") == "56d"
    assert step_lasts(tsn, "wales") == "28d"
    assert "25 April 2024" in tsn.note
    assert any(a.on == dt.date(2024, 4, 25) for a in p.amendments)
    assert any("uksi/2024/452" in s for s in p.provenance.source)


def test_enforcement_warning_notices_both_nations(catalogue):
    # TCPA s172ZA (England, LURA 2023 s117, SI 2024/452 reg 3(d)); s173ZA (Wales, Planning
    # (Wales) Act 2015 s43, in force 16 March 2016).
    p = catalogue.get("planning_enforcement_notice")
    sections = " ".join(leg.section for leg in p.legislation)
    assert "s172ZA" in sections and "s173ZA" in sections
    ewn = _step(p, "s172ZA")
    assert "25 April 2024" in ewn.step and "16 March 2016" in ewn.step


def test_selective_licensing_general_approval_from_23_december_2024(catalogue):
    # HA 2004 s82 general approval: the General Approval 2024 (23 December 2024) ends the
    # Secretary of State's confirmation of schemes over 20%; 10 weeks' consultation remains.
    p = catalogue.get("selective_licensing_enforcement")
    consult = _step(p, "s80")
    assert "23 December 2024" in consult.step and "10 weeks" in consult.step
    assert "no Secretary of State confirmation" in consult.step


def test_rent_repayment_orders_two_years_and_superior_landlords(catalogue):
    # HPA 2016 s40(1) as substituted and s44 as amended by Renters' Rights Act 2025 s103:
    # superior landlords; 2 years' rent for offences from 1 May 2026 (commencement PARTIAL).
    p = catalogue.get("rent_repayment_order")
    assert "superior landlord" in p.legal_test
    amount = _step(p, "s44")
    assert "2 years" in amount.note and "12 months" in amount.note
    assert "1 May 2026" in amount.note
    assert any(
        leg.act == "Renters' Rights Act 2025" and "s103" in leg.section for leg in p.legislation
    )
    assert "SI 2026/421" in _unconfirmed(p)  # the commencement is only partly read


def test_s249a_penalty_stays_30000_with_rra_caution(catalogue):
    # HA 2004 s249A(4): "must not be more than £30,000" (no RRA 2025 amendment found).
    p = catalogue.get("hmo_licensing_enforcement")
    assert "£30,000" in p.summary
    assert any("£40,000" in c and "s16I" in c for c in p.cautions)


def test_asb_grounds_end_in_wales_on_1_december_2022(catalogue):
    # Renting Homes (Wales) Act 2016, in force 1 December 2022: secure and assured tenancies in
    # Wales became occupation contracts, so HA 1985 s84A / HA 1988 ground 7A and ground 14 end.
    for pid in ("possession_absolute_asb", "possession_discretionary_asb"):
        p = catalogue.get(pid)
        assert p.in_force(dt.date(2022, 11, 30), "wales")
        assert not p.in_force(dt.date(2022, 12, 1), "wales")
        assert p.in_force(dt.date(2026, 12, 4), "england")
    assert catalogue.get("possession_asb_wales").in_force(dt.date(2022, 12, 1), "wales")


def test_ground_14_rra_relevant_factors_caution(catalogue):
    # Renters' Rights Act 2025 s4 (ASB relevant factors), 1 May 2026 for non-social assured
    # tenancies (SI 2026/421 reg 2).
    p = catalogue.get("possession_discretionary_asb")
    assert any("s4" in c and "1 May 2026" in c for c in p.cautions)


@pytest.mark.parametrize(
    ("power_id", "start", "source"),
    [
        # MDA 1971: S.I. 1973/795, remaining provisions (incl. s8) from 1 July 1973.
        ("drugs_premises_offence", dt.date(1973, 7, 1), "wikisource"),
        # SCA 2015 s45: SI 2015/820 reg 2(e), 3 May 2015 (3 March 2015 was Royal Assent).
        ("participation_offence", dt.date(2015, 5, 3), "uksi/2015/820"),
        # Regulatory Reform (Fire Safety) Order 2005: in force 1 October 2006.
        ("fire_safety_prohibition_notice", dt.date(2006, 10, 1), "wyfs"),
        # Taxis and PHVs (Safeguarding and Road Safety) Act 2022 s5: from 31 May 2022.
        ("taxi_driver_concern_report", dt.date(2022, 5, 31), "instituteoflicensing"),
    ],
)
def test_commencement_not_royal_assent(catalogue, power_id, start, source):
    p = catalogue.get(power_id)
    assert p.in_force_from == start
    assert any(source in s for s in p.provenance.source)


def test_participation_offence_follows_the_conduct_date(catalogue):
    # SCA 2015 s45 is an offence: it reaches participation from 3 May 2015, whatever the case date.
    assert catalogue.get("participation_offence").dated_by == "conduct"


def test_closure_order_extension_by_an_inspector_after_consultation(catalogue):
    # ASBCPA 2014 s82(1)-(4), (7)-(8), read on the revised text (legalize-dev/legalize-uk copy of
    # legislation.gov.uk, valid from 10 September 2025): a police extension is applied for by an
    # officer of at least the rank of inspector (s82(2)(a)), on reasonable grounds after
    # consulting the local authority (s82(3)-(4)); 3 months at a time (s82(7)), 6 in all (s82(8)).
    # The audit's "superintendent" (modelled on ABA 2003 s11E) is not in s82.
    p = catalogue.get("closure_order")
    order = _step(p, "s82")
    assert "inspector" in order.note and "consulted" in order.note
    assert "No superintendent" in order.note
    assert "s82(7)" in order.note and "s82(8)" in order.note
    assert not any("superintendent" in (a.role or "") for a in p.authorised_by)


def test_personal_licence_police_stage(catalogue):
    # LA 2003 s132A(6)-(12) (from the audit; unconfirmed) and s10(4)(a)(xiii) (read).
    p = catalogue.get("personal_licence_action")
    police = _step(p, "s132A(6)-(12)")
    assert police.within == "14d" and "chief officer of police" in police.step
    assert "s132A(6)-(12)" in _unconfirmed(p)


def test_home_office_applies_for_premises_licence_reviews(catalogue):
    # LA 2003 s13(4)(ha), inserted by Immigration Act 2016 Sch 4 para 3 (from 6 April 2017).
    p = catalogue.get("premises_licence_review")
    assert any(a.agency == "home_office_immigration" for a in p.exercised_by)


def test_welsh_special_procedures_licensing_from_29_november_2024(catalogue):
    # Public Health (Wales) Act 2017 Part 4, WSI 2024/1248 art 2 (29 November 2024).
    p = catalogue.get("special_treatment_licence_action")
    assert not p.in_force(dt.date(2024, 11, 28), "wales")
    assert p.in_force(dt.date(2024, 11, 29), "wales")
    assert "no general equivalent outside London" not in p.summary


def test_crime_and_policing_act_2026_changes_carried_as_not_in_force(catalogue):
    # CPA 2026 (Royal Assent 29 April 2026): respect orders, RP closure powers, 72h dispersal are
    # enacted but no commencement instrument was read, so the 2014 Act powers stay live.
    assert catalogue.get("civil_injunction").in_force(dt.date(2026, 12, 4), "england")
    assert "48 hours" in catalogue.get("dispersal_direction").duration
    assert any(
        "registered providers" in c and "not confirmed in force" in c
        for c in catalogue.get("closure_order").cautions
    )


@pytest.mark.parametrize(
    ("power_id", "last_day", "successor"),
    [
        # ABA 2003 Part 1 closures: s1 superseded 20 October 2014 (ASBCPA Part 4, SI 2014/2590).
        ("drug_premises_closure_aba2003", dt.date(2014, 10, 19), "closure_notice"),
        # HA 1996 s153A and CDA 1998 s1: until ASBCPA Part 1 on 23 March 2015 (SI 2015/373 art 4).
        ("asb_injunction_ha1996", dt.date(2015, 3, 22), "civil_injunction"),
        ("asbo_cda1998", dt.date(2015, 3, 22), "civil_injunction"),
    ],
)
def test_cases_before_the_2014_act_get_the_law_of_their_day(
    catalogue, power_id, last_day, successor
):
    old, new = catalogue.get(power_id), catalogue.get(successor)
    assert old.in_force(last_day, "england")
    assert not old.in_force(last_day + dt.timedelta(days=1), "england")
    assert not new.in_force(last_day, "england")
    assert new.in_force(last_day + dt.timedelta(days=1), "england")
    listed = {p.id for p in catalogue.in_force(dt.date(2010, 6, 1), "england")}
    assert power_id in listed and successor not in listed


def test_no_royal_assent_stands_in_for_a_commencement(catalogue):
    # Issue 16: commencement dates, not Royal Assent. An entry that records its Act's Royal
    # Assent (enacted_on) must start on a later commencement date, never on the same day, unless
    # its provenance says the provision itself came into force on Royal Assent.
    for p in catalogue:
        if p.enacted_on and p.in_force_from == p.enacted_on:
            said = " ".join(p.provenance.pages_read + p.provenance.unconfirmed).lower()
            assert "in force on royal assent" in said or "on the day it was passed" in said, p.id


def test_taxi_licensing_dates_from_the_whole_act_in_force_14_february_1977(catalogue):
    # LG(MP)A 1976 (Royal Assent 15 November 1976): wholly in force on 14 February 1977 by the
    # legislation.gov.uk annotation; Part II's earlier start under s83(2) was not read, so the
    # later date is used and no taxi power is offered before it was surely in force.
    for pid in (
        "taxi_driver_licence_action",
        "taxi_vehicle_licence_action",
        "phv_operator_licence_action",
    ):
        p = catalogue.get(pid)
        assert p.in_force_from == dt.date(1977, 2, 14) and p.enacted_on == dt.date(1976, 11, 15)
