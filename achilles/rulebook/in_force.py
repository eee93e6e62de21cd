"""Which rules are in force on a date in a jurisdiction: the rule's own dates and its power's.

Two clocks. Most powers follow the case's date (`as_of`): the law on the day the LRO acts. A
power whose regime turns on when the conduct happened (`dated_by: conduct`: the CPRs 2008 for
practices before 6 April 2025, PCR 2015 for procurements begun before 24 February 2025) follows
the dates of the activity or event it matches, whatever the case's date. Dates may differ by
nation (`by_nation`), and a power enacted but not yet commenced is never in force."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable

from achilles.catalogue import Catalogue
from achilles.memo import IdentityMemo
from achilles.model.case import Case
from achilles.model.power import Power
from achilles.model.rule import Rule
from achilles.rulebook.compile import CompiledRule
from achilles.rulebook.load import Rulebook

_live: IdentityMemo[dict[str, CompiledRule]] = IdentityMemo(256)
_on_date: IdentityMemo[dict[str, CompiledRule]] = IdentityMemo(256)
_bounds: IdentityMemo[list[dt.date]] = IdentityMemo(16)

Period = tuple[dt.date, dt.date]
"""The first and last day of some conduct (the same day for an event)."""


def live_rules(
    rulebook: Rulebook, catalogue: Catalogue, as_of: dt.date, jurisdiction: str
) -> dict[str, CompiledRule]:
    """The compiled rules that may apply to a case of that date in that jurisdiction, by name.

    A rule on a conduct-dated power is live whenever its power has ever been in force there by
    the case's date; each match is then checked against its own conduct (`conduct_fits`).

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


def rules_on_date(
    rulebook: Rulebook, catalogue: Catalogue, as_of: dt.date, jurisdiction: str
) -> dict[str, CompiledRule]:
    """The live rules whose law is in force on the case's date itself: what near misses search.
    A near miss has no conduct of its own to date, so a conduct-dated rule of another period
    (the CPRs in a 2026 case) is not suggested. The same dict each time, like live_rules."""
    period = bisect.bisect_right(_boundaries(rulebook, catalogue), as_of)
    live = live_rules(rulebook, catalogue, as_of, jurisdiction)

    def build() -> dict[str, CompiledRule]:
        rules = rulebook.by_id()
        return {
            name: c
            for name, c in live.items()
            if rules[c.rule_id].rule.in_force(as_of)
            and catalogue.get(rules[c.rule_id].rule.power).in_force(as_of, jurisdiction)
        }

    return _on_date.get((rulebook, catalogue), build, period, jurisdiction)


def _boundaries(rulebook: Rulebook, catalogue: Catalogue) -> list[dt.date]:
    """Every date on which a rule or a power comes into force or ends, in order."""

    def build() -> list[dt.date]:
        dates: set[dt.date | None] = set()
        for loaded in rulebook.by_id().values():
            dates |= {loaded.rule.valid_from, loaded.rule.valid_to}
            dates |= catalogue.get(loaded.rule.power).date_boundaries()
        return sorted(d for d in dates if d is not None)

    return _bounds.get((rulebook, catalogue), build)


def _applies(rule: Rule, catalogue: Catalogue, as_of: dt.date, jurisdiction: str) -> bool:
    power = catalogue.get(rule.power)
    if jurisdiction not in rule.jurisdiction or jurisdiction not in power.jurisdiction:
        return False
    if power.dated_by == "conduct":
        start, _ = power.dates(jurisdiction)
        return start is not None and start <= as_of and rule.valid_from <= as_of
    return rule.in_force(as_of) and power.in_force(as_of, jurisdiction)


def conduct_fits(
    rule: Rule, power: Power, jurisdiction: str, conduct: Iterable[Period], as_of: dt.date
) -> bool:
    """For a conduct-dated power: was the rule's regime in force on some day of the conduct
    the match rests on? Conduct of unknown date is taken as of the case's date (and so the
    law of that day), the same answer a case-dated power gives."""
    if power.dated_by != "conduct":
        return True
    periods = list(conduct) or [(as_of, as_of)]
    for start, end in periods:
        rule_ok = rule.valid_from <= end and (rule.valid_to is None or start < rule.valid_to)
        if rule_ok and power.in_force_during(start, end, jurisdiction):
            return True
    return False


class ConductDates:
    """The dates of a case's activities and events, indexed once per analysis: every firing of a
    conduct-dated power asks for the dates its facts rest on (2,000 firings in a large case)."""

    def __init__(self, case: Case) -> None:
        self.activities = {case.activity_id(i): a for i, a in enumerate(case.activities)}
        self.events = {case.event_id(i): e for i, e in enumerate(case.events)}

    def periods(self, facts: Iterable[dict], as_of: dt.date) -> list[Period]:
        """The dates of the activities and events a match rests on: an activity from `since` to
        `until` (to the case's date while it goes on), an event on its date. Conduct with no
        date is left out."""
        periods: set[Period] = set()
        for fact in facts:
            kind = fact.get("type", "")
            if kind.startswith("activity"):
                activity = self.activities.get(fact.get("activity") or fact.get("key", ""))
                if activity and (activity.since or activity.until):
                    end = activity.until or as_of
                    periods.add((activity.since or end, end))
            elif kind.startswith("event"):
                event = self.events.get(fact.get("event") or fact.get("key", ""))
                if event:
                    periods.add((event.on, event.on))
        return sorted(periods)
