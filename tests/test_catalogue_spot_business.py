"""Spot checks of figures the catalogue holds for business, trade and finance powers.

Each assertion names the provision it encodes. Only figures the research reference or the
legislation read for the catalogue supports are asserted (see provenance in the YAML files:
trading_standards.yaml, revenue_companies.yaml, waste_environment.yaml,
labour_immigration.yaml, criminal_finance.yaml). Money figures sit in step notes and duration
text, so the tests check the text holds them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from achilles.catalogue import load_catalogue
from achilles.model.power import Power, duration_hours

BUSINESS_IDS = [
    "counterfeit_goods_enforcement",
    "illicit_tobacco_enforcement",
    "underage_sales_enforcement",
    "consumer_protection_enforcement",
    "illegal_working_civil_penalty",
    "business_rates_review",
    "hmrc_referral",
    "waste_carrier_enforcement",
    "fly_tipping_enforcement",
    "waste_vehicle_seizure",
    "scrap_metal_licence_revocation",
    "glaa_referral",
    "money_laundering_supervision_referral",
    "director_disqualification",
    "procurement_exclusion",
    "cash_seizure",
    "account_freezing_order",
    "confiscation_order",
    "unexplained_wealth_order",
]

MY_FILES = {
    "trading_standards.yaml",
    "revenue_companies.yaml",
    "waste_environment.yaml",
    "labour_immigration.yaml",
    "criminal_finance.yaml",
}


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def _steps_citing(power: Power, cite: str):
    return [s for s in power.procedure if s.cite and cite in s.cite]


def _from_files(catalogue) -> list[Power]:
    return [catalogue.get(pid) for pid, f in catalogue.files.items() if Path(f).name in MY_FILES]


def test_required_business_ids_exist(catalogue):
    # BUSINESS_IDS: the powers for businesses, trade and finance the catalogue must hold.
    missing = [pid for pid in BUSINESS_IDS if pid not in catalogue]
    assert not missing


# --- Illegal working civil penalty --------------------------------------------------------------


def test_illegal_working_penalty_maximum_per_worker(catalogue):
    # IANA 2006 s15(2): a penalty not exceeding the prescribed maximum. The Maximum Penalty Order
    # 2008 art 2 as amended by SI 2024/82 (in force 13 February 2024) sets £60,000 per worker
    # (previously £20,000); the code of practice starts a first breach at £45,000.
    p = catalogue.get("illegal_working_civil_penalty")
    [step] = _steps_citing(p, "s15(2)")
    assert "£60,000" in step.note
    assert "£45,000" in step.note
    assert "13 February 2024" in step.note
    assert "£60,000" in p.duration
    assert any(a.on == dt.date(2024, 2, 13) and "£60,000" in a.change for a in p.amendments)
    assert p.lead_agency == "home_office_immigration"
    assert p.coercive


def test_illegal_working_objection_and_appeal_periods(catalogue):
    # IANA 2006 s16(3): notice of objection within the prescribed period (28 days, SI 2007/3290
    # art 9 as given by the reference). s17(4A)-(4B): appeal to the county court only after an
    # objection, within 28 days beginning with the relevant date.
    p = catalogue.get("illegal_working_civil_penalty")
    [objection] = _steps_citing(p, "s16(3)")
    assert objection.within == "28d"
    [appeal] = _steps_citing(p, "s17(4A)-(4B)")
    assert appeal.within == "28d"
    assert duration_hours(appeal.within) == 28 * 24
    assert "county court" in appeal.step
    assert "county court" in p.appeal
    # In force from 29 February 2008 (SI 2007/3290 commencement).
    assert p.in_force(dt.date(2024, 3, 1))
    assert not p.in_force(dt.date(2008, 1, 1))


# --- Account freezing orders --------------------------------------------------------------------


def test_account_freezing_order_magistrates_without_notice(catalogue):
    # POCA 2002 s303Z1(2), (4): application to the relevant court (the magistrates' court in
    # England and Wales), which may be made without notice where notice would prejudice forfeiture.
    # s303Z8(1): the minimum amount is £1,000. s303Z2(2): a senior officer applies or authorises.
    p = catalogue.get("account_freezing_order")
    [application] = _steps_citing(p, "s303Z1(4)")
    assert "magistrates' court" in application.step
    assert "without notice" in application.step
    assert "£1,000" in application.note
    assert "£1,000" in p.legal_test
    assert _steps_citing(p, "s303Z2(2)")
    assert p.evidence_standard == "balance_of_probabilities"


def test_account_freezing_order_up_to_two_years(catalogue):
    # POCA 2002 s303Z3(4): the period specified may not exceed 2 years from the day the order is
    # made, including on variation.
    p = catalogue.get("account_freezing_order")
    [order] = _steps_citing(p, "s303Z3(4)")
    assert order.lasts == "2y"
    assert p.max_duration == "2y"
    assert duration_hours(p.max_duration) == 2 * 365 * 24


def test_account_forfeiture_notice_30_days_and_48_hours_after_objection(catalogue):
    # POCA 2002 s303Z9(5): the period for objecting to an account forfeiture notice must be at
    # least 30 days. s303Z11(2): after an objection the freezing order ends 48 hours later unless
    # the steps in s303Z11(3) are taken.
    p = catalogue.get("account_freezing_order")
    [notice] = _steps_citing(p, "s303Z9")
    assert "30 days" in notice.note
    [objection] = _steps_citing(p, "s303Z11")
    assert objection.within == "48h"
    # Criminal Finances Act 2017 powers in force from 31 January 2018.
    assert p.in_force_from == dt.date(2018, 1, 31)


# --- Cash seizure -------------------------------------------------------------------------------


def test_cash_seizure_minimum_amount(catalogue):
    # POCA 2002 s294(3) and the minimum amount set under s303: £1,000.
    p = catalogue.get("cash_seizure")
    [seize] = [s for s in _steps_citing(p, "s294") if "Search" in s.step]
    assert "£1,000" in seize.note
    assert "£1,000" in p.duration
    assert "£1,000" in p.legal_test


def test_cash_detention_48_hours_then_up_to_two_years(catalogue):
    # POCA 2002 s295(1): initial detention 48 hours (weekends and bank holidays not counted,
    # s295(1B)); s295(2): further detention only by magistrates' order, no more than 2 years from
    # the first order.
    p = catalogue.get("cash_seizure")
    [detain] = _steps_citing(p, "s295(1)-(2)")
    assert detain.lasts == "48h"
    assert detain.extendable_to == "2y"
    assert duration_hours(detain.extendable_to) == 2 * 365 * 24
    assert "magistrates' court" in detain.note
    [extend] = _steps_citing(p, "s295(2), s295(4)")
    assert extend.within == "48h"
    assert p.max_duration == "2y"
    # s298: forfeiture on the balance of probabilities; no conviction needed.
    assert _steps_citing(p, "s298")
    assert p.evidence_standard == "balance_of_probabilities"


# --- Dates in force across a change in the law -------------------------------------------------


def test_unfair_trading_law_switches_on_6_april_2025(catalogue):
    # CPRs 2008 replaced by DMCC Act 2024 Part 4 Chapter 1 for practices from 6 April 2025
    # (SI 2025/272). A case dated before the change gets the CPRs, one on or after it the DMCC Act.
    new = catalogue.get("consumer_protection_enforcement")
    old = catalogue.get("consumer_protection_enforcement_pre2025")
    before, after = dt.date(2025, 4, 5), dt.date(2025, 4, 6)
    assert old.in_force(before) and not new.in_force(before)
    assert new.in_force(after) and not old.in_force(after)
    assert any("2024" in leg.act and leg.section.startswith("s237") for leg in new.legislation)
    assert any("2008" in leg.act for leg in old.legislation)
    in_force_before = {p.id for p in catalogue.in_force(before, "england")}
    assert "consumer_protection_enforcement_pre2025" in in_force_before
    assert "consumer_protection_enforcement" not in in_force_before


def test_procurement_exclusion_switches_on_24_february_2025(catalogue):
    # Public Contracts Regulations 2015 reg 57 replaced by the Procurement Act 2023 from
    # 24 February 2025.
    new = catalogue.get("procurement_exclusion")
    old = catalogue.get("procurement_exclusion_pre2025")
    assert old.in_force(dt.date(2025, 2, 23)) and not new.in_force(dt.date(2025, 2, 23))
    assert new.in_force(dt.date(2025, 2, 24)) and not old.in_force(dt.date(2025, 2, 24))
    assert any(leg.act == "Procurement Act 2023" for leg in new.legislation)
    assert any("reg 57" in leg.section for leg in old.legislation)


# --- Other figures ------------------------------------------------------------------------------


def test_director_disqualification_maxima(catalogue):
    # CDDA 1986 s2: up to 5 years from a magistrates' court, 15 years otherwise; s5 up to 5 years.
    p = catalogue.get("director_disqualification")
    assert p.max_duration == "15y"
    [order] = [s for s in p.procedure if s.lasts]
    assert order.lasts == "15y"
    assert "5 years" in order.note


def test_confiscation_time_to_pay(catalogue):
    # POCA 2002 s11 (as amended by the Serious Crime Act 2015): payable on the day, or within a
    # specified period of up to 3 months, extendable to 6 months from the order.
    p = catalogue.get("confiscation_order")
    [pay] = _steps_citing(p, "s11")
    assert pay.within == "3mo"
    assert pay.extendable_to == "6mo"
    assert p.evidence_standard == "balance_of_probabilities"  # s6(7)


def test_unexplained_wealth_order_threshold(catalogue):
    # POCA 2002 s362A-s362B: property worth more than £50,000; High Court, enforcement authorities.
    p = catalogue.get("unexplained_wealth_order")
    assert "£50,000" in p.legal_test
    assert "High Court" in p.summary
    assert p.lead_agency == "nca"


def test_entries_carry_provenance_and_safeguarding(catalogue):
    # Every entry in these files is a draft awaiting a solicitor's sign-off, lists what is not
    # confirmed when not confirmed, and coercive entries warn against acting on victims.
    powers = _from_files(catalogue)
    assert len(powers) >= len(BUSINESS_IDS)
    for p in powers:
        # Reviewed in the first pass (29 Nov) or the currency pass of issue 16 (4 Dec 2026).
        assert dt.date(2026, 11, 29) <= p.provenance.reviewed_on <= dt.date(2026, 12, 4), p.id
        if not p.provenance.confirmed:
            assert p.provenance.unconfirmed, p.id
        for leg in p.legislation:
            assert leg.url and leg.url.startswith("https://www.legislation.gov.uk/"), p.id
        if p.coercive:
            text = " ".join(p.cautions).lower()
            assert any(w in text for w in ("exploit", "victim", "trafficked", "vulnerable")), p.id
