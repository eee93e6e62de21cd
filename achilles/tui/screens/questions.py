"""The Questions screen: what the meeting should ask each partner, and the answer taken in place.

Every near miss is a question in plain words and names ("Is Member B claiming benefits?"), under
the partner who can answer it, with the options an answer would open. Enter opens the form for
the fact the answer belongs to (the person's benefits, the activity's evidence, a new activity at
the shop), focused on the field to fill; saving it re-runs the rules, so what opened shows at
once.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Static

from achilles.model.case_file import SECTIONS
from achilles.questions import Answer, Question, partner_name, questions
from achilles.render.clean import clean
from achilles.tui.messages import CaseChanged
from achilles.tui.screens.base import CaseMeetingScreen
from achilles.tui.screens.dialogs import EntityForm
from achilles.tui.screens.dialogs.form_fields import entity_names
from achilles.tui.screens.dialogs.role_notes import knowledge_roles
from achilles.tui.widgets.tables import fill

HEADERS = ["partner", "question", "opens"]
CAPS = {"partner": 22, "question": 70, "opens": 8}
_LINK_FIELD = {"activity_at": "at", "activity_by": "by", "activity_using": "using"}
_POSITIONAL = {"activities": "act", "events": "ev"}


class QuestionsScreen(CaseMeetingScreen):
    AUTO_FOCUS = "#questions-table"
    DEFAULT_CSS = """
    QuestionsScreen #panes { height: 1fr; }
    QuestionsScreen #questions-table { width: 2fr; }
    QuestionsScreen #question-pane { width: 1fr; border-left: solid $primary; padding: 0 1; }
    """
    BINDINGS = [
        Binding(
            "enter,a",
            "answer",
            "Answer",
            id="questions.answer",
            tooltip="Record the partner's answer in the case; the rules run again",
        ),
    ]

    def body(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield DataTable(id="questions-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="question-pane"):
                yield Static("", id="question-detail")

    def asked(self) -> list[Question]:
        s = self.app.session
        if s is None or s.result is None:
            return []
        groups = questions(s.result.analysis, s.knowledge.vocab)
        return [q for g in groups for q in g.questions]

    def redraw(self) -> None:
        s = self.app.session
        table = self.query_one("#questions-table", DataTable)
        self._asked = self.asked()
        if s is None or s.result is None:
            fill(table, HEADERS, [])
            self.query_one("#question-detail", Static).update("Working out the options...")
            return
        vocab = s.knowledge.vocab
        rows = [
            (str(i), [partner_name(q.partner, vocab), q.text, str(len(q.opens))])
            for i, q in enumerate(self._asked)
        ]
        fill(table, HEADERS, rows, CAPS)
        if rows:
            self.show_detail()
        else:
            self.query_one("#question-detail", Static).update(
                "No questions: no rule is one answer away from opening."
            )

    def on_data_table_row_highlighted(self, _: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def on_data_table_row_selected(self, _: DataTable.RowSelected) -> None:
        self.action_answer()

    def selected(self) -> Question | None:
        table = self.query_one("#questions-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self._asked[int(key)] if key is not None else None

    def show_detail(self) -> None:
        s = self.app.session
        q = self.selected()
        if s is None or s.result is None or q is None:
            return
        case = s.result.analysis.case
        catalogue = s.knowledge.catalogue
        lines = [
            f"Ask {partner_name(q.partner, s.knowledge.vocab)}:",
            q.text,
            "",
            "An answer would open:",
        ]
        for key in q.opens:
            power, _, target = key.partition("@")
            lines.append(f"  - {catalogue.get(power).name} on {case.label(target)}")
        lines += ["", "What the rules lack:", *(f"  - {g}" for g in q.gaps)]
        if q.answer is not None:
            lines += ["", "Enter: record the answer in the case."]
        self.query_one("#question-detail", Static).update(clean("\n".join(lines)))

    def action_answer(self) -> None:
        s = self.app.session
        q = self.selected()
        if s is None or q is None:
            return
        if s.read_only:
            self.notify("This case opened with errors: it is read-only.", severity="warning")
            return
        if q.answer is None:
            self.notify("Record this one on the Case screen (1).", severity="warning")
            return
        section, index, entity, focus = _form_for(q.answer, s.data)
        ids = {sec: [x.get("id") for x in s.data.get(sec, []) if x.get("id")] for sec in SECTIONS}

        def done(result: dict | None) -> None:
            if result is None:
                return
            problems = s.apply(section, index, result)
            if problems:
                self.notify(problems[0].message, severity="error")
                return
            self.notify(s.save_error or "Answer recorded: the rules run again")
            self.app.post_message(CaseChanged())

        self.app.push_screen(
            EntityForm(
                section,
                entity,
                s.knowledge.vocab,
                ids,
                lambda e: s.check_entity(section, index, e),
                advise=lambda e: s.advice(section, index, e),
                title=f"Answer: {q.text}",
                focus=focus,
                names=entity_names(s.data),
                roles=knowledge_roles(s.knowledge),
            ),
            done,
        )


def _form_for(
    answer: Answer, data: dict[str, Any]
) -> tuple[str, int | None, dict[str, Any] | None, str]:
    """The form that takes an answer: (section, index or None for a new entity, its data,
    the field to focus)."""
    section = answer.section
    items = data.get(section, [])
    if answer.entity is not None:
        index = _index(items, answer.entity, section)
        if index is not None:
            return section, index, items[index], answer.field or "id"
    if section == "activities":
        new: dict[str, Any] = {"status": "suspected"}
        if answer.choices:
            new["kind"] = answer.choices[0]
        link = _link_for(answer, data)
        if link and answer.about:
            new[link] = list(answer.about)
        return section, None, new, "kind"
    # a link to a person from a place, business or vehicle nobody has recorded yet
    people = [
        {"person": p, "as": "occupier" if section == "premises" else "employee"}
        for p in answer.about
    ]
    new = {answer.field: answer.about and (people if section != "vehicles" else list(answer.about))}
    return section, None, new, "id"


def _index(items: list[dict[str, Any]], key: str, section: str) -> int | None:
    for i, item in enumerate(items):
        if item.get("id") == key or (
            not item.get("id") and f"{_POSITIONAL.get(section, 'item')}-{i + 1}" == key
        ):
            return i
    return None


def _link_for(answer: Answer, data: dict[str, Any]) -> str:
    """Which field of a new activity the answer's entities go in: at a place, by a person or
    business, using a vehicle."""
    first = answer.about[0] if answer.about else ""
    for section, link in (
        ("premises", "at"),
        ("people", "by"),
        ("businesses", "by"),
        ("vehicles", "using"),
    ):
        if any(x.get("id") == first for x in data.get(section, [])):
            return link
    return "at"
