"""Facts corrected or read on the statute text for the planning, safety, revenue and companies
entries (issue 16, part 5), each test naming the provision and the page it was read on.

The shipped catalogue and rulebook are loaded through the real loaders. A fact read only in a
secondary source is asserted together with its `unconfirmed` note, so the test fails if the note
is dropped without the fact being confirmed on the statute text.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.legal._entries import catalogue, power, rule

MY_FILES = {"planning_safety.yaml", "revenue_companies.yaml"}
ASPECTS = ("test", "time limits", "penalties", "dates")


def _unconfirmed(power_id: str) -> str:
    return " ".join(power(power_id).provenance.unconfirmed)


def _pages(power_id: str) -> str:
    return " ".join(power(power_id).provenance.pages_read)


def _my_powers():
    cat = catalogue()
    return [p for p in cat if Path(cat.files[p.id]).name in MY_FILES]


def test_breach_of_condition_notice_in_force_27_july_1992():
    """TCPA 1990 s187A was inserted (27.7.1992) by the Planning and Compensation Act 1991 s2;
    S.I. 1992/1630 art 2 (annotation F2 on legislation.gov.uk/ukpga/1990/8/section/187A), not on
    25 July 1991 (the 1991 Act's Royal Assent). The rule offering it starts on the same day."""
    p = power("breach_of_condition_notice")
    assert p.in_force_from == dt.date(1992, 7, 27)
    assert "S.I. 1992/1630" in _pages("breach_of_condition_notice")
    assert rule("planning-bcn-conditions-nuisance").valid_from == dt.date(1992, 7, 27)


def test_breach_of_condition_notice_compliance_period_at_least_28_days():
    """TCPA 1990 s187A(7): the period allowed for compliance is not less than 28 days beginning
    with service, or that period as extended by a further notice."""
    p = power("breach_of_condition_notice")
    [serve] = [s for s in p.procedure if s.cite and "(7)" in s.cite]
    assert "not less than 28 days" in serve.note
    assert serve.within is None  # a minimum, not a deadline


def test_planning_injunction_not_in_force_at_royal_assent():
    """Planning and Compensation Act 1991 s3 (inserting TCPA s187B) came into force on
    25 November 1991 only for rule-making purposes (S.I. 1991/2728 art 2), so s187B was not in
    force on 25 July 1991. 2 January 1992 (S.I. 1991/2905) is carried with its note."""
    p = power("planning_injunction")
    assert p.in_force_from > dt.date(1991, 11, 25)
    assert p.in_force_from == dt.date(1992, 1, 2)
    assert "1991/2728" in _pages("planning_injunction")
    assert "S.I. 1991/2905 art 3" in _pages("planning_injunction")
    assert rule("planning-injunction-persistent-harmful-breach").valid_from == p.in_force_from


def test_planning_injunction_breach_is_contempt_capped_at_two_years():
    """TCPA 1990 s187B sets no offence or time limit; the injunction is enforced by committal,
    for at most two years, a county court counting as a superior court (Contempt of Court Act
    1981 s14(1), (4A))."""
    p = power("planning_injunction")
    [enforce] = [s for s in p.procedure if s.cite and "Contempt of Court Act 1981 s14" in s.cite]
    assert "two years" in enforce.note and "county court" in enforce.note
    assert p.provenance.confirmed


def test_breach_of_condition_notice_fine_differs_by_nation():
    """TCPA 1990 s187A(12) (revised text valid from 2026-04-14): summary conviction, a fine if the
    land is in England, a fine not exceeding level 3 if in Wales; s187A(11) defences."""
    p = power("breach_of_condition_notice")
    [prosecute] = [s for s in p.procedure if s.cite and "(8)-(12)" in s.cite]
    assert "in England a fine (no maximum)" in prosecute.note
    assert "in Wales a fine not exceeding level 3" in prosecute.note
    assert "s187A(11)" in prosecute.note
    assert p.provenance.confirmed


def test_untidy_land_appeal_route_differs_by_nation():
    """TCPA 1990 s217(2): an appeal against a s215 notice goes to a magistrates' court in England
    and to the Welsh Ministers in Wales; s217(3): the notice has no effect pending the appeal;
    s218: further appeal to the Crown Court (England)."""
    p = power("untidy_land_notice")
    assert "Welsh Ministers" in p.appeal and "magistrates' court" in p.appeal
    assert "s217(3)" in p.appeal and "s218" in p.appeal


@pytest.mark.parametrize(
    "power_id", ["planning_enforcement_notice", "planning_stop_notice", "untidy_land_notice"]
)
def test_tcpa_1990_powers_dated_by_commencement_not_royal_assent(power_id):
    """TCPA 1990 s337(2): the Act comes into force at the end of three months beginning with the
    day it was passed (24 May 1990), so on 24 August 1990, not at Royal Assent."""
    p = power(power_id)
    assert p.enacted_on == dt.date(1990, 5, 24)
    assert p.in_force_from == dt.date(1990, 8, 24)
    assert "s337(2)" in _pages(power_id)


def test_untidy_land_fine_differs_by_nation():
    """TCPA 1990 s216(2) (revised, read on legislation.gov.uk/id/ukpga/1990/8/section/216): a
    fine with no maximum if the land is in England; not exceeding level 3 if it is in Wales.
    s215(4): the notice takes effect at least 28 days after service."""
    p = power("untidy_land_notice")
    [prosecute] = [s for s in p.procedure if s.cite and "s216(2)" in s.cite]
    assert "in England a fine (no maximum)" in prosecute.note
    assert "level 3" in prosecute.note and "Wales" in prosecute.note
    [serve] = [s for s in p.procedure if s.cite and "s215" in s.cite]
    assert "at least 28 days after service" in serve.note


def test_enforcement_notice_service_windows():
    """TCPA 1990 s172(3) as substituted by the Planning and Compensation Act 1991 s5: serve not
    more than 28 days after issue and not less than 28 days before the notice takes effect."""
    p = power("planning_enforcement_notice")
    [issue] = [s for s in p.procedure if s.cite and s.cite.startswith("s172(")]
    assert "not more than 28 days after" in issue.note
    assert "not less than 28 days before" in issue.note


def test_director_disqualification_breach_penalty_and_start():
    """CDDA 1986 s13 (read on legislation.gov.uk, 2023 version): acting while disqualified is
    punishable by up to 2 years on indictment, 6 months summarily. s1(2): the disqualification
    begins 21 days after the order unless the court orders otherwise. In force 29.12.1986
    (s25 and S.I. 1986/1924, annotation I1)."""
    p = power("director_disqualification")
    [breach] = [s for s in p.procedure if s.cite and s.cite.startswith("s13")]
    assert "2 years" in breach.note and "6 months" in breach.note
    [order] = [s for s in p.procedure if s.lasts]
    assert "21 days" in order.note and "s1(2)" in order.cite
    assert p.in_force_from == dt.date(1986, 12, 29)
    assert "S.I. 1986/1924" in _pages("director_disqualification")


def test_director_disqualification_maxima_read_on_revised_text():
    """CDDA 1986 s2(3) (5 years from a court of summary jurisdiction, 15 otherwise) and s5(5)
    (5 years), read on the revised text valid from 2025-11-18; s15 personal liability for debts.
    The Sentencing Council brackets are guidance and are labelled so, not stated as law."""
    p = power("director_disqualification")
    [order] = [s for s in p.procedure if s.lasts]
    assert "s2(3)" in order.note and "s5(5)" in order.note
    assert "Sentencing Council" not in order.note
    assert any("guidance, not statute" in c for c in p.cautions)
    [breach] = [s for s in p.procedure if s.cite and s.cite.startswith("s13")]
    assert "s15" in breach.cite
    assert p.provenance.confirmed


def test_procurement_regulations_2015_commenced_26_february_2015():
    """Public Contracts Regulations 2015 reg 1(2): in force 26 February 2015 (reg 57 is not among
    the later-dated exceptions in reg 1(3)-(6))."""
    p = power("procurement_exclusion_pre2025")
    assert p.in_force_from == dt.date(2015, 2, 26)
    assert "reg 1(2)" in _pages("procurement_exclusion_pre2025")


def test_money_laundering_regulations_2017_commenced_26_june_2017():
    """SI 2017/692 reg 1(2): the Regulations come into force on 26 June 2017."""
    p = power("money_laundering_supervision_referral")
    assert p.in_force_from == dt.date(2017, 6, 26)
    assert "reg 1(2)" in _pages("money_laundering_supervision_referral")


def test_pages_read_items_name_an_aspect():
    """Each item in pages_read says which aspect it evidences (the text before the first colon
    names test, time limits, penalties or dates), so a reviewer can see what is still missing."""
    checked = 0
    for p in _my_powers():
        for item in p.provenance.pages_read:
            label = item.split(":", 1)[0]
            assert any(a in label for a in ASPECTS), (p.id, item)
            checked += 1
    assert checked > 0


def test_every_entry_says_what_was_checked_and_what_was_not():
    """An entry not confirmed lists what was not read; a confirmed one names all four aspects."""
    for p in _my_powers():
        prov = p.provenance
        if prov.confirmed:
            labels = " ".join(i.split(":", 1)[0] for i in prov.pages_read)
            assert all(a in labels for a in ASPECTS), p.id
        else:
            assert prov.unconfirmed, p.id
            assert any("analyst judgement" in u for u in prov.unconfirmed), p.id


@pytest.mark.parametrize("power_id", ["breach_of_condition_notice", "untidy_land_notice"])
def test_unlimited_england_fines_date_from_25_april_2024(power_id):
    """LURA 2023 s120 substituted the England-only unlimited fines in TCPA 1990 s187A(12) and
    s216(2); in force 25 April 2024 (SI 2024/452 reg 3(g)) for offences committed after that
    date only (reg 9). The catalogue records the change as a dated amendment."""
    p = power(power_id)
    [change] = [a for a in p.amendments if a.on == dt.date(2024, 4, 25)]
    assert "England only" in change.change and "reg 9" in change.change
    assert "uksi/2024/452" in change.source


CONFIRMED_HERE = [
    "planning_enforcement_notice",
    "breach_of_condition_notice",
    "untidy_land_notice",
    "planning_injunction",
    "director_disqualification",
]


@pytest.mark.parametrize("power_id", CONFIRMED_HERE)
def test_entries_confirmed_on_whole_text_name_four_aspects_and_only_judgement(power_id):
    """Entries confirmed in round 2 on the whole statute text: pages_read names test, time
    limits, penalties and dates, and `unconfirmed` keeps only the analyst-judgement line."""
    prov = power(power_id).provenance
    assert prov.confirmed
    assert prov.facts_checked_on == dt.date(2026, 12, 5)
    labels = " ".join(i.split(":", 1)[0] for i in prov.pages_read)
    assert all(a in labels for a in ASPECTS)
    assert prov.unconfirmed and all("analyst judgement" in u for u in prov.unconfirmed)


@pytest.mark.parametrize(
    "power_id",
    ["hmrc_referral", "money_laundering_supervision_referral", "companies_house_referral"],
)
def test_non_statutory_referrals_stay_unconfirmed(power_id):
    """A referral route with no statute of its own cannot be confirmed on the statute text."""
    prov = power(power_id).provenance
    assert not prov.confirmed
    assert "non-statutory route" in _unconfirmed(power_id)


def test_stop_notice_offences_carry_unlimited_fines():
    """TCPA 1990 s171G(6) and s187(2) (revised text): contravening a temporary stop notice or a
    stop notice is punishable on summary conviction or on indictment by a fine."""
    p = power("planning_stop_notice")
    [prosecute] = [s for s in p.procedure if s.cite == "s171G, s187"]
    assert "summary conviction or on indictment" in prosecute.note
