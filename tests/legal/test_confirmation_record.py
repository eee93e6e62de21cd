"""A `confirmed: true` entry carries the record a reviewer checks: which page showed the legal
test, the time limits, the penalties and the dates (issue 16: "confirmed only when its section,
test, time limits, penalties and dates were each read on the statute text")."""

from __future__ import annotations

import pytest

from tests.legal._entries import catalogue

ASPECTS = {
    "test": ("test",),
    "time limits": ("time limit",),
    "penalties": ("penalt",),
    "dates": ("date",),
}


def _confirmed():
    return [p for p in catalogue() if p.provenance.confirmed]


def _labels(pages_read: list[str]) -> list[str]:
    return [item.split(":", 1)[0].lower() for item in pages_read if ":" in item]


@pytest.mark.parametrize("power", _confirmed(), ids=lambda p: p.id)
def test_a_confirmed_entry_names_the_page_read_for_each_aspect(power):
    labels = _labels(power.provenance.pages_read)
    missing = [
        aspect
        for aspect, words in ASPECTS.items()
        if not any(word in label for label in labels for word in words)
    ]
    assert not missing, f"{power.id}: pages_read does not say where these were read: {missing}"


@pytest.mark.parametrize("power", _confirmed(), ids=lambda p: p.id)
def test_a_confirmed_entry_was_read_on_statute_text_and_says_when(power):
    assert power.provenance.facts_checked_on is not None, power.id
    assert any("legislation.gov.uk" in s for s in power.provenance.source), power.id
    # analyst judgement is not statute fact: it may stay listed, nothing else may
    for line in power.provenance.unconfirmed:
        assert "judgement" in line.lower() or "analyst" in line.lower(), (
            f"{power.id} is confirmed yet lists an unconfirmed fact: {line}"
        )


def test_an_entry_not_confirmed_says_what_was_not_read():
    for power in catalogue():
        if not power.provenance.confirmed:
            assert power.provenance.unconfirmed, f"{power.id}: say what was not read"
