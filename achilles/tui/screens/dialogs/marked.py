"""The base of every dialog: the case's protective marking as the title of its box."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

from achilles.tui.widgets.marking import marking_of

ResultT = TypeVar("ResultT")


class MarkedDialog(ModalScreen[ResultT]):
    """A dialog over case data carries the marking too (Textual runs this on_mount as well as a
    subclass's own)."""

    def on_mount(self) -> None:
        box = next(iter(self.children), None)
        if box is not None:
            box.border_title = marking_of(self.app)
