"""The partnership's own record: for each power, the outcomes its finished actions achieved, in
the plans of the cases kept in the workspace (their latest versions). Read only when the ranking's
off-by-default outcomes factor is switched on (ranking/weights.yaml, `outcomes`)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from achilles.errors import StoreError
from achilles.model.plan_state import plan_of
from achilles.store.changes import read_case


def outcome_record(workspace) -> dict[str, dict[str, int]]:
    """power id -> disruption level -> actions done with that outcome, across the workspace."""
    record: dict[str, Counter[str]] = {}
    for row in workspace.list_cases():
        case = read_case(workspace.get(row.case_id))
        for a in plan_of(case).actions if case is not None else []:
            if a.outcome is not None:
                power_id = a.key.partition("@")[0]
                record.setdefault(power_id, Counter())[a.outcome.level] += 1
    return {p: dict(c) for p, c in sorted(record.items())}


def workspace_record(path: Path | None = None) -> dict[str, dict[str, int]]:
    """The record of the workspace at `path` (default: ACHILLES_WORKSPACE or the user's); empty
    when there is none (never creates one) or it cannot be read."""
    from achilles.store.workspace import Workspace, default_path

    where = Path(path).expanduser() if path is not None else default_path()
    if not where.exists():
        return {}
    try:
        with Workspace.open(where) as ws:
            return outcome_record(ws)
    except StoreError:
        return {}
