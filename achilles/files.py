"""Writing files the way OFFICIAL-SENSITIVE data needs: owner-only, atomic, never clobbering.

`write_private` sends a write to a temporary file beside the target (mode 0600), flushes it to
disk, then renames it over the target, so a crash or a full disk leaves the previous file intact.
`write_new` creates a file that can be made again (a synthetic corpus, thousands of files): it is
owner-only from its first byte and refuses an existing file without a race, but skips the
temporary file and the flush.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from achilles.errors import OutputError

__all__ = ["OutputError", "check_target", "private_folder", "write_new", "write_private"]


def check_target(path: Path, *, force: bool, example: str = "plan.md") -> Path:
    """Refuse a file we must not or cannot write, before any work; return its folder."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(
            f"{path}: the folder {folder} does not exist",
            hint="create it first or choose another --out",
        )
    if path.is_dir():
        raise OutputError(f"{path}: is a folder", hint=f"give a file name, e.g. {example}")
    if path.exists() and not force:
        raise OutputError(
            f"{path}: already exists", hint="add --force to replace it, or choose another name"
        )
    return folder


def write_private(path: Path, data: str | bytes, *, force: bool = True) -> None:
    """Write `data` to `path` owner-only and atomically; an existing file only with `force`."""
    path = Path(path)
    folder = check_target(path, force=force)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    old = os.umask(0o077)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
        tmp = None
    except PermissionError:
        raise OutputError(
            f"{path}: permission denied", hint="choose a folder you can write to"
        ) from None
    except OSError as exc:
        raise OutputError(
            f"{path}: could not be written ({exc.strerror}); the previous file, if any, is unchanged",
            hint="free some disk space or choose another folder",
        ) from None
    finally:
        os.umask(old)
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)


def private_folder(folder: Path) -> Path:
    """Create a folder (and its parent) readable by the owner only."""
    for f in (folder.parent, folder):
        f.mkdir(parents=True, exist_ok=True)
        f.chmod(0o700)
    return folder


def write_new(
    path: Path,
    data: str | bytes,
    *,
    force: bool = False,
    exists_hint: str = "add --force to replace it, or choose another name",
) -> None:
    """Create `path` owner-only from its first byte; an existing file is refused unless `force`.

    O_EXCL makes the refusal and the creation one step, so two writers never share a file.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise OutputError(f"{path}: already exists", hint=exists_hint) from None
    except OSError as exc:
        raise OutputError(
            f"{path}: could not be written ({exc.strerror})",
            hint="choose a folder you can write to",
        ) from None
    with open(fd, "wb") as fh:
        os.fchmod(fd, 0o600)  # a replaced file would keep its old, perhaps wider, mode
        fh.write(raw)
