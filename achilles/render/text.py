"""Plan as plain text, for email."""

from __future__ import annotations

import textwrap

from achilles.plan import Plan
from achilles.render.clean import one_line
from achilles.render.page import ACTION_HEADERS, Block, Bullets, Heading, Para, Table, page

_BAR = "=" * 72


def _wrap(text: str, indent: str = "  ") -> list[str]:
    return textwrap.wrap(
        one_line(text), width=96, initial_indent=indent, subsequent_indent=indent + "  "
    ) or [indent]


def plan_text(plan: Plan) -> str:
    out: list[str] = []
    for b in page(plan).blocks():
        out += _text_block(b)
    return "\n".join(out).rstrip("\n") + "\n"


def _text_block(b: Block) -> list[str]:
    t = one_line
    if isinstance(b, Heading):
        text = t(b.text)
        if b.level == 1:
            return [_BAR, text.upper(), _BAR]
        if b.level == 2:
            return ["", text.upper(), "-" * min(len(text), 72)]
        return ["", text]
    if isinstance(b, Para):
        if b.style == "marking":
            return [t(b.text)]
        return _wrap(b.text)
    if isinstance(b, Bullets):
        return (_wrap(b.intro) if b.intro else []) + [
            line for i in b.items for line in _wrap("- " + i)
        ]
    if isinstance(b, Table):
        return [line for row in b.rows for line in _wrap(_row(b.headers, row))]
    return ["", _BAR, "ANNEXES", _BAR]  # Break


def _row(headers: list[str], row: list[str]) -> str:
    """A table row on one wrapped line: numbered if the table is, each cell with its header."""
    if not any(headers):
        return f"{row[0]}: {row[1]}"
    if headers == ACTION_HEADERS:
        n, four_p, action, target, lead, owner, due, status, phase = row
        return (
            f"{n}. {action}: {target} ({four_p}) | lead {lead} | owner {owner} | due {due} | "
            f"{status} | phase {phase}"
        )
    cells = list(zip(headers, row, strict=True))
    prefix = ""
    if headers[0] == "#":
        prefix, cells = f"{row[0]}. ", cells[1:]
    return prefix + " | ".join(
        f"{h.lower()} {c}" if i else c for i, (h, c) in enumerate(cells) if c
    )
