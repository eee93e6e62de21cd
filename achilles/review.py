"""The agenda of the monthly case review: what the partnership must look at, and nothing else.

- actions overdue, and actions due before the next review;
- deferrals whose date to look again has come;
- actions no longer supported by the rules (the picture changed under them);
- what changed in the picture since the last review (from the workspace's history);
- options that opened or closed since the last review (against the options recorded with it);
- outcomes recorded since the last review.

Built from a Plan (so it is redacted exactly as the plan is) and the plan state's reviews.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from achilles.catalogue import Catalogue
from achilles.model.case import Case
from achilles.model.plan_state import CLOSED, PlanState
from achilles.plan import Action, DecisionRecord, Plan
from achilles.ranking import Ranking, load_weights
from achilles.redaction import Redactor

MAX_CHANGES = 40  # picture changes listed; the rest are counted


@dataclass(frozen=True)
class Saved:
    """One saved version of the case, as the workspace's history gives it."""

    version: int
    saved_at: str  # UTC, ISO 8601
    saved_by: str
    summary: str  # ids, fields and terms only (store/changes.py)


@dataclass(frozen=True)
class OptionLine:
    key: str
    title: str
    target: str


@dataclass
class Agenda:
    marking: str
    operation: str
    case_id: str
    meeting: dt.date
    next_review: dt.date
    last_review: dt.date | None
    overdue: list[Action]
    due_soon: list[Action]
    deferrals_due: list[DecisionRecord]
    stale: list[Action]
    picture: list[str]  # what changed since the last review, one line per change
    picture_note: str  # why the picture list is empty or partial
    opened: list[OptionLine]
    closed: list[OptionLine]
    outcomes: list[Action]
    options_note: str = ""
    redacted: bool = False
    counts: dict[str, int] = field(default_factory=dict)


def build_agenda(
    plan: Plan,
    state: PlanState,
    ranking: Ranking,
    case: Case,
    catalogue: Catalogue,
    *,
    meeting: dt.date,
    next_review: dt.date,
    history: list[Saved] | None,
) -> Agenda:
    """The agenda for a review held on `meeting`; `history` is None for a case file."""
    names = Redactor(case, plan.redacted)
    last = state.last_review
    open_actions = [a for a in plan.actions() if a.origin == "chosen" and a.status not in CLOSED]
    overdue = [a for a in open_actions if a.overdue]
    due_soon = [
        a for a in open_actions if a.due_set and not a.overdue and a.due and a.due < next_review
    ]
    deferrals = [
        d
        for d in plan.decisions
        if d.decision == "deferred" and d.until and dt.date.fromisoformat(d.until) <= meeting
    ]
    undated = [d for d in plan.decisions if d.decision == "deferred" and not d.until]
    now = {r.key: r for r in ranking.options}
    opened: list[OptionLine] = []
    closed: list[OptionLine] = []
    if last is not None:
        before = set(last.options)
        for r in ranking.options:
            if r.key not in before:
                opened.append(OptionLine(r.key, r.power.name, names.label(r.option.target)))
        for key in last.options:
            if key not in now:
                power_id, _, target = key.partition("@")
                power = catalogue.powers.get(power_id)
                title = power.name if power else power_id.replace("_", " ")
                closed.append(OptionLine(key, title, names.label(target)))
        options_note = ""
    else:
        options_note = (
            "No review is recorded yet, so there is nothing to compare the options with: "
            "record this one (`achilles review CASE --record`, or Record in the TUI) and the "
            "next agenda lists the options that opened or closed since."
        )
    picture, picture_note = _picture(history, last.date if last else None, names)
    outcomes = [
        a
        for a in plan.actions()
        if a.outcome is not None and (last is None or a.outcome.date > last.date)
    ]
    return Agenda(
        marking=plan.marking,
        operation=plan.operation,
        case_id=case.case.id,
        meeting=meeting,
        next_review=next_review,
        last_review=last.date if last else None,
        overdue=overdue,
        due_soon=sorted(due_soon, key=lambda a: (a.due or meeting, a.key)),
        deferrals_due=deferrals + undated,
        stale=[a for a in plan.actions() if a.stale],
        picture=picture,
        picture_note=picture_note,
        opened=opened,
        closed=closed,
        outcomes=outcomes,
        options_note=options_note,
        redacted=plan.redacted,
        counts={
            "open actions": len(open_actions),
            "options now": len(ranking.options),
        },
    )


def _parts(summary: str) -> list[str]:
    """A version's summary, one change each: split on '; ' outside parentheses (a plan line's
    detail, "(owner set; due 2026-02-01)", holds '; ' too)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(summary):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and summary.startswith("; ", i):
            parts.append(summary[start:i])
            start = i + 2
    parts.append(summary[start:])
    return [p for p in parts if p]


def next_review(case: Case, meeting: dt.date) -> dt.date:
    """The case's own review date when it is still ahead; else the partnership's interval
    (ranking/weights.yaml plan.review_after_days) after this meeting."""
    if case.case.review_on and case.case.review_on > meeting:
        return case.case.review_on
    return meeting + dt.timedelta(days=load_weights().plan.review_after_days)


def _picture(
    history: list[Saved] | None, last: dt.date | None, names: Redactor
) -> tuple[list[str], str]:
    if history is None:
        return [], (
            "A case file keeps no history: keep the case in the workspace "
            "(`achilles case import FILE`) to see here what changed between reviews."
        )
    start = 0
    if last is not None:
        marker = f"review held {last}"
        held = [i for i, v in enumerate(history) if marker in v.summary]
        if held:
            start = held[-1] + 1
        else:
            start = next(
                (i for i, v in enumerate(history) if v.saved_at[:10] > last.isoformat()),
                len(history),
            )
    lines = []
    for v in history[start:]:
        for part in _parts(v.summary):
            if part.startswith("plan:") or not part:
                continue
            who = names.text(v.saved_by)
            lines.append(f"version {v.version}, {v.saved_at[:10]} ({who}): {part}")
    note = (
        ""
        if lines
        else (
            "No change to the picture since the last review."
            if last is not None
            else "No change to the picture since the case was added."
        )
    )
    if len(lines) > MAX_CHANGES:
        more = len(lines) - MAX_CHANGES
        lines = lines[-MAX_CHANGES:]
        note = f"{more} earlier change(s) not shown: see `achilles case history`."
    return lines, note
