"""A missing folder is offered for creation, never created silently: the first Enter names it,
the second creates it (owner-only). Shared by the export and new-case dialogs."""

from __future__ import annotations

from pathlib import Path

from achilles.files import private_folder


class FolderOffer:
    def __init__(self) -> None:
        self.offered: Path | None = None  # the missing folder the LRO was asked about

    def problem(self, folder: Path) -> str | None:
        """None when `folder` is there (or was just created on the second Enter); otherwise
        what to tell the LRO."""
        if folder.is_dir():
            return None
        if folder.exists():
            self.offered = None
            return f"{folder} is not a folder."
        if self.offered != folder:
            self.offered = folder
            return (
                f"The folder {folder} does not exist. Press Enter again to create it "
                "(readable by you only), or change the path."
            )
        try:
            private_folder(folder)
        except OSError as exc:
            return f"Could not create {folder}: {exc.strerror or exc}"
        return None
