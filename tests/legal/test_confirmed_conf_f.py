"""Confirmation pass over trading standards, waste and street vehicles (issue 16 part 5).

Each test names the provision read on the statute text on 5 December 2026; the research log is
summarised in each entry's provenance.pages_read.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from tests.legal._entries import catalogue, power, text_of

SLICE = {"trading_standards.yaml", "waste_environment.yaml", "travel_vehicles_extra.yaml"}
ASPECTS = ("test", "time limits", "penalties", "dates")


def _slice_powers():
    cat = catalogue()
    return [p for p in cat if Path(cat.files[p.id]).name in SLICE]


def test_fly_tipping_fixed_penalty_in_wales_is_s33zb():
    """EPA 1990 s33ZA is the fixed penalty for a s33(1)(a) deposit in England only (SI 2016/334
    reg 2: 'an authorised officer of an English waste collection authority'); Wales has its own
    s33ZB, £150 to £400 and £200 by default (WSI 2017/1024, explanatory note)."""
    p = power("fly_tipping_enforcement")
    sections = {leg.section.split(" ")[0]: leg.section for leg in p.legislation}
    assert "England" in sections["s33ZA"]
    assert "Wales" in sections["s33ZB"]
    step = next(s for s in p.procedure if s.cite and "s33ZA" in s.cite)
    assert "s33ZB (Wales)" in step.cite and "s33ZA (England)" in step.cite
    assert "£150 to £400" in text_of(p) and "£200" in text_of(p)


def test_scrap_metal_revocation_from_1_october_offence_from_1_december_2013():
    """SMDA 2013 s4 in force 1.10.2013 (SI 2013/1966 art 3(d)); the s1(3) offence of trading
    without a licence only from 1.12.2013 (art 4(a))."""
    p = power("scrap_metal_licence_revocation")
    assert p.in_force_from == dt.date(2013, 10, 1)
    assert any("1 December 2013" in c and "art 4(a)" in c for c in p.cautions)


def test_tobacco_and_related_products_regulations_in_force_20_may_2016():
    """SI 2016/507 reg 1(2): 'These Regulations come into force on 20th May 2016.'"""
    assert power("illicit_tobacco_enforcement").in_force_from == dt.date(2016, 5, 20)


def test_abandoned_vehicle_removal_needs_no_notice_on_a_road():
    """RDAA 1978 s3(2A), inserted by CNEA 2005 s11: no notice to an occupier where the vehicle
    is abandoned on a road."""
    p = power("abandoned_vehicle_removal")
    step = next(s for s in p.procedure if s.cite and "(2A)" in s.cite)
    assert "on a road, remove at once" in step.step


def test_no_notice_on_a_road_in_wales_from_27_october_2006():
    """CNEA 2005 s11 (inserting RDAA 1978 s3(2A)) in force in Wales on 27 October 2006
    (WSI 2006/2797 art 2(a), explanatory note)."""
    cautions = " ".join(power("abandoned_vehicle_removal").cautions)
    assert "27 October 2006" in cautions and "WSI 2006/2797" in cautions


def test_selling_vehicles_on_a_road_is_a_level_4_fine():
    """CNEA 2005 s3(3): 'liable on summary conviction to a fine not exceeding level 4'."""
    assert "level 4" in power("nuisance_parking_enforcement").summary


@pytest.mark.parametrize("pid", [p.id for p in _slice_powers() if p.provenance.pages_read], ids=str)
def test_each_page_read_names_an_aspect_and_a_page(pid):
    """pages_read items say which aspect was read on which page (issue 16's format)."""
    for item in power(pid).provenance.pages_read:
        label, _, rest = item.partition(":")
        assert any(a in label for a in ASPECTS), (pid, label)
        assert re.search(r"https?://", rest), (pid, item)


# --- Round 2 (whole statute text, legalize-dev/legalize-uk), 5 December 2026 ---------------------


def test_nuisance_parking_offences_in_force_7_june_2005():
    """CNEA 2005 s108(4)(a): ss3-5 come into force two months after the Act was passed
    (7 April 2005), i.e. 7 June 2005, in England and Wales; the entry and its rules had the
    27 October 2006 Welsh order date, which does not commence ss3-4."""
    p = power("nuisance_parking_enforcement")
    assert p.in_force_from == dt.date(2005, 6, 7)
    assert p.in_force(dt.date(2005, 6, 7))
    assert not p.in_force(dt.date(2005, 6, 6))
    assert "£100" in text_of(p)  # s6(8)


def test_scrap_metal_representations_14_days_appeal_21_days():
    """SMDA 2013 Sch 1 para 7(4) (not less than 14 days for representations) and para 9(3)
    (appeal within 21 days of the notice of decision); Sch 2 para 4(2) (closure order complaint
    7 days to 6 months after the closure notice)."""
    p = power("scrap_metal_licence_revocation")
    text = text_of(p)
    assert "not less than 14 days" in text and "within 21 days" in text
    assert "not less than 7 days nor more than 6 months" in text
    assert p.provenance.confirmed


def test_fly_tipping_summary_maximum_is_the_general_limit():
    """EPA 1990 s33(8)(a) (revised text from 11 March 2026): imprisonment 'not exceeding the
    general limit in a magistrates' court', not a fixed 12 months; s33ZA(9): the English fixed
    penalty is £150 to £1,000 (£200 if none specified)."""
    p = power("fly_tipping_enforcement")
    text = text_of(p)
    assert "general limit in a magistrates' court" in text
    assert "up to 12 months on summary conviction" not in text
    assert "£150 to £1,000" in text


def test_counterfeit_forfeiture_appeal_to_the_crown_court():
    """TMA 1994 s97(5)(a): a person aggrieved by a magistrates' court forfeiture order may
    appeal to the Crown Court; SI 1994/2550 art 2: the whole Act in force 31 October 1994."""
    p = power("counterfeit_goods_enforcement")
    assert "Crown Court (TMA 1994 s97(5))" in p.appeal
    assert p.in_force_from == dt.date(1994, 10, 31)


def test_restricted_premises_order_repealed_from_29_october_2026():
    """Tobacco and Vapes Act 2026 Sch 6 para 2 omits CYPA 1933 ss12A-12D; s44(1) and s175(1)
    bring Schedule 6 into force at the end of six months from Royal Assent (29 April 2026)."""
    p = power("restricted_premises_order_tobacco")
    assert p.in_force_to == dt.date(2026, 10, 29)
    assert p.in_force(dt.date(2026, 10, 28)) and not p.in_force(dt.date(2026, 10, 29))
    assert "TVA 2026 s23" in text_of(p)


def test_vape_sales_to_under_18s_are_tva_s10_from_29_october_2026():
    """TVA 2026 s10 (sale of vaping or nicotine products to under-18s, level 4) in force from
    29 October 2026 (s175(1)); CFA 2014 s92 repealed the same day (Sch 6 para 21); s1 (born on or
    after 1 January 2009) only from 1 January 2027 (s175(3)(a))."""
    text = text_of(power("underage_sales_enforcement"))
    assert "TVA 2026 s10" in text and "29 October 2026" in text
    assert "s175(3)(a)" in text


def test_track_and_trace_penalties_are_fixed_by_band():
    """SI 2019/594 reg 20B (inserted by SI 2023/606 reg 8): 'the penalty is' a fixed sum per
    category, not a maximum; reg 18(4)(b)(ia): deactivation six months or five years."""
    p = power("tobacco_track_and_trace_referral")
    note = next(s.note for s in p.procedure if s.cite and "20A-20B" in s.cite)
    assert "fixed by band" in note and "up to £2,500" not in note
    assert "reg 18(4)(b)(ia)" in text_of(p)


def test_trading_standards_routine_entry_needs_two_working_days_notice():
    """CRA 2015 Sch 5 para 23(4)(c): at least two working days between receipt of the notice and
    entry; para 36(3): obstruction is a fine not exceeding level 3."""
    p = power("trading_standards_entry_powers")
    assert "2 working days" in text_of(p) and "level 3" in p.appeal
    assert p.provenance.confirmed
