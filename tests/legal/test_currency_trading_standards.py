"""Trading standards: the law as it stands on 4 December 2026, each fact with its section."""

from __future__ import annotations

import datetime as dt
import re

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


def _tva_sections(p) -> list[str]:
    return [
        leg.section for leg in p.legislation if leg.act.startswith("Tobacco and Vapes Act 2026")
    ]


def _section_number(section: str) -> int | None:
    m = re.match(r"s(\d+)", section)
    return int(m.group(1)) if m else None


def test_uncommenced_tobacco_and_vapes_act_provisions_are_never_relied_on():
    """TVA 2026 Part 1 is in force from 29 October 2026 (s175(1): six months after Royal Assent
    on 29 April 2026) except s1 (the generational sale offence, from 1 January 2027,
    s175(3)(a)), ss2, 5, 6 and 43, and retail licensing, ss16-22 (by regulations, s175(4)-(5)).
    No power in force on 4 December 2026 rests on those; those that rest on the Act begin no
    earlier than 29 October 2026."""
    not_commenced = {1, 2, 5, 6, 43, *range(16, 23)}
    relying = []
    for p in catalogue().in_force(AS_AT, "england"):
        for section in _tva_sections(p):
            assert _section_number(section) not in not_commenced, (p.id, section)
            relying.append(p.id)
    assert "restricted_premises_order_tva2026" in relying
    assert power("restricted_premises_order_tva2026").in_force_from == dt.date(2026, 10, 29)
    under = text_of(power("underage_sales_enforcement"))
    assert "born on or after 1 January 2009" in under


def test_the_old_restricted_premises_order_ends_when_the_act_replaces_it():
    """CYPA 1933 ss12A-12D omitted by TVA 2026 Sch 6 para 2 from 29 October 2026 (s44(1))."""
    old, new = (
        power("restricted_premises_order_tobacco"),
        power("restricted_premises_order_tva2026"),
    )
    assert old.in_force_to == new.in_force_from == dt.date(2026, 10, 29)


def test_persistent_selling_fine_is_unlimited_since_laspo_s85():
    """LA 2003 s147A: the £20,000 maximum became an unlimited fine for offences from
    12 March 2015 (LASPO 2012 s85(1); SI 2015/664)."""
    text = text_of(power("underage_sales_enforcement"))
    assert "unlimited" in text and "LASPO 2012 s85(1)" in text
    assert "the fine is up to £20,000" not in text


def test_restricted_premises_order_dates_from_cjia_2008_s143():
    """CYPA 1933 ss12A-12D inserted from 1 April 2009 (CJIA 2008 s143; SI 2009/860 art 2(c))."""
    assert power("restricted_premises_order_tobacco").in_force_from == dt.date(2009, 4, 1)
