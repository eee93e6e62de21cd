"""The base of every dialog: the case's protective marking as the title of its box, the first
field focused when it opens, and the line that says how to save."""

from __future__ import annotations

from typing import Any, TypeVar

from textual.screen import ModalScreen
from textual.widgets import Static

from achilles.tui.widgets.marking import marking_of

ResultT = TypeVar("ResultT")

# What a form's keys do, shown under its fields (the UX trial: nobody guessed that Enter saves).
# A multi-line text area keeps Enter for new lines; ctrl+s saves from anywhere.
FORM_KEYS = "Enter saves · Tab next field · ctrl+s saves (also in a multi-line box) · Esc cancels"


# A form's AUTO_FOCUS: its first field has the focus when it opens, so the first keystrokes land
# in it (Textual's default focuses the scrolling box around the fields). Dialogs that only show
# text (help, the review agenda) keep the default, so their box scrolls with the keys.
FIELDS_FIRST = "Input, Select, SelectionList, TextArea, Checkbox, Button"


def form_keys() -> Static:
    """The hint line every form shows above its buttons."""
    return Static(FORM_KEYS, classes="form-keys", id="form-keys")


class MarkedDialog(ModalScreen[ResultT]):
    """A dialog over case data carries the marking too (Textual runs this on_mount as well as a
    subclass's own)."""

    def on_mount(self) -> None:
        box = next(iter(self.children), None)
        if box is not None:
            box.border_title = marking_of(self.app)


class FormDialog(MarkedDialog[ResultT]):
    """A form: its first field focused, and Escape after typing asks before throwing the typing
    away (nothing a user typed is lost by a stray key). Subclasses implement `typed()`: what the
    fields hold now, compared with what they held when the form opened."""

    AUTO_FOCUS = FIELDS_FIRST
    _opened_with: Any = None

    def typed(self) -> Any:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.call_after_refresh(self._remember)

    def _remember(self) -> None:
        self._opened_with = self.typed()

    def action_cancel(self) -> None:
        from achilles.tui.screens.dialogs.confirm import Confirm

        if self._opened_with is None or self.typed() == self._opened_with:
            self.dismiss(None)
            return

        def done(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            Confirm("Throw away what you typed in this form? (No goes back to it)"), done
        )
