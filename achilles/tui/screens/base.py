"""What every case screen shares: the marking bar (the marking always on screen), a banner for broken files, a status line."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from achilles.tui.messages import AnalysisReady
from achilles.tui.widgets.footer import KeyFooter
from achilles.tui.widgets.marking import MarkingBar

if TYPE_CHECKING:
    from textual import getters

    from achilles.meeting.session import Session
    from achilles.tui.app import AchillesApp


class CaseMeetingScreen(Screen):
    """A screen that draws the session; subclasses implement `body()` and `redraw()`."""

    if TYPE_CHECKING:
        # Textual types `app` as App[Any]; every screen here runs inside the Achilles app.
        app = getters.app(AchillesApp)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A screen shown for the first time makes Textual re-parse the whole stylesheet and
        # re-style every screen unless it says it has seen the app's latest CSS. Every
        # stylesheet is read at start (AchillesApp.CSS_PATH) and each widget is styled as it
        # mounts, so there is nothing new to apply; a theme change still re-styles it
        # (App.refresh_css). This was a third of the Plan screen's first-open time.
        self._css_update_count = self.app._css_update_count

    @property
    def session(self) -> Session:
        """The open case. A case screen is only installed once a session is open."""
        session = self.app.session
        if session is None:
            raise RuntimeError("a case screen was shown with no case open")
        return session

    def compose(self) -> ComposeResult:
        yield MarkingBar(id="marking")
        banners = list(self.app.knowledge.banners)
        session = self.app.session
        if session is not None and session.load_problems:
            banners.insert(
                0,
                f"The case file has {len(session.load_problems)} error(s); what loaded is "
                "shown read-only (first: " + session.load_problems[0].render() + ")",
            )
        banner = Static("\n".join(banners), classes="banner", id="banner")
        banner.display = bool(banners)
        yield banner
        yield from self.body()
        yield Static("", classes="status", id="status")
        yield KeyFooter()

    def body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.redraw()
        self.update_status()

    def on_screen_resume(self) -> None:
        self.redraw()
        self.update_status()

    def on_analysis_ready(self, _: AnalysisReady) -> None:
        self.redraw()
        self.update_status()

    def redraw(self) -> None:
        pass

    def update_status(self) -> None:
        s = self.app.session
        if s is None:
            return
        self.query_one("#marking", MarkingBar).refresh_marking()  # the header form may change it
        state = "read-only" if s.read_only else ("unsaved" if s.dirty else "saved")
        where = s.path.name if s.path else (f"workspace:{s.workspace_id}" if s.workspace_id else "")
        parts = [f"{where} ({state})"]
        if self.app.last_export is not None:
            parts.insert(0, f"exported {self.app.last_export.name}")
        if s.plan_saved_at is not None and not s.save_error:
            parts.append(f"plan saved {s.plan_saved_at:%H:%M:%S}")
        if s.result:
            parts.append(f"{len(s.result.ranking.options)} options")
            plan = s.plan_state
            parts.append(f"{len(plan.actions)} in plan" if plan.actions else "plan: suggested")
            if self.app.show_timing:
                parts.append(f"analysed in {self.app.last_run_ms:.0f} ms")
        elif s.case is None:
            parts.append("the case has problems: fix them to see options")
        if s.disabled:
            parts.append("what-if: without " + ", ".join(sorted(s.disabled)))
        self.query_one("#status", Static).update(" · ".join(parts))
