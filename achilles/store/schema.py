"""The workspace schema and its migrations, applied in order inside one transaction.

`meta.schema_version` says which migrations a file has had. A file newer than `LATEST` is
refused (an older Achilles must not write to a schema it does not know); an older one is
brought up to date when it is opened, all or nothing.

Append-only tables. `versions` (the case history) and `decisions` (the decision log) refuse
UPDATE always and DELETE unless the row's case is listed in `purge`. Only `delete_case` writes
to `purge`: it inserts the case id, deletes the case's rows and removes the id again, all in
one transaction, so a `purge` row is never visible outside it and never survives a crash.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

DEFAULT_RETENTION_DAYS = 730  # two years after the last save; see Workspace.list_cases

# Each migration is a list of single statements (no executescript: it would COMMIT early).
_V1: Sequence[str] = (
    """CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE cases (
        case_id    TEXT PRIMARY KEY,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE versions (
        case_id   TEXT    NOT NULL REFERENCES cases(case_id),
        version   INTEGER NOT NULL CHECK (version >= 1),
        text      TEXT    NOT NULL,
        sha256    TEXT    NOT NULL,
        saved_by  TEXT    NOT NULL,
        saved_at  TEXT    NOT NULL,
        summary   TEXT    NOT NULL,
        title     TEXT    NOT NULL,
        as_of     TEXT    NOT NULL,
        review_on TEXT,
        PRIMARY KEY (case_id, version)
    )""",
    """CREATE TABLE decisions (
        seq               INTEGER PRIMARY KEY AUTOINCREMENT,
        case_id           TEXT    NOT NULL REFERENCES cases(case_id),
        option_key        TEXT    NOT NULL,
        power_id          TEXT    NOT NULL,
        target            TEXT    NOT NULL,
        decision          TEXT    NOT NULL CHECK (decision IN ('accepted', 'rejected', 'deferred')),
        reason            TEXT    NOT NULL,
        who               TEXT    NOT NULL,
        decided_at        TEXT    NOT NULL,
        case_version      INTEGER NOT NULL,
        rules_version     TEXT    NOT NULL,
        catalogue_version TEXT    NOT NULL
    )""",
    "CREATE INDEX decisions_by_case ON decisions (case_id, seq)",
    """CREATE TRIGGER versions_no_update BEFORE UPDATE ON versions
       BEGIN SELECT RAISE(ABORT, 'case versions are append-only'); END""",
    """CREATE TRIGGER versions_no_delete BEFORE DELETE ON versions
       BEGIN SELECT RAISE(ABORT, 'case versions are append-only'); END""",
    """CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
       BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END""",
    """CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
       BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END""",
)

# Version 2: settings (retention), and deleting a whole case through the `purge` flag table.
_V2: Sequence[str] = (
    """CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    f"INSERT INTO settings (key, value) VALUES ('retention_days', '{DEFAULT_RETENTION_DAYS}')",
    "CREATE TABLE purge (case_id TEXT PRIMARY KEY)",
    "DROP TRIGGER versions_no_delete",
    """CREATE TRIGGER versions_no_delete BEFORE DELETE ON versions
       WHEN NOT EXISTS (SELECT 1 FROM purge WHERE purge.case_id = OLD.case_id)
       BEGIN SELECT RAISE(ABORT, 'case versions are append-only'); END""",
    "DROP TRIGGER decisions_no_delete",
    """CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
       WHEN NOT EXISTS (SELECT 1 FROM purge WHERE purge.case_id = OLD.case_id)
       BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END""",
)

# Version 3: the decision log records every change to the plan the LRO keeps (removed, reopened,
# updated, done, reviewed besides accepted, rejected and deferred) with a `detail` of terms and
# dates. SQLite cannot change a CHECK, so the table is rebuilt with its rows, sequence numbers,
# index and append-only triggers; DROP TABLE removes the old triggers before its implicit delete,
# so no trigger fires and no row is lost.
_V3: Sequence[str] = (
    """CREATE TABLE decisions_v3 (
        seq               INTEGER PRIMARY KEY AUTOINCREMENT,
        case_id           TEXT    NOT NULL REFERENCES cases(case_id),
        option_key        TEXT    NOT NULL,
        power_id          TEXT    NOT NULL,
        target            TEXT    NOT NULL,
        decision          TEXT    NOT NULL CHECK (decision IN ('accepted', 'removed', 'rejected',
                              'deferred', 'reopened', 'updated', 'done', 'reviewed')),
        reason            TEXT    NOT NULL,
        detail            TEXT    NOT NULL DEFAULT '',
        who               TEXT    NOT NULL,
        decided_at        TEXT    NOT NULL,
        case_version      INTEGER NOT NULL,
        rules_version     TEXT    NOT NULL,
        catalogue_version TEXT    NOT NULL
    )""",
    """INSERT INTO decisions_v3 (seq, case_id, option_key, power_id, target, decision, reason,
        who, decided_at, case_version, rules_version, catalogue_version)
       SELECT seq, case_id, option_key, power_id, target, decision, reason, who, decided_at,
        case_version, rules_version, catalogue_version FROM decisions""",
    "DROP TABLE decisions",
    "ALTER TABLE decisions_v3 RENAME TO decisions",
    "CREATE INDEX decisions_by_case ON decisions (case_id, seq)",
    """CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
       BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END""",
    """CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
       WHEN NOT EXISTS (SELECT 1 FROM purge WHERE purge.case_id = OLD.case_id)
       BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END""",
)

MIGRATIONS: tuple[Sequence[str], ...] = (_V1, _V2, _V3)
LATEST = len(MIGRATIONS)


def user_tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return {r[0] for r in rows}


def schema_version(conn: sqlite3.Connection) -> int | None:
    """The file's schema version; 0 for an empty file; None for a database that is not ours."""
    tables = user_tables(conn)
    if not tables:
        return 0
    if "meta" not in tables:
        return None
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None:
        return None
    try:
        return int(row[0])
    except (TypeError, ValueError):
        return None


def migrate(conn: sqlite3.Connection, current: int, now: str, upto: int | None = None) -> None:
    """Apply migrations current+1..upto (default: all). The caller holds the write transaction."""
    for number in range(current + 1, (len(MIGRATIONS) if upto is None else upto) + 1):
        for statement in MIGRATIONS[number - 1]:
            conn.execute(statement)
        if number == 1:
            conn.execute("INSERT INTO meta (key, value) VALUES ('application', 'achilles')")
            conn.execute("INSERT INTO meta (key, value) VALUES ('created_at', ?)", (now,))
            conn.execute("INSERT INTO meta (key, value) VALUES ('schema_version', '1')")
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(number),))
