"""Spot checks of the statutory time limits the catalogue holds for premises powers.

Each assertion names the provision it encodes. Only figures the research reference or the
legislation read for the catalogue gives are asserted; where a figure was read only in a secondary
source the YAML entry says so under provenance.unconfirmed (see powers_catalogue/*.yaml).
"""

from __future__ import annotations

import datetime as dt

import pytest

from achilles.catalogue import load_catalogue
from achilles.model.power import Power, ProcedureStep, duration_hours


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def _steps_citing(power: Power, cite: str) -> list[ProcedureStep]:
    return [s for s in power.procedure if s.cite and cite in s.cite]


def _one_step(power: Power, cite: str) -> ProcedureStep:
    steps = _steps_citing(power, cite)
    assert len(steps) == 1, f"{power.id}: expected one step citing {cite}, got {len(steps)}"
    return steps[0]


# --- Closure notice (ASBCPA 2014 s76-s80) ------------------------------------------------------


def test_closure_notice_24_hours_extendable_to_48(catalogue):
    p = catalogue.get("closure_notice")
    # ASBCPA 2014 s77(1): the maximum period in a closure notice is 24 hours, unless s77(2)
    # applies; s77(2): 48 hours if issued by a superintendent or signed by the council's chief
    # executive or designate; s77(3): Christmas Day is disregarded.
    step = _one_step(p, "s77(1)")
    assert step.lasts == "24h"
    assert duration_hours(step.lasts) == 24
    assert step.extendable_to == "48h"
    assert duration_hours(step.extendable_to) == 48
    assert p.max_duration == "48h"
    # ASBCPA 2014 s76(1): inspector or above, or the local authority, may issue.
    assert {a.agency for a in p.exercised_by} == {"police", "council"}


def test_closure_notice_hearing_within_48_hours_of_service(catalogue):
    # ASBCPA 2014 s80(3): the closure order application must be heard by the magistrates not later
    # than 48 hours after service of the closure notice (s80(4): Christmas Day disregarded).
    for power_id, cite in (("closure_notice", "s80(2)-(3)"), ("closure_order", "s80(3)")):
        step = _one_step(catalogue.get(power_id), cite)
        assert step.within == "48h", power_id
        assert duration_hours(step.within) == 48


def test_closure_notice_cannot_exclude_residents_or_owner(catalogue):
    # ASBCPA 2014 s76(4): a closure notice may not prohibit access by people who habitually live
    # on the premises or by the owner. (Checked against legislation.gov.uk 2026-11-29.)
    p = catalogue.get("closure_notice")
    assert any("s76(4)" in c for c in p.cautions)
    # s76(6) reasonable efforts to inform; s76(7) consultation.
    assert _steps_citing(p, "s76(6)") and _steps_citing(p, "s76(7)")


# --- Closure order (ASBCPA 2014 s80-s84) -------------------------------------------------------


def test_closure_order_three_months_extendable_to_six(catalogue):
    p = catalogue.get("closure_order")
    # ASBCPA 2014 s80(6): a closure order may not exceed 3 months; s82: it may be extended on
    # application, but not so that it lasts more than 6 months in total (s82(7)-(8), per
    # secondary sources; see provenance.unconfirmed).
    step = _one_step(p, "s80(6)")
    assert step.lasts == "3mo"
    assert step.extendable_to == "6mo"
    assert duration_hours(step.lasts) == 3 * 30 * 24
    assert duration_hours(step.extendable_to) == 2 * duration_hours(step.lasts)
    assert p.max_duration == "6mo"
    assert "s82" in step.cite


def test_closure_order_appeal_within_21_days(catalogue):
    # ASBCPA 2014 s84(4)-(5): appeal to the Crown Court within 21 days beginning with the date
    # of the decision.
    step = _one_step(catalogue.get("closure_order"), "s84(4)")
    assert step.within == "21d"
    assert duration_hours(step.within) == 21 * 24
    assert "Crown Court" in catalogue.get("closure_order").appeal


def test_closure_order_temporary_continuation_and_adjournment(catalogue):
    # ASBCPA 2014 s81(2): if no order is made the notice may continue for up to 48 more hours;
    # s81(3): the hearing may be adjourned for up to 14 days.
    step = _one_step(catalogue.get("closure_order"), "s81(2)")
    assert step.lasts == "48h"
    assert "14 days" in step.note


def test_closure_powers_in_force_from_20_october_2014(catalogue):
    # ASBCPA 2014 Part 4 Chapter 3: valid from 20 October 2014 (legislation.gov.uk).
    for power_id in ("closure_notice", "closure_order"):
        p = catalogue.get(power_id)
        assert p.in_force_from == dt.date(2014, 10, 20)
        assert not p.in_force(dt.date(2014, 10, 19))
        assert p.in_force(dt.date(2026, 11, 29))
        assert p.jurisdiction == ["england", "wales"]


# --- Premises licence summary review (Licensing Act 2003 s53A-53D) -----------------------------


