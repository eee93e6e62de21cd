"""The workspace: cases with their full history, and the decision log, in one SQLite file.

Where: `Workspace.open(path)`, else $ACHILLES_WORKSPACE, else the user data folder's
`achilles/workspace.db` (platformdirs). The folder is created 0700 and the file (with its
-wal and -shm) 0600. WAL journal, synchronous=FULL, foreign keys on, secure_delete on.

What: each case is kept as the exact YAML text it was imported or saved with (export gives
back the same bytes), one row per version with its sha256, who saved it, when (UTC) and a
summary of what changed (ids, fields and vocabulary terms only: see changes.py). A save names
the version it was based on and is refused if someone saved since: never merged silently.
The plan the LRO keeps is part of the case text (its `plan` section), so it is versioned with
the case; every change to it is also appended to the decision log (decisions.py) in the same
transaction. SQLite triggers refuse UPDATE and DELETE on the log and on the versions, except
inside `delete_case` (the `purge` table, see schema.py).

Dates: a case is due for review on its `case.review_on`, or 90 days after its last save when
it has none; it is kept until `retention_days` (default 730, two years) after its last save,
after which `achilles cases list --due` lists it for review and deletion. Nothing is deleted
automatically.

Faults (locked, read-only, damaged, newer schema) raise StoreError naming the file and the way
out; messages carry ids, versions and paths, never names or notes.
"""

from achilles.errors import StoreError
from achilles.store.workspace import (
    DECISIONS,
    ENV_VAR,
    REVIEW_EVERY_DAYS,
    CaseRow,
    Decision,
    NewDecision,
    NoSuchCase,
    Version,
    Workspace,
    default_path,
)

__all__ = [
    "DECISIONS",
    "ENV_VAR",
    "REVIEW_EVERY_DAYS",
    "CaseRow",
    "Decision",
    "NewDecision",
    "NoSuchCase",
    "StoreError",
    "Version",
    "Workspace",
    "default_path",
]
