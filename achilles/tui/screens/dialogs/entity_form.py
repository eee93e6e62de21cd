"""The entity form: add or edit one person, premises, business, vehicle, activity or event."""

from __future__ import annotations

import contextlib
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import Button, Input, Label, Select, SelectionList, Static

from achilles.model.vocabulary import Vocabulary
from achilles.tui.screens.dialogs.form_fields import form_fields
from achilles.tui.screens.dialogs.marked import FormDialog, form_keys
from achilles.tui.screens.dialogs.role_notes import RoleNote, marker_label
from achilles.tui.screens.dialogs.style import DIALOG_CSS
from achilles.tui.widgets.ticks import TickList


class EntityForm(FormDialog[dict | None]):
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
        names: dict[str, str] | None = None,
        roles: dict[str, RoleNote] | None = None,
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
        self.names = names or {}  # id -> "Name (id)": pickers show people and places by name
        self.roles = roles or {}  # role -> its meaning and whether the victim guard protects it

    def compose(self) -> ComposeResult:
        verb = "Edit" if self.entity else "Add"
        with Vertical():
            yield Label(self.title_text or f"{verb} {_ONE.get(self.section, self.section)}")
            with VerticalScroll():
                for name, kind in form_fields(self.section):
                    yield Label(_LABELS.get((self.section, name), name.replace("_", " ")))
                    field = self._field(name, kind)
                    if isinstance(field, (Input, Select)):
                        field.compact = True  # one line each: more of the form fits at 80x24
                    yield field
                    if kind == "term:role":
                        yield Static("", classes="about", id=f"f-{name}-about")
            yield Static("", classes="errors", id="errors")
            yield Static("", classes="advice", id="advice")
            yield form_keys()
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.show_advice()
        self.show_roles()
        if self.focus_field:
            # a field the section does not have: the form's first is fine
            with contextlib.suppress(NoMatches):
                self.query_one(f"#f-{self.focus_field}").focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a one-line field saves the form, as in every other form here."""
        event.stop()
        self.action_save()

    def on_input_changed(self, _: Input.Changed) -> None:
        self.show_advice()

    def on_select_changed(self, _: Select.Changed) -> None:
        self.show_advice()
        self.show_roles()

    def show_roles(self) -> None:
        """Under the role picker: what the chosen role means and whether it is protected."""
        for about in self.query(".about").results(Static):
            picker = self.query_one(f"#{(about.id or '').removesuffix('-about')}", Select)
            note = self.roles.get(str(picker.value))
            about.update(Text(note.why) if note else "")

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
                [(self._term_label(kind[5:], t), t) for t in terms],
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
            return TickList(
                *[(marker_label(self.vocab, kind[6:], t), t, t in chosen) for t in terms], id=wid
            )
        if kind.startswith("ref:"):
            pool = [i for s in kind[4:].split(",") for i in self.ids.get(s, [])]
            return Select(
                [(self.names.get(i, i), i) for i in pool],
                value=value if value in pool else Select.NULL,
                id=wid,
                allow_blank=True,
            )
        if kind.startswith("refs:"):
            pool = [i for s in kind[5:].split(",") for i in self.ids.get(s, [])]
            chosen = set(value or [])
            return TickList(*[(self.names.get(i, i), i, i in chosen) for i in pool], id=wid)
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
                    Select(
                        [(self.names.get(i, i), i) for i in people],
                        id=f"{wid}-person",
                        prompt="person",
                    ),
                    Select(
                        [(self._term_label("link_as", r), r) for r in roles],
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

    def _term_label(self, section: str, term: str) -> Text:
        """A role shows its meaning and whether it is protected; a link its meaning."""
        if section == "role" and term in self.roles:
            return self.roles[term].label
        text = term.replace("_", " ")
        if section == "link_as" and self.vocab.describe(section, term):
            text += f": {self.vocab.describe(section, term)}"
        return Text(text)

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
            elif isinstance(widget, Input):
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
            self.action_cancel()

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

    def typed(self) -> dict[str, Any]:
        return self.collect()


# One of each section, for the form's title ("Add activity", not "Add activitie").
_ONE = {
    "people": "person",
    "premises": "premises",
    "businesses": "business",
    "vehicles": "vehicle",
    "activities": "activity",
    "events": "event",
}

# Fields whose name says less than it should in a form.
_LABELS = {
    ("activities", "notes"): "description (notes)",
    ("activities", "status"): "evidence maturity (status)",
    ("activities", "at"): "at (premises)",
    ("activities", "by"): "by (people or businesses)",
    ("activities", "affecting"): "affecting (the people it exploits or harms)",
    ("activities", "since"): "since (YYYY-MM-DD)",
    ("activities", "until"): "until (YYYY-MM-DD, if it stopped)",
}

_LINK_DEFAULT = {"premises": "occupier", "businesses": "employee"}  # the commonest link of each


def _link(text: str) -> dict[str, str]:
    person, _, role = text.strip().partition(" as ")
    return {"person": person.strip(), "as": role.strip() or "occupier"}
