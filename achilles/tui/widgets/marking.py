"""The protective marking, on screen all the time: the top line of every case screen and the
title of every dialog, so a projector in a partnership meeting never shows case data unmarked."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import App
from textual.widgets import Static

from achilles.render.clean import clean

DEFAULT_MARKING = "OFFICIAL-SENSITIVE"  # the case model's default when the file names none


def marking_of(app: App[Any]) -> str:
    """The open case's marking; the default marking while no case (or a broken one) is open."""
    session = getattr(app, "session", None)
    info = session.data.get("case", {}) if session is not None else {}
    marking = info.get("marking") if isinstance(info, dict) else None
    return clean(str(marking)) if marking else DEFAULT_MARKING


class MarkingBar(Static):
    """One line: the marking (bold, reversed, readable from the back of the room), then the tool
    and the case title. It replaces Textual's Header so it costs no extra row at 80x24."""

    DEFAULT_CSS = """
    MarkingBar { dock: top; height: 1; width: 1fr; background: $panel; }
    """

    def on_mount(self) -> None:
        self.refresh_marking()

    def refresh_marking(self) -> None:
        session = getattr(self.app, "session", None)
        title = session.data.get("case", {}).get("title", "") if session is not None else ""
        line = Text()
        line.append(f" {marking_of(self.app)} ", style="bold reverse")
        line.append("  Achilles")
        if title:
            line.append(f" — {clean(str(title))}")
        self.update(line)
