"""The effect of a change to the rules (or of a later date) on the cases already kept.

A legal team about to ship a rule, switch one off in a council layer, or wonder what a
commencement date does, re-runs every case under the current rules and under the candidate,
and sees per case which options appear and which disappear, with the rules behind each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from achilles.analysis import analyse
from achilles.knowledge import Knowledge
from achilles.model.case import Case
from achilles.options import Option

Readiness = Literal["ready", "conditional"]


@dataclass(frozen=True)
class OptionChange:
    """An option one side has and the other has not, with the rules that give it."""

    power_id: str
    target: str
    readiness: Readiness
    rules: tuple[str, ...]


@dataclass(frozen=True)
class ReasonChange:
    """An option both sides have, whose supporting rules differ."""

    power_id: str
    target: str
    rules_added: tuple[str, ...]
    rules_removed: tuple[str, ...]


@dataclass
class CaseImpact:
    case_id: str
    as_of_before: dt.date
    as_of_after: dt.date
    gained: list[OptionChange] = field(default_factory=list)
    lost: list[OptionChange] = field(default_factory=list)
    reasons: list[ReasonChange] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.gained or self.lost or self.reasons)


def _options(
    case: Case, k: Knowledge, as_of: dt.date | None
) -> dict[tuple[str, str], tuple[Readiness, tuple[str, ...]]]:
    """Every option the case gets, ready or waiting on a trigger, by (power, target)."""
    analysis = analyse(case, k.catalogue, k.rulebook, k.vocab, as_of=as_of, near_misses=False)
    found: dict[tuple[str, str], tuple[Readiness, tuple[str, ...]]] = {}
    groups: list[tuple[Readiness, list[Option]]] = [
        ("conditional", analysis.conditional),
        ("ready", analysis.options),
    ]
    for readiness, options in groups:  # a ready option overrides the same one waiting
        for o in options:
            found[(o.power_id, o.target)] = (readiness, tuple(o.rule_ids))
    return found


def case_impact(
    case_id: str,
    case: Case,
    before: Knowledge,
    after: Knowledge,
    as_of: dt.date | None = None,
) -> CaseImpact:
    """What the candidate rules (and date) change for one case, against the current ones."""
    old = _options(case, before, None)
    new = _options(case, after, as_of)
    result = CaseImpact(case_id, case.case.as_of, as_of or case.case.as_of)
    for key in sorted(new.keys() - old.keys()):
        result.gained.append(OptionChange(*key, *new[key]))
    for key in sorted(old.keys() - new.keys()):
        result.lost.append(OptionChange(*key, *old[key]))
    for key in sorted(old.keys() & new.keys()):
        (was, old_rules), (now, new_rules) = old[key], new[key]
        if was != now:  # ready on one side, waiting on a trigger on the other
            result.lost.append(OptionChange(*key, was, old_rules))
            result.gained.append(OptionChange(*key, now, new_rules))
        elif old_rules != new_rules:
            added = tuple(sorted(set(new_rules) - set(old_rules)))
            removed = tuple(sorted(set(old_rules) - set(new_rules)))
            result.reasons.append(ReasonChange(*key, added, removed))
    return result


def rules_impact(
    cases: Iterable[tuple[str, Case]],
    before: Knowledge,
    after: Knowledge,
    as_of: dt.date | None = None,
) -> list[CaseImpact]:
    """The impact on every case, in the order given."""
    return [case_impact(cid, case, before, after, as_of) for cid, case in cases]


def as_json(impacts: list[CaseImpact]) -> list[dict]:
    """Plain data for `--format json`: ids and rule ids only, never names."""

    def change(c: OptionChange) -> dict:
        return {
            "power": c.power_id,
            "target": c.target,
            "readiness": c.readiness,
            "rules": list(c.rules),
        }

    return [
        {
            "case": i.case_id,
            "as_of_before": i.as_of_before.isoformat(),
            "as_of_after": i.as_of_after.isoformat(),
            "gained": [change(c) for c in i.gained],
            "lost": [change(c) for c in i.lost],
            "reasons_changed": [
                {
                    "power": r.power_id,
                    "target": r.target,
                    "rules_added": list(r.rules_added),
                    "rules_removed": list(r.rules_removed),
                }
                for r in i.reasons
            ],
        }
        for i in impacts
    ]
