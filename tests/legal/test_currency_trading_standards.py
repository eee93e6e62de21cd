"""Trading standards: the law as it stands on 4 December 2026, each fact with its section."""

from __future__ import annotations

import datetime as dt

from tests.legal._entries import AS_AT, catalogue, power, text_of

TS_POWERS = [
    "illicit_tobacco_enforcement",
    "underage_sales_enforcement",
    "restricted_premises_order_tobacco",
]


def test_tobacco_and_vapes_is_an_act_not_a_bill():
    """Tobacco and Vapes Act 2026 (c. 18), Royal Assent 29 April 2026."""
    for pid in TS_POWERS:
        assert "Tobacco and Vapes Bill" not in text_of(power(pid)), pid
    assert "Tobacco and Vapes Act 2026" in text_of(power("illicit_tobacco_enforcement"))


def test_uncommenced_tobacco_and_vapes_act_powers_are_never_offered():
    """TVA 2026 s1 (generational sale offence) and retail licensing: commencement not confirmed,
    so no power in force on 4 December 2026 rests on the Act."""
    for p in catalogue().in_force(AS_AT, "england"):
        assert not any(leg.act.startswith("Tobacco and Vapes Act 2026") for leg in p.legislation), (
            p.id
        )
    under = text_of(power("underage_sales_enforcement"))
    assert "born on or after 1 January 2009" in under and "not treated as in force" in under


def test_persistent_selling_fine_is_unlimited_since_laspo_s85():
    """LA 2003 s147A: the £20,000 maximum became an unlimited fine for offences from
    12 March 2015 (LASPO 2012 s85(1); SI 2015/664)."""
    text = text_of(power("underage_sales_enforcement"))
    assert "unlimited" in text and "LASPO 2012 s85(1)" in text
    assert "the fine is up to £20,000" not in text


def test_restricted_premises_order_dates_from_cjia_2008_s143():
    """CYPA 1933 ss12A-12D inserted from 1 April 2009 (CJIA 2008 s143; SI 2009/860 art 2(c))."""
    assert power("restricted_premises_order_tobacco").in_force_from == dt.date(2009, 4, 1)
