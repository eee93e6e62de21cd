"""The order of work: which planned action waits for which, the phases (now, next, when), the
date each action starts, joint visits, and the conflicts between chosen actions.

What comes before what is data: the catalogue's `sequence` (rules/README.md, "The order of
work"), and the victim guard's own data for a home where a person the group exploits lives (their
safeguarding, then a partial closure, then any other enforcement there). The safeguarding of
victims never waits: it is always in the first phase.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from achilles.catalogue import Catalogue
from achilles.model.case import Case
from achilles.model.power import Power
from achilles.options import Option
from achilles.plan.dates import procedure_dates
from achilles.plan.model import PHASES, Action, Conflict, JointVisit, NextStep
from achilles.redaction import Redactor
from achilles.rulebook.load import Rulebook

_STARTED = ("in_progress", "done")  # statuses of an action already under way
_NOT_STARTED = ("proposed", "agreed")


@dataclass
class _Wait:
    before: str  # the key of the action that comes first
    why: str
    step: int | None = None  # from this step of the one before (1-based); else its start


@dataclass
class Order:
    """The plan's order of work, worked out once."""

    keys: list[str]  # every action's key, in order
    conflicts: list[Conflict] = field(default_factory=list)
    visits: list[JointVisit] = field(default_factory=list)


@dataclass
class Context:
    """What sequencing needs to know about the case."""

    case: Case
    catalogue: Catalogue
    start: dt.date
    names: Redactor
    residents: dict[str, list[str]]  # premises -> people the group exploits who live there
    safeguarding: set[str]  # keys of the actions that safeguard a victim (the lane)


def place_of(target: str, case: Case) -> str:
    """Where an action happens: a business's premises, or the target itself."""
    for b in case.businesses:
        if b.id == target and b.premises:
            return b.premises
    return target


def order_work(actions: list[Action], next_steps: list[NextStep], ctx: Context) -> Order:
    """Phases, dates, `after` and `waits` set on each action and next step; the order, the
    conflicts and the joint visits returned."""
    live = [a for a in actions if not a.stale and a.power_id in ctx.catalogue]
    waits = {a.key: _waits(a, live, ctx) for a in live}
    conflicts = _circles(waits, {a.key: a for a in live})
    depth = _depths(waits)
    by_key = {a.key: a for a in live}
    visits = _joint_visits(live, ctx)
    floor: dict[str, dt.date] = {}
    for _ in range(2):  # once for each action's own date, once more for a joint visit's
        _date(live, waits, depth, floor, ctx)
        for v in visits:
            v.date = max((by_key[k].start or ctx.start) for k in v.keys)
            for k in v.keys:
                floor[k] = v.date
                by_key[k].visit = v.place
    for a in live:
        a.after = [w.before for w in waits[a.key]]
        a.waits = [
            f"after {by_key[w.before].title} on {by_key[w.before].target}: {w.why.rstrip('.')}"
            for w in waits[a.key]
        ]
        a.phase = PHASES[1] if a.after else PHASES[0]
    for n in next_steps:
        n.phase = PHASES[2]
    conflicts += _missing(live, ctx) + _alternatives(live, ctx) + _out_of_order(waits, by_key)
    ranked = sorted(
        actions,
        key=lambda a: (
            a.stale,
            PHASES.index(a.phase),
            a.key not in ctx.safeguarding,  # the safeguarding of victims leads the first phase
            a.start or ctx.start,
            depth.get(a.key, 0),
            a.rank,
            a.key,
        ),
    )
    return Order([a.key for a in ranked], conflicts, visits)


def next_step_after(
    n: NextStep, option: Option, actions: list[Action], rulebook: Rulebook, ctx: Context
) -> list[str]:
    """The planned actions that may bring about the legal event a next step waits on, at the
    same place or on the same person (a closure order, then possession on condition 4)."""
    kinds = trigger_kinds(option, rulebook)
    place = place_of(option.target, ctx.case)
    out = []
    for a in actions:
        power = ctx.catalogue.powers.get(a.power_id)
        if a.stale or power is None or not kinds & set(power.sequence.brings_about):
            continue
        if a.target_id == option.target or place_of(a.target_id, ctx.case) == place:
            out.append(a.key)
    return out


