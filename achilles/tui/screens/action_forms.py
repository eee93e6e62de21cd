"""Dialogs for the plan the LRO keeps: a decision with its reason, an action's owner and dates,
and progress (status, RAG, a dated note, the outcome). Enter saves; Escape cancels.

Free text typed here is withheld from redacted exports unless "shareable" is ticked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Input, Label, Select

from achilles.tui.screens.dialogs.small_form import SmallForm
from achilles.tui.widgets.ticks import Tick

SHAREABLE = "names no one: may appear in redacted exports"


def _date(text: str) -> dt.date | None:
    """A date typed as YYYY-MM-DD; None when blank; ValueError when not a date."""
    text = text.strip()
    return dt.date.fromisoformat(text) if text else None


@dataclass(frozen=True)
class DecisionInput:
    reason: str
    shareable: bool
    until: dt.date | None = None


class DecisionPrompt(SmallForm):
    """Why an option is rejected or deferred (and, for a deferral, when to look again)."""

    def __init__(self, title: str, deferral: bool) -> None:
        super().__init__()
        self.title_text = title
        self.deferral = deferral

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text)
            yield Input(placeholder="Reason (goes on the decision record)", id="reason")
            yield Tick(SHAREABLE, id="shareable")
            if self.deferral:
                yield Label("Look at it again on (YYYY-MM-DD, optional)")
                yield Input(id="until")
            yield from self.buttons("Record")

    def action_save(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        if not reason:
            self.error("A reason is needed for the record.")
            return
        until = None
        if self.deferral:
            try:
                until = _date(self.query_one("#until", Input).value)
            except ValueError:
                self.error("The date must be YYYY-MM-DD.")
                return
        self.dismiss(DecisionInput(reason, self.query_one("#shareable", Checkbox).value, until))


@dataclass(frozen=True)
class OwnerInput:
    owner: str
    shareable: bool
    agency: str | None
    due: dt.date | None


class OwnerForm(SmallForm):
    """Who does an action, for which agency, by when."""

    def __init__(
        self,
        title: str,
        owner: str,
        shareable: bool,
        agency: str,
        due: dt.date | None,
        agencies: list[str],
    ) -> None:
        super().__init__()
        self.title_text, self.owner, self.shareable = title, owner, shareable
        self.agency, self.due, self.agencies = agency, due, agencies

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text)
            yield Label("Owner (a post or a person)")
            yield Input(self.owner, id="owner")
            yield Tick(SHAREABLE, self.shareable, id="shareable")
            yield Label("Lead agency")
            yield Select(
                [(a.replace("_", " "), a) for a in self.agencies],
                value=self.agency if self.agency in self.agencies else Select.NULL,
                id="agency",
            )
            yield Label("Due (YYYY-MM-DD)")
            yield Input(self.due.isoformat() if self.due else "", id="due")
            yield from self.buttons("Save")

    def action_save(self) -> None:
        try:
            due = _date(self.query_one("#due", Input).value)
        except ValueError:
            self.error("The date must be YYYY-MM-DD.")
            return
        agency = self.query_one("#agency", Select).value
        self.dismiss(
            OwnerInput(
                self.query_one("#owner", Input).value.strip(),
                self.query_one("#shareable", Checkbox).value,
                agency if isinstance(agency, str) else None,
                due,
            )
        )


@dataclass(frozen=True)
class ProgressInput:
    status: str | None
    rag: str | None
    note: str | None
    shareable: bool
    outcome: str | None
    on: dt.date | None


class ProgressForm(SmallForm):
    """Progress on an action: status, RAG, a dated note, and when done, the disruption achieved."""

    def __init__(
        self,
        title: str,
        status: str,
        rag: str,
        statuses: list[str],
        rags: list[str],
        levels: list[str],
    ) -> None:
        super().__init__()
        self.title_text, self.status, self.rag = title, status, rag
        self.statuses, self.rags, self.levels = statuses, rags, levels

    def compose(self) -> ComposeResult:
        def options(terms: list[str]) -> list[tuple[str, str]]:
            return [(t.replace("_", " "), t) for t in terms]

        with Vertical():
            yield Label(self.title_text)
            with Horizontal(classes="link-picker"):
                yield Select(
                    options(self.statuses),
                    value=self.status if self.status in self.statuses else Select.NULL,
                    id="status",
                    prompt="status",
                )
                yield Select(
                    options(self.rags),
                    value=self.rag if self.rag in self.rags else Select.NULL,
                    id="rag",
                    prompt="RAG",
                )
            yield Input(placeholder="A progress note (optional)", id="note")
            yield Tick(SHAREABLE, id="shareable")
            with Horizontal(classes="link-picker"):
                yield Select(options(self.levels), id="outcome", prompt="outcome (when done)")
                yield Input(placeholder="dated (YYYY-MM-DD; default today)", id="on")
            yield from self.buttons("Save")

    def action_save(self) -> None:
        try:
            on = _date(self.query_one("#on", Input).value)
        except ValueError:
            self.error("The date must be YYYY-MM-DD.")
            return

        def chosen(wid: str) -> str | None:
            value = self.query_one(f"#{wid}", Select).value
            return value if isinstance(value, str) else None

        outcome = chosen("outcome")
        status = chosen("status")
        if outcome and status == self.status:
            status = None  # left as it was: the outcome makes it done
        if outcome and status not in (None, "done"):
            self.error("An outcome is recorded when the action is done: set the status to done.")
            return
        self.dismiss(
            ProgressInput(
                status,
                chosen("rag"),
                self.query_one("#note", Input).value.strip() or None,
                self.query_one("#shareable", Checkbox).value,
                outcome,
                on,
            )
        )
