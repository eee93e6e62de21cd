"""The Workspace: cases with their full history, and the decision log, in one SQLite file."""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import hashlib
import os
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from achilles.errors import InputError, StoreError
from achilles.loading.yaml_reader import MAX_FILE_BYTES
from achilles.store import decisions as log
from achilles.store import schema
from achilles.store.changes import describe_changes, join_summary, read_case
from achilles.store.faults import MOVE_ASIDE, check_access, fault, keep_private, make_folder

ENV_VAR = "ACHILLES_WORKSPACE"
REVIEW_EVERY_DAYS = (
    90  # a case with no case.review_on is due for review 90 days after its last save
)
DECISIONS = log.DECISIONS
Decision = log.Decision
NewDecision = log.NewDecision
DEFAULT_TIMEOUT = 5.0  # seconds to wait for another writer (busy_timeout)


class NoSuchCase(StoreError):
    """The workspace holds no case (or no such version of a case) with that id."""


@dataclass(frozen=True)
class Version:
    case_id: str
    version: int
    sha256: str
    saved_by: str
    saved_at: str  # UTC, ISO 8601
    summary: str


@dataclass(frozen=True)
class CaseRow:
    case_id: str
    title: str
    version: int  # the latest
    as_of: dt.date
    saved_at: str
    saved_by: str
    review_on: dt.date  # case.review_on, else the last save + REVIEW_EVERY_DAYS
    review_set_in_case: bool
    retain_until: dt.date  # the last save + the retention_days setting
    due_review: bool
    past_retention: bool

    @property
    def due(self) -> bool:
        return self.due_review or self.past_retention


