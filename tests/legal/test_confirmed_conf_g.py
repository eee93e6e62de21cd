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
    assert "SI 1991/2905" in _unconfirmed("planning_injunction")
    assert rule("planning-injunction-persistent-harmful-breach").valid_from == p.in_force_from


@pytest.mark.parametrize(
    "power_id", ["planning_enforcement_notice", "planning_stop_notice", "untidy_land_notice"]
)
def test_tcpa_1990_powers_dated_by_commencement_not_royal_assent(power_id):
    """TCPA 1990: Royal Assent 24 May 1990; in force 24 August 1990 (three months later). The
    commencement date comes from a secondary source, so the note saying so must stay."""
    p = power(power_id)
    assert p.enacted_on == dt.date(1990, 5, 24)
    assert p.in_force_from == dt.date(1990, 8, 24)
    assert "Estates Gazette (secondary" in _unconfirmed(power_id)


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
    [breach] = [s for s in p.procedure if s.cite == "s13"]
    assert "2 years" in breach.note and "6 months" in breach.note
    [order] = [s for s in p.procedure if s.lasts]
    assert "21 days" in order.note and "s1(2)" in order.cite
    assert p.in_force_from == dt.date(1986, 12, 29)
    assert "S.I. 1986/1924" in _pages("director_disqualification")


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
