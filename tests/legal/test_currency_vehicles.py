"""Vehicles: the law as it stands on 4 December 2026, each fact with its section."""

from __future__ import annotations

import datetime as dt

from tests.legal._entries import power, rule, text_of


def test_s59_seizure_needs_no_warning_since_cpa_2026_s8():
    """Crime and Policing Act 2026 s8 repealed Police Reform Act 2002 s59(4)-(5) (the warning
    before seizure) from 29 June 2026 (Home Office Circular 004/2026, para 4)."""
    p = power("antisocial_vehicle_seizure")
    assert not any(
        "warning" in s.step.lower() and "no warning" not in s.step.lower() for s in p.procedure
    ), "no procedure step may require a warning"
    assert all(s.lasts is None for s in p.procedure), "the 12-month warning window is gone"
    assert any(
        leg.act == "Crime and Policing Act 2026" and leg.section.startswith("s8")
        for leg in p.legislation
    )
    change = next(a for a in p.amendments if a.on == dt.date(2026, 6, 29))
    assert "s59(4)-(5)" in change.change and "Crime and Policing Act 2026 s8" in change.change


def test_s59_rule_no_longer_promises_a_warning_first():
    r = rule("veh-antisocial-use-seizure")
    assert "s8" in r.citation and "29 June 2026" in r.citation
    assert "after a warning" not in r.because
    assert not any("s59 warning" in e for e in r.evidence_needed)


def test_s59_warning_still_explained_for_earlier_driving():
    """Driving before 29 June 2026 was governed by s59(4)-(5) as then in force."""
    assert "before that date" in text_of(power("antisocial_vehicle_seizure"))
