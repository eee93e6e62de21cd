"""AchillesApp: modes, app-wide bindings, the analysis worker and the command palette. Wiring only."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.theme import Theme

from achilles.errors import AchillesError
from achilles.knowledge import Knowledge, load_knowledge_lenient
from achilles.loading.paths import DEMO_SAMPLE
from achilles.meeting.session import Session
from achilles.render.clean import clean
from achilles.tui.commands import AchillesCommands
from achilles.tui.messages import AnalysisReady, CaseChanged

if TYPE_CHECKING:
    from achilles.store import Workspace
    from achilles.tui.screens.dialogs.export import ExportChoice

# Okabe-Ito colours: distinguishable with the common forms of colour blindness.
COLOURBLIND = Theme(
    name="achilles-colourblind",
    primary="#0072B2",
    secondary="#56B4E9",
    accent="#E69F00",
    warning="#E69F00",
    error="#D55E00",
    success="#009E73",
    foreground="#FFFFFF",
    background="#111111",
    surface="#1C1C1C",
    panel="#2A2A2A",
    dark=True,
)
THEMES = ["textual-dark", "textual-light", "achilles-colourblind"]
DEMO_CASE = f"{DEMO_SAMPLE}.yaml"  # the bundled sample `achilles demo` opens


class AchillesApp(App):
    TITLE = "Achilles"
    # Every screen's stylesheet is read once, at start: a screen that brings its own makes
    # Textual re-parse and re-apply the whole stylesheet the first time it opens (most of the
    # Plan screen's first-open time). The screens' rules are scoped by their ids and classes.
    CSS_PATH = [
        "app.tcss",
        "screens/cases.tcss",
        "screens/case.tcss",
        "screens/options.tcss",
        "screens/plan.tcss",
        "screens/rules.tcss",
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    COMMANDS = App.COMMANDS | {AchillesCommands}
    BINDINGS = [
        Binding("1", "show('case')", "Case", id="mode.case", tooltip="The group's picture"),
        Binding(
            "2",
            "show('options')",
            "Options",
            id="mode.options",
            tooltip="Ranked disruption options",
        ),
        Binding("3", "show('plan')", "Plan", id="mode.plan", tooltip="The 4P plan and export"),
        Binding(
            "4",
            "show('rules')",
            "Rules",
            id="mode.rules",
            tooltip="Rules and powers, for the legal team",
        ),
        Binding(
            "5",
            "show('questions')",
            "Questions",
            id="mode.questions",
            tooltip="What to ask each partner, and what an answer would open",
        ),
        Binding("ctrl+z", "undo", "Undo", id="app.undo", tooltip="Undo the last edit"),
        Binding(
            "f1,question_mark",
            "help",
            "Help",
            id="app.help",
            tooltip="Keys and how to use Achilles",
        ),
        Binding(
            "ctrl+t",
            "next_theme",
            "Theme",
            id="app.theme",
            tooltip="Dark, light or colour-blind palette",
        ),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            id="app.reload",
            show=False,
            tooltip="Take the case as last saved (after a refused save)",
        ),
        Binding("ctrl+q", "quit_safely", "Quit", id="app.quit", priority=True),
    ]

    def __init__(
        self,
        session: Session | None,
        knowledge: Knowledge,
        *,
        workspace: Workspace | None = None,
        start: str = "options",
    ) -> None:
        super().__init__()
        self.session = session
        self.knowledge = knowledge
        self.workspace = workspace
        self.start_mode = start if session is not None else "cases"
        self.last_run_ms = 0.0
        self.today = dt.date.today()  # plan dates count from here; tests fix it
        self.show_timing = True
        self.export_choice: ExportChoice | None = None  # the last export's folder and format
        self.last_export: Path | None = None  # named in the status line once written

    def on_mount(self) -> None:
        from achilles.tui.screens.case import CaseScreen
        from achilles.tui.screens.cases import CasesScreen
        from achilles.tui.screens.options import OptionsScreen
        from achilles.tui.screens.plan import PlanScreen
        from achilles.tui.screens.questions import QuestionsScreen
        from achilles.tui.screens.rules import RulesScreen

        self.register_theme(COLOURBLIND)
        for name, screen in (
            ("case", CaseScreen),
            ("options", OptionsScreen),
            ("plan", PlanScreen),
            ("rules", RulesScreen),
            ("questions", QuestionsScreen),
            ("cases", CasesScreen),
        ):
            self.add_mode(name, screen)
        self.switch_mode(self.start_mode)
        for banner in self.knowledge.banners:
            self.notify(banner, title="Broken rule or power file", severity="error", timeout=30)
        if self.session is not None:
            self.open_session(self.session)

    def open_session(self, session: Session) -> None:
        self.session = session
        session.today = self.today
        self.sub_title = session.data.get("case", {}).get("title", "")
        for p in session.load_problems[:5]:
            self.notify(
                p.render(),
                title="The case file has errors: opened read-only",
                severity="error",
                timeout=30,
            )
        self.run_analysis()

    # --- the analysis, off the UI thread -------------------------------------------------

    def on_case_changed(self, _: CaseChanged) -> None:
        self.run_analysis()

    @work(thread=True, exclusive=True, group="analysis")
    def run_analysis(self) -> None:
        if self.session is None:
            return
        started = time.perf_counter()
        try:
            self.session.analyse()
        except AchillesError as exc:  # something the LRO can fix: say what, and how
            hint = f" ({exc.hint})" if exc.hint else ""
            self.call_from_thread(
                self.notify, f"no advice: {clean(exc.message)}{hint}", severity="error", timeout=30
            )
            return
        except Exception as exc:  # the meeting goes on; the message names no case data
            self.call_from_thread(
                self.notify, f"analysis failed: {type(exc).__name__}", severity="error"
            )
            return
        self.last_run_ms = (time.perf_counter() - started) * 1000
        self.call_from_thread(self._analysis_ready)

    def _analysis_ready(self) -> None:
        self.screen.post_message(AnalysisReady())

    # --- actions ---------------------------------------------------------------------------

    def action_show(self, mode: str) -> None:
        if self.session is None and mode != "cases":
            self.notify("Open a case first", severity="warning")
            return
        self.switch_mode(mode)

    def action_undo(self) -> None:
        if self.session and self.session.undo():
            self.notify("Undone")
            self.post_message(CaseChanged())
        else:
            self.notify("Nothing to undo", severity="warning")

    def action_reload(self) -> None:
        s = self.session
        if s is None or (s.workspace is None and s.path is None):
            self.notify("Nothing to reload", severity="warning")
            return
        try:
            s.reload()
        except AchillesError as exc:
            self.notify(f"Not reloaded: {exc.message}", severity="error", timeout=10)
            return
        self.notify(
            "Reloaded the latest version from the workspace"
            if s.workspace is not None
            else f"Reloaded {s.path.name if s.path else 'the case'} as it is on disk"
        )
        self.post_message(CaseChanged())

    def action_help(self) -> None:
        from achilles.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_next_theme(self) -> None:
        current = THEMES.index(self.theme) if self.theme in THEMES else -1
        self.theme = THEMES[(current + 1) % len(THEMES)]
        self.notify(f"Theme: {self.theme}")

    def action_quit_safely(self) -> None:
        from achilles.tui.screens.dialogs import Confirm

        if self.session is not None and self.session.dirty:

            def done(ok: bool | None) -> None:
                if ok:
                    self.exit()

            self.push_screen(
                Confirm(
                    "Some changes are not saved (the case has problems or is "
                    "read-only). Quit anyway?"
                ),
                done,
            )
        else:
            self.exit()


def run(
    case: Path | None,
    *,
    rules: list[Path],
    catalogue: Path | None,
    workspace: Path | None,
    demo: str | None = None,
    reset_demo: bool = False,
) -> None:
    from platformdirs import user_data_dir

    knowledge = load_knowledge_lenient(rules, catalogue)
    ws = None
    session = None
    if demo is not None:
        folder = Path(user_data_dir("achilles")) / "demo"
        session = Session.demo(knowledge, demo, folder, reset=reset_demo)
    elif case is not None:
        session = Session.from_file(case, knowledge)
    else:
        ws = _open_workspace(workspace)
    AchillesApp(session, knowledge, workspace=ws).run()


def _open_workspace(path: Path | None):
    try:
        from achilles.store import Workspace
    except ModuleNotFoundError:
        return None
    return Workspace.open(path)