def default_path() -> Path:
    """ACHILLES_WORKSPACE, else the user data folder's achilles/workspace.db."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("achilles")) / "workspace.db"


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
                    schema.migrate(c, current, _iso(self.now()))

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
        case = _validate(text, file_name)
        case_id = case.case.id
        source = Path(file_name).name or "a file"
        with self._writing(f"importing case {case_id}") as c:
            latest = self._latest(c, case_id, must_exist=False)
            if latest is None:
                c.execute(
                    "INSERT INTO cases (case_id, created_at) VALUES (?, ?)",
                    (case_id, _iso(self.now())),
                )
                self._insert(
                    c, case_id, 1, text, who, f"first version, imported from {source}", case
                )
                return case_id, 1
            if latest["sha256"] == _sha(text):
                return case_id, latest["version"]
            lines = describe_changes(read_case(latest["text"]), case)
            n = latest["version"] + 1
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
        case = _validate(text, f"workspace:{case_id}")
        if case.case.id != case_id:
            raise StoreError(
                f"the text is case '{case.case.id}', not '{case_id}'",
                hint="change case.id back, or import it as a new case",
            )
        with self._writing(f"saving case {case_id}") as c:
            latest = self._latest(c, case_id)
            if latest["version"] != base_version:
                raise StoreError(
                    f"case {case_id} was saved by {latest['saved_by']} at {latest['saved_at']} "
                    f"(version {latest['version']}) since you opened version {base_version}; "
                    f"reload it, then re-apply your change",
                    hint=f"see `achilles case diff {case_id} {base_version} {latest['version']}`; "
                    "nothing was saved or merged",
                )
            if latest["sha256"] == _sha(text):
                log.append(c, case_id, decisions, latest["version"], _iso(self.now()))
                return latest["version"]
            n = latest["version"] + 1
            summary = join_summary(describe_changes(read_case(latest["text"]), case))
            self._insert(c, case_id, n, text, who, summary, case)
            log.append(c, case_id, decisions, n, _iso(self.now()))
            return n

    def restore(self, case_id: str, version: int, who: str) -> int:
        """A new version whose text is that of `version` (history is never rewritten).
        Restoring the text the latest version already has saves nothing."""
        with self._writing(f"restoring case {case_id}") as c:
            latest = self._latest(c, case_id)
            text = self._text(c, case_id, version)
            if _sha(text) == latest["sha256"]:
                return latest["version"]
            case = read_case(text)
            if case is None:  # stored texts were valid when saved; still, never store junk
                raise StoreError(
                    f"version {version} of case {case_id} cannot be read as a case",
                    hint=f"export it with `achilles case export {case_id} --version {version}`",
                )
            lines = describe_changes(read_case(latest["text"]), case)
            n = latest["version"] + 1
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
                return self._latest(c, case_id)["text"]
            return self._text(c, case_id, version)

    def latest_version(self, case_id: str) -> int:
        with self._reading(f"reading case {case_id}") as c:
            return self._latest(c, case_id)["version"]

    def history(self, case_id: str) -> list[Version]:
        with self._reading(f"reading case {case_id}") as c:
            rows = c.execute(
                "SELECT version, sha256, saved_by, saved_at, summary FROM versions "
                "WHERE case_id = ? ORDER BY version",
                (case_id,),
            ).fetchall()
        if not rows:
            raise self._no_case(case_id)
        return [Version(case_id, *r) for r in rows]

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
        keep = dt.timedelta(days=self.retention_days)
        with self._reading("listing cases") as c:
            rows = c.execute(
                "SELECT v.case_id, v.title, v.version, v.as_of, v.saved_at, v.saved_by, v.review_on "
                "FROM versions v JOIN (SELECT case_id, MAX(version) AS version FROM versions "
                "GROUP BY case_id) m ON m.case_id = v.case_id AND m.version = v.version "
                "ORDER BY v.case_id"
            ).fetchall()
        out = []
        for case_id, title, version, as_of, saved_at, saved_by, review_on in rows:
            saved = dt.datetime.fromisoformat(saved_at.replace("Z", "+00:00")).date()
            review = (
                dt.date.fromisoformat(review_on)
                if review_on
                else saved + dt.timedelta(days=REVIEW_EVERY_DAYS)
            )
            retain = saved + keep
            row = CaseRow(
                case_id,
                title,
                version,
                dt.date.fromisoformat(as_of),
                saved_at,
                saved_by,
                review,
                review_on is not None,
                retain,
                review <= today,
                retain <= today,
            )
            if row.due or not due:
                out.append(row)
        return out

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
            latest = self._latest(c, case_id)["version"]
            if not 0 <= case_version <= latest:
                raise StoreError(f"case {case_id} has no version {case_version} (latest: {latest})")
            return log.append(c, case_id, entries, case_version, _iso(self.now()))

    def decisions(self, case_id: str) -> list[Decision]:
        """The case's decision log, oldest first."""
        with self._reading(f"reading decisions on case {case_id}") as c:
            self._latest(c, case_id)
            return log.read(c, case_id)

    # --- helpers -------------------------------------------------------------------------

    def _latest(
        self, c: sqlite3.Connection, case_id: str, *, must_exist: bool = True
    ) -> dict | None:
        row = c.execute(
            "SELECT version, text, sha256, saved_by, saved_at FROM versions "
            "WHERE case_id = ? ORDER BY version DESC LIMIT 1",
            (case_id,),
        ).fetchone()
        if row is None:
            if must_exist:
                raise self._no_case(case_id)
            return None
        return dict(zip(("version", "text", "sha256", "saved_by", "saved_at"), row, strict=True))

    def _text(self, c: sqlite3.Connection, case_id: str, version: int) -> str:
        row = c.execute(
            "SELECT text FROM versions WHERE case_id = ? AND version = ?", (case_id, version)
        ).fetchone()
        if row is None:
            latest = self._latest(c, case_id)["version"]
            raise NoSuchCase(
                f"case {case_id} has no version {version} (versions 1 to {latest})",
                hint=f"see `achilles case history {case_id}`",
            )
        return row[0]

    def _insert(
        self, c: sqlite3.Connection, case_id: str, n: int, text: str, who: str, summary: str, case
    ) -> None:
        c.execute(
            "INSERT INTO versions (case_id, version, text, sha256, saved_by, saved_at, summary, "
            "title, as_of, review_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                case_id,
                n,
                text,
                _sha(text),
                who or "unknown",
                _iso(self.now()),
                summary,
                case.case.title,
                case.case.as_of.isoformat(),
                case.case.review_on.isoformat() if case.case.review_on else None,
            ),
        )

    def _no_case(self, case_id: str) -> NoSuchCase:
        return NoSuchCase(
            f"no case '{case_id}' in the workspace {self.path}",
            hint="see `achilles cases list`; add one with `achilles case import FILE`",
        )


def _validate(text: str, file_name: str):
    from achilles.model.case_file import parse_case

    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise InputError(
            f"{file_name}: over the {MAX_FILE_BYTES:,}-byte limit for one case file",
            hint="split the case, or check it is the right file",
        )
    return parse_case(text, file_name)