def trigger_kinds(option: Option, rulebook: Rulebook) -> set[str]:
    """The kinds of legal event an option's rules wait on (from each rule's `trigger`)."""
    rules = rulebook.by_id()
    kinds: set[str] = set()
    for firing in option.firings:
        rule = rules[firing.rule_id].rule
        if not rule.trigger:
            continue
        variants = rule.variants()
        pattern = variants[firing.variant if firing.variant < len(variants) else 0][rule.trigger]
        kind = pattern.where.get("kind")
        if kind is not None and kind.op in ("equals", "in"):
            value = kind.value
            kinds.update(value if isinstance(value, list) else [value])
    return {str(k) for k in kinds}


# --- who waits for whom ---------------------------------------------------------------------


def _waits(a: Action, live: list[Action], ctx: Context) -> list[_Wait]:
    if a.key in ctx.safeguarding:  # the safeguarding of a victim never waits
        return []
    power = ctx.catalogue.get(a.power_id)
    place = place_of(a.target_id, ctx.case)
    here = [b for b in live if b.key != a.key and place_of(b.target_id, ctx.case) == place]
    out: list[_Wait] = []
    for dep in power.sequence.after:
        out += [_Wait(b.key, dep.why, dep.step) for b in here if b.power_id == dep.power]
    residents = ctx.residents.get(place, [])
    if power.coercive and residents:
        names = ", ".join(ctx.names.label(p) for p in residents)
        for b in live:
            if b.key in ctx.safeguarding and b.target_id in residents:
                out.append(
                    _Wait(
                        b.key,
                        f"the group exploits or may exploit {names}, who live(s) there: "
                        "their safeguarding comes before any enforcement at their home",
                    )
                )
        if power.victims_home != "exempt":
            out += [
                _Wait(b.key, f"a partial closure that keeps {names} at home comes first")
                for b in here
                if ctx.catalogue.get(b.power_id).victims_home == "exempt"
            ]
    if power.sequence.stage == "visit":
        out += [
            _Wait(b.key, "covert police work comes first, so the visit does not tip off the group")
            for b in live
            if ctx.catalogue.get(b.power_id).sequence.stage == "covert" and b.key != a.key
        ]
    seen: dict[str, _Wait] = {}
    for w in out:  # one wait per action before it: the first reason found (the catalogue's)
        seen.setdefault(w.before, w)
    return list(seen.values())


def _circles(waits: dict[str, list[_Wait]], by_key: dict[str, Action]) -> list[Conflict]:
    """Waits that go round in a circle are dropped, and said as a conflict (the catalogue check
    refuses circles in `after`, but the victim and covert orders are worked out per case)."""
    out: list[Conflict] = []
    while True:
        cycle = _find_cycle(waits)
        if not cycle:
            return out
        first, second = cycle[0], cycle[1]
        waits[first] = [w for w in waits[first] if w.before != second]
        out.append(
            Conflict(
                "circle",
                cycle,
                "These actions each wait for another in a circle; decide which goes first: "
                + ", then ".join(f"{by_key[k].title} on {by_key[k].target}" for k in cycle),
            )
        )


def _find_cycle(waits: dict[str, list[_Wait]]) -> list[str]:
    state: dict[str, int] = {}  # 1 on the path, 2 done
    path: list[str] = []

    def visit(key: str) -> list[str]:
        state[key] = 1
        path.append(key)
        for w in waits.get(key, []):
            if state.get(w.before) == 1:
                return path[path.index(w.before) :]
            if w.before not in state and (found := visit(w.before)):
                return found
        path.pop()
        state[key] = 2
        return []

    for key in waits:
        if key not in state and (found := visit(key)):
            return found
    return []


def _depths(waits: dict[str, list[_Wait]]) -> dict[str, int]:
    """How many actions stand before each one, on the longest chain."""
    out: dict[str, int] = {}

    def depth(key: str) -> int:
        if key not in out:
            out[key] = 0  # no circles are left, so this only guards a broken input
            out[key] = max((depth(w.before) + 1 for w in waits.get(key, [])), default=0)
        return out[key]

    for key in waits:
        depth(key)
    return out


# --- dates and visits -----------------------------------------------------------------------


