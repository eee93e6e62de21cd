"""The workspace's cases, shown when Achilles starts without a case file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from achilles.tui.widgets.marking import MarkingBar

if TYPE_CHECKING:
    from textual import getters

    from achilles.tui.app import AchillesApp


class CasesScreen(Screen):
    AUTO_FOCUS = "#cases-table"
    BINDINGS = [
        Binding("enter,o", "open", "Open", id="cases.open"),
        Binding("d", "demo", "Open the demo case", id="cases.demo"),
    ]

    if TYPE_CHECKING:
        # Textual types `app` as App[Any]; this screen runs inside the Achilles app.
        app = getters.app(AchillesApp)

    def compose(self) -> ComposeResult:
        yield MarkingBar(id="marking")
        yield Static(
            "Cases in the workspace. Enter opens one; d opens the bundled demo case. "
            "Add cases with `achilles case import FILE`.",
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
                "No workspace. Press d for the demo case, or run `achilles tui CASE.yaml`."
            )
            return
        for row in ws.list_cases():
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

    def action_demo(self) -> None:
        from pathlib import Path

        from platformdirs import user_data_dir

        from achilles.meeting.session import Session
        from achilles.tui.app import DEMO_CASE

        session = Session.demo(
            self.app.knowledge, DEMO_CASE, Path(user_data_dir("achilles")) / "demo"
        )
        self.app.open_session(session)
        self.app.switch_mode("options")
