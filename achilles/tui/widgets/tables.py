"""Filling a DataTable with columns sized to their content, so nothing is cut to its header's width."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from achilles.render.clean import clean


def fill(
    table: DataTable,
    headers: list[str],
    rows: Sequence[tuple[str | None, Sequence[object]]],
    caps: dict[str, int] | None = None,
    *,
    wrap: bool = False,
) -> None:
    """Replace the table's content, keeping the cursor row where it was. With `wrap`, a cell
    longer than its column wraps onto more lines (the row grows) instead of being cut."""
    caps = caps or {}
    keep = table.cursor_row
    table.clear(columns=True)
    for i, h in enumerate(headers):
        width = max([len(h)] + [len(_plain(r[1][i])) for r in rows]) if rows else len(h)
        table.add_column(h, width=min(width, caps.get(h, 40)), key=h)
    for key, cells in rows:
        table.add_row(
            *[
                Text(_plain(c), style=c.style) if isinstance(c, Text) else Text(_plain(c))
                for c in cells
            ],
            key=key,
            height=None if wrap else 1,
        )
    if table.row_count:
        table.move_cursor(row=min(max(keep, 0), table.row_count - 1))


def _plain(value: object) -> str:
    """Cell text with escape sequences and control characters removed: user data is never markup."""
    if isinstance(value, Text):
        return clean(value.plain)
    return "" if value is None else clean(str(value))


class JumpTable(DataTable):
    """A row table where g/G and Home/End move the cursor to the first or last row (as in less,
    lazygit or k9s), instead of Textual's default of scrolling sideways."""

    BINDINGS = [
        Binding("g,home", "first_row", "First row", show=False),
        Binding("G,end", "last_row", "Last row", show=False),
    ]

    def action_first_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=0, column=0)

    def action_last_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.row_count - 1, column=0)
