"""Issue 18: a new case from the Cases screen, from a blank start, in a fresh workspace and with
no workspace at all: the blank template `achilles case new` writes (owner-only), the header form,
then the Case screen."""

from __future__ import annotations

import datetime as dt
import stat

import pytest
from textual.widgets import Input

from achilles.knowledge import load_knowledge_lenient
from achilles.loading.yaml_reader import load_yaml
from achilles.model.blank_case import blank_case
from achilles.model.case_file import case_from_document
from achilles.tui.app import AchillesApp
from achilles.tui.screens.case import CaseScreen
from achilles.tui.screens.cases import CasesScreen
from achilles.tui.screens.dialogs.case_header import CaseHeaderForm
from achilles.tui.screens.dialogs.new_case import NewCaseDialog, new_case_path
from tests.tui.helpers import TODAY, settle

SIZE = (80, 24)


def _app(tmp_path, workspace: bool) -> AchillesApp:
    knowledge = load_knowledge_lenient([], None)
    ws = None
    if workspace:
        from achilles.store import Workspace

        ws = Workspace.open(tmp_path / "workspace.db")
    app = AchillesApp(None, knowledge, workspace=ws)
    app.today = TODAY
    app.show_timing = False
    return app


@pytest.mark.parametrize("workspace", [True, False], ids=["fresh-workspace", "no-workspace"])
async def _new_case_to_header_form(pilot) -> None:
    """n on the Cases screen, Enter to accept the offered file: the header form opens."""
    await pilot.pause()
    await pilot.press("n")
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)


async def test_new_case_from_a_blank_start(tmp_path, monkeypatch, workspace):
    monkeypatch.chdir(tmp_path)
    app = _app(tmp_path, workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CasesScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NewCaseDialog)
        path_box = app.screen.query_one("#path", Input)
        assert app.focused is path_box  # the first field has the focus
        assert path_box.value == str(tmp_path / "new-case.yaml")  # the current folder
        path_box.value = str(tmp_path / "op-kestrel")  # .yaml is added
        await pilot.press("enter")
        await settle(pilot)
        written = tmp_path / "op-kestrel.yaml"
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
        # exactly the template `achilles case new` writes, dated today
        assert written.read_text() == blank_case(TODAY)
        # the header form is open, on the Case screen, its first field focused
        assert isinstance(app.screen, CaseHeaderForm)
        assert app.focused is app.screen.query_one("#h-title", Input)
        await pilot.press(*"Operation Kestrel")
        for wid, text in [
            ("h-ocg-name", "Kestrel OCG"),
            ("h-ocg-reference", "URN-4411"),
            ("h-lro-name", "Insp Shah"),
            ("h-lro-agency", "police"),
            ("h-review_on", "2027-01-31"),
        ]:
            app.screen.query_one(f"#{wid}", Input).value = text
        app.screen.query_one("#h-threat").value = "high"
        await pilot.press("enter")  # Enter in a one-line field saves the form
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        doc = case_from_document(load_yaml(written, what="case file"))
        assert doc.case.title == "Operation Kestrel"
        assert (doc.ocg.name, doc.ocg.reference, doc.ocg.threat) == (
            "Kestrel OCG",
            "URN-4411",
            "high",
        )
        assert (doc.case.lro.name, doc.case.lro.agency) == ("Insp Shah", "police")
        assert doc.case.review_on == dt.date(2027, 1, 31)
        assert doc.people == [] and doc.activities == []  # a blank start: no example people
        assert "Kestrel OCG" in str(app.screen.query_one("#ocg-line").render())


async def test_cancelling_the_header_form_leaves_a_valid_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = _app(tmp_path, workspace=True)
    async with app.run_test(size=SIZE) as pilot:
        await _new_case_to_header_form(pilot)
        assert isinstance(app.screen, CaseHeaderForm)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        path = tmp_path / "new-case.yaml"
        case = case_from_document(load_yaml(path, what="case file"))  # raises if invalid
        assert case.case.id == "new-case"
        assert not app.session.read_only and app.session.result is not None


async def test_new_case_never_replaces_a_file_and_offers_a_missing_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "new-case.yaml").write_text("mine\n")
    assert new_case_path(tmp_path) == tmp_path / "new-case-2.yaml"
    app = _app(tmp_path, workspace=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        box = app.screen.query_one("#path", Input)
        box.value = str(tmp_path / "new-case.yaml")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NewCaseDialog)
        assert "already exists" in str(app.screen.query_one("#errors").render())
        assert (tmp_path / "new-case.yaml").read_text() == "mine\n"  # untouched
        box.value = str(tmp_path / "cases" / "kestrel.yaml")
        await pilot.press("enter")
        await pilot.pause()
        assert "does not exist" in str(app.screen.query_one("#errors").render())
        assert not (tmp_path / "cases").exists()
        await pilot.press("enter")  # yes, create it
        await settle(pilot)
        assert stat.S_IMODE((tmp_path / "cases").stat().st_mode) == 0o700
        assert (tmp_path / "cases" / "kestrel.yaml").is_file()


def test_new_case_path_is_never_a_hidden_folder(tmp_path, monkeypatch):
    hidden = tmp_path / ".local" / "share"
    hidden.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    assert new_case_path(hidden) == tmp_path / "home" / "new-case.yaml"


async def test_escape_after_typing_asks_before_throwing_it_away(tmp_path, monkeypatch):
    from achilles.tui.screens.dialogs.confirm import Confirm

    monkeypatch.chdir(tmp_path)
    app = _app(tmp_path, workspace=False)
    async with app.run_test(size=SIZE) as pilot:
        await _new_case_to_header_form(pilot)
        await pilot.press(*"Operation Kestrel")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)  # a stray Escape does not lose the typing
        await pilot.press("enter")  # No (the default): back to the form, the typing kept
        await pilot.pause()
        assert isinstance(app.screen, CaseHeaderForm)
        assert app.screen.query_one("#h-title", Input).value == "Operation Kestrel"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#yes")  # yes, throw it away
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        case = case_from_document(load_yaml(tmp_path / "new-case.yaml", what="case file"))
        assert case.case.title == "Operation name"  # the blank file, still valid
