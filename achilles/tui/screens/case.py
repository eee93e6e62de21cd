"""The Case screen: the group's picture as tables, with add / edit / delete and what-if."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from achilles.facts import is_exploited
from achilles.meeting.session import SECTIONS
from achilles.render.clean import clean
from achilles.tui.messages import CaseChanged
from achilles.tui.screens.base import CaseMeetingScreen
from achilles.tui.screens.dialogs import Confirm, EntityForm
from achilles.tui.screens.dialogs.form_fields import entity_names
from achilles.tui.screens.dialogs.role_notes import knowledge_roles
from achilles.tui.widgets.tables import fill

COLUMNS = {
    "people": ["id", "name", "role", "age", "vulnerabilities", "flags"],
    "premises": ["id", "label", "use", "tenure", "licences", "occupants"],
    "businesses": ["id", "name", "trade", "premises", "people", "flags"],
    "vehicles": ["id", "vrm", "kind", "keeper", "users", "flags"],
    "activities": ["id", "kind", "status", "grade", "at", "by"],
    "events": ["id", "kind", "on", "of", "at", "outcome"],
}


_POSITIONAL = {"activities": "act", "events": "ev"}  # how items without an id are known


def _presumed(session) -> dict[str, str]:
    """person id -> the presumptions that hold for them, from the latest analysis."""
    result = session.result
    if result is None:
        return {}
    recorded = {
        p.id for p in result.analysis.case.people if is_exploited(p, session.knowledge.vocab)
    }
    # in the legal team's order (rules/presumptions.yaml): a possible child before what follows
    order = {lp.presumption.id: i for i, lp in enumerate(session.knowledge.rulebook.presumptions)}
    found = sorted(
        (p for p in result.analysis.presumptions.found if p.holds),
        key=lambda p: order.get(p.presumption.id, len(order)),
    )
    presumed: dict[str, list[str]] = {}
    for p in found:
        presumed.setdefault(p.person, []).append(p.presumption.kind.replace("_", " "))
    out = {}
    for person in recorded | set(presumed):
        kinds = ", ".join(dict.fromkeys(presumed.get(person, [])))
        label = "recorded" if person in recorded else ""  # what the analyst recorded comes first
        out[person] = "; ".join(x for x in (label, kinds and f"presumed: {kinds}") if x)
    return out


def group_line(data: dict) -> str:
    """The line over the tabs: the group (and its reference), threat, LRO and agency, dates.
    The marking and the operation are on the marking bar above it."""
    info, ocg = data.get("case", {}), data.get("ocg", {})
    lro = info.get("lro") or {}
    ref = f" ({ocg['reference']})" if ocg.get("reference") else ""
    parts = [
        f"{ocg.get('name', '')}{ref}",
        f"threat {ocg.get('threat') or 'not assessed'}",
        f"LRO {lro.get('name', '')}" + (f", {lro['agency']}" if lro.get("agency") else ""),
        f"as of {info.get('as_of', '')}",
    ]
    if info.get("review_on"):
        parts.append(f"review {info['review_on']}")
    return " · ".join(parts)


def same_entity(before: dict, after: dict) -> bool:
    """An edit that changed nothing: the same fields, when empty ones (which the form leaves
    out and loading fills in) are ignored."""

    def meaningful(d: dict) -> dict:
        return {k: v for k, v in d.items() if v not in (None, "", [], {})}

    return meaningful(before) == meaningful(after)


def cell(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(
            f"{v.get('person')} ({v.get('as')})" if isinstance(v, dict) else str(v) for v in value
        )
    return "" if value is None else str(value)


class CaseScreen(CaseMeetingScreen):
    AUTO_FOCUS = "#table-people"
    BINDINGS = [
        Binding("a", "add", "Add", id="case.add", tooltip="Add an entity to this table"),
        Binding("enter,e", "edit", "Edit", id="case.edit", tooltip="Edit the selected row"),
        Binding(
            "delete,x", "delete", "Delete", id="case.delete", tooltip="Delete the selected row"
        ),
        Binding(
            "h",
            "header",
            "Header",
            id="case.header",
            tooltip="Edit the operation, the group, the LRO, the marking and the dates",
        ),
        Binding(
            "w",
            "what_if",
            "What if",
            id="case.what_if",
            tooltip="Leave the selected entity out of the analysis, to see what it is worth",
        ),
    ]

    def body(self) -> ComposeResult:
        yield Static("", id="ocg-line")
        with TabbedContent(id="sections"):
            for section in SECTIONS:
                with TabPane(section.capitalize(), id=f"tab-{section}"):
                    yield DataTable(id=f"table-{section}", cursor_type="row", zebra_stripes=True)

    def redraw(self) -> None:
        s = self.app.session
        if s is None:
            return
        self.query_one("#ocg-line", Static).update(Text(clean(group_line(s.data))))
        presumed = _presumed(s)
        for section in SECTIONS:
            table = self.query_one(f"#table-{section}", DataTable)
            rows: list[tuple[str | None, list[object]]] = []
            for i, item in enumerate(s.data.get(section, [])):
                key = item.get("id") or f"{_POSITIONAL.get(section, 'item')}-{i + 1}"
                row: list[object] = [
                    cell(item.get(c)) if c != "id" else key for c in COLUMNS[section]
                ]
                if section == "people":
                    row.append(presumed.get(key, ""))
                row.append("left out" if key in s.disabled else "")
                rows.append((str(i), row))
            extra = ["victim"] if section == "people" else []
            fill(table, [*COLUMNS[section], *extra, "what-if"], rows)

    def current(self) -> tuple[str, int | None]:
        tabs = self.query_one("#sections", TabbedContent)
        section = (tabs.active or "tab-people").removeprefix("tab-")
        table = self.query_one(f"#table-{section}", DataTable)
        if not table.row_count:
            return section, None
        return section, table.cursor_row

    def _ids(self) -> dict[str, list[str]]:
        s = self.session
        return {sec: [x.get("id") for x in s.data.get(sec, []) if x.get("id")] for sec in SECTIONS}

    def action_add(self, section: str | None = None) -> None:
        self._open_form(section or self.current()[0], None)

    def on_data_table_row_selected(self, _: DataTable.RowSelected) -> None:
        self.action_edit()

    def action_edit(self) -> None:
        section, index = self.current()
        if index is not None:
            self._open_form(section, index)

    def _open_form(self, section: str, index: int | None) -> None:
        s = self.session
        if s.read_only:
            self.notify(
                "This case opened with errors: it is read-only. Fix the file, then reopen.",
                severity="warning",
            )
            return
        entity = s.data.get(section, [])[index] if index is not None else None

        def done(result: dict | None) -> None:
            if result is None:
                return
            if entity is not None and same_entity(entity, result):
                self.notify("Nothing changed: the case is as it was (nothing saved)")
                return
            problems = s.apply(section, index, result)
            if problems:
                self.notify(problems[0].message, severity="error")
                return
            if s.save_error:
                self.notify(s.save_error, severity="error", timeout=15)
            else:
                self.notify("Saved")
            self.redraw()
            self.update_status()
            self.app.post_message(CaseChanged())

        self.app.push_screen(
            EntityForm(
                section,
                entity,
                s.knowledge.vocab,
                self._ids(),
                lambda e: s.check_entity(section, index, e),
                advise=lambda e: s.advice(section, index, e),
                names=entity_names(s.data),
                roles=knowledge_roles(s.knowledge),
            ),
            done,
        )

    def action_header(self) -> None:
        from achilles.meeting.edits import header_problems
        from achilles.tui.screens.dialogs.case_header import CaseHeaderForm

        s = self.session
        if s.read_only:
            self.notify("This case opened with errors: it is read-only.", severity="warning")
            return
        info, ocg = s.data.get("case", {}), s.data.get("ocg", {})

        def done(result: tuple[dict, dict] | None) -> None:
            if result is None:
                return
            if same_entity(info, result[0]) and same_entity(ocg, result[1]):
                self.notify("Nothing changed: the case is as it was (nothing saved)")
                return
            problems = s.apply_header(*result)
            if problems:
                self.notify(problems[0].message, severity="error")
                return
            self.notify(
                s.save_error or "Saved", severity="error" if s.save_error else "information"
            )
            self.redraw()
            self.update_status()
            self.app.sub_title = s.data.get("case", {}).get("title", "")
            self.app.post_message(CaseChanged())

        self.app.push_screen(
            CaseHeaderForm(
                info,
                ocg,
                s.knowledge.vocab,
                lambda i, o: header_problems(s.data, s.knowledge.vocab, i, o),
            ),
            done,
        )

    def action_delete(self) -> None:
        section, index = self.current()
        s = self.session
        if index is None or s.read_only:
            return
        key = s.data[section][index].get("id") or f"{_POSITIONAL.get(section, 'item')}-{index + 1}"

        def done(ok: bool | None) -> None:
            if not ok:
                return
            problems = s.apply(section, index, None)
            if problems:
                self.notify(f"Cannot delete {key}: {problems[0].message}", severity="error")
                return
            self.redraw()
            self.update_status()
            self.app.post_message(CaseChanged())

        self.app.push_screen(Confirm(f"Delete {key}? (ctrl+z undoes it)"), done)

    def action_what_if(self) -> None:
        section, index = self.current()
        s = self.session
        if index is None:
            return
        key = s.data[section][index].get("id") or f"{_POSITIONAL.get(section, 'item')}-{index + 1}"
        left_out = s.toggle_what_if(key)
        self.notify(
            f"What if: {key} {'left out' if left_out else 'back in'}; changed options are marked *"
        )
        self.redraw()
        self.app.post_message(CaseChanged())


__all__ = ["CaseScreen", "Path"]
