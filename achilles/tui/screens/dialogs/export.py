"""The export dialog: which format, where, and whether names are shown or redacted.

Enter exports. The folder offered is the case file's own (or the current folder when the case
lives in a hidden data folder, which Word's Open dialog would not show); a folder that does not
exist is offered for creation; the last folder, format and redaction are remembered for the
session (`ExportChoice`, kept by the app)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from achilles.tui.screens.dialogs.folder_offer import FolderOffer
from achilles.tui.screens.dialogs.marked import MarkedDialog
from achilles.tui.screens.dialogs.style import DIALOG_CSS


@dataclass(frozen=True)
class ExportChoice:
    """What the LRO chose last time, offered again for the next export in this session."""

    folder: Path
    fmt: str = "markdown"
    redact: bool = False


def default_folder(case_path: Path | None, cwd: Path | None = None) -> Path:
    """The case file's folder, unless it is hidden (a dot-folder such as ~/.local/share, where
    `achilles demo` keeps its copy): then the current folder."""
    here = cwd or Path.cwd()
    if case_path is None:
        return here
    folder = case_path.resolve().parent
    return here if any(part.startswith(".") for part in folder.parts) else folder


class ExportDialog(MarkedDialog[tuple[str, Path, bool] | None]):
    DEFAULT_CSS = DIALOG_CSS
    SCOPED_CSS = False  # DIALOG_CSS is written for every dialog, not nested under this one
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, choice: ExportChoice, case_id: str) -> None:
        super().__init__()
        self.choice, self.case_id = choice, case_id
        self.folder = FolderOffer()

    def compose(self) -> ComposeResult:
        from achilles.render import FORMATS, SUFFIX

        with Vertical():
            yield Label(
                "Export the plan (written readable by you only, with the protective marking). "
                "Enter exports."
            )
            yield Select(
                [(f, f) for f in FORMATS], value=self.choice.fmt, id="format", allow_blank=False
            )
            name = f"{self.case_id}-plan{SUFFIX.get(self.choice.fmt, '.md')}"
            yield Input(str(self.choice.folder / name), id="path")
            yield Select(
                [("Full (names shown)", "full"), ("Redacted (ids only, no notes)", "redact")],
                value="redact" if self.choice.redact else "full",
                id="redact",
                allow_blank=False,
            )
            yield Static("", classes="errors", id="errors")
            with Horizontal(classes="buttons"):
                yield Button("Export", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        from achilles.render import SUFFIX

        if event.select.id == "format" and isinstance(event.value, str):
            path = self.query_one("#path", Input)
            p = Path(path.value)
            path.value = str(p.with_suffix(SUFFIX[event.value]))

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.export()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self.export()
        else:
            self.dismiss(None)

    def export(self) -> None:
        fmt = self.query_one("#format", Select).value
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        redact = self.query_one("#redact", Select).value == "redact"
        errors = self.query_one("#errors", Static)
        problem = self.folder.problem(path.parent)
        if problem:
            errors.update(problem)
            return
        self.dismiss((str(fmt), path, redact))

    def action_cancel(self) -> None:
        self.dismiss(None)
