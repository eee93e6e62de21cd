"""Safeguarding and partnership: commencement dates, not Royal Assent, each with its instrument."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.legal._entries import power

COMMENCEMENT = [
    # (power, date, where it was read)
    (
        "child_safeguarding_referral",
        dt.date(1991, 10, 14),
        "Children Act 1989; SI 1991/828 art 3(2)",
    ),
    ("adult_safeguarding_referral", dt.date(2015, 4, 1), "Care Act 2014 s42; SI 2015/993 art 2(m)"),
    ("community_awareness", dt.date(1998, 9, 30), "CDA 1998 ss6, 17; SI 1998/2327 art 2(1)"),
    ("early_intervention_referral", dt.date(1998, 9, 30), "CDA 1998 ss37, 39; SI 1998/2327"),
    ("iom_referral", dt.date(1998, 9, 30), "CDA 1998 s17; SI 1998/2327 art 2(1)"),
    ("victim_reception_centre", dt.date(2005, 11, 14), "CCA 2004 Part 1; SI 2005/2042"),
]


@pytest.mark.parametrize(("power_id", "date", "source"), COMMENCEMENT)
def test_in_force_from_is_the_commencement(power_id, date, source):
    assert power(power_id).in_force_from == date, source


def test_duty_to_notify_dates_from_1_november_2015():
    """Modern Slavery Act 2015 s52 in force 1 November 2015 (Home Office Circular 025/2015)."""
    p = power("nrm_referral")
    assert any(a.on == dt.date(2015, 11, 1) and "s52" in a.change for a in p.amendments)
