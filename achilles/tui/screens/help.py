"""The help screen; its text is help.md beside it."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from achilles.tui.screens.dialogs.marked import MarkedDialog


class HelpScreen(MarkedDialog[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen VerticalScroll { width: 90%; max-width: 110; height: 90%; border: thick $primary;
        background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape,f1,question_mark,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown((Path(__file__).parent / "help.md").read_text(encoding="utf-8"))

    def action_close(self) -> None:
        self.dismiss(None)
