"""Where the workspace file lives, and SQLite failures as StoreErrors a user can act on.

Every message names the file and the way out; none carries case data (only paths, case ids,
versions and SQLite's error name).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from achilles.errors import StoreError
from achilles.files import OutputError, check_private_file

MOVE_ASIDE = "restore it from a backup, or move it aside: achilles will create a new, empty one"


def make_folder(folder: Path) -> None:
    if folder.is_dir():
        return
    old = os.umask(0o077)
    try:
        folder.mkdir(parents=True, mode=0o700)
    except FileExistsError:
        raise StoreError(
            f"{folder}: is a file, so the workspace cannot be created in it",
            hint="choose another place with --workspace or ACHILLES_WORKSPACE",
        ) from None
    except OSError as exc:
        raise StoreError(
            f"{folder}: the workspace folder cannot be created ({exc.strerror})",
            hint="choose a folder you can write to with --workspace or ACHILLES_WORKSPACE",
        ) from None
    finally:
        os.umask(old)
    os.chmod(folder, 0o700)


def check_access(path: Path, folder: Path, new: bool) -> None:
    way_out = (
        "make it writable by you (chmod u+w), or copy the workspace to a folder you can write to "
        "and point --workspace or ACHILLES_WORKSPACE at the copy"
    )
    if not os.access(folder, os.W_OK | os.X_OK):
        what = (
            "the workspace cannot be created there"
            if new
            else "SQLite needs to write its -wal and -shm files beside the workspace"
        )
        raise StoreError(f"{path}: the folder {folder} is read-only, and {what}", hint=way_out)
    if not new and not os.access(path, os.R_OK):
        raise StoreError(
            f"{path}: the workspace cannot be read (permission denied)",
            hint="check the file's owner and permissions (it should be yours, mode 0600)",
        )
    if not new and not os.access(path, os.W_OK):
        raise StoreError(f"{path}: the workspace is read-only", hint=way_out)


def keep_private(path: Path) -> None:
    """The database and its -wal and -shm files: the user's own regular files, owner-only.

    A link (into another user's file, say), a file someone else owns, or a pipe is refused;
    a loose mode (a copied or pre-made file) is tightened to 0600 before SQLite opens it.
    SQLite gives a -wal or -shm file it creates the database's mode.
    """
    for suffix, what in (
        ("", "the workspace"),
        ("-wal", "its -wal file"),
        ("-shm", "its -shm file"),
    ):
        try:
            check_private_file(Path(f"{path}{suffix}"), what)
        except OutputError as exc:
            raise StoreError(exc.message, hint=exc.hint) from None


def fault(path: Path, exc: sqlite3.Error, doing: str, timeout: float) -> StoreError:
    """A SQLite failure as a StoreError that names the file and the way out (never data)."""
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    name = getattr(exc, "sqlite_errorname", None) or type(exc).__name__
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreError(
            f"{path}: the workspace is locked by another program (waited {timeout:g} s "
            f"while {doing})",
            hint="close the other Achilles or let it finish, then try again; nothing was changed",
        )
    if code == sqlite3.SQLITE_READONLY:
        return StoreError(
            f"{path}: the workspace is read-only, so {doing} failed",
            hint="make the file and its folder writable by you, or point --workspace at a "
            "copy in a folder you can write to",
        )
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return StoreError(
            f"{path}: the workspace is damaged or is not a database (while {doing})",
            hint=MOVE_ASIDE,
        )
    if code == sqlite3.SQLITE_CANTOPEN:
        return StoreError(
            f"{path}: the workspace cannot be opened (while {doing})",
            hint="check that the file and its folder exist and that you can read and write them",
        )
    if code == sqlite3.SQLITE_FULL:
        return StoreError(
            f"{path}: the disk is full (while {doing}); nothing was changed",
            hint="free some disk space and try again",
        )
    if code == sqlite3.SQLITE_IOERR:
        return StoreError(
            f"{path}: a disk error stopped {doing} ({name})",
            hint="check the disk; if the workspace is damaged, " + MOVE_ASIDE,
        )
    if code == sqlite3.SQLITE_CONSTRAINT:
        return StoreError(
            f"{path}: the workspace refused a change while {doing} ({name})",
            hint="case versions and decisions are append-only; delete a whole case with "
            "`achilles case delete ID --yes`",
        )
    return StoreError(f"{path}: the workspace failed while {doing} ({name})", hint=MOVE_ASIDE)
