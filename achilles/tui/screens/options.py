"""The Options screen: safeguarding first, then the tactics (each power with its targets, opened
with enter), filters, the detail of each row, and intelligence requirements."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Select, Static

from achilles.errors import AchillesError
from achilles.explain import explain
from achilles.model.power import AREAS, FOUR_P
from achilles.ranking import Tactic
from achilles.tui.screens.action_forms import DecisionInput, DecisionPrompt
from achilles.tui.screens.base import CaseMeetingScreen
from achilles.tui.screens.dialogs import Confirm
from achilles.tui.screens.option_detail import (
    SafeText,
    lane_detail,
    option_detail,
    tactic_detail,
    tactics_heading,
)
from achilles.tui.widgets.tables import JumpTable, fill
from achilles.tui.widgets.tactic_rows import (
    HEADERS,
    LANE,
    TACTIC,
    TACTICS,
    VICTIM,
    Marks,
    folds,
    is_option,
    rows,
    tactic_key,
    victim_key,
)

# The plan state sits beside the rank, so it is in view at 80 columns (the UX trial).
CAPS = {"tactic": 34, "target": 24, "4P": 16, "lead agency": 18, "state": 11}


def _searchable(tactic: Tactic, label) -> str:
    """What `/` searches in a tactic: the power's name and id, and its targets' names and ids."""
    words = [tactic.power.name, tactic.power_id]
    for target in tactic.targets:
        words += [target, label(target)]
    return " ".join(words).casefold()


class OptionsScreen(CaseMeetingScreen):
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
            "e",
            "open_all",
            "Open all",
            id="options.open_all",
            tooltip="Show every tactic's targets, or fold them again",
        ),
        Binding(
            "n", "near_misses", "Intel reqs", id="options.near", tooltip="Intelligence requirements"
        ),
        Binding(
            "slash",
            "find",
            "Filter",
            id="options.find",
            tooltip="Show only the tactics whose power or target contains the text",
        ),
        Binding("escape", "clear_find", "Clear filter", id="options.clear_find", show=False),
        Binding(
            "f",
            "full_names",
            "Full names",
            id="options.full_names",
            tooltip="Wrap the tactic column so whole power names show (rows grow); again to fold",
            show=False,  # the key bar is full at 80 columns: in help (F1) and the palette
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
            yield Input(placeholder="/ filter", id="filter-text", compact=True)
        with Horizontal(id="panes"):
            yield JumpTable(id="options-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="detail-pane"):
                yield Static("", id="detail")
        self.showing_near = False
        self.opened: set[str] = set()  # the folding rows (tactics, people) shown open
        # whole power names, wrapped in their column: most names are longer than the column an
        # 80-column projector leaves them, so the meeting can choose names over rows
        self.full_names = False

    def tactics(self) -> list[Tactic]:
        """The tactics that pass the filters (the agency that leads them), in their order."""
        s = self.app.session
        if s is None or s.result is None:
            return []

        fp = self.query_one("#filter-4p", Select).value
        ag = self.query_one("#filter-agency", Select).value
        ar = self.query_one("#filter-area", Select).value
        text = self.query_one("#filter-text", Input).value.strip().casefold()
        case = s.result.analysis.case
        return [
            t
            for t in s.result.ranking.tactics
            if (not isinstance(fp, str) or fp in t.power.four_p)
            and (not isinstance(ag, str) or t.power.lead_agency == ag)
            and (not isinstance(ar, str) or t.power.area == ar)
            and (not text or text in _searchable(t, case.label))
        ]

    def action_find(self) -> None:
        self.query_one("#filter-text", Input).focus()

    def action_clear_find(self) -> None:
        """Escape: empty the filter and go back to the table."""
        box = self.query_one("#filter-text", Input)
        if box.value:
            box.value = ""  # Input.Changed redraws
        self.query_one("#options-table", DataTable).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter-text":
            self.redraw()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter-text":  # Enter keeps the filter and goes to the rows
            self.query_one("#options-table", DataTable).focus()

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
        before = self.selected_key()
        marks = Marks(s.option_states(), s.result.changed)
        shown = rows(s.result.ranking, self.tactics(), s.result.analysis.case, marks, self.opened)
        fill(table, HEADERS, shown, CAPS, wrap=self.full_names)
        keys = [key for key, _ in shown]
        if before in keys:  # the cursor stays on its row when rows open, close or re-rank
            table.move_cursor(row=keys.index(before))
        elif before is None or before in (LANE, TACTICS):  # first drawn: on the first row to act on
            first = next((i for i, k in enumerate(keys) if k not in (LANE, TACTICS)), 0)
            table.move_cursor(row=first)
        if not self.showing_near:
            self.show_detail()

    def on_select_changed(self, _: Select.Changed) -> None:
        self.redraw()

    def on_data_table_row_highlighted(self, _: DataTable.RowHighlighted) -> None:
        if not self.showing_near:
            self.show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a tactic (or a person's safeguarding) opens it to show its options, or folds
        it again."""
        key = event.row_key.value
        if key is not None and folds(key):
            self.opened ^= {key}
            self.redraw()

    def action_full_names(self) -> None:
        self.full_names = not self.full_names
        self.redraw()
        self.notify(
            "Whole power names: rows wrap (f again to fold)"
            if self.full_names
            else "Power names cut to the column (the detail pane has the whole name)"
        )

    def action_open_all(self) -> None:
        """Open every tactic and person, or fold them all when all are open."""
        s = self.app.session
        if s is None or s.result is None:
            return
        many = {tactic_key(t.power_id) for t in self.tactics() if len(t.options) > 1} | {
            victim_key(x.person) for x in s.result.ranking.safeguarding if len(x.options) > 1
        }
        self.opened = set() if many and many <= self.opened else self.opened | many
        self.redraw()

    def selected_key(self) -> str | None:
        table = self.query_one("#options-table", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def selected_option(self) -> str | None:
        """The option under the cursor, or None (and a word of help) on any other row."""
        key = self.selected_key()
        if key is None:
            return None
        if is_option(key):
            return key
        s = self.app.session
        lane = (
            next((x for x in s.result.ranking.safeguarding if victim_key(x.person) == key), None)
            if s and s.result
            else None
        )
        if folds(key) and (key.startswith(TACTIC) or (lane and lane.options)):
            if key not in self.opened:
                self.opened.add(key)
                self.redraw()
            self.notify("Choose one of the options below it: each is its own action.")
        elif key in (LANE, TACTICS):
            self.notify("A heading: move to an option below it.")
        elif key and key.startswith(VICTIM):
            self.notify(
                "No protective option fired for this person: refer them to adult or children's "
                "services now, and record what the case is missing.",
                severity="warning",
            )
        return None

    def show_detail(self) -> None:
        s = self.app.session
        key = self.selected_key()
        if s is None or s.result is None or key is None:
            return
        ranking = s.result.ranking
        detail = self.query_one("#detail", Static)
        table = self.query_one("#options-table", DataTable)
        if key != getattr(self, "_detail_key", None):  # a new row: its detail from the top,
            self._detail_key = key  # where the power's full name is
            self.query_one("#detail-pane", VerticalScroll).scroll_home(animate=False)
        table.tooltip = None
        if is_option(key):
            r = s.option(key)
            if r is not None:
                detail.update(option_detail(s, r, self.app.today))
                # the tactic column is cut at 80 columns: the full name on hover too
                table.tooltip = Text(
                    f"{r.power.name} on {s.result.analysis.case.label(r.option.target)}"
                )
        elif key.startswith(TACTIC):
            power_id = key.removeprefix(TACTIC)
            tactic = next((t for t in ranking.tactics if t.power_id == power_id), None)
            if tactic is not None:
                detail.update(tactic_detail(s, tactic, self.app.today))
                table.tooltip = Text(tactic.power.name)
        elif key == LANE or key.startswith(VICTIM):
            detail.update(lane_detail(s, key.removeprefix(VICTIM) if key != LANE else None))
        elif key == TACTICS:
            detail.update(tactics_heading(s))

    def action_near_misses(self) -> None:
        s = self.app.session
        if s is None or s.result is None:
            return
        self.showing_near = not self.showing_near
        # the list starts at its top, not where the last detail was scrolled to (the UX trial)
        self.query_one("#detail-pane", VerticalScroll).scroll_home(animate=False)
        if not self.showing_near:
            self.show_detail()
            return
        t = SafeText("Intelligence requirements (near misses)\n", style="bold")
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
        key = self.selected_option()
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
        key = self.selected_option()
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
