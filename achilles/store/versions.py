"""Case versions as rows: the latest version, one version's text, a new version, and the check
that a text is a case before it is stored. Called inside the Workspace's transactions."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, overload

from achilles.errors import InputError, NoSuchCase
from achilles.loading.yaml_reader import MAX_FILE_BYTES

if TYPE_CHECKING:
    from pathlib import Path

    from achilles.model.case import Case


@dataclass(frozen=True)
class Version:
    """One saved version of a case, as `case history` lists it."""

    case_id: str
    version: int
    sha256: str
    saved_by: str
    saved_at: str  # UTC, ISO 8601
    summary: str


@dataclass(frozen=True)
class Latest:
    """The latest version of a case, with its text: what a save is checked against."""

    version: int
    text: str
    sha256: str
    saved_by: str
    saved_at: str


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def no_case(path: Path, case_id: str) -> NoSuchCase:
    return NoSuchCase(
        f"no case '{case_id}' in the workspace {path}",
        hint="see `achilles cases list`; add one with `achilles case import FILE`",
    )


@overload
def latest(
    c: sqlite3.Connection, path: Path, case_id: str, *, must_exist: Literal[True] = ...
) -> Latest: ...
@overload
def latest(
    c: sqlite3.Connection, path: Path, case_id: str, *, must_exist: bool
) -> Latest | None: ...
def latest(
    c: sqlite3.Connection, path: Path, case_id: str, *, must_exist: bool = True
) -> Latest | None:
    """The case's latest version; a missing case raises NoSuchCase unless must_exist=False."""
    row = c.execute(
        "SELECT version, text, sha256, saved_by, saved_at FROM versions "
        "WHERE case_id = ? ORDER BY version DESC LIMIT 1",
        (case_id,),
    ).fetchone()
    if row is None:
        if must_exist:
            raise no_case(path, case_id)
        return None
    return Latest(*row)


def text_of(c: sqlite3.Connection, path: Path, case_id: str, version: int) -> str:
    """The exact text of one version; NoSuchCase names the versions there are."""
    row = c.execute(
        "SELECT text FROM versions WHERE case_id = ? AND version = ?", (case_id, version)
    ).fetchone()
    if row is None:
        last = latest(c, path, case_id).version
        raise NoSuchCase(
            f"case {case_id} has no version {version} (versions 1 to {last})",
            hint=f"see `achilles case history {case_id}`",
        )
    text: str = row[0]
    return text


def insert(
    c: sqlite3.Connection,
    case_id: str,
    n: int,
    text: str,
    who: str,
    summary: str,
    case: Case,
    saved_at: str,
) -> None:
    """Store version `n`; the title and dates are copied out so listing never parses YAML."""
    c.execute(
        "INSERT INTO versions (case_id, version, text, sha256, saved_by, saved_at, summary, "
        "title, as_of, review_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            case_id,
            n,
            text,
            sha(text),
            who or "unknown",
            saved_at,
            summary,
            case.case.title,
            case.case.as_of.isoformat(),
            case.case.review_on.isoformat() if case.case.review_on else None,
        ),
    )


def validate(text: str, file_name: str) -> Case:
    """The text as a Case, or InputError naming file, line and field: junk is never stored."""
    from achilles.model.case_file import parse_case

    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise InputError(
            f"{file_name}: over the {MAX_FILE_BYTES:,}-byte limit for one case file",
            hint="split the case, or check it is the right file",
        )
    return parse_case(text, file_name)
