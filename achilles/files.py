"""Files that stay private: every file and folder Achilles writes or keeps data in, checked here.

OFFICIAL-SENSITIVE data goes only into regular files of the user's own, readable by them alone:
- `check_target` refuses an export target that is a symbolic link (dangling or not), a named
  pipe, a device or a socket, before any work and whatever `--force` says: writing through a
  link would put the data wherever the link points, and "replacing" a pipe or a device would
  either hang or send the data elsewhere.
- `write_private` sends a write to a temporary file beside the target (mode 0600), flushes it to
  disk, then renames it over the target, so a crash or a full disk leaves the previous file
  intact. The rename replaces a link put there meanwhile; it never follows it.
- `write_new` creates a file that can be made again (a synthetic corpus, thousands of files): it
  is owner-only from its first byte, never follows a link, and refuses an existing file without
  a race, but skips the temporary file and the flush.
- `keep_first_copy` keeps a file as it was (the TUI's backup before its first save): created
  owner-only, never through a link, never over anything but an earlier copy of the user's own.
- `check_private_file` vets a file that keeps data and is written in place (the workspace
  database and its -wal and -shm files): not a link, a regular file, the user's own, and
  tightened to 0600 when its mode lets others in.
- `private_folder` creates folders, and every missing parent, 0700 whatever the umask.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from achilles.errors import OutputError

__all__ = ["OutputError", "check_target", "private_folder", "write_new", "write_private"]

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def _link_error(path: Path, what: str = "") -> OutputError:
    dangling = not os.path.exists(path)
    return OutputError(
        f"{path}: {what}is a symbolic link{' that points nowhere' if dangling else ''}; "
        "Achilles does not write private data through links",
        hint="give the real file's path, or remove the link",
    )


def _refuse_special(path: Path, st: os.stat_result, example: str, what: str = "") -> None:
    """Refuse a link or anything but a regular file (a folder is the caller's to word)."""
    if stat.S_ISLNK(st.st_mode):
        raise _link_error(path, what)
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{path}: is a folder", hint=f"give a file name, e.g. {example}")
    if not stat.S_ISREG(st.st_mode):
        raise OutputError(
            f"{path}: {what}is {_kind(st.st_mode)}, not a regular file",
            hint=f"give the name of an ordinary file, e.g. {example}",
        )


def check_target(path: Path, *, force: bool, example: str = "plan.md") -> Path:
    """Refuse a file we must not or cannot write, before any work; return its folder."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(
            f"{path}: the folder {folder} does not exist",
            hint="create it first or choose another --out",
        )
    st = _lstat(path)
    if st is None:
        return folder
    _refuse_special(path, st, example)
    if not force:
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
        os.chmod(tmp, PRIVATE_FILE)
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


def private_folder(folder: Path, *, ours: int = 1) -> Path:
    """Create `folder` and every missing parent owner-only (0700, whatever the umask).

    The last `ours` levels (the folder itself, then its parent, ...) are Achilles's own: when
    they already exist, belong to the user and let others in, they are tightened to 0700. A
    folder above them that already existed (the user's cache or data folder) is left alone.
    """
    folder = Path(folder)
    old = os.umask(0o077)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    finally:
        os.umask(old)
    for level in [folder, *folder.parents][:ours]:
        st = level.stat()
        if st.st_uid == os.geteuid() and stat.S_IMODE(st.st_mode) & 0o077:
            level.chmod(PRIVATE_FOLDER)
    return folder


def write_new(
    path: Path,
    data: str | bytes,
    *,
    force: bool = False,
    exists_hint: str = "add --force to replace it, or choose another name",
) -> None:
    """Create `path` owner-only from its first byte; an existing file is refused unless `force`.

    O_EXCL makes the refusal and the creation one step, so two writers never share a file;
    O_NOFOLLOW and O_NONBLOCK make a link or a named pipe an error rather than a detour or a hang.
    """
    path = Path(path)
    st = _lstat(path)
    if st is not None:
        if not force:
            if stat.S_ISLNK(st.st_mode):
                raise _link_error(path)
            raise OutputError(f"{path}: already exists", hint=exists_hint)
        _refuse_special(path, st, path.name)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK
    flags |= os.O_TRUNC if force else os.O_EXCL
    try:
        fd = os.open(path, flags, PRIVATE_FILE)
    except FileExistsError:
        raise OutputError(f"{path}: already exists", hint=exists_hint) from None
    except OSError as exc:
        raise OutputError(
            f"{path}: could not be written ({exc.strerror})",
            hint="choose a folder you can write to",
        ) from None
    with open(fd, "wb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped in since the check above
            raise OutputError(f"{path}: is not a regular file", hint="choose another name")
        os.fchmod(fd, PRIVATE_FILE)  # a replaced file would keep its old, perhaps wider, mode
        fh.write(raw)


def keep_first_copy(source: Path, copy: Path) -> bool:
    """Copy `source` to `copy` owner-only, unless an earlier copy of the user's own is there.

    Returns True when it made the copy. A link at `copy` (dangling or not), a pipe, a device,
    or a file someone else owns is refused: the copy holds the same data as the source.
    """
    copy = Path(copy)
    st = _lstat(copy)
    if st is not None:
        _refuse_special(copy, st, copy.name, what="the backup ")
        if st.st_uid != os.geteuid():
            raise OutputError(
                f"{copy}: the backup belongs to another user",
                hint="move it aside; Achilles keeps its backup in a file of your own",
            )
        return False
    write_new(copy, Path(source).read_bytes(), exists_hint="move the backup aside")
    return True


def check_private_file(path: Path, what: str) -> bool:
    """Vet an existing file that keeps private data and is written in place.

    Refuses a link, anything but a regular file, and a file another user owns; tightens a mode
    that lets others in to 0600. Returns whether the file exists.
    """
    path = Path(path)
    st = _lstat(path)
    if st is None:
        return False
    _refuse_special(path, st, path.name, what=f"{what} ")
    if st.st_uid != os.geteuid():
        raise OutputError(
            f"{path}: {what} belongs to another user (uid {st.st_uid}), so others may read it",
            hint="use a file of your own: copy it and give the copy's path",
        )
    if stat.S_IMODE(st.st_mode) & 0o077:
        try:
            os.chmod(path, PRIVATE_FILE)
        except OSError as exc:
            raise OutputError(
                f"{path}: {what} is readable by others and cannot be made private ({exc.strerror})",
                hint=f"make it owner-only yourself: chmod 600 {path}",
            ) from None
    return True
