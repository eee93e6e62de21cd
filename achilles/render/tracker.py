"""The plan as a tracker, one row per action (owner, agency, due, status, RAG, last update), as
a partnership action plan has it; shared by every plan format, `achilles actions` and the TUI.
"""

from __future__ import annotations

import json
from typing import Any

from achilles.plan import STALE, Action, DecisionRecord, Plan
from achilles.render.clean import clean, one_line

HEADERS = ["#", "Action", "Target", "Lead agency", "Owner", "Due", "Status", "RAG", "Last update"]
SCHEMA_VERSION = 1


def words(term: str) -> str:
    return term.replace("_", " ")


def action_state(a: Action, *, overdue: bool = True) -> str:
    """The action's state in words: how it came to be in the plan, its status, and flags."""
    if a.stale:
        state = STALE
    elif a.origin == "suggested":
        state = "suggested (not yet chosen)"
    elif a.origin == "automatic":
        state = "automatic: safeguarding for a person the group exploits"
    else:
        state = words(a.status)
    if a.outcome:
        state += f"; outcome {a.outcome.level} on {a.outcome.date}"
    if a.overdue and overdue:
        state += "; overdue"
    return state


def last_update(a: Action) -> str:
    u = a.last_update
    return f"{u.date}: {u.text}" if u else ""


def tracker_rows(plan: Plan) -> tuple[list[str], list[list[str]]]:
    rows = []
    for n, a in enumerate(plan.actions(), 1):
        rows.append(
            [
                str(n),
                a.title,
                a.target,
                words(a.lead_agency),
                a.owner,
                str(a.due or "to be set") + (" (overdue)" if a.overdue else ""),
                action_state(a),
                a.rag,
                last_update(a),
            ]
        )
    return HEADERS, rows


def decision_text(d: DecisionRecord) -> str:
    text = d.decision
    if d.until:
        text += f" until {d.until}"
    if d.at:
        text += f" ({d.at}" + (f", {d.by}" if d.by else "") + ")"
    return text


def actions_data(plan: Plan, case_id: str) -> dict:
    """The tracker as data, for scripts (`achilles actions CASE --format json`)."""

    def action(a: Action) -> dict:
        return {
            "key": a.key,
            "power_id": a.power_id,
            "action": a.title,
            "target": a.target_id,
            "target_label": a.target,
            "origin": a.origin,
            "status": a.status,
            "rag": a.rag or None,
            "owner": a.owner,
            "lead_agency": a.lead_agency,
            "due": a.due.isoformat() if a.due else None,
            "overdue": a.overdue,
            "stale": a.stale,
            "added": a.added.isoformat() if a.added else None,
            "rank": a.rank or None,
            "updates": [
                {"date": u.date.isoformat(), "by": u.by, "text": u.text} for u in a.updates
            ],
            "outcome": (
                {
                    "level": a.outcome.level,
                    "date": a.outcome.date.isoformat(),
                    "note": a.outcome.note,
                }
                if a.outcome
                else None
            ),
        }

    data = {
        "marking": plan.marking,
        "schema_version": SCHEMA_VERSION,
        "case": case_id,
        "date": plan.date.isoformat(),
        "redacted": plan.redacted,
        "chosen": plan.chosen,
        "actions": [action(a) for a in plan.actions()],
        "decisions": [
            {
                "key": d.key,
                "decision": d.decision,
                "reason": d.reason,
                "by": d.by,
                "date": d.at,
                "until": d.until or None,
            }
            for d in plan.decisions
            if d.decision in ("rejected", "deferred")
        ],
        "marking_footer": plan.marking,
    }
    return _clean(data)


def actions_json(plan: Plan, case_id: str) -> str:
    return json.dumps(actions_data(plan, case_id), indent=2, ensure_ascii=False) + "\n"


def _clean(value: Any) -> Any:  # JSON in, JSON out: each string made printable
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


__all__ = ["HEADERS", "action_state", "actions_json", "decision_text", "one_line", "tracker_rows"]
