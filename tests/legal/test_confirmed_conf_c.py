"""Confirmation of the housing and housing enforcement entries (issue 16, part 5).

An entry is confirmed only when its test, time limits, penalties and dates were each read on the
statute text (for an entry that covers Wales, the Welsh date too). Each fact corrected while
reading has a spot test below citing the section or article it rests on.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.legal._entries import AS_AT, catalogue, power, rule

FILES = {"housing.yaml", "housing_enforcement.yaml"}
ASPECTS = ("test", "time limits", "penalties", "dates")


def _powers():
    cat = catalogue()
    return [p for p in cat if Path(cat.files[p.id]).name in FILES]


def _step(power_id: str, cite_part: str):
    return next(s for s in power(power_id).procedure if cite_part in (s.cite or ""))


def test_the_slice_is_the_sixteen_entries_named_in_the_brief():
    assert len(_powers()) == 16


def test_the_entries_confirmed_in_this_pass():
    confirmed = {p.id for p in _powers() if p.provenance.confirmed}
    assert confirmed >= {
        "housing_hazard_notice",
        "hmo_licensing_enforcement",
        "banning_order",
        "property_licence_fitness_review",
        "hmo_licence_revocation",
        "management_order",
        "unlawful_eviction_penalty",
    }


def test_hazard_notices_start_on_commencement_not_royal_assent():
    """HA 2004 s270(4)-(5): Part 1 was not in force at Royal Assent (18 November 2004);
    SI 2006/1060 art 2(1)(a) (England, 6 April 2006) and SI 2006/1535 art 2(a) (Wales, 16 June
    2006)."""
    p = power("housing_hazard_notice")
    assert p.in_force_from == dt.date(2006, 4, 6)
    assert p.dates("wales") == (dt.date(2006, 6, 16), None)
    assert not p.in_force(dt.date(2006, 5, 1), "wales")
    assert p.in_force(dt.date(2006, 5, 1), "england")


def test_hazard_notice_appeal_windows():
    """HA 2004 Sch 1 para 14(1) (improvement notice: 21 days), Sch 2 para 10(1) (prohibition
    order: 28 days), s45(3) (emergency measures: 28 days); s32(2) (level 5 and £20 a day)."""
    p = power("housing_hazard_notice")
    assert "21 days" in p.appeal and "Sch 1 para 14(1)" in p.appeal
    assert "Sch 2 para 10(1)" in p.appeal and "s45(3)" in p.appeal
    assert "£20 a day" in _step("housing_hazard_notice", "s32").note


def test_unlicensed_hmo_offence_began_on_6_july_2006_in_england():
    """SI 2006/1060 art 2(1)(b) brought s72(2), (3), (5)-(7) into force on 6 April 2006, but
    art 2(2)(b) brought the rest of s72 - the s72(1) unlicensed-HMO offence - only on 6 July 2006;
    in Wales all of s72 from 16 June 2006 (SI 2006/1535 art 2(a))."""
    p = power("hmo_licensing_enforcement")
    assert any("6 July 2006" in c and "s72(1)" in c for c in p.cautions)
    assert p.dates("wales") == (dt.date(2006, 6, 16), None)
    change = next(a for a in p.amendments if a.on == dt.date(2018, 10, 1))
    assert "SI 2018/221" in change.change  # art 1(2): in force 1 October 2018


def test_hmo_civil_penalty_time_limits_from_schedule_13a():
    """HA 2004 Sch 13A para 2 (notice of intent within 6 months of sufficient evidence), para 4(2)
    (28 days for representations), para 7 (payment within 28 days)."""
    note = _step("hmo_licensing_enforcement", "Sch 13A paras 1-8").note
    assert "6 months" in note and "28 days" in note


def test_unlicensed_part_3_house_offence_began_on_6_july_2006():
    """SI 2006/1060 art 2(1)(c) (s95(2), (4), (6) from 6 April 2006) and art 2(2) (the rest of
    s95, including s95(1), from 6 July 2006); HA 2004 s84(2): a designation lasts at most 5
    years."""
    p = power("selective_licensing_enforcement")
    assert any("6 July 2006" in c and "s95(1)" in c for c in p.cautions)
    assert "s84(2)" in p.duration and "5 years" in p.duration
    assert not any("instead" in c for c in p.cautions)  # Part 3 applies in Wales too


def test_banning_order_offences_do_not_include_drug_supply():
    """SI 2018/216 Schedule item 9 lists only MDA 1971 ss8, 9, 9A and 18-21; reg 3(c)(iii):
    items 7-14 count only where the offender was sentenced in the Crown Court."""
    r = rule("housing-banning-member-landlord")
    test = next(t for t in r.tests if "MDA s4" in t.name)
    assert test.fires_on == []
    assert any("s4" in e and "not a banning order offence" in e for e in r.evidence_needed)
    assert any("reg 3(c)(iii)" in e or "Crown Court" in e for e in r.evidence_needed)
    assert "drugs-on-premises" in power("banning_order").summary


def test_banning_order_minimum_and_breach_penalties():
    """HPA 2016 s17(2) (a ban lasts at least 12 months), s21(2) (51 weeks or a fine), s23(5)
    (civil penalty up to £30,000), s15(6) (notice within 6 months of conviction)."""
    p = power("banning_order")
    assert "s17(2)" in p.duration
    assert _step("banning_order", "s15").within == "6mo"
    breach = _step("banning_order", "s21").note
    assert "51 weeks" in breach and "£30,000" in breach


def test_licence_revocation_consultation_is_a_minimum_not_a_deadline():
    """HA 2004 Sch 5 para 29(2): the consultation period is at least 14 days; para 24(3): the
    decision is served within 7 days; s70A and s93A revocations have no appeal (para 32A(2))."""
    for pid in ("hmo_licence_revocation", "property_licence_fitness_review"):
        p = power(pid)
        consult = next(s for s in p.procedure if "representations" in s.step)
        assert consult.within is None, pid
        assert "at least 14 days" in consult.note, pid
        decide = next(s for s in p.procedure if s.step.startswith("Decide"))
        assert decide.within == "7d", pid
    assert "para 32A(2)" in power("hmo_licence_revocation").appeal


def test_management_orders_12_months_and_5_years():
    """HA 2004 s105(4) (an IMO ends 12 months after it is made), s114(3) (an FMO ends 5 years
    after it comes into force), Sch 6 para 25(2) (appeal within 28 days)."""
    p = power("management_order")
    assert [s.lasts for s in p.procedure if s.lasts] == ["12mo", "5y"]
    assert p.max_duration == "5y"
    assert "28 days" in p.appeal and "para" in p.appeal


def test_unlawful_eviction_penalty_in_force_from_1_may_2026():
    """SI 2026/421 reg 3(d): Renters' Rights Act 2025 s58 (PEA 1977 s1A and Sch A1) in force on
    1 May 2026; s1A(3): up to £40,000; Sch A1 para 10(2): appeal within 28 days."""
    p = power("unlawful_eviction_penalty")
    assert not p.pending
    assert p.in_force_from == dt.date(2026, 5, 1)
    assert p.in_force(AS_AT, "england") and not p.in_force(AS_AT, "wales")
    assert not p.in_force(dt.date(2026, 4, 30), "england")
    assert "£40,000" in p.duration
    assert _step("unlawful_eviction_penalty", "Sch A1 para 10").within == "28d"
    assert rule("unlawful-eviction-penalty-landlord").valid_from == dt.date(2026, 5, 1)


def test_right_to_rent_starts_on_first_commencement_not_royal_assent():
    """Immigration Act 2014: Royal Assent 14 May 2014; the residential tenancies scheme
    (Part 3 Chapter 1) first commenced on 1 December 2014."""
    p = power("right_to_rent_enforcement")
    assert p.in_force_from == dt.date(2014, 12, 1)
    assert p.enacted_on == dt.date(2014, 5, 14)


def test_law_of_property_act_from_1_january_1926():
    """LPA 1925: Royal Assent 9 April 1925; in operation from 1 January 1926 (s209, read only in
    secondary sources, so flagged unconfirmed)."""
    p = power("landlord_lease_action")
    assert (p.enacted_on, p.in_force_from) == (dt.date(1925, 4, 9), dt.date(1926, 1, 1))
    assert any("s209" in u for u in p.provenance.unconfirmed)


def test_housing_act_1996_asb_injunction_reached_wales_from_30_september_2004():
    """SI 2004/2557 (W.) art 2(a)(i): ASBA 2003 s13 (substituting HA 1996 s153A-153E) in force
    in Wales on 30 September 2004; replaced by the ASBCPA 2014 Part 1 injunction from 23 March
    2015 (SI 2015/373 art 4)."""
    p = power("asb_injunction_ha1996")
    assert "wales" in p.jurisdiction
    assert p.dates("wales") == (dt.date(2004, 9, 30), dt.date(2015, 3, 23))
