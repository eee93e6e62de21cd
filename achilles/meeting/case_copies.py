"""The case file on disk around a save: its fingerprint (to notice another program's change), the
one backup a session keeps of the file as it was, and the private copy kept when a save is
refused, so nothing typed is lost."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

from achilles.errors import AchillesError
from achilles.files import private_folder, write_private


def sha(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def file_sha(path: Path) -> str | None:
    """The file's fingerprint, or None when it cannot be read (gone, or not ours)."""
    try:
        return sha(path.read_bytes())
    except OSError:
        return None


def back_up_once(path: Path) -> None:
    """Keep the file as it was before Achilles first saved over it (comments included)."""
    backup = path.with_name(f".{path.name}.before-achilles")
    if not backup.exists():
        shutil.copy2(path, backup)
        backup.chmod(0o600)


def keep_conflict_copy(name: str, text: str) -> Path | None:
    """Write the edited case to a private file in the user data folder; None if even that fails."""
    from platformdirs import user_data_dir

    try:
        folder = private_folder(Path(user_data_dir("achilles")) / "unsaved")
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        target = folder / f"{name}-{stamp}.yaml"
        write_private(target, text)
        return target
    except (OSError, AchillesError):
        return None
