"""Licensing entries (people, premises, revenue extras): confirmation earned on the statute text.

Issue 16 part 5. An entry in these files is `confirmed: true` only when its pages_read names the
page read for each of the four aspects (test, time limits, penalties, dates). The spot tests
below each assert one fact corrected or confirmed on 5 December 2026, naming the provision and
the page it was read on (the entry's provenance holds the same page).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.legal._entries import catalogue, power, rule

MY_FILES = {
    "licensing_people.yaml",
    "licensing_premises.yaml",
    "licensing_revenue_extra.yaml",
}
ASPECTS = ("test", "time limits", "penalties", "dates")


def _my_powers():
    cat = catalogue()
    return [p for p in cat if Path(cat.files[p.id]).name in MY_FILES]


def _confirmed():
    return [p for p in _my_powers() if p.provenance.confirmed]


def test_the_slice_has_its_eighteen_entries():
    assert len(_my_powers()) == 18


def test_these_entries_are_confirmed_on_the_statute_text():
    assert {p.id for p in _confirmed()} == {
        "premises_licence_review",
        "late_night_refreshment_review",
        "excise_seizure_referral",
        "premises_licence_summary_review",
        "sia_licence_referral",
        "unlicensed_alcohol_sale",
    }


ANALYST_FIELDS = ("speed_days", "cost", "legal_risk", "collateral_risk", "impact")


def test_summary_review_changes_of_2017_dated_from_their_commencement():
    """PCA 2017 ss136-137 (LA 2003 s53B(9A), s53D) in force 6 April 2017 by SI 2017/399
    reg 3(b)-(c), read on legislation.gov.uk/uksi/2017/399/made; 31 January 2017 was Royal
    Assent, which the entry had used."""
    p = power("premises_licence_summary_review")
    dates = {a.on for a in p.amendments}
    assert dt.date(2017, 4, 6) in dates
    assert dt.date(2017, 1, 31) not in dates
    change = next(a for a in p.amendments if a.on == dt.date(2017, 4, 6))
    assert "SI 2017/399" in change.change and "uksi/2017/399" in (change.source or "")


def test_summary_review_deadlines_of_s53a2():
    """LA 2003 s53A(2)(a) 48 hours and (b) 28 days, read in VCRA 2006 s21; inserted 1 October
    2007 (S.I. 2007/2180 art 3(a), annotation on the revised cross-heading)."""
    p = power("premises_licence_summary_review")
    assert p.in_force_from == dt.date(2007, 10, 1)
    interim = next(s for s in p.procedure if s.cite and "s53A(2)(a)" in s.cite)
    assert interim.within == "48h"


def test_enforcement_warning_notice_inserted_by_lura_s117_not_s112():
    """TCPA 1990 s172ZA was inserted by LURA 2023 s117 ('enforcement warning notices'), in force
    25 April 2024 by SI 2024/452 reg 3(d), read on legislation.gov.uk/uksi/2024/452/made."""
    p = power("planning_enforcement_warning_notice")
    sections = " ".join(leg.section for leg in p.legislation)
    assert "s117" in sections and "s112" not in sections
    assert p.in_force_from == dt.date(2024, 4, 25)
    citation = rule("planning-warning-notice-england").citation
    assert "s117" in citation and "s112" not in citation
    assert "SI 2024/452 reg 3(d)" in citation


def test_premises_licence_review_time_limits_read_on_the_regulations_and_schedule_5():
    """SI 2005/42 reg 22(1)(b) (28 consecutive days for representations) and reg 38(2)(ii)
    (notice for no less than 28 consecutive days), LA 2003 s52(4)(d) (suspension not exceeding
    three months) and Sch 5 para 9(2) (appeal within 21 days)."""
    p = power("premises_licence_review")
    advert = next(s for s in p.procedure if s.cite and "38(2)" in s.cite)
    assert advert.within == "28d"
    assert "regs 22(1), 38(2)" in advert.cite  # SI 2005/42 reg 22(1)(b): 28 days to represent
    assert "seven days" in (advert.note or "")
    hearing = next(s for s in p.procedure if s.cite and "s52(3)-(4)" in s.cite)
    assert hearing.lasts == "3mo"
    appeal = next(s for s in p.procedure if s.cite and "Sch 5 paras 8-9" in s.cite)
    assert appeal.within == "21d"
    assert p.in_force_from == dt.date(2005, 11, 24)


def test_late_night_refreshment_penalty_and_local_exemptions():
    """Trading without an authorisation is the LA 2003 s136 offence (s136(4): six months, a fine,
    or both), read on legislation.gov.uk/ukpga/2003/17/section/136; local exemptions under Sch 2
    para 2A from 1 October 2015 (S.I. 2015/1732 art 2(h), annotation on the para 2A page)."""
    p = power("late_night_refreshment_review")
    assert any("s136(4)" in c for c in p.cautions)
    assert not any("penalty was not confirmed" in c for c in p.cautions)
    assert any("S.I. 2015/1732" in item for item in p.provenance.pages_read)


def test_excise_seizure_claim_within_one_month_and_act_in_force_1_april_1979():
    """CEMA 1979 Sch 3 para 3 (claim within one month of the notice of seizure), read on
    legislation.gov.uk; the Act wholly in force 1 April 1979 (s178(3), annotation)."""
    p = power("excise_seizure_referral")
    claim = next(s for s in p.procedure if s.cite and "Sch 3" in s.cite)
    assert "One month" in (claim.note or "") and "para 3" in (claim.note or "")
    assert p.in_force_from == dt.date(1979, 4, 1)
    assert any("s. 178(3)" in item for item in p.provenance.pages_read)


def test_taxi_concern_report_ten_working_days_from_31_may_2022():
    """TPHVA 2022 s5(2): information passed on within 10 working days; s5 in force 31 May 2022
    (s9(3)(b)); s6(2): the issuing authority answers within 20 working days (read in the revised
    text). Still unconfirmed: the commencement regulations for the database duties (ss2-4)."""
    p = power("taxi_driver_concern_report")
    step = next(s for s in p.procedure if s.cite and "s5(1)-(2)" in s.cite)
    assert "10 working days" in (step.note or "")
    reply = next(s for s in p.procedure if s.cite and "s6(1)-(2)" in s.cite)
    assert "20 working days" in (reply.note or "")
    assert p.in_force_from == dt.date(2022, 5, 31)
    assert not p.provenance.confirmed
    assert any("ss2-4" in u for u in p.provenance.unconfirmed)


def test_sia_appeal_within_21_days_to_the_magistrates():
    """PSIA 2001 s11(2): appeal before the end of twenty-one days from first notification; s11(6)
    keeps a revoked licence in force pending appeal (revised text valid from 2017-12-15)."""
    p = power("sia_licence_referral")
    assert "21 days" in p.appeal and "s11" in p.appeal
    appeal = next(s for s in p.procedure if s.cite and "s11(1)-(2)" in s.cite)
    assert appeal.within == "21d"


def test_sia_revocation_power_in_force_from_1_february_2004_not_royal_assent():
    """PSIA 2001 s10 in force 1.2.2004 by SI 2003/2710 art 3(e) (annotation in the revised text);
    11 May 2001 was Royal Assent, which the entry and its rule had used."""
    p = power("sia_licence_referral")
    assert p.in_force_from == dt.date(2004, 2, 1)
    assert rule("sia-licence-holder-linked").valid_from == dt.date(2004, 2, 1)
    assert any("2003/2710, art. 3(e)" in item for item in p.provenance.pages_read)
    assert any("s3(1) and (6)" in item for item in p.provenance.pages_read)


def test_unlicensed_sale_information_within_12_months_and_s136_from_24_november_2005():
    """LA 2003 s186(3): the information may be laid within 12 months (MCA 1980 s127(1) modified);
    s136 is in none of Commencement Orders No. 1-6, so it came into force on 24 November 2005
    under SI 2005/3056 art 2(2)."""
    p = power("unlicensed_alcohol_sale")
    step = next(s for s in p.procedure if s.cite and "s186(2)-(3)" in s.cite)
    assert "12 months" in step.step
    assert p.in_force_from == dt.date(2005, 11, 24)
    assert any("SI 2003/3222" in item for item in p.provenance.pages_read)


def test_summary_review_48_hours_count_working_days_only():
    """LA 2003 s53A(5): time not on a working day is disregarded in the 48 hours (read in the
    revised text); the plan still counts 48 clock hours, never later than the law allows."""
    p = power("premises_licence_summary_review")
    interim = next(s for s in p.procedure if s.cite and "s53A(5)" in s.cite)
    assert interim.within == "48h"
    assert "not on a working day" in (interim.note or "")
    appeal = next(s for s in p.procedure if s.cite and "Sch 5 paras 8A, 8B, 9" in s.cite)
    assert appeal.within == "21d"


def test_personal_licence_police_stage_names_only_the_chief_officer():
    """LA 2003 s132A(10)-(11) as inserted by PCA 2017 s138(3): notice to the chief officer of
    police, 14 days for representations; the inserted text does not name the Secretary of State
    (the audit's claim removed). Appeal within 21 days (Sch 5 para 17(5B), (7))."""
    p = power("personal_licence_action")
    police = next(s for s in p.procedure if s.cite and "s132A(6)-(12)" in s.cite)
    assert police.within == "14d"
    assert "Secretary of State, where" not in police.step
    appeal = next(s for s in p.procedure if s.cite and "17(5B)" in s.cite)
    assert appeal.within == "21d"
    assert not p.provenance.confirmed


def test_sex_establishment_schedule_in_force_on_royal_assent_and_12_months_bar():
    """LG(MP)A 1982 Sch 3 para 30(2): the Schedule came into force on the day the Act was passed
    (13 July 1982; sex cinemas 13 October 1982, SI 1982/1119); para 17(3): 12 months'
    disqualification after revocation; para 27: 21-day appeal."""
    p = power("sex_establishment_licence_action")
    assert p.in_force_from == dt.date(1982, 7, 13)
    assert "para 17(3)" in p.duration
    assert "21 days" in p.appeal
    assert not p.provenance.confirmed


def test_civil_recovery_keeps_the_unread_enforcement_authority_list_flagged():
    """POCA 2002 s266(1) read; s316 (who may apply) not read, so the entry stays unconfirmed."""
    p = power("civil_recovery_referral")
    assert not p.provenance.confirmed
    assert any("s316" in u for u in p.provenance.unconfirmed)
