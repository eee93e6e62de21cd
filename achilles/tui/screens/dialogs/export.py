"""The export dialog: which format, where, and whether names are shown or redacted."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from achilles.tui.screens.dialogs.marked import MarkedDialog
from achilles.tui.screens.dialogs.style import DIALOG_CSS


class ExportDialog(MarkedDialog[tuple[str, Path, bool] | None]):
    DEFAULT_CSS = DIALOG_CSS
    SCOPED_CSS = False  # DIALOG_CSS is written for every dialog, not nested under this one
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, default_dir: Path, case_id: str) -> None:
        super().__init__()
        self.default_dir, self.case_id = default_dir, case_id

    def compose(self) -> ComposeResult:
        from achilles.render import FORMATS

        with Vertical():
            yield Label(
                "Export the plan (written readable by you only, with the protective marking)"
            )
            yield Select(
                [(f, f) for f in FORMATS], value="markdown", id="format", allow_blank=False
            )
            yield Input(str(self.default_dir / f"{self.case_id}-plan.md"), id="path")
            yield Select(
                [("Full (names shown)", "full"), ("Redacted (ids only, no notes)", "redact")],
                value="full",
                id="redact",
                allow_blank=False,
            )
            yield Static("", classes="errors", id="errors")
            with Horizontal(classes="buttons"):
                yield Button("Export", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_select_changed(self, event: Select.Changed) -> None:
        from achilles.render import SUFFIX

        if event.select.id == "format" and isinstance(event.value, str):
            path = self.query_one("#path", Input)
            p = Path(path.value)
            path.value = str(p.with_suffix(SUFFIX[event.value]))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id != "ok":
            self.dismiss(None)
            return
        fmt = self.query_one("#format", Select).value
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        redact = self.query_one("#redact", Select).value == "redact"
        if not path.parent.is_dir():
            self.query_one("#errors", Static).update(f"The folder {path.parent} does not exist.")
            return
        self.dismiss((str(fmt), path, redact))

    def action_cancel(self) -> None:
        self.dismiss(None)
