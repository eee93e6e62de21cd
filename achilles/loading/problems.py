"""Problems found in input files, collected so a user sees every one at once.

A Problem knows its file, the line when the parser knew it, the dotted field path, what is
wrong and how to fix it. It never carries a value from a case beyond vocabulary terms and ids.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

Path_ = tuple[str | int, ...]


def dotted(path: Path_) -> str:
    """`("people", 2, "role")` -> `people[2].role`: the way a user finds it in the file."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    path: str
    message: str
    hint: str | None = None
    level: str = "error"  # "error" stops the run; "warning" is shown and the run goes on
    code: str | None = None  # a stable check code (achilles.rulebook.codes.CheckCode)

    def render(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        code = f" [{self.code}]" if self.code else ""
        text = f"{where}: {self.path}: {self.message}{code}"
        if self.hint:
            text += f" ({self.hint})"
        return text


@dataclass
class Problems:
    """Collects problems for one file; a line map turns field paths into line numbers."""

    file: str
    lines: dict[Path_, int] = field(default_factory=dict)
    items: list[Problem] = field(default_factory=list)

    def line_for(self, path: Path_) -> int | None:
        # A missing field has no line of its own: point at the nearest enclosing value.
        probe = tuple(path)
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1]
        return self.lines.get((), None)

    def add(
        self,
        path: Path_,
        message: str,
        hint: str | None = None,
        *,
        level: str = "error",
        code: str | None = None,
        line: int | None = None,
    ) -> None:
        self.items.append(
            Problem(
                file=self.file,
                line=line if line is not None else self.line_for(path),
                path=dotted(path),
                message=message,
                hint=hint,
                level=level,
                code=code,
            )
        )

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.level == "error"]

    def __bool__(self) -> bool:
        return bool(self.items)


def did_you_mean(word: object, choices: Iterable[str]) -> str | None:
    """A suggestion for a misspelt term or id, or None when nothing is close."""
    if not isinstance(word, str):
        return None
    pool = list(choices)
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in pool}
        close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
        close = [lowered[c] for c in close]
    if not close and len(word) >= 3:
        # A short start of one long name ('bedford' for 'bedford-county-lines') is a guess too.
        starts = [c for c in pool if c.lower().startswith(word.lower())]
        close = starts if len(starts) == 1 else []
    return f"did you mean '{close[0]}'?" if close else None


def choices_hint(word: object, choices: Sequence[str], limit: int = 12) -> str:
    """'did you mean X?' when close, else the list of allowed terms (shortened)."""
    guess = did_you_mean(word, choices)
    if guess:
        return guess
    shown = ", ".join(sorted(choices)[:limit])
    more = f", ... ({len(choices)} in all)" if len(choices) > limit else ""
    return f"use one of: {shown}{more}"
