"""A small form dialog: its fields, an errors line, the keys line and Save/Cancel buttons.
Enter in a one-line field saves, ctrl+s saves, Escape cancels. The plan's decision, owner and
progress forms and the new-case dialog are built on it."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Input, Static

from achilles.tui.screens.dialogs.marked import FIELDS_FIRST, MarkedDialog, form_keys
from achilles.tui.screens.dialogs.style import DIALOG_CSS


class SmallForm(MarkedDialog[Any]):
    DEFAULT_CSS = DIALOG_CSS
    SCOPED_CSS = False  # DIALOG_CSS is written for every dialog, not nested under this one
    AUTO_FOCUS = FIELDS_FIRST
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]

    def buttons(self, save: str) -> ComposeResult:
        yield Static("", classes="errors", id="errors")
        yield form_keys()
        with Horizontal(classes="buttons"):
            yield Button(save, id="ok", variant="primary")
            yield Button("Cancel (esc)", id="cancel")

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self.action_save()
        else:
            self.dismiss(None)

    def error(self, text: str) -> None:
        self.query_one("#errors", Static).update(text)

    def action_save(self) -> None:
        raise NotImplementedError

    def action_cancel(self) -> None:
        self.dismiss(None)
