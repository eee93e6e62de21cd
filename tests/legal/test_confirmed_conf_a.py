"""Confirmation of the closure, civil injunction and vehicle entries (issue 16, part 5).

An entry is confirmed only when its test, time limits, penalties and dates were each read on
the statute text; the facts corrected while reading them each have a spot test citing the section.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.legal._entries import catalogue, power, rule

FILES = {"asb_closure.yaml", "civil_injunctions.yaml", "vehicles_travel.yaml"}
ASPECTS = ("test", "time limits", "penalties", "dates")


def _powers():
    cat = catalogue()
    return [p for p in cat if Path(cat.files[p.id]).name in FILES]


def test_the_slice_is_the_fifteen_entries_named_in_the_brief():
    assert len(_powers()) == 15


def test_closure_notice_read_but_held_back_for_the_crime_and_policing_act_2026():
    """ASBCPA 2014 s76(1), s77(1)-(3), s86(1) and (4), and SI 2014/2590 art 3(c) were each read,
    but in the revised text valid from 10 September 2025: the CPA 2026 closure amendments and
    their commencement were not read, so the entry is not confirmed."""
    prov = power("closure_notice").provenance
    assert not prov.confirmed
    assert any("Crime and Policing Act 2026" in u for u in prov.unconfirmed)
    read = "\n".join(prov.pages_read)
    for fact in ("s76(1)", "s77(1)-(3)", "s86(1)", "3 months", "SI 2014/2590 art 3(c)"):
        assert fact in read, fact


def test_closure_order_extension_is_applied_for_by_an_inspector_not_authorised_by_a_superintendent():
    """ASBCPA 2014 s82(2)(a): a police officer of at least the rank of inspector applies for an
    extension; s82(3)-(4): on reasonable grounds, after consulting the local authority;
    s82(7)-(8): up to 3 months at a time and not more than 6 months in all."""
    p = power("closure_order")
    assert not any("superintendent" in a.role for a in p.authorised_by)
    assert any("inspector" in a.role and "s82(2)(a)" in a.role for a in p.exercised_by)
    step = next(s for s in p.procedure if s.extendable_to)
    assert (step.lasts, step.extendable_to) == ("3mo", "6mo")
    assert "s82(1)-(8)" in (step.cite or "")
    assert "No superintendent" in (step.note or "")
    assert p.max_duration == "6mo"
    assert not p.provenance.confirmed  # CPA 2026 closure amendments not read


def test_closure_notice_consultation_is_whoever_the_issuer_thinks_appropriate():
    """ASBCPA 2014 s76(7): 'any body or individual the officer or authority thinks appropriate';
    the Act names no required consultee."""
    step = next(s for s in power("closure_notice").procedure if s.cite == "s76(7)")
    assert "thinks appropriate" in step.step
    assert "the other body" not in step.step


def test_psa_appeal_against_an_order_is_s30_not_s28():
    """PSA 2016 s30 is 'Appeals against making of prohibition orders and premises orders'; s28 is
    variation and discharge, and appeals about it lie to the Crown Court within 28 days (s31(4))."""
    p = power("psychoactive_substances_notice")
    assert "s30" in p.appeal
    assert "(s28)" not in p.appeal
    assert "28 days" in p.appeal and "s31" in p.appeal


def test_psa_access_prohibition_lasts_3_months_and_at_most_6_in_all():
    """PSA 2016 s22(7): an access prohibition may not exceed 3 months; s28(5): it may not be
    extended so that it has effect for more than 6 months."""
    step = next(s for s in power("psychoactive_substances_notice").procedure if s.lasts)
    assert (step.lasts, step.extendable_to) == ("3mo", "6mo")
    assert "s22(6)-(7)" in (step.cite or "") and "s28(3)-(5)" in (step.cite or "")


def test_sexual_offences_closure_notice_is_authorised_by_a_superintendent():
    """SOA 2003 s136B(1): a member of a police force not below the rank of superintendent
    authorises the issue of a closure notice, satisfied that the local authority has been
    consulted (s136B(7))."""
    p = power("sexual_offences_closure_order")
    notice = [a for a in p.authorised_by if "s136B(1)" in a.role]
    assert notice and "superintendent" in notice[0].role
    assert any(s.within == "48h" and "s136D" in (s.cite or "") for s in p.procedure)


@pytest.mark.parametrize("power_id", ["respect_order", "cce_prevention_order"])
def test_cpa_2026_orders_point_at_the_act_and_stay_switched_off(power_id):
    """The Crime and Policing Act 2026 is 2026 c. 20; no regulations commencing respect orders or
    CCE prevention orders were found (Home Office Circular 004/2026 para 3)."""
    p = power(power_id)
    assert p.not_in_force_yet and p.in_force_from is None
    assert all(leg.url == "https://www.legislation.gov.uk/ukpga/2026/20" for leg in p.legislation)
    assert not p.provenance.confirmed


def test_aba_2003_drug_closures_ran_from_20_january_2004_to_20_october_2014():
    """ABA 2003 ss1-11 in force 20 January 2004 (SI 2003/3300, per the note in SI 2006/393);
    replaced by ASBCPA 2014 Part 4 from 20 October 2014 (SI 2014/2590 art 3)."""
    p = power("drug_premises_closure_aba2003")
    assert (p.in_force_from, p.in_force_to) == (dt.date(2004, 1, 20), dt.date(2014, 10, 20))
    assert any("2003/3300" in item for item in p.provenance.pages_read)


def test_s222_injunction_reads_the_section_itself():
    """LGA 1972 s222(1) was read on legislation.gov.uk; PJA 2006 s27(6) sets the 24-hour limit."""
    p = power("injunction_s222")
    assert any(
        "s222(1)" in item and "legislation.gov.uk" in item for item in p.provenance.pages_read
    )
    assert any(s.within == "24h" and "s27(5)-(6)" in (s.cite or "") for s in p.procedure)


def test_psa_prohibition_notice_age_limits_are_10_and_3_years_not_18():
    """PSA 2016 s13(5): no prohibition notice to a child under 10 (England and Wales); s13(6): one
    given to an under-18 must specify its period, at most 3 years; s14(5): no premises notice to
    an under-18. The rule still offers a notice only against adults (safeguarding first)."""
    p = power("psychoactive_substances_notice")
    assert "under 10" in p.legal_test and "s13(5)-(6)" in p.legal_test
    assert "s14(5)" in p.legal_test
    assert "under 18 (s13(5))" not in p.legal_test
    r = rule("psa-prohibition-notice-seller")
    assert "s13(1), (3)-(6)" in r.citation
    assert any("under 10 (s13(5))" in e for e in r.evidence_needed)


def test_psa_dates_read_on_the_commencement_regulations():
    """SI 2016/553 reg 2: the Act in force on 26 May 2016 so far as not already in force."""
    p = power("psychoactive_substances_notice")
    assert p.in_force_from == dt.date(2016, 5, 26)
    assert any("SI 2016/553 reg 2" in item for item in p.provenance.pages_read)
    assert "s30(1)-(2)" in p.appeal and "28 days" in p.appeal


def test_illegal_working_notice_is_24_hours_unless_an_inspector_issues_or_extends_it():
    """Immigration Act 2016 Sch 6 para 2(2)-(5): 24 hours, 48 if issued by an immigration
    inspector or above, or extended by 24 hours; para 5(8) and 7(5): order 12 months, extensions
    up to 6 months at a time, 24 months in all; para 9(3)-(4): Crown Court within 21 days."""
    p = power("illegal_working_closure_notice")
    notice = next(s for s in p.procedure if s.cite == "Sch 6 paras 1-3" and s.lasts)
    assert (notice.lasts, notice.extendable_to) == ("24h", "48h")
    order = next(s for s in p.procedure if s.lasts == "12mo")
    assert order.extendable_to == "24mo" and "para 7(1), (5)" in (order.note or "")
    assert "Crown Court" in p.appeal and "21 days" in p.appeal and "para 9(3)-(4)" in p.appeal
    assert "para 1(6)-(8)" in p.legal_test
    assert any(
        "Border Security, Asylum and Immigration Act 2025" in u for u in p.provenance.unconfirmed
    )


def test_soa_closure_rule_reads_the_one_client_exclusion_and_s136b():
    """SOA 2003 s136B(3): the prostitution limb does not apply if only one person obtained all
    of the sexual services in question (one client, not one provider); s136B(7): the local
    authority is consulted; s136I(4): 6 months in total."""
    r = rule("closure-sexual-offences-prostitution")
    assert any("only one person obtained all of the sexual services" in c for c in r.cautions)
    assert not any("one person alone provides" in c for c in r.cautions)
    assert any("s136B(1)-(7)" in e and "consulted" in e for e in r.evidence_needed)
    p = power("sexual_offences_closure_order")
    assert any("s136I(3)-(4)" in (s.note or "") for s in p.procedure)
    assert "Crown Court" in p.appeal and "21 days" in p.appeal


def test_noise_from_premises_may_first_be_met_with_other_steps_for_seven_days():
    """EPA 1990 s80(1) 'Subject to subsection (2A)'; s80(2A)-(2D): for a s79(1)(g) noise
    nuisance the authority may take other steps to persuade instead of serving, and must serve
    if they will not succeed or the nuisance continues at the end of the seven-day period."""
    p = power("statutory_nuisance_abatement")
    assert "s80(2A)-(2D)" in p.legal_test and "seven days" in p.legal_test
    step = next(s for s in p.procedure if s.cite == "EPA 1990 s80(2A)-(2D)")
    assert step.within == "7d"
    r = rule("statutory-nuisance-premises")
    assert "s80(2A)-(2D)" in r.because


def test_abatement_notice_goes_to_owner_or_occupier_where_the_nuisance_has_not_yet_occurred():
    """EPA 1990 s80(2)(c): served on the owner or occupier where the person responsible cannot be
    found or the nuisance has not yet occurred; s80(3): appeal within 21 days of service."""
    p = power("statutory_nuisance_abatement")
    assert "has not yet occurred" in p.legal_test
    assert "21 days" in p.appeal


def test_statutory_nuisance_penalties_and_commencement_read_on_the_act():
    """EPA 1990 s80(5)-(6): level 5 fine plus a daily fine; a fine on trade premises; s164(2):
    ss79-85 in force at the end of two months from passing (1 November 1990), so 1 January 1991."""
    p = power("statutory_nuisance_abatement")
    assert p.in_force_from == dt.date(1991, 1, 1)
    assert any("s164(2)" in item for item in p.provenance.pages_read)
    assert any("s80(5)" in c and "s80(6)" in c for c in p.cautions)
    assert not any("confirm on the current text" in c for c in p.cautions)
    assert p.provenance.confirmed


def test_s222_power_of_arrest_is_commenced_for_england_only():
    """PJA 2006 s27 and Sch 10 in force 6 April 2007 'in England only' (SI 2007/709 art 4(b));
    LGA 1972 s222 in force 1 April 1974 under s273(1) and (3) (Parts VI to XI)."""
    p = power("injunction_s222")
    assert any("SI 2007/709 art 4(b)" in c and "Wales" in c for c in p.cautions)
    assert any("s273(1)" in item for item in p.provenance.pages_read)
    assert any(u.startswith("dates (Wales)") for u in p.provenance.unconfirmed)
    assert not p.provenance.confirmed


def test_uninsured_vehicle_seizure_runs_from_6_july_2005():
    """SOCPA 2005 s152 in force 1 July 2005 (SI 2005/1521 art 3(1)(u)); RTA 1988 s165A(8): the
    powers are exercisable only while s165B regulations are in force - SI 2005/1606 from
    6 July 2005. Royal Assent (7 April 2005) is not the date."""
    p = power("vehicle_seizure_no_insurance")
    assert p.in_force_from == dt.date(2005, 7, 6)
    assert rule("veh-seizure-uninsured").valid_from == dt.date(2005, 7, 6)
    seize = next(s for s in p.procedure if s.cite and "s165A(5), (7)" in s.cite)
    assert seize.within == "24h"
    assert any("s165B(3)" in c for c in p.cautions)


ANALYST = ("speed_days", "cost", "legal_risk", "collateral_risk", "impact")


def test_confirmed_entries_in_the_slice():
    confirmed = sorted(p.id for p in _powers() if p.provenance.confirmed)
    assert confirmed == ["psychoactive_substances_notice", "statutory_nuisance_abatement"]
