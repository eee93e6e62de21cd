"""Where a portfolio's cases come from: case files (given, or found under folders) and the
cases kept in the workspace (as `workspace:<case id>` sources)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from achilles.errors import AchillesError

CASE_SUFFIXES = (".yaml", ".yml", ".json")
WORKSPACE_PREFIX = "workspace:"  # a source read from the workspace rather than from a file


def workspace_cases(path: str | Path | None) -> tuple[str, list[str]]:
    """The workspace database's path and a `workspace:<case id>` source for each case in it, at
    its latest version, in id order."""
    from achilles.store import Workspace
    from achilles.store.workspace import default_path

    where = Path(path).expanduser() if path is not None else default_path()
    if not where.exists():  # opening would create an empty one: say so instead
        raise AchillesError(
            f"{where}: no workspace there",
            hint="check --workspace (or ACHILLES_WORKSPACE); add cases with `achilles case import`",
        )
    with Workspace.open(where) as ws:
        return str(ws.path), [WORKSPACE_PREFIX + row.case_id for row in ws.list_cases()]


def case_files(paths: Iterable[str | Path]) -> list[str]:
    """Files given by name, and *.yaml, *.yml, *.json found under folders (recursively, hidden
    files and folders left out), each once, in a stable order."""
    found: list[str] = []
    seen: set[str] = set()

    def add(p: Path) -> None:
        key = os.path.realpath(p)
        if key not in seen:
            seen.add(key)
            name = str(p)  # a file never passes for a workspace case
            found.append(f".{os.sep}{name}" if name.startswith(WORKSPACE_PREFIX) else name)

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            inside: list[Path] = []
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                inside.extend(
                    Path(root) / f
                    for f in files
                    if f.endswith(CASE_SUFFIXES) and not f.startswith(".")
                )
            for f in sorted(inside, key=lambda x: x.parts):
                add(f)
        elif p.exists():
            add(p)
        else:
            raise AchillesError(f"{raw}: no such file or folder", hint="check the path")
    return found
