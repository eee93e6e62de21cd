"""Modal dialogs: confirm, a reason prompt, the entity form, the owner form, the export dialog."""

from __future__ import annotations

import contextlib
import datetime as dt
import typing
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, SelectionList, Static

from achilles.model.case import Case
from achilles.model.case_file import _TERMS, REFERENCES, SECTIONS
from achilles.model.vocabulary import Vocabulary

DIALOG_CSS = """
ModalScreen { align: center middle; }
ModalScreen > Vertical { width: 90%; max-width: 100; height: auto; max-height: 90%;
    border: thick $primary; background: $surface; padding: 1 2; }
ModalScreen .buttons { height: auto; margin-top: 1; }
ModalScreen .buttons Button { margin-right: 2; }
ModalScreen .errors { color: $error; height: auto; }
ModalScreen .advice { color: $warning; height: auto; }
ModalScreen Label { width: 1fr; }  /* long questions wrap inside the box */
ModalScreen SelectionList { height: 6; }
ModalScreen VerticalScroll { height: auto; max-height: 50vh; }  /* leaves the buttons in view at 80x24 */
ModalScreen .links { height: auto; }
ModalScreen .link-picker { height: auto; }
ModalScreen .link-picker Select { width: 1fr; }
"""


class Confirm(ModalScreen[bool]):
    DEFAULT_CSS = DIALOG_CSS
    SCOPED_CSS = False  # DIALOG_CSS is written for every dialog, not nested under this one
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question)
            with Horizontal(classes="buttons"):
                yield Button("Yes", id="yes", variant="error")
                yield Button("No", id="no", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_cancel(self) -> None:
        self.dismiss(False)


class ReasonPrompt(ModalScreen[str | None]):
    """Ask why an option is rejected or deferred: the reason goes on the record."""

    DEFAULT_CSS = DIALOG_CSS
    SCOPED_CSS = False  # DIALOG_CSS is written for every dialog, not nested under this one
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text)
            yield Input(placeholder="Reason (goes on the decision record)", id="reason")
            yield Static("", classes="errors", id="errors")
            with Horizontal(classes="buttons"):
                yield Button("Record", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self._finish()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self._finish()
        else:
            self.dismiss(None)

    def _finish(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        if not reason:
            self.query_one("#errors", Static).update("A reason is needed for the record.")
            return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)


def form_fields(section: str) -> list[tuple[str, str]]:
    """The form of one section, read from the case model, so a new field is never missed.

    Each field's kind: text | int | date | term:<section> | terms:<section> | ref:<sections> |
    refs:<sections> | links | outcome. Vocabulary sections come from the loader's own map
    (`case_file._TERMS`), references from `case_file.REFERENCES`."""
    return _FORM_FIELDS[section]


def _derive(section: str) -> list[tuple[str, str]]:
    model = typing.get_args(Case.model_fields[section].annotation)[0]
    terms = _TERMS.get(section, {})
    refs = REFERENCES.get(section, {})
    out = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        many = typing.get_origin(info.annotation) is list
        inner = typing.get_args(info.annotation)[0] if many else info.annotation
        if f"{key}.person" in refs:
            kind = "links"
        elif key in refs:
            kind = f"{'refs' if many else 'ref'}:{','.join(refs[key])}"
        elif key in terms:
            kind = f"{'terms' if many else 'term'}:{terms[key]}"
        elif key == "outcome":
            kind = "outcome"
        elif _is(inner, int):
            kind = "int"
        elif _is(inner, dt.date):
            kind = "date"
        else:
            kind = "text"
        out.append((key, kind))
    # the id first, then what the thing is, then the rest in the model's order
    return sorted(out, key=lambda f: (f[0] != "id", f[0] not in ("kind", "role", "label", "name")))


def _is(annotation: object, kind: type) -> bool:
    options = typing.get_args(annotation) or (annotation,)
    return any(
        o is kind or (isinstance(o, type) and issubclass(o, kind) and o is not bool)
        for o in (
            typing.get_args(x)[0] if typing.get_origin(x) is typing.Annotated else x
            for x in options
        )
    )


_FORM_FIELDS = {section: _derive(section) for section in SECTIONS}


class EntityForm(ModalScreen[dict | None]):
    """Add or edit one entity. Vocabulary fields are select lists (type to search); references
    are chosen from the entities that exist; problems show inline before anything is saved."""

    DEFAULT_CSS = DIALOG_CSS
    SCOPED_CSS = False  # DIALOG_CSS is written for every dialog, not nested under this one
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]

    def __init__(
        self,
        section: str,
        entity: dict[str, Any] | None,
        vocab: Vocabulary,
        ids: dict[str, list[str]],
        check,
        advise=None,
        *,
        title: str | None = None,
        focus: str | None = None,
    ) -> None:
        super().__init__()
        self.section = section
        self.entity = dict(entity or {})
        self.vocab = vocab
        self.ids = ids
        self.check = check
        self.advise = advise  # what the law presumes about the people in this edit
        self.title_text = title  # what the form is for, when not a plain add or edit
        self.focus_field = focus  # the field the LRO came to fill

    def compose(self) -> ComposeResult:
        verb = "Edit" if self.entity else "Add"
        with Vertical():
            yield Label(
                self.title_text
                or f"{verb} {self.section.rstrip('s') if self.section != 'premises' else 'premises'}"
            )
            with VerticalScroll():
                for name, kind in form_fields(self.section):
                    yield Label(name.replace("_", " "))
                    yield self._field(name, kind)
            yield Static("", classes="errors", id="errors")
            yield Static("", classes="advice", id="advice")
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.show_advice()
        if self.focus_field:
            # a field the section does not have: the form's first is fine
            with contextlib.suppress(NoMatches):
                self.query_one(f"#f-{self.focus_field}").focus()

    def on_input_changed(self, _: Input.Changed) -> None:
        self.show_advice()

    def on_select_changed(self, _: Select.Changed) -> None:
        self.show_advice()

    def on_selection_list_selected_changed(self, _: SelectionList.SelectedChanged) -> None:
        self.show_advice()

    def show_advice(self) -> None:
        """The presumptions this entity brings into play, as the LRO types (never blocking)."""
        if self.advise is None or not self.is_mounted:
            return
        try:
            lines = self.advise(self.collect())
        except NoMatches:  # called while the form is still being built
            lines = []
        self.query_one("#advice", Static).update("\n".join(f"! {line}" for line in lines))

    def _field(self, name: str, kind: str):
        value = self.entity.get(name)
        wid = f"f-{name}"
        if kind.startswith("term:"):
            terms = list(self.vocab.terms(kind[5:]))
            return Select(
                [(t.replace("_", " "), t) for t in terms],
                value=value if value in terms else Select.NULL,
                id=wid,
                type_to_search=True,
                allow_blank=True,
            )
        if kind == "outcome":  # which outcomes fit depends on the kind; the check says so
            sections = dict.fromkeys(
                spec.outcomes for spec in self.vocab.event_fields.values() if spec.outcomes
            )
            terms = list(dict.fromkeys(t for sec in sections for t in self.vocab.terms(sec)))
            return Select(
                [(t.replace("_", " "), t) for t in terms],
                value=value if value in terms else Select.NULL,
                id=wid,
                type_to_search=True,
                allow_blank=True,
            )
        if kind.startswith("terms:"):
            terms = list(self.vocab.terms(kind[6:]))
            chosen = set(value or [])
            return SelectionList(*[(t.replace("_", " "), t, t in chosen) for t in terms], id=wid)
        if kind.startswith("ref:"):
            pool = [i for s in kind[4:].split(",") for i in self.ids.get(s, [])]
            return Select(
                [(i, i) for i in pool],
                value=value if value in pool else Select.NULL,
                id=wid,
                allow_blank=True,
            )
        if kind.startswith("refs:"):
            pool = [i for s in kind[5:].split(",") for i in self.ids.get(s, [])]
            chosen = set(value or [])
            return SelectionList(*[(i, i, i in chosen) for i in pool], id=wid)
        if kind == "links":
            # Typed for speed, or picked: choose a person and a role and press Add link.
            text = "; ".join(f"{x.get('person')} as {x.get('as')}" for x in (value or []))
            people = self.ids.get("people", [])
            roles = list(self.vocab.terms("link_as"))
            default = _LINK_DEFAULT.get(self.section, roles[0] if roles else Select.NULL)
            return Vertical(
                Input(
                    text,
                    id=wid,
                    placeholder=f"e.g. n1 as tenant; n2 as occupier (people: {', '.join(people)})",
                ),
                Horizontal(
                    Select([(i, i) for i in people], id=f"{wid}-person", prompt="person"),
                    Select(
                        [(r.replace("_", " "), r) for r in roles],
                        value=default if default in roles else Select.NULL,
                        id=f"{wid}-as",
                        prompt="as",
                    ),
                    Button("Add link", id=f"{wid}-add"),
                    classes="link-picker",
                ),
                classes="links",
            )
        return Input("" if value is None else str(value), id=wid)

    def collect(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, kind in form_fields(self.section):
            widget = self.query_one(f"#f-{name}")
            if isinstance(widget, Select):
                if widget.value is not Select.NULL and widget.value is not None:
                    out[name] = widget.value
            elif isinstance(widget, SelectionList):
                if widget.selected:
                    out[name] = list(widget.selected)
            else:
                text = widget.value.strip()
                if not text:
                    continue
                if kind == "int":
                    out[name] = int(text) if text.isdigit() else text
                elif kind == "links":
                    out[name] = [_link(part) for part in text.split(";") if part.strip()]
                else:
                    out[name] = text
        return out

    def action_save(self) -> None:
        entity = self.collect()
        problems = self.check(entity)
        if problems:
            self.query_one("#errors", Static).update(
                "\n".join(
                    f"{p.path}: {p.message}" + (f" ({p.hint})" if p.hint else "")
                    for p in problems[:6]
                )
            )
            return
        self.dismiss(entity)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        if button.endswith("-add"):
            event.stop()
            self.add_link(button.removesuffix("-add"))
        elif button == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def add_link(self, wid: str) -> None:
        """Append the picked person and role to the links field (once)."""
        person = self.query_one(f"#{wid}-person", Select).value
        role = self.query_one(f"#{wid}-as", Select).value
        if person in (Select.NULL, None) or role in (Select.NULL, None):
            self.query_one("#errors", Static).update("pick a person and a role, then Add link")
            return
        field = self.query_one(f"#{wid}", Input)
        parts = [p.strip() for p in field.value.split(";") if p.strip()]
        link = f"{person} as {role}"
        if link not in parts:
            parts.append(link)
        field.value = "; ".join(parts)
        self.query_one("#errors", Static).update("")

    def action_cancel(self) -> None:
        self.dismiss(None)


_LINK_DEFAULT = {"premises": "occupier", "businesses": "employee"}  # the commonest link of each


def _link(text: str) -> dict[str, str]:
    person, _, role = text.strip().partition(" as ")
    return {"person": person.strip(), "as": role.strip() or "occupier"}


class OwnerForm(ModalScreen[tuple[str, str, dt.date | None] | None]):
    DEFAULT_CSS = DIALOG_CSS
    SCOPED_CSS = False  # DIALOG_CSS is written for every dialog, not nested under this one
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, title: str, owner: str, agency: str, due: dt.date | None, agencies: list[str]
    ) -> None:
        super().__init__()
        self.title_text, self.owner, self.agency, self.due, self.agencies = (
            title,
            owner,
            agency,
            due,
            agencies,
        )

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text)
            yield Label("Owner")
            yield Input(self.owner if self.owner != "to be agreed" else "", id="owner")
            yield Label("Lead agency")
            yield Select(
                [(a.replace("_", " "), a) for a in self.agencies],
                value=self.agency if self.agency in self.agencies else Select.NULL,
                id="agency",
            )
            yield Label("Target date (YYYY-MM-DD)")
            yield Input(self.due.isoformat() if self.due else "", id="due")
            yield Static("", classes="errors", id="errors")
            with Horizontal(classes="buttons"):
                yield Button("Save", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id != "ok":
            self.dismiss(None)
            return
        due_text = self.query_one("#due", Input).value.strip()
        try:
            due = dt.date.fromisoformat(due_text) if due_text else None
        except ValueError:
            self.query_one("#errors", Static).update("The date must be YYYY-MM-DD.")
            return
        agency = self.query_one("#agency", Select).value
        self.dismiss(
            (
                self.query_one("#owner", Input).value.strip(),
                agency if isinstance(agency, str) else self.agency,
                due,
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)


class ExportDialog(ModalScreen[tuple[str, Path, bool] | None]):
    DEFAULT_CSS = DIALOG_CSS
    SCOPED_CSS = False  # DIALOG_CSS is written for every dialog, not nested under this one
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, default_dir: Path, case_id: str) -> None:
        super().__init__()
        self.default_dir, self.case_id = default_dir, case_id

    def compose(self) -> ComposeResult:
        from achilles.render import FORMATS

        with Vertical():
            yield Label(
                "Export the plan (written readable by you only, with the protective marking)"
            )
            yield Select(
                [(f, f) for f in FORMATS], value="markdown", id="format", allow_blank=False
            )
            yield Input(str(self.default_dir / f"{self.case_id}-plan.md"), id="path")
            yield Select(
                [("Full (names shown)", "full"), ("Redacted (ids only, no notes)", "redact")],
                value="full",
                id="redact",
                allow_blank=False,
            )
            yield Static("", classes="errors", id="errors")
            with Horizontal(classes="buttons"):
                yield Button("Export", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_select_changed(self, event: Select.Changed) -> None:
        from achilles.render import SUFFIX

        if event.select.id == "format" and isinstance(event.value, str):
            path = self.query_one("#path", Input)
            p = Path(path.value)
            path.value = str(p.with_suffix(SUFFIX[event.value]))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id != "ok":
            self.dismiss(None)
            return
        fmt = self.query_one("#format", Select).value
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        redact = self.query_one("#redact", Select).value == "redact"
        if not path.parent.is_dir():
            self.query_one("#errors", Static).update(f"The folder {path.parent} does not exist.")
            return
        self.dismiss((str(fmt), path, redact))

    def action_cancel(self) -> None:
        self.dismiss(None)
