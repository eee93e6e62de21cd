"""Confirm: a yes-or-no question before something that cannot be taken back without undo."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label

from achilles.tui.screens.dialogs.marked import MarkedDialog
from achilles.tui.screens.dialogs.style import DIALOG_CSS


class Confirm(MarkedDialog[bool]):
    DEFAULT_CSS = DIALOG_CSS
    SCOPED_CSS = False  # DIALOG_CSS is written for every dialog, not nested under this one
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    AUTO_FOCUS = "#no"  # Enter on a question that cannot be taken back answers no

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question)
            with Horizontal(classes="buttons"):
                yield Button("Yes", id="yes", variant="error")
                yield Button("No", id="no", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_cancel(self) -> None:
        self.dismiss(False)
