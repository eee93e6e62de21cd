"""The workspace's cases, shown when Achilles starts without a case file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from achilles.tui.screens.case import CaseScreen
from achilles.tui.widgets.marking import MarkingBar

if TYPE_CHECKING:
    from textual import getters

    from achilles.tui.app import AchillesApp


class CasesScreen(Screen):
    AUTO_FOCUS = "#cases-table"
    BINDINGS = [
        Binding("enter,o", "open", "Open", id="cases.open"),
        Binding("n", "new", "New case", id="cases.new"),
        Binding("d", "demo", "Open the demo case", id="cases.demo"),
    ]

    if TYPE_CHECKING:
        # Textual types `app` as App[Any]; this screen runs inside the Achilles app.
        app = getters.app(AchillesApp)

    def compose(self) -> ComposeResult:
        yield MarkingBar(id="marking")
        yield Static(
            "Cases in the workspace. Enter opens one; n starts a new case from a blank file; "
            "d opens the bundled demo case. Add case files with `achilles case import FILE`.",
            classes="hint",
            id="cases-hint",
        )
        yield DataTable(id="cases-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#cases-table", DataTable)
        table.add_columns("case", "title", "version", "as of", "review by")
        ws = self.app.workspace
        if ws is None:
            self.query_one("#cases-hint", Static).update(
                "No workspace. Press n for a new case, d for the demo case, or run "
                "`achilles tui CASE.yaml`."
            )
            return
        cases = ws.list_cases()
        if not cases:  # a fresh workspace: say where to begin
            self.query_one("#cases-hint", Static).update(
                "No cases in the workspace yet. Press n to start a new case from a blank file, "
                "or d for the demo case. Add case files with `achilles case import FILE`."
            )
        for row in cases:
            table.add_row(
                row.case_id,
                row.title,
                str(row.version),
                str(row.as_of),
                str(row.review_on or ""),
                key=row.case_id,
            )

    def on_data_table_row_selected(self, _: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        from achilles.meeting.session import Session

        table = self.query_one("#cases-table", DataTable)
        workspace = self.app.workspace
        if not table.row_count or workspace is None:
            return
        case_id = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if case_id is None:  # every row is added with its case id as key
            return
        session = Session.from_workspace(workspace, case_id, self.app.knowledge)
        self.app.open_session(session)
        self.app.switch_mode("options")

    def action_new(self) -> None:
        """A new case from a blank start: a file name, the blank template written (as `achilles
        case new` writes it), then the case opens on the Case screen with its header form. The
        file is valid from the start, so cancelling the header form loses nothing."""
        from achilles.tui.screens.dialogs.new_case import NewCaseDialog, new_case_path

        async def done(path: Path | None) -> None:
            if path is None:
                return
            from achilles.meeting.session import Session

            self.app.open_session(Session.from_file(path, self.app.knowledge))
            await self.app.switch_mode("case")
            also = (
                f"; `achilles case import {path.name}` adds it to the workspace"
                if self.app.workspace is not None
                else ""
            )
            self.app.notify(f"Created {path} (readable by you only): fill in the header{also}")
            screen = self.app.screen
            if isinstance(screen, CaseScreen):
                screen.action_header()

        self.app.push_screen(NewCaseDialog(new_case_path(), self.app.today), done)

    def action_demo(self) -> None:
        from platformdirs import user_data_dir

        from achilles.meeting.session import Session
        from achilles.tui.app import DEMO_CASE

        session = Session.demo(
            self.app.knowledge, DEMO_CASE, Path(user_data_dir("achilles")) / "demo"
        )
        self.app.open_session(session)
        self.app.switch_mode("options")
