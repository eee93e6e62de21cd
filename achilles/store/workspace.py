"""The Workspace: cases with their full history, and the decision log, in one SQLite file."""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import os
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from achilles.errors import NoSuchCase, StoreError
from achilles.store import decisions as log
from achilles.store import schema
from achilles.store import versions as rows
from achilles.store.changes import describe_changes, join_summary, read_case
from achilles.store.faults import MOVE_ASIDE, check_access, fault, keep_private, make_folder
from achilles.store.retention import REVIEW_EVERY_DAYS, CaseRow, case_row
from achilles.store.versions import Latest, Version

if TYPE_CHECKING:
    from achilles.model.case import Case

ENV_VAR = "ACHILLES_WORKSPACE"
DECISIONS = log.DECISIONS
Decision = log.Decision
NewDecision = log.NewDecision
DEFAULT_TIMEOUT = 5.0  # seconds to wait for another writer (busy_timeout)

# Names other modules import from here (the store's public face is achilles.store).
__all__ = [
    "DECISIONS",
    "ENV_VAR",
    "REVIEW_EVERY_DAYS",
    "CaseRow",
    "Decision",
    "NewDecision",
    "NoSuchCase",
    "Version",
    "Workspace",
    "default_path",
]


def default_path() -> Path:
    """ACHILLES_WORKSPACE, else the user data folder's achilles/workspace.db."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("achilles")) / "workspace.db"


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Workspace:
    """One workspace file. Open with `Workspace.open()`; close (or use `with`) when done.

    Every write is one `BEGIN IMMEDIATE` transaction; every SQLite failure becomes a
    StoreError naming the file and the way out. The connection may be used from several
    threads (the TUI saves from workers): calls are serialised by a lock.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self._conn = conn
        self._lock = threading.RLock()
        self.now: Callable[[], dt.datetime] = _utcnow  # tests may fix the clock

    # --- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str | None = None, *, timeout: float = DEFAULT_TIMEOUT) -> Workspace:
        ours = path is None and not os.environ.get(ENV_VAR, "").strip()
        path = Path(path).expanduser() if path is not None else default_path()
        if path.is_dir():
            raise StoreError(
                f"{path}: is a folder, not a workspace file",
                hint=f"give a file name, e.g. {path / 'workspace.db'}",
            )
        folder = path.parent
        make_folder(folder)
        if ours:  # the user data folder is Achilles's own: keep it private even if made elsewhere
            with contextlib.suppress(OSError):
                if (
                    folder.stat().st_uid == os.getuid()
                    and stat.S_IMODE(folder.stat().st_mode) & 0o077
                ):
                    folder.chmod(0o700)
        new = not path.exists()
        check_access(path, folder, new)
        keep_private(path)
        old_umask = os.umask(0o077)  # the file and its -wal/-shm are created owner-only
        try:
            try:
                conn = sqlite3.connect(
                    str(path), timeout=timeout, isolation_level=None, check_same_thread=False
                )
            except sqlite3.Error as exc:
                raise fault(path, exc, "opening it", timeout) from None
            ws = cls(path, conn, timeout)
            try:
                ws._setup(new)
            except BaseException:
                conn.close()
                raise
        finally:
            os.umask(old_umask)
        return ws

    def _setup(self, new: bool) -> None:
        c = self._conn
        with self._reading("opening it"):
            c.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            c.execute("PRAGMA foreign_keys = ON")
            c.execute(
                "PRAGMA secure_delete = ON"
            )  # deleted cases are overwritten, not just unlinked
            c.execute("PRAGMA trusted_schema = OFF")
            if c.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                c.execute("PRAGMA journal_mode = WAL")
            if new:
                os.chmod(self.path, 0o600)
            c.execute("PRAGMA synchronous = FULL")  # a committed save survives power loss too
            problems = [r[0] for r in c.execute("PRAGMA quick_check").fetchall()]
            if problems != ["ok"]:
                raise StoreError(
                    f"{self.path}: the workspace is damaged (the integrity check "
                    f"found {len(problems)} problem(s))",
                    hint=MOVE_ASIDE,
                )
            version = schema.schema_version(c)
        if version is None:
            raise StoreError(
                f"{self.path}: is a SQLite database, but not an Achilles workspace",
                hint="choose another file with --workspace or ACHILLES_WORKSPACE",
            )
        if version > schema.LATEST:
            raise StoreError(
                f"{self.path}: the workspace has schema version {version}, newer than this "
                f"Achilles knows ({schema.LATEST})",
                hint="upgrade Achilles to open it; nothing was changed",
            )
        if version < schema.LATEST:
            with self._writing("upgrading its schema") as c:
                current = schema.schema_version(c)  # another process may have done it meanwhile
                if current is not None and current < schema.LATEST:
                    schema.migrate(c, current, rows.iso(self.now()))

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        with self._reading("reading it"):
            return schema.schema_version(self._conn) or 0

    # --- transactions and faults ---------------------------------------------------------

    @contextlib.contextmanager
    def _reading(self, doing: str) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._conn
            except sqlite3.Error as exc:
                raise fault(self.path, exc, doing, self.timeout) from None

    @contextlib.contextmanager
    def _writing(self, doing: str) -> Iterator[sqlite3.Connection]:
        """One write transaction: BEGIN IMMEDIATE ... COMMIT, rolled back on any error."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise fault(self.path, exc, doing, self.timeout) from None
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException as exc:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise fault(self.path, exc, doing, self.timeout) from None
                raise

    # --- cases ---------------------------------------------------------------------------

    def import_case(self, text: str, file_name: str, who: str) -> tuple[str, int]:
        """Add a case (version 1), or a new version of a case already here when the text
        differs from its latest version. Returns (case id, the latest version)."""
        case = rows.validate(text, file_name)
        case_id = case.case.id
        source = Path(file_name).name or "a file"
        with self._writing(f"importing case {case_id}") as c:
            latest = rows.latest(c, self.path, case_id, must_exist=False)
            if latest is None:
                c.execute(
                    "INSERT INTO cases (case_id, created_at) VALUES (?, ?)",
                    (case_id, rows.iso(self.now())),
                )
                self._insert(
                    c, case_id, 1, text, who, f"first version, imported from {source}", case
                )
                return case_id, 1
            if latest.sha256 == rows.sha(text):
                return case_id, latest.version
            lines = describe_changes(read_case(latest.text), case)
            n = latest.version + 1
            self._insert(
                c, case_id, n, text, who, join_summary([f"imported from {source}", *lines]), case
            )
            return case_id, n

    def save(
        self,
        case_id: str,
        text: str,
        who: str,
        base_version: int,
        decisions: Sequence[NewDecision] = (),
    ) -> int:
        """Save a new version on top of `base_version`, which must be the latest: a save
        over someone else's newer version is refused, never merged. Saving text equal to the
        latest version saves nothing and returns that version. `decisions` (the plan's changes)
        go into the decision log in the same transaction, against the version saved."""
        case = rows.validate(text, f"workspace:{case_id}")
        if case.case.id != case_id:
            raise StoreError(
                f"the text is case '{case.case.id}', not '{case_id}'",
                hint="change case.id back, or import it as a new case",
            )
        with self._writing(f"saving case {case_id}") as c:
            latest = self._latest(c, case_id)
            if latest.version != base_version:
                raise StoreError(
                    f"case {case_id} was saved by {latest.saved_by} at {latest.saved_at} "
                    f"(version {latest.version}) since you opened version {base_version}; "
                    f"reload it, then re-apply your change",
                    hint=f"see `achilles case diff {case_id} {base_version} {latest.version}`; "
                    "nothing was saved or merged",
                )
            if latest.sha256 == rows.sha(text):
                log.append(c, case_id, decisions, latest.version, rows.iso(self.now()))
                return latest.version
            n = latest.version + 1
            summary = join_summary(describe_changes(read_case(latest.text), case))
            self._insert(c, case_id, n, text, who, summary, case)
            log.append(c, case_id, decisions, n, rows.iso(self.now()))
            return n

    def restore(self, case_id: str, version: int, who: str) -> int:
        """A new version whose text is that of `version` (history is never rewritten).
        Restoring the text the latest version already has saves nothing."""
        with self._writing(f"restoring case {case_id}") as c:
            latest = self._latest(c, case_id)
            text = self._text(c, case_id, version)
            if rows.sha(text) == latest.sha256:
                return latest.version
            case = read_case(text)
            if case is None:  # stored texts were valid when saved; still, never store junk
                raise StoreError(
                    f"version {version} of case {case_id} cannot be read as a case",
                    hint=f"export it with `achilles case export {case_id} --version {version}`",
                )
            lines = describe_changes(read_case(latest.text), case)
            n = latest.version + 1
            self._insert(
                c,
                case_id,
                n,
                text,
                who,
                join_summary([f"restored version {version}", *lines]),
                case,
            )
            return n

    def get(self, case_id: str, version: int | None = None) -> str:
        """The exact text of a version (default: the latest)."""
        with self._reading(f"reading case {case_id}") as c:
            if version is None:
                return self._latest(c, case_id).text
            return self._text(c, case_id, version)

    def latest_version(self, case_id: str) -> int:
        with self._reading(f"reading case {case_id}") as c:
            return self._latest(c, case_id).version

    def history(self, case_id: str) -> list[Version]:
        with self._reading(f"reading case {case_id}") as c:
            found = c.execute(
                "SELECT version, sha256, saved_by, saved_at, summary FROM versions "
                "WHERE case_id = ? ORDER BY version",
                (case_id,),
            ).fetchall()
        if not found:
            raise self._no_case(case_id)
        return [Version(case_id, *r) for r in found]

    def diff(self, case_id: str, a: int, b: int) -> tuple[list[str], str]:
        """What changed from version a to version b: summary lines and a unified text diff."""
        with self._reading(f"reading case {case_id}") as c:
            old, new = self._text(c, case_id, a), self._text(c, case_id, b)
        lines = [] if old == new else describe_changes(read_case(old), read_case(new))
        text = "".join(
            difflib.unified_diff(
                old.splitlines(keepends=True),
                new.splitlines(keepends=True),
                fromfile=f"{case_id} version {a}",
                tofile=f"{case_id} version {b}",
            )
        )
        return lines, text

    def list_cases(self, due: bool = False, today: dt.date | None = None) -> list[CaseRow]:
        """Every case at its latest version, by id; with due=True only those due for review
        or past their retention date (on `today`, default the local date)."""
        today = today or dt.date.today()
        keep = self.retention_days
        with self._reading("listing cases") as c:
            found = c.execute(
                "SELECT v.case_id, v.title, v.version, v.as_of, v.saved_at, v.saved_by, v.review_on "
                "FROM versions v JOIN (SELECT case_id, MAX(version) AS version FROM versions "
                "GROUP BY case_id) m ON m.case_id = v.case_id AND m.version = v.version "
                "ORDER BY v.case_id"
            ).fetchall()
        listed = (case_row(stored, keep, today) for stored in found)
        return [row for row in listed if row.due or not due]

    def delete_case(self, case_id: str) -> tuple[int, int]:
        """Remove a case: every version and every decision. Returns (versions, decisions)
        removed. The append-only triggers let these rows go only while the case id is in
        `purge`, which this one transaction fills and empties (see schema.py)."""
        with self._writing(f"deleting case {case_id}") as c:
            self._latest(c, case_id)
            c.execute("INSERT INTO purge (case_id) VALUES (?)", (case_id,))
            decisions = c.execute("DELETE FROM decisions WHERE case_id = ?", (case_id,)).rowcount
            versions = c.execute("DELETE FROM versions WHERE case_id = ?", (case_id,)).rowcount
            c.execute("DELETE FROM cases WHERE case_id = ?", (case_id,))
            c.execute("DELETE FROM purge WHERE case_id = ?", (case_id,))
        with contextlib.suppress(StoreError), self._reading("clearing deleted data from its log"):
            self._conn.execute(
                "PRAGMA wal_checkpoint(TRUNCATE)"
            )  # best effort: readers may hold it
        return versions, decisions

    # --- settings ------------------------------------------------------------------------

    @property
    def retention_days(self) -> int:
        """How long a case is kept after its last save before `cases list --due` flags it for
        review and deletion (default 730 days: two years). Achilles never deletes by itself."""
        with self._reading("reading its settings") as c:
            row = c.execute("SELECT value FROM settings WHERE key = 'retention_days'").fetchone()
        return int(row[0]) if row else schema.DEFAULT_RETENTION_DAYS

    def set_retention_days(self, days: int) -> None:
        if not isinstance(days, int) or days < 1:
            raise StoreError(
                f"retention_days must be a whole number of days, at least 1 (not {days!r})"
            )
        with self._writing("changing its settings") as c:
            c.execute(
                "INSERT INTO settings (key, value) VALUES ('retention_days', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(days),),
            )

    # --- decisions -----------------------------------------------------------------------

    def record_decision(
        self,
        case_id: str,
        option_key: str,
        power_id: str,
        target: str,
        decision: str,
        reason: str,
        who: str,
        case_version: int,
        rules_version: str,
        catalogue_version: str,
    ) -> int:
        """Append one decision to the log; returns its sequence number. Never updated or deleted.
        (`power_id` and `target` are the two halves of `option_key`, kept for older callers.)"""
        del power_id, target
        entry = NewDecision(option_key, decision, reason, "", who, rules_version, catalogue_version)
        return self.record(case_id, [entry], case_version)[0]

    def record(self, case_id: str, entries: Sequence[NewDecision], case_version: int) -> list[int]:
        """Append entries to the case's decision log against `case_version`; their numbers."""
        for e in entries:
            log.check(e)
        with self._writing(f"recording a decision on case {case_id}") as c:
            latest = self._latest(c, case_id).version
            if not 0 <= case_version <= latest:
                raise StoreError(f"case {case_id} has no version {case_version} (latest: {latest})")
            return log.append(c, case_id, entries, case_version, rows.iso(self.now()))

    def decisions(self, case_id: str) -> list[Decision]:
        """The case's decision log, oldest first."""
        with self._reading(f"reading decisions on case {case_id}") as c:
            self._latest(c, case_id)
            return log.read(c, case_id)

    # --- helpers -------------------------------------------------------------------------

    def _latest(self, c: sqlite3.Connection, case_id: str) -> Latest:
        return rows.latest(c, self.path, case_id)

    def _text(self, c: sqlite3.Connection, case_id: str, version: int) -> str:
        return rows.text_of(c, self.path, case_id, version)

    def _insert(
        self,
        c: sqlite3.Connection,
        case_id: str,
        n: int,
        text: str,
        who: str,
        summary: str,
        case: Case,
    ) -> None:
        rows.insert(c, case_id, n, text, who, summary, case, rows.iso(self.now()))

    def _no_case(self, case_id: str) -> NoSuchCase:
        return rows.no_case(self.path, case_id)