def test_summary_review_interim_steps_within_48_hours(catalogue):
    # Licensing Act 2003 s53A(2)(a): the licensing authority must, within 48 hours of the time of
    # receipt of the application, consider whether interim steps are necessary (s53B).
    p = catalogue.get("premises_licence_summary_review")
    step = _one_step(p, "s53A(2)(a)")
    assert step.within == "48h"
    assert duration_hours(step.within) == 48


def test_summary_review_full_review_within_28_days(catalogue):
    # Licensing Act 2003 s53A(2)(b): within 28 days after the day of receipt, review the licence
    # (s53C) and reach a determination. Procedure limits count from the previous step (see
    # achilles.plan.procedure_dates), so the catalogue records 26 days after the 48-hour interim
    # deadline: the two together must come to exactly 28 days from receipt.
    p = catalogue.get("premises_licence_summary_review")
    interim = _one_step(p, "s53A(2)(a)")
    step = _one_step(p, "s53A(2)(b)")
    assert duration_hours(interim.within) + duration_hours(step.within) == 28 * 24
    assert "28 days" in step.note
    steps = list(p.procedure)
    assert steps.index(interim) < steps.index(step)
    assert not any(s.within for s in steps[steps.index(interim) + 1 : steps.index(step)])
    # Licensing Act 2003 s53A(1): superintendent's certificate; alcohol premises only.
    assert any(a.agency == "police" and "superintendent" in (a.role or "") for a in p.authorised_by)
    assert "alcohol" in p.legal_test
    # Violent Crime Reduction Act 2006 s21 inserted ss53A-53C from 1 October 2007 (SI 2007/2180).
    assert p.in_force_from == dt.date(2007, 10, 1)


def test_premises_licence_review_suspension_at_most_three_months(catalogue):
    # Licensing Act 2003 s52(4): steps include suspension for up to 3 months or revocation;
    # Sch 5: appeal to the magistrates' court within 21 days.
    p = catalogue.get("premises_licence_review")
    assert _one_step(p, "s52(3)").lasts == "3mo"
    assert _one_step(p, "Sch 5").within == "21d"
    # Licensing Act 2003 in force on the second appointed day, 24 November 2005 (SI 2005/3056).
    assert p.in_force_from == dt.date(2005, 11, 24)


# --- Absolute ground for possession (Housing Act 1985 s84A, s83ZA, s85ZA) ----------------------


def test_absolute_ground_notice_windows(catalogue):
    # Housing Act 1985 s83ZA, as the research reference gives it (secondary sources; the
    # subsections are listed as unconfirmed): a notice relying on a conviction or court finding
    # (s84A conditions 1, 2, 3 or 5) must be served within 12 months of it; a notice relying on a
    # closure order (condition 4) within 3 months of the order.
    p = catalogue.get("possession_absolute_asb")
    windows = sorted(s.within for s in _steps_citing(p, "s83ZA") if s.within)
    assert windows == ["12mo", "3mo"]
    assert duration_hours("12mo") == 12 * 30 * 24
    twelve = [s for s in _steps_citing(p, "s83ZA") if s.within == "12mo"]
    three = [s for s in _steps_citing(p, "s83ZA") if s.within == "3mo"]
    assert "conviction" in twelve[0].step
    assert "closure order" in three[0].step


def test_absolute_ground_review_request_within_7_days(catalogue):
    # Housing Act 1985 s85ZA(2): a secure tenant may request a review within 7 days of the notice;
    # the landlord cannot extend it (Harris v Hounslow LBC [2017] EWCA Civ 1476).
    step = _one_step(catalogue.get("possession_absolute_asb"), "s85ZA(2)")
    assert step.within == "7d"


def test_absolute_ground_law_and_dates(catalogue):
    p = catalogue.get("possession_absolute_asb")
    sections = " ".join(leg.section for leg in p.legislation)
    # Housing Act 1985 s84A (secure) and Housing Act 1988 Sch 2 ground 7A (assured), inserted by
    # ASBCPA 2014 s94-97, in force 20 October 2014 (England).
    assert "s84A" in sections and "ground 7A" in sections
    assert p.in_force_from == dt.date(2014, 10, 20)
    assert p.coercive
    # Mandatory, subject only to a Convention-rights defence (s84A(1)).
    assert "must order possession" in p.legal_test
    # Wales moved to occupation contracts on 1 December 2022 (Renting Homes (Wales) Act 2016).
    wales = catalogue.get("possession_asb_wales")
    assert wales.jurisdiction == ["wales"]
    assert wales.in_force_from == dt.date(2022, 12, 1)
    assert any("Renting Homes (Wales) Act 2016" in c for c in p.cautions)


# --- Other premises limits ---------------------------------------------------------------------


