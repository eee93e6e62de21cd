"""The review meeting's agenda over the Plan screen: overdue and due actions, deferrals due,
what changed in the picture and which options opened or closed since the last review, outcomes.
Record marks the review held (with today's options, for the next agenda to compare against)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Markdown

from achilles.errors import AchillesError
from achilles.model.plan_state import plan_of
from achilles.render.review import agenda_markdown
from achilles.review import Saved, build_agenda, next_review
from achilles.tui.screens.dialogs.marked import MarkedDialog

if TYPE_CHECKING:
    from textual import getters

    from achilles.tui.app import AchillesApp


class ReviewScreen(MarkedDialog[None]):
    DEFAULT_CSS = """
    ReviewScreen { align: center middle; }
    ReviewScreen > Vertical { width: 90%; max-width: 110; height: 90%; border: thick $primary;
        background: $surface; padding: 0 1; }
    ReviewScreen VerticalScroll { height: 1fr; }
    ReviewScreen .buttons { height: auto; }
    ReviewScreen .buttons Button { margin-right: 2; }
    """
    BINDINGS = [
        Binding("escape,v,q", "close", "Close"),
        Binding("ctrl+s", "record", "Record review held"),
    ]

    if TYPE_CHECKING:
        # Textual types `app` as App[Any]; this screen runs inside the Achilles app.
        app = getters.app(AchillesApp)

    def compose(self) -> ComposeResult:
        with Vertical():
            with VerticalScroll():
                yield Markdown(self.agenda_text(), id="agenda")
            with Horizontal(classes="buttons"):
                yield Button("Record this review (ctrl+s)", id="record", variant="primary")
                yield Button("Close (esc)", id="close")

    def agenda_text(self) -> str:
        s = self.app.session
        if s is None or s.result is None or s.case is None:
            return "_Working out the options..._"
        meeting = self.app.today
        plan = s.plan(start=meeting)
        if plan is None:  # only when there is no result, handled above
            return "_Working out the options..._"
        history = None
        if s.workspace is not None and s.workspace_id:
            history = [
                Saved(v.version, v.saved_at, v.saved_by, v.summary)
                for v in s.workspace.history(s.workspace_id)
            ]
        agenda = build_agenda(
            plan,
            plan_of(s.case),
            s.result.ranking,
            s.case,
            s.knowledge.catalogue,
            meeting=meeting,
            next_review=next_review(s.case, meeting),
            history=history,
        )
        return agenda_markdown(agenda)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "record":
            self.action_record()
        else:
            self.action_close()

    def action_record(self) -> None:
        s = self.app.session
        if s is None or s.result is None:
            return
        keys = [r.key for r in s.result.ranking.options]
        try:
            s.change_plan(lambda t: t.record_review(self.app.today, keys))
        except AchillesError as exc:
            self.notify(exc.message, severity="warning")
            return
        if s.save_error:
            self.notify(s.save_error, severity="error", timeout=15)
        else:
            self.notify(f"Review of {self.app.today} recorded with {len(keys)} options")
        self.query_one("#agenda", Markdown).update(self.agenda_text())

    def action_close(self) -> None:
        self.dismiss(None)
