"""The new-case dialog: where to write a blank case file. It writes the same commented template
as `achilles case new` (owner-only), then the Cases screen opens the file and its header form.

The folder offered is the current one, never a hidden data folder (a dot-folder, which Word's or
a file manager's Open dialog would not show); a folder that does not exist is offered for
creation; an existing file is never replaced."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from achilles.errors import AchillesError
from achilles.model.blank_case import write_blank_case
from achilles.tui.screens.dialogs.folder_offer import FolderOffer
from achilles.tui.screens.dialogs.small_form import SmallForm


def new_case_path(cwd: Path | None = None) -> Path:
    """A file name that does not exist yet, in the current folder (the home folder when the
    current one is hidden): new-case.yaml, then new-case-2.yaml, ..."""
    here = cwd or Path.cwd()
    if any(part.startswith(".") for part in here.resolve().parts):
        here = Path.home()
    path = here / "new-case.yaml"
    n = 2
    while path.exists():
        path = here / f"new-case-{n}.yaml"
        n += 1
    return path


class NewCaseDialog(SmallForm):
    """Ask where the new case file goes; write it; return its path (None: cancelled)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Create")]

    def __init__(self, path: Path, today: dt.date) -> None:
        super().__init__()
        self.path, self.today = path, today
        self.folder = FolderOffer()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                "A new case, from a blank start: the case file to write (readable by you only). "
                "The header form opens next; add people, premises and activities on the Case "
                "screen."
            )
            yield Input(str(self.path), id="path")
            yield from self.buttons("Create (enter)")

    def action_save(self) -> None:
        errors = self.query_one("#errors", Static)
        text = self.query_one("#path", Input).value.strip()
        if not text:
            errors.update("Type a file name, e.g. op-kestrel.yaml.")
            return
        path = Path(text).expanduser()
        if path.suffix.lower() not in (".yaml", ".yml"):
            path = path.with_name(path.name + ".yaml")
        problem = self.folder.problem(path.parent)
        if problem:
            errors.update(problem)
            return
        try:
            write_blank_case(path, self.today)
        except AchillesError as exc:  # it exists, or the folder cannot be written
            hint = "choose another name" if path.exists() else (exc.hint or "")
            errors.update(f"{exc.message}" + (f" ({hint})" if hint else ""))
            return
        self.dismiss(path)
