"""Started without a file, the TUI lists the workspace's cases; decisions go to the log."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from achilles.knowledge import load_knowledge_lenient
from achilles.store import Workspace
from achilles.tui.app import AchillesApp
from tests.tui.helpers import SAMPLE, TODAY, settle, show_option


async def test_case_list_opens_a_case_and_logs_decisions(tmp_path):
    ws = Workspace.open(tmp_path / "ws.db")
    case_id, version = ws.import_case(SAMPLE.read_text(), SAMPLE.name, "tester")
    knowledge = load_knowledge_lenient([], None)
    app = AchillesApp(None, knowledge, workspace=ws)
    app.today, app.show_timing = TODAY, False
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.screen.__class__.__name__ == "CasesScreen"
        table = app.screen.query_one("#cases-table", DataTable)
        assert [row.value for row in table.rows] == [case_id]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "OptionsScreen"
        assert app.session.workspace_id == case_id and app.session.base_version == version
        await show_option(pilot, "premises_licence_review@p1")
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one("#reason", Input).value = "Tenancy team leads instead"
        await pilot.press("enter")
        await pilot.pause()
    log = ws.decisions(case_id)
    assert len(log) == 1
    assert log[0].decision == "rejected" and log[0].reason == "Tenancy team leads instead"
