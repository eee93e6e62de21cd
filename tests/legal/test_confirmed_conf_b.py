"""Issue 16 part 5: confirmation of the orders-against-people and labour files, and the facts
corrected while reading the statute text (each test names its section)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.legal._entries import catalogue, power

MY_FILES = {"orders_people.yaml", "labour_immigration.yaml"}
ASPECTS = ("test", "time limits", "penalties", "dates")


def _powers():
    cat = catalogue()
    return [p for p in cat if Path(cat.files[p.id]).name in MY_FILES]


def _labels(pages_read: list[str]) -> str:
    # The label is the text before the first colon; combined labels ("test and time limits")
    # count for each aspect they name.
    return " | ".join(item.split(":", 1)[0].lower() for item in pages_read)


def test_the_files_hold_the_sixteen_entries():
    assert len(_powers()) == 16


@pytest.mark.parametrize("pid", [p.id for p in _powers() if p.provenance.confirmed])
def test_a_confirmed_entry_names_the_page_read_for_each_aspect(pid):
    prov = power(pid).provenance
    labels = _labels(prov.pages_read)
    for aspect in ASPECTS:
        assert aspect in labels, (pid, aspect)
    assert all("legislation.gov.uk" in item or "wikisource" in item for item in prov.pages_read)
    assert prov.facts_checked_on == dt.date(2026, 12, 5)


def test_an_unconfirmed_entry_says_what_was_not_read():
    for p in _powers():
        if not p.provenance.confirmed:
            assert p.provenance.unconfirmed, p.id


def test_confirmed_this_pass():
    # Read on the statute text on 5 December 2026: the SCPO (SCA 2007 ss1, 8, 16, 19, 25;
    # SI 2008/755 art 15) and the STPO (MSA 2015 ss14-18, 30; SI 2015/1476 reg 2).
    for pid in ("serious_crime_prevention_order", "slavery_trafficking_prevention_order"):
        assert power(pid).provenance.confirmed, pid


def test_cpn_is_not_confirmed_while_the_s48_penalty_is_unread():
    # ASBCPA 2014 s48 (the fine for failing to comply) could not be read on the statute text,
    # so the entry marked confirmed without pages_read goes back to unconfirmed.
    prov = power("community_protection_notice").provenance
    assert not prov.confirmed
    assert any("s48" in line for line in prov.unconfirmed)


def test_pspo_council_decides_on_reasonable_grounds_s59_1():
    # ASBCPA 2014 s59(1): "A local authority may make a public spaces protection order if
    # satisfied on reasonable grounds that two conditions are met" - the council's own standard,
    # not a court's balance of probabilities.
    p = power("public_spaces_protection_order")
    assert p.evidence_standard == "reasonable_grounds"
    assert "reasonable grounds" in p.legal_test


def test_pspo_high_court_challenge_within_6_weeks_s66_3():
    # ASBCPA 2014 s66(3): an application "must be made within the period of 6 weeks beginning
    # with the date on which the order or variation is made".
    assert "6 weeks" in power("public_spaces_protection_order").appeal


def test_pspo_breach_is_a_level_3_fine_s67_2():
    # ASBCPA 2014 s67(2): "a fine not exceeding level 3 on the standard scale".
    assert "level 3" in power("public_spaces_protection_order").summary


def test_scpo_applicants_and_five_year_limit_s8_s16_2():
    # SCA 2007 s8(1)(a)(iv) and (2): a chief officer of police may apply only for a
    # terrorism-related s1 order after consulting the DPP; s16(2): not in force for more than
    # 5 years.
    p = power("serious_crime_prevention_order")
    assert "terrorism-related" in p.legal_test and "s8(1)(a)(iv)" in p.legal_test
    assert p.max_duration == "5y"
    assert p.in_force_from == dt.date(2008, 4, 6)


def test_stpo_glaa_applicant_and_five_year_minimum_s15_1_d_s17_4():
    # MSA 2015 s15(1)(d) (revised): the Gangmasters and Labour Abuse Authority may apply;
    # s17(4): prohibitions for a fixed period "of at least 5 years" or until further order.
    p = power("slavery_trafficking_prevention_order")
    assert "glaa" in {e.agency for e in p.exercised_by}
    [step] = [s for s in p.procedure if s.cite == "s17(4)"]
    assert "at least 5 years" in step.step
    assert p.in_force_from == dt.date(2015, 7, 31)


def test_illegal_working_offence_covers_reasonable_cause_to_believe_s21_1a():
    # IANA 2006 s21(1A): the offence also covers an employer who "has reasonable cause to
    # believe" the employee is disqualified by immigration status; s21(2): five years.
    p = power("illegal_working_civil_penalty")
    [s21] = [leg for leg in p.legislation if leg.section.startswith("s21")]
    assert "reasonable cause to believe" in s21.section


def test_kcpo_pilot_period_ended_with_31_march_2023_si_2021_762_reg_1_2():
    # SI 2021/762 reg 1(2) (as amended by SI 2022/828): "the specified period" begins with
    # 5 July 2021 and ends with 31 March 2023; Part 2 of the OWA 2019 was commenced only for the
    # Metropolitan Police district for that period. in_force_to is the first day not in force.
    p = power("knife_crime_prevention_order")
    assert p.in_force_from == dt.date(2021, 7, 5)
    assert p.in_force_to == dt.date(2023, 4, 1)
    assert not p.in_force(dt.date(2026, 12, 4), "england")
    assert p.manual_only
