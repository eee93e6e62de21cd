"""Shared helpers: the shipped catalogue and rulebook, loaded through the real loaders."""

from __future__ import annotations

import datetime as dt
from functools import cache

from achilles.catalogue import Catalogue, load_catalogue
from achilles.knowledge import load_knowledge
from achilles.model.power import Power
from achilles.model.rule import Rule

# The date the catalogue is stated at (issue 16): the law as it stands on 4 December 2026.
AS_AT = dt.date(2026, 12, 4)


@cache
def catalogue() -> Catalogue:
    return load_catalogue()


def power(power_id: str) -> Power:
    return catalogue().get(power_id)


def rule(rule_id: str) -> Rule:
    return load_knowledge().rulebook.get(rule_id).rule


def text_of(p: Power) -> str:
    """Everything an LRO reads about a power, as one string, for wording checks."""
    parts = [p.name, p.summary, p.legal_test, p.duration, p.appeal, *p.cautions]
    parts += [f"{leg.act} {leg.section}" for leg in p.legislation]
    for s in p.procedure:
        parts += [s.step, s.note or "", s.cite or ""]
    parts += [a.change for a in p.amendments]
    return "\n".join(parts)
