"""Labour and immigration: the law as it stands on 4 December 2026, each fact with its section."""

from __future__ import annotations

import datetime as dt

from tests.legal._entries import power, text_of


def test_gangmaster_licensing_is_with_the_fair_work_agency():
    """Employment Rights Act 2025 (Part 5, Sch 6): the GLAA's functions pass to the Secretary of
    State acting through the Fair Work Agency (gov.uk guidance of 7 April 2026)."""
    p = power("glaa_referral")
    assert "Fair Work Agency" in p.name
    assert any(leg.act == "Employment Rights Act 2025" for leg in p.legislation)
    assert "April 2026" in text_of(p)


def test_illegal_working_penalty_dates_from_commencement_not_assent():
    """IANA 2006 ss15-18 in force 29 February 2008 (SI 2008/310 art 2(1)(a))."""
    assert power("illegal_working_civil_penalty").in_force_from == dt.date(2008, 2, 29)
