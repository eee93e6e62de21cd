"""The Options screen: ranked options, filters, the detail of each, and intelligence requirements."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Select, Static

from achilles.errors import AchillesError
from achilles.explain import explain
from achilles.plan import procedure_dates
from achilles.render.clean import clean
from achilles.tui.screens.action_forms import DecisionInput, DecisionPrompt
from achilles.tui.screens.base import CaseMeetingScreen
from achilles.tui.screens.dialogs import Confirm
from achilles.tui.widgets.tables import fill

FOUR_P = ["pursue", "prevent", "protect", "prepare"]
# The plan state sits beside the rank, so it is in view at 80 columns (the UX trial).
HEADERS = ["#", "state", "score", "power", "target", "lead agency", "4P"]
CAPS = {"power": 34, "target": 24, "4P": 16, "lead agency": 18, "state": 11}
STATE_STYLE = {
    "rejected": "italic",
    "deferred": "italic",
    "suggested": "dim",
    "auto": "dim",
    "done": "bold",
}
AREAS = ["lifestyle", "behaviour", "vehicles", "travel", "business", "crime"]


class OptionsScreen(CaseMeetingScreen):
    CSS_PATH = "options.tcss"
    AUTO_FOCUS = "#options-table"
    BINDINGS = [
        Binding("space,p", "toggle_plan", "Add/remove in plan", id="options.plan"),
        Binding(
            "r",
            "reject",
            "Reject",
            id="options.reject",
            tooltip="Record why this option is rejected",
        ),
        Binding("d", "defer", "Defer", id="options.defer", tooltip="Record why this option waits"),
        Binding(
            "n", "near_misses", "Intel reqs", id="options.near", tooltip="Intelligence requirements"
        ),
    ]

    def body(self) -> ComposeResult:
        with Horizontal(id="filters"):
            yield Select(
                [(p, p) for p in FOUR_P],
                prompt="4P: all",
                id="filter-4p",
                type_to_search=False,
                compact=True,
            )
            yield Select(
                [], prompt="agency: all", id="filter-agency", type_to_search=False, compact=True
            )
            yield Select(
                [(a, a) for a in AREAS],
                prompt="area: all",
                id="filter-area",
                type_to_search=False,
                compact=True,
            )
        with Horizontal(id="panes"):
            yield DataTable(id="options-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="detail-pane"):
                yield Static("", id="detail")
        self.showing_near = False

    def rows(self):
        s = self.app.session
        if s is None or s.result is None:
            return []
        fp = self.query_one("#filter-4p", Select).value
        ag = self.query_one("#filter-agency", Select).value
        ar = self.query_one("#filter-area", Select).value
        return [
            r
            for r in s.result.ranking.options
            if (not isinstance(fp, str) or fp in r.power.four_p)
            and (not isinstance(ag, str) or r.power.lead_agency == ag)
            and (not isinstance(ar, str) or r.power.area == ar)
        ]

    def redraw(self) -> None:
        s = self.app.session
        table = self.query_one("#options-table", DataTable)
        if s is None or s.result is None:
            fill(table, HEADERS, [])
            self.query_one("#detail", Static).update(
                "Working out the options..."
                if s and s.case
                else "The case has problems: fix them on the Case screen (1)."
            )
            return
        agencies = sorted({r.power.lead_agency for r in s.result.ranking.options})
        if agencies != getattr(
            self, "_agencies", None
        ):  # keep the user's choice when the set is unchanged
            self._agencies = agencies
            self.query_one("#filter-agency", Select).set_options(
                [(a.replace("_", " "), a) for a in agencies]
            )
        case = s.result.analysis.case
        states = s.option_states()
        rows = []
        for r in self.rows():
            mark = "*" if r.key in s.result.changed else ""
            state = states.get(r.key, "")
            style = "bold" if mark else ""
            rows.append(
                (
                    r.key,
                    [
                        Text(f"{r.rank}{mark}", style=style),
                        Text(state, style=STATE_STYLE.get(state, "bold reverse")),
                        f"{r.score:.1f}",
                        Text(r.power.name, style=style),
                        case.label(r.option.target),
                        r.power.lead_agency,
                        ", ".join(r.power.four_p),
                    ],
                )
            )
        fill(table, HEADERS, rows, CAPS)
        if table.row_count:
            self.show_detail()
        else:
            self.query_one("#detail", Static).update("No options match the filters.")

    def on_select_changed(self, _: Select.Changed) -> None:
        self.redraw()

    def on_data_table_row_highlighted(self, _: DataTable.RowHighlighted) -> None:
        if not self.showing_near:
            self.show_detail()

    def selected_key(self) -> str | None:
        table = self.query_one("#options-table", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def show_detail(self) -> None:
        s = self.app.session
        key = self.selected_key()
        if s is None or s.result is None or key is None:
            return
        r = next(x for x in s.result.ranking.options if x.key == key)
        case = s.result.analysis.case
        p = r.power
        t = _SafeText()
        t.append(f"{p.name}\n", style="bold")
        t.append(
            f"on {case.label(r.option.target)} ({r.option.target}) · {', '.join(p.four_p)} · "
            f"lead {p.lead_agency} · score {r.score}\n"
        )
        t.append(f"{p.citation()}\n\n")
        e = explain(r.option, p, s.knowledge.rulebook, case)
        if e.exempt:
            names = ", ".join(_named(case, x) for x in e.exempt)
            t.append(f"Exempt residents: {names}\n\n", style="bold")
        t.append("Why\n", style="bold underline")
        for line in e.why:
            t.append(f"  - {line}\n")
        t.append(f"  [rules {', '.join(e.rules)}]\n")
        t.append("\nMatched facts\n", style="bold underline")
        for line in e.facts:
            t.append(f"  - {line}\n")
        t.append("\nScore breakdown\n", style="bold underline")
        for c in r.breakdown:
            t.append(f"  {c.name:<11} {c.points:5.1f}  {c.reason}\n")
        t.append("\nLegal test\n", style="bold underline")
        t.append(f"  {p.legal_test.strip()}\n  Standard: {p.evidence_standard.replace('_', ' ')}\n")
        t.append(f"\nProcedure and deadlines (from {self.app.today})\n", style="bold underline")
        for step in procedure_dates(p, self.app.today):
            t.append(f"  {step.due}  {step.text}" + (f" ({step.note})" if step.note else "") + "\n")
        if e.evidence:
            t.append("\nEvidence needed\n", style="bold underline")
            for item in e.evidence:
                t.append(f"  - {item}\n")
        t.append("\nCautions\n", style="bold underline")
        for caution in e.cautions:
            t.append(f"  - {caution}\n")
        if not p.provenance.confirmed:
            t.append(
                "\nThis catalogue entry is not fully confirmed against the statute.\n",
                style="italic",
            )
        self.query_one("#detail", Static).update(t)

    def action_near_misses(self) -> None:
        s = self.app.session
        if s is None or s.result is None:
            return
        self.showing_near = not self.showing_near
        if not self.showing_near:
            self.show_detail()
            return
        t = _SafeText("Intelligence requirements (near misses)\n", style="bold")
        t.append("Establish these and the power opens:\n\n")
        misses = s.result.analysis.near_misses
        if not misses:
            t.append("  None: no rule is one fact away.\n")
        for n in misses:
            t.append(
                f"  - {n.missing}: opens {s.knowledge.catalogue.get(n.power_id).name} on {n.target}\n"
            )
        analysis = s.result.analysis
        case = analysis.case
        if s.result.ranking.waiting:
            t.append("\nNext steps: open only when a legal event happens\n", style="bold")
            for w in s.result.ranking.waiting:
                opens = explain(w.option, w.power, s.knowledge.rulebook, case).opens_when
                t.append(
                    f"  - {w.power.name} on {case.label(w.option.target)}: opens on "
                    f"{'; or '.join(opens)}\n"
                )
        held = [p for p in analysis.presumptions.found if p.holds]
        if held:
            t.append("\nTreated as victims until assessed\n", style="bold")
            for p in held:
                t.append(
                    f"  - {case.label(p.person)} ({p.person}): {p.presumption.title} "
                    f"({p.presumption.citation}). To lift: {p.presumption.lift}\n"
                )
        for b in analysis.blocked:
            t.append(f"\nRefused by the victim guard: {b.power_id} on {b.target} ({b.reason})\n")
        self.query_one("#detail", Static).update(t)

    def option_name(self, key: str) -> str:
        """An option as the LRO knows it: the power's name on the target's name."""
        s = self.session
        r = s.option(key) if s else None
        if r is None or s is None or s.result is None:
            return key
        return f"{r.power.name} on {s.result.analysis.case.label(r.option.target)}"

    def action_toggle_plan(self) -> None:
        key = self.selected_key()
        if key is None:
            return
        try:
            added = self.session.toggle_selected(key)
        except AchillesError as exc:
            self.notify(
                f"{exc.message} ({exc.hint})" if exc.hint else exc.message,
                severity="warning",
                timeout=10,
            )
            return
        self.notify(f"{'Added to' if added else 'Taken out of'} the plan: {self.option_name(key)}")
        self.after_plan_change()

    def after_plan_change(self) -> None:
        s = self.session
        if s.save_error:
            self.notify(s.save_error, severity="error", timeout=15)
        self.redraw()
        self.update_status()

    def _decide(self, decision: str) -> None:
        key = self.selected_key()
        if key is None:
            return
        s = self.session
        name = self.option_name(key)

        def done(answer: DecisionInput | None) -> None:
            if not answer:
                return
            try:
                s.change_plan(
                    lambda t: (
                        t.reject(key, answer.reason, shareable=answer.shareable)
                        if decision == "rejected"
                        else t.defer(
                            key, answer.reason, until=answer.until, shareable=answer.shareable
                        )
                    )
                )
            except AchillesError as exc:
                self.notify(exc.message, severity="warning", timeout=10)
                return
            self.notify(f"Recorded: {name} {decision}")
            self.after_plan_change()

        def ask(confirmed: bool | None = True) -> None:
            if confirmed:
                self.app.push_screen(
                    DecisionPrompt(f"Why is {name} {decision}?", decision == "deferred"), done
                )

        if s.protects_victim(key):
            verb = "Reject" if decision == "rejected" else "Defer"
            self.app.push_screen(
                Confirm(
                    f"{name} is the safeguarding of a person the group exploits. Safeguarding "
                    f"comes first: {verb.lower()} it anyway?"
                ),
                ask,
            )
        else:
            ask()

    def action_reject(self) -> None:
        self._decide("rejected")

    def action_defer(self) -> None:
        self._decide("deferred")


class _SafeText(Text):
    """Text whose appended strings lose escape sequences and control characters."""

    def append(self, text, style=None):
        return super().append(clean(text) if isinstance(text, str) else text, style)


def _named(case, key: str) -> str:
    label = case.label(key)
    return key if label == key else f"{label} ({key})"
