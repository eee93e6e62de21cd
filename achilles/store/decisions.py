"""The decision log: every change to a case's plan, one row each, never updated or deleted.

A row says what happened to which option (`decision`: a tracker.LOG_KINDS word: accepted,
removed, rejected, deferred, reopened, updated, done, reviewed), the reason or note the LRO
typed, a `detail` of field names, terms and dates only (safe for any log), who, when (UTC), the
case version it belongs to, and the rules and catalogue in force. SQLite triggers refuse UPDATE
and DELETE on the table except inside `Workspace.delete_case` (see schema.py).

The plan itself lives in the case text (the `plan` section), versioned with the case; the log
is its audit trail. A save that changes the plan appends its entries in the same transaction
as the new version, so the two never disagree.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from achilles.errors import StoreError
from achilles.tracker import LOG_KINDS, Change

DECISIONS = LOG_KINDS


@dataclass(frozen=True)
class NewDecision:
    """One entry to append; the case version and the time are filled in when it is written."""

    option_key: str
    decision: str
    reason: str = ""
    detail: str = ""
    who: str = "unknown"
    rules_version: str = ""
    catalogue_version: str = ""

    @property
    def power_id(self) -> str:
        return self.option_key.partition("@")[0]

    @property
    def target(self) -> str:
        return self.option_key.partition("@")[2]

    @classmethod
    def from_change(
        cls, change: Change, who: str, rules_version: str, catalogue_version: str
    ) -> NewDecision:
        return cls(
            change.key,
            change.kind,
            change.reason,
            change.detail,
            who,
            rules_version,
            catalogue_version,
        )


@dataclass(frozen=True)
class Decision:
    seq: int
    case_id: str
    option_key: str
    power_id: str
    target: str
    decision: str
    reason: str
    who: str
    decided_at: str
    case_version: int
    rules_version: str
    catalogue_version: str
    detail: str = ""


def check(entry: NewDecision) -> None:
    if entry.decision not in DECISIONS:
        raise StoreError(f"decision '{entry.decision}' is not one of {', '.join(DECISIONS)}")


def append(
    c: sqlite3.Connection,
    case_id: str,
    entries: Iterable[NewDecision],
    case_version: int,
    at: str,
) -> list[int]:
    """Write entries inside the caller's write transaction; their sequence numbers."""
    seqs = []
    for e in entries:
        check(e)
        cur = c.execute(
            "INSERT INTO decisions (case_id, option_key, power_id, target, decision, reason, "
            "detail, who, decided_at, case_version, rules_version, catalogue_version) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                case_id,
                e.option_key,
                e.power_id,
                e.target,
                e.decision,
                e.reason or "",
                e.detail or "",
                e.who or "unknown",
                at,
                case_version,
                str(e.rules_version),
                str(e.catalogue_version),
            ),
        )
        seqs.append(int(cur.lastrowid or 0))
    return seqs


def read(c: sqlite3.Connection, case_id: str) -> list[Decision]:
    rows = c.execute(
        "SELECT seq, case_id, option_key, power_id, target, decision, reason, who, decided_at, "
        "case_version, rules_version, catalogue_version, detail FROM decisions "
        "WHERE case_id = ? ORDER BY seq",
        (case_id,),
    ).fetchall()
    return [Decision(*r) for r in rows]
