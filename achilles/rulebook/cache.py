"""A private cache of the checked catalogue and rulebook, so a cold `achilles recommend` does not
re-read and re-check 90 powers and 230 rules every time.

The key covers every file that could change the result: the rule, catalogue and vocabulary files
and Achilles' own code, by name and content (a SHA-256 of their bytes: an edit that keeps a
file's size and modification time is still seen; hashing the ~2 MB takes a few milliseconds). The cache lives in the user's cache
folder (0700), each file 0600, and holds no case data. A cache file that is not the user's own,
is readable by others, or fails to load is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import achilles

_CODE = Path(achilles.__file__).resolve().parent


def _fingerprint(folders: list[Path]) -> str:
    h = hashlib.sha256()
    h.update(f"{achilles.__version__}|{sys.version_info[:2]}".encode())
    for folder in folders:
        h.update(str(folder.resolve()).encode())
        if not folder.exists():
            h.update(b"<missing>")
            continue
        for p in sorted(folder.rglob("*")) if folder.is_dir() else [folder]:
            if p.suffix in (".yaml", ".yml", ".py") and p.is_file():
                body = p.read_bytes()
                h.update(f"{p}|{len(body)}|".encode())
                h.update(body)
    return h.hexdigest()[:32]


def cached(folders: list[Path], build: Callable[[], Any]) -> Any:
    """`build()`'s result, from the cache when nothing it depends on has changed."""
    if os.environ.get("ACHILLES_NO_CACHE"):
        return build()
    try:
        from platformdirs import user_cache_dir

        home = Path(user_cache_dir("achilles"))
        key = _fingerprint([*folders, _CODE])
        target = home / f"knowledge-{key}.pickle"
        if _trusted(target):
            with target.open("rb") as fh:
                return pickle.load(fh)  # our own file: owner-only, in the owner's cache folder
    except Exception:  # a broken cache is never an error: rebuild
        target = None
    value = build()
    if target is not None:
        _store(target, value)
    return value


def _trusted(path: Path) -> bool:
    try:
        st = path.lstat()  # a link is never trusted
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o077


def _store(target: Path, value: Any) -> None:
    try:
        from achilles.files import private_folder, write_private

        private_folder(target.parent)  # missing parents too: 0700 whatever the umask
        for old in target.parent.glob("knowledge-*.pickle"):
            old.unlink(missing_ok=True)

        write_private(target, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # no cache is fine
        return
