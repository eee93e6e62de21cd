"""Issue 16 part 5: confirmation of the orders-against-people and labour files, and the facts
corrected while reading the statute text (each test names its section)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.legal._entries import catalogue, power

MY_FILES = {"orders_people.yaml", "labour_immigration.yaml"}
ASPECTS = ("test", "time limits", "penalties", "dates")


def _powers():
    cat = catalogue()
    return [p for p in cat if Path(cat.files[p.id]).name in MY_FILES]


def test_the_files_hold_the_sixteen_entries():
    assert len(_powers()) == 16


def test_confirmed_on_the_statute_text():
    # Read on the statute text on 5 December 2026: the STPO and STRO (MSA 2015 ss14-34 in the
    # revised text valid from 7 April 2026; SI 2015/1476 reg 2) and the participation offence
    # (SCA 2015 s45(1)-(9); SI 2015/820 reg 2(e)).
    for pid in (
        "slavery_trafficking_prevention_order",
        "slavery_trafficking_risk_order",
        "participation_offence",
    ):
        assert power(pid).provenance.confirmed, pid


def test_scpo_not_confirmed_while_bsaia_part_3_commencement_is_unread():
    # BSAIA 2025 s65(1): Part 3 (which substitutes SCA 2007 s8 and inserts interim orders) comes
    # into force by regulations; none commencing it could be read, so the SCPO entry cannot be
    # confirmed as the law stands on 4 December 2026.
    prov = power("serious_crime_prevention_order").provenance
    assert not prov.confirmed
    assert any("s65(1)" in line for line in prov.unconfirmed)


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


def test_stpo_five_year_minimum_s17_4_and_secretary_of_state_applicant_era_sch_10_para_48():
    # MSA 2015 s17(4): prohibitions for a fixed period "of at least 5 years" or until further
    # order. ERA 2025 Sch 10 para 48 replaced s15(1)(d) (the GLAA, abolished by s148(1)(a)) with
    # (ca), the Secretary of State in labour-market cases, from 7 April 2026 (SI 2026/323 reg 4).
    p = power("slavery_trafficking_prevention_order")
    [fwa] = [e for e in p.exercised_by if e.agency == "glaa"]
    assert "s15(1)(ca)" in fwa.role and "7 April 2026" in fwa.role
    assert any("Sch 10 para 48" in leg.section for leg in p.legislation)
    [step] = [s for s in p.procedure if s.cite == "s17(4)"]
    assert "at least 5 years" in step.step
    assert p.in_force_from == dt.date(2015, 7, 31)


def test_stpo_appeal_routes_s22():
    # MSA 2015 s22(1)(c): an order made on application is appealed to the Crown Court; s22(1)(a):
    # one made on sentencing as if it were a sentence.
    appeal = power("slavery_trafficking_prevention_order").appeal
    assert "s22(1)(c)" in appeal and "Crown Court" in appeal


def test_stro_appeal_to_the_crown_court_s29_and_secretary_of_state_applicant_s23_1_ca():
    # MSA 2015 s29(1): the defendant appeals to the Crown Court. ERA 2025 Sch 10 para 51: s23(1)(ca)
    # lets the Secretary of State (Fair Work Agency) apply in labour-market cases from 7 April 2026.
    p = power("slavery_trafficking_risk_order")
    assert "Crown Court" in p.appeal and "s29(1)" in p.appeal
    [fwa] = [e for e in p.exercised_by if e.agency == "glaa"]
    assert "s23(1)(ca)" in fwa.role


def test_participation_offence_is_indictable_only_with_5_years_s45_9():
    # SCA 2015 s45(9): "liable on conviction on indictment to imprisonment for a term not
    # exceeding 5 years" - no summary limb and no fine named.
    p = power("participation_offence")
    assert "5 years" in p.duration and "indictment" in p.duration
    assert "fine" not in p.duration


def test_scpo_appeals_to_the_court_of_appeal_s23_s24():
    # SCA 2007 s23 (High Court orders) and s24(1)-(5) (Crown Court orders, with leave or a
    # certificate): both to the Court of Appeal.
    appeal = power("serious_crime_prevention_order").appeal
    assert "s23" in appeal and "s24(1)-(5)" in appeal


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


def test_glaa_abolished_7_april_2026_and_lme_orders_moved_era_2025_s148_sch_10_para_87():
    # ERA 2025 s148(1)(a) abolished the GLAA; Sch 10 para 87(f) omitted Immigration Act 2016
    # ss14-30 (LME undertakings and orders), replaced by ERA 2025 ss119-129; all in force on
    # 7 April 2026 (SI 2026/323 reg 4).
    p = power("glaa_referral")
    sections = " ".join(f"{leg.act} {leg.section}" for leg in p.legislation)
    assert "Employment Rights Act 2025 ss119-129" in sections
    assert "Immigration Act 2016 Part 1" not in sections
    assert any("7 April 2026" in c and "s148(1)(a)" in c for c in p.cautions)


def test_illegal_working_bsaia_s48_extension_flagged_as_pending():
    # BSAIA 2025 s48 inserts IANA 2006 s14A (workers, sub-contractors, online matching services);
    # s65(1) leaves it to commencement regulations, none of which was read.
    p = power("illegal_working_civil_penalty")
    assert any("s48" in c and "s14A" in c for c in p.cautions)
    assert not p.provenance.confirmed


def test_cpn_breach_level_4_or_a_fine_for_a_body_s48_2_and_fpn_cap_s52_7():
    # ASBCPA 2014 s48(2): level 4 for an individual, "a fine" for a body; s52(7): a fixed
    # penalty "must not be more than £100". Still unconfirmed (Crime and Policing Act 2026).
    p = power("community_protection_notice")
    assert any("level 4" in c and "£100" in c for c in p.cautions)
    assert not p.provenance.confirmed


def test_pspo_three_years_extendable_s60():
    # ASBCPA 2014 s60(1): no more than 3 years unless extended; s60(3)-(4): extensions of up to
    # 3 years, more than once.
    p = power("public_spaces_protection_order")
    assert "3 years" in p.duration and "s60(1)" in p.duration


def test_dispersal_breach_penalty_s39_2():
    # ASBCPA 2014 s39(2): imprisonment up to 3 months or a level 4 fine; s35(4), (8): 48 hours.
    p = power("dispersal_direction")
    [step] = [s for s in p.procedure if s.cite == "s35"]
    assert "3 months" in step.note and "s39" in step.note and "s35(4)" in step.note
