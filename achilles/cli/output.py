"""Everything the command line prints goes through here: one path, so every byte a user wrote is
inert on a terminal.

- User text is cleaned (`achilles.render.clean`): C0 and C1 controls, escape sequences, bidi
  embeddings, overrides and isolates and line separators never reach the terminal.
- Nothing is markup: the consoles have markup and emoji codes off, so a title `Op [/]` or
  `[link=...]` is printed as those characters.
- Messages are never hard-wrapped (the terminal wraps them; a pipe gets whole lines for grep).
- A table is a Rich table on a terminal; piped, it is one record per line, tab-separated, with no
  title or header (as `gh` does); `--format tsv` adds the header line and never changes shape.
- Errors and warnings have one style, on standard error: `error: ...` or `warning: ...`, then
  `hint: ...` on the next line.
- A whole document (JSON, Markdown, CSV...) goes out as its renderer made it, with any control,
  bidi or separator character left in JSON written as its `\\uXXXX` escape (same data, inert).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from achilles.render.clean import clean, one_line

out = Console(highlight=False, markup=False, emoji=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, markup=False, emoji=False, soft_wrap=True)

# What must never reach a terminal raw, even inside a document a renderer made.
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)
TABLE_FORMATS = ("table", "tsv")
_BREAKS = re.compile(r"[ \t]*\n\s*")


def terminal() -> bool:
    """Is standard output a terminal (Rich's answer, so FORCE_COLOR and TTY_COMPATIBLE count)?"""
    return out.is_terminal


# --- messages -------------------------------------------------------------------------------


def say(text: object = "", *, bold: bool = False) -> None:
    """One line (or a few, when the text holds newlines) on standard output, never wrapped."""
    for line in clean(text).split("\n") or [""]:
        out.print(Text(line, style="bold" if bold else ""), soft_wrap=True)


def line(text: object, *, bold: bool = False) -> None:
    """Exactly one line on standard output: any line break the text holds becomes a space (the
    text's own spacing is kept), so a piped line stays whole for grep."""
    out.print(Text(_BREAKS.sub(" ", clean(text)), style="bold" if bold else ""), soft_wrap=True)


def note(text: object) -> None:
    """A message about the run, not its result (files written, counts, progress): standard error."""
    err.print(Text(one_line(text)), soft_wrap=True)


def error(message: object, hint: object = None) -> None:
    _labelled("error", message, hint)


def warning(message: object, hint: object = None) -> None:
    _labelled("warning", message, hint)


def _labelled(label: str, message: object, hint: object) -> None:
    err.print(Text(f"{label}: {one_line(message)}"), soft_wrap=True)
    if hint:
        err.print(Text(f"hint: {one_line(hint)}"), soft_wrap=True)


def problem(p) -> None:
    """A Problem from a file (`achilles.loading.problems`): labelled by its level, hint below."""
    where = f"{p.file}:{p.line}" if p.line else str(p.file)
    path = "" if p.path in ("(file)", "") else f" {p.path}:"
    code = f" [{p.code}]" if p.code else ""
    label = p.level if p.level in ("error", "warning") else "note"
    _labelled(label, f"{where}:{path} {p.message}{code}", p.hint)


def problems(items: Iterable) -> None:
    for p in items:
        problem(p)


# --- documents ------------------------------------------------------------------------------


def document(text: str, *, json: bool = False) -> None:
    """A whole document on standard output, exactly as rendered, with nothing unsafe left raw."""
    if json:
        text = UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    else:
        text = UNSAFE.sub(
            lambda m: "\n" if m.group() in "\u2028\u2029" else "", text.replace("\r\n", "\n")
        )
    out.file.write(text)
    out.file.flush()


# --- tables ---------------------------------------------------------------------------------


def table(
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    title: object = None,
    fmt: str = "table",
    kind: str | None = None,
    right: Sequence[str] = (),
) -> None:
    """A table: a Rich table on a terminal; otherwise one record per line, tab-separated.

    `kind` starts each piped record when a command prints more than one table (`case show`:
    `people`, `premises`...), so `grep ^people` finds them. `fmt="tsv"` always prints the header
    line first and never draws a Rich table.
    """
    cells = [[one_line(c) for c in row] for row in rows]
    if fmt == "tsv" or not terminal():
        lead = [kind] if kind else []
        if fmt == "tsv":
            out.file.write("\t".join([*(["kind"] if kind else []), *columns]) + "\n")
        for row in cells:
            out.file.write("\t".join([*lead, *row]) + "\n")
        out.file.flush()
        return
    if not cells:
        return
    t = Table(title=Text(one_line(title)) if title else None, title_justify="left")
    for c in columns:
        t.add_column(Text(c), justify="right" if c in right else "left")
    for row in cells:
        t.add_row(*[Text(c) for c in row])
    out.print(t)


__all__ = [
    "TABLE_FORMATS",
    "document",
    "line",
    "err",
    "error",
    "note",
    "out",
    "problem",
    "problems",
    "say",
    "table",
    "terminal",
    "warning",
]
