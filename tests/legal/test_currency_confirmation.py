"""Confirmation is earned: an entry marked confirmed names the statute pages read for it."""

from __future__ import annotations

from pathlib import Path

from tests.legal._entries import catalogue

MY_FILES = {
    "benefits_fraud.yaml",
    "criminal_finance.yaml",
    "labour_immigration.yaml",
    "revenue_companies.yaml",
    "safeguarding_partnership.yaml",
    "trading_standards.yaml",
    "vehicles_travel.yaml",
    "waste_environment.yaml",
}


def _powers():
    cat = catalogue()
    return [p for p in cat if Path(cat.files[p.id]).name in MY_FILES]


def test_confirmed_entries_cite_a_legislation_page_read():
    for p in _powers():
        if p.provenance.confirmed:
            assert any("legislation.gov.uk" in s for s in p.provenance.source), p.id


def test_no_provenance_points_outside_the_repository():
    for p in _powers():
        assert not any(s.startswith("/work/") for s in p.provenance.source), p.id