def _date(
    live: list[Action],
    waits: dict[str, list[_Wait]],
    depth: dict[str, int],
    floor: dict[str, dt.date],
    ctx: Context,
) -> None:
    """Each action's start: the plan's date, or the step it waits for; its steps counted from
    it, and its due date the last step's unless the partnership set one."""
    by_key = {a.key: a for a in live}
    for a in sorted(live, key=lambda a: depth[a.key]):
        start = floor.get(a.key, ctx.start)
        for w in waits[a.key]:
            before = by_key[w.before]
            due = (
                before.steps[w.step - 1].due if w.step and 0 < w.step <= len(before.steps) else None
            )
            if due is not None:
                start = max(start, due)
            else:
                start = max(start, before.start or ctx.start)
        a.start = start
        a.steps = procedure_dates(ctx.catalogue.get(a.power_id), start, ctx.case.case.jurisdiction)
        if not a.due_set:
            a.due = a.steps[-1].due if a.steps else None


def _joint_visits(live: list[Action], ctx: Context) -> list[JointVisit]:
    """Visits to one place by more than one agency: one joint visit."""
    places: dict[str, list[Action]] = {}
    for a in live:
        if ctx.catalogue.get(a.power_id).sequence.stage == "visit":
            places.setdefault(place_of(a.target_id, ctx.case), []).append(a)
    out = []
    for place, group in places.items():
        agencies = sorted({a.lead_agency for a in group})
        if len(agencies) > 1:
            keys = [a.key for a in group]
            out.append(JointVisit(place, ctx.names.label(place), None, keys, agencies))
    return out


# --- conflicts ------------------------------------------------------------------------------


def _missing(live: list[Action], ctx: Context) -> list[Conflict]:
    """A power the law allows only after another, planned without it and without a recorded
    event of it."""
    out = []
    for a in live:
        place = place_of(a.target_id, ctx.case)
        for dep in ctx.catalogue.get(a.power_id).sequence.after:
            if not dep.needed:
                continue
            if any(
                b.power_id == dep.power and place_of(b.target_id, ctx.case) == place for b in live
            ):
                continue
            first = ctx.catalogue.get(dep.power)
            if _recorded(first, place, a.target_id, ctx.case):
                continue
            out.append(
                Conflict(
                    "missing",
                    [a.key],
                    f"{a.title} on {a.target} needs a {_lower(first.name)} first: {dep.why} Add "
                    "it to the plan, or record it under the case's events if it has happened.",
                )
            )
    return out


def _recorded(power: Power, place: str, target: str, case: Case) -> bool:
    kinds = set(power.sequence.brings_about)
    return any(e.kind in kinds and (place in e.at or target in e.of) for e in case.events)


def _alternatives(live: list[Action], ctx: Context) -> list[Conflict]:
    out = []
    seen: set[frozenset[str]] = set()
    for a in live:
        place = place_of(a.target_id, ctx.case)
        for alt in ctx.catalogue.get(a.power_id).sequence.alternatives:
            for b in live:
                pair = frozenset((a.key, b.key))
                if b.power_id != alt or place_of(b.target_id, ctx.case) != place or pair in seen:
                    continue
                seen.add(pair)
                out.append(
                    Conflict(
                        "alternatives",
                        [a.key, b.key],
                        f"{a.title} and {b.title} on {a.target} do the same job: choose one.",
                    )
                )
    return out


def _out_of_order(waits: dict[str, list[_Wait]], by_key: dict[str, Action]) -> list[Conflict]:
    """An action under way, or due, before one it waits for."""
    out = []
    for key, ws in waits.items():
        a = by_key[key]
        for w in ws:
            b = by_key[w.before]
            if a.status in _STARTED and b.status in _NOT_STARTED:
                said = "is under way before"
            elif a.due_set and b.due_set and a.due and b.due and a.due < b.due:
                said = f"is due ({a.due}) before"
            else:
                continue
            out.append(
                Conflict(
                    "order",
                    [b.key, a.key],
                    f"{a.title} on {a.target} {said} {b.title} on {b.target}, which comes "
                    f"first: {w.why.rstrip('.')}.",
                )
            )
    return out


def _lower(name: str) -> str:
    return name[:1].lower() + name[1:]
