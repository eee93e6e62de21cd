"""The case header form: the operation, the group (name, reference, threat), the LRO and their
agency, the marking and the dates, edited in the TUI (they were YAML-only). Problems show inline
before anything is saved; fields the form does not show (id, jurisdiction, partners, crime
types, notes) are kept as they were."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from achilles.loading.problems import Problem
from achilles.model.vocabulary import Vocabulary
from achilles.tui.screens.dialogs.marked import FormDialog, form_keys
from achilles.tui.screens.dialogs.style import DIALOG_CSS

Header = tuple[dict[str, Any], dict[str, Any]]  # the `case:` and `ocg:` mappings

# (field id, label, where it lives: ("case", key), ("lro", key) or ("ocg", key))
FIELDS = [
    ("title", "operation", ("case", "title")),
    ("ocg-name", "OCG name", ("ocg", "name")),
    ("ocg-reference", "OCG reference (URN)", ("ocg", "reference")),
    ("lro-name", "LRO (a name or a post)", ("lro", "name")),
    ("lro-agency", "LRO's agency", ("lro", "agency")),
    ("marking", "protective marking", ("case", "marking")),
    ("as_of", "as of (YYYY-MM-DD)", ("case", "as_of")),
    ("review_on", "review by (YYYY-MM-DD, may be blank)", ("case", "review_on")),
]


def _as_date(text: str) -> object:
    """A typed date as a date; anything else as typed, for the check to name."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return text


class CaseHeaderForm(FormDialog[Header | None]):
    DEFAULT_CSS = DIALOG_CSS
    SCOPED_CSS = False  # DIALOG_CSS is written for every dialog, not nested under this one
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]

    def __init__(
        self,
        info: dict[str, Any],
        ocg: dict[str, Any],
        vocab: Vocabulary,
        check: Callable[[dict[str, Any], dict[str, Any]], list[Problem]],
    ) -> None:
        super().__init__()
        self.info, self.ocg, self.vocab, self.check = dict(info), dict(ocg), vocab, check

    def _value(self, where: tuple[str, str]) -> str:
        part, key = where
        source = {"case": self.info, "ocg": self.ocg, "lro": self.info.get("lro") or {}}[part]
        value = source.get(key)
        return "" if value is None else str(value)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("The case header (the plan's first lines)")
            with VerticalScroll():
                for wid, label, where in FIELDS:
                    yield Label(label)
                    yield Input(self._value(where), id=f"h-{wid}", compact=True)
                threats = list(self.vocab.terms("threat"))
                yield Label("threat")
                yield Select(
                    [(t, t) for t in threats],
                    value=self.ocg.get("threat") if self.ocg.get("threat") in threats else None,
                    id="h-threat",
                    allow_blank=True,
                    prompt="not assessed",
                )
            yield Static("", classes="errors", id="errors")
            yield form_keys()
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#h-title", Input).focus()

    def collect(self) -> Header:
        info = dict(self.info)
        ocg = dict(self.ocg)
        lro = dict(info.get("lro") or {})
        for wid, _, (part, key) in FIELDS:
            text = self.query_one(f"#h-{wid}", Input).value.strip()
            target = {"case": info, "ocg": ocg, "lro": lro}[part]
            value: object = _as_date(text) if key in ("as_of", "review_on") else text
            if text:
                target[key] = value
            else:
                target.pop(key, None)
        info["lro"] = lro
        threat = self.query_one("#h-threat", Select).value
        if isinstance(threat, str):
            ocg["threat"] = threat
        else:
            ocg.pop("threat", None)
        return info, ocg

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        info, ocg = self.collect()
        problems = self.check(info, ocg)
        if problems:
            self.query_one("#errors", Static).update(
                "\n".join(
                    f"{p.path}: {p.message}" + (f" ({p.hint})" if p.hint else "")
                    for p in problems[:4]
                )
            )
            return
        self.dismiss((info, ocg))

    def typed(self) -> Header:
        return self.collect()
