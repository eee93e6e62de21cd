"""Which rules are in force on a date in a jurisdiction: the rule's own dates and its power's."""

from __future__ import annotations

import bisect
import datetime as dt

from achilles.catalogue import Catalogue
from achilles.memo import IdentityMemo
from achilles.model.rule import Rule
from achilles.rulebook.compile import CompiledRule
from achilles.rulebook.load import Rulebook

_live: IdentityMemo[dict[str, CompiledRule]] = IdentityMemo(256)
_bounds: IdentityMemo[list[dt.date]] = IdentityMemo(16)


def live_rules(
    rulebook: Rulebook, catalogue: Catalogue, as_of: dt.date, jurisdiction: str
) -> dict[str, CompiledRule]:
    """The compiled rules in force on that date in that jurisdiction, by name.

    Remembered per rulebook, catalogue, jurisdiction and period between two dates on which some
    rule or power starts or ends: a batch asks the same question for thousands of cases, each
    with its own date."""
    period = bisect.bisect_right(_boundaries(rulebook, catalogue), as_of)

    def build() -> dict[str, CompiledRule]:
        rules = rulebook.by_id()
        return {
            c.name: c
            for c in rulebook.compiled
            if _applies(rules[c.rule_id].rule, catalogue, as_of, jurisdiction)
        }

    return _live.get((rulebook, catalogue), build, period, jurisdiction)


def _boundaries(rulebook: Rulebook, catalogue: Catalogue) -> list[dt.date]:
    """Every date on which a rule or a power comes into force or ends, in order."""

    def build() -> list[dt.date]:
        dates = set()
        for loaded in rulebook.by_id().values():
            dates |= {loaded.rule.valid_from, loaded.rule.valid_to}
            power = catalogue.get(loaded.rule.power)
            dates |= {power.in_force_from, power.in_force_to}
        return sorted(d for d in dates if d is not None)

    return _bounds.get((rulebook, catalogue), build)


def _applies(rule: Rule, catalogue: Catalogue, as_of: dt.date, jurisdiction: str) -> bool:
    power = catalogue.get(rule.power)
    return (
        rule.in_force(as_of)
        and jurisdiction in rule.jurisdiction
        and power.in_force(as_of)
        and jurisdiction in power.jurisdiction
    )