def test_illegal_working_compliance_order(catalogue):
    # Immigration Act 2016 Sch 6: the compliance order application is heard within 48 hours of
    # service of the closure notice; an order lasts up to 12 months, extendable to 24 in total.
    p = catalogue.get("illegal_working_closure_notice")
    assert _one_step(p, "para 5").within == "48h"
    order = [s for s in p.procedure if s.lasts == "12mo"]
    assert order and order[0].extendable_to == "24mo"
    assert p.in_force_from == dt.date(2016, 12, 1)


def test_food_hygiene_order_applied_for_within_3_days(catalogue):
    # Food Safety and Hygiene (England) Regulations 2013 reg 8: apply for a hygiene emergency
    # prohibition order within 3 days of serving the notice; the regulations apply to England
    # only and came into force on 31 December 2013 (reg 1).
    p = catalogue.get("food_hygiene_prohibition")
    assert any(s.within == "3d" for s in _steps_citing(p, "reg 8"))
    assert p.jurisdiction == ["england"]
    assert p.in_force_from == dt.date(2013, 12, 31)


def test_temporary_stop_notice_28_days(catalogue):
    # TCPA 1990 s171E(7): a temporary stop notice ceases 28 days after it is displayed;
    # s184(3): a stop notice takes effect no later than 28 days after service.
    p = catalogue.get("planning_stop_notice")
    assert _one_step(p, "s171E").lasts == "28d"
    assert _one_step(p, "s184(1)").within == "28d"
    # TSNs were inserted by Planning and Compulsory Purchase Act 2004 s52 from 7 March 2005.
    assert any(a.on == dt.date(2005, 3, 7) for a in p.amendments)


def test_rent_repayment_and_banning_order_notices(catalogue):
    # Housing and Planning Act 2016 s42: notice of intended proceedings within 12 months of the
    # offence; s15: banning order notice within 6 months of conviction. Both allow at least 28
    # days for representations - a minimum, so it is held in words, not as a deadline. England only.
    rro = catalogue.get("rent_repayment_order")
    assert [s.within for s in _steps_citing(rro, "s42") if s.within] == ["12mo"]
    assert any("At least 28 days" in (s.note or "") for s in _steps_citing(rro, "s42"))
    ban = catalogue.get("banning_order")
    assert [s.within for s in _steps_citing(ban, "s15") if s.within] == ["6mo"]
    assert any("At least 28 days" in (s.note or "") for s in _steps_citing(ban, "s15"))
    assert rro.jurisdiction == ban.jurisdiction == ["england"]
    # HPA 2016 commencement: rent repayment orders 6 April 2017 (SI 2017/281 reg 4).
    assert rro.in_force_from == dt.date(2017, 4, 6)


def test_closure_notice_needs_nuisance_or_disorder_on_reasonable_grounds(catalogue):
    # ASBCPA 2014 s76(1): the issuer must be "satisfied on reasonable grounds" of nuisance to
    # members of the public or disorder near the premises; there is no criminal-behaviour limb,
    # which belongs to the order (s80(5)(a)), and the order can only follow a notice (s80(1)).
    notice = catalogue.get("closure_notice")
    assert notice.evidence_standard == "reasonable_grounds"
    assert "no criminal-behaviour limb" in notice.legal_test
    order = catalogue.get("closure_order")
    assert "can only follow a closure notice" in order.legal_test


def test_licence_suitability_and_fitness_are_administrative(catalogue):
    # SMDA 2013 s3(2), s4(3)-(4): the council may have regard to any information it considers
    # relevant and revokes when no longer satisfied the licensee is a suitable person. HA 2004
    # s66, s89: evidence that the person has committed offences (not a conviction) bears on fit
    # and proper; s70, s93 revoke when no longer so considered; s89(3C) a banning order means unfit.
    scrap = catalogue.get("scrap_metal_licence_revocation")
    assert scrap.evidence_standard == "administrative"
    assert "s3(2)" in scrap.legal_test
    housing = catalogue.get("property_licence_fitness_review")
    assert housing.evidence_standard == "administrative"
    assert housing.coercive
    sections = " ".join(leg.section for leg in housing.legislation)
    for section in ("s64(3)", "s66", "s70", "s88-s89", "s93"):
        assert section in sections, section
    assert "s89(3C)" in housing.legal_test
    assert _one_step(housing, "s93(5)").step.startswith("Decide")


def test_premises_powers_never_aimed_at_victims(catalogue):
    # Every coercive premises power in these files carries a caution about victims or exploitation.
    ids = [
        "closure_notice",
        "closure_order",
        "drugs_premises_offence",
        "illegal_working_closure_notice",
        "premises_licence_review",
        "premises_licence_summary_review",
        "hmo_licensing_enforcement",
        "property_licence_fitness_review",
        "housing_hazard_notice",
        "possession_absolute_asb",
        "possession_discretionary_asb",
        "fire_safety_prohibition_notice",
        "health_and_safety_notice",
    ]
    for power_id in ids:
        p = catalogue.get(power_id)
        assert p.coercive
        text = " ".join(p.cautions).lower()
        assert any(w in text for w in ("cuckoo", "exploit", "trafficked", "victim")), power_id
