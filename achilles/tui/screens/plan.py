"""The Plan screen: the action plan as a tracker (status, RAG, owner, due, last update; overdue
highlighted), the decision record, the highlighted action in full (under the marking), and
export, copy and the review agenda.

Every change here is a change to the case's `plan` section: saved at once, undoable, and in
the workspace logged in the decision log.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from achilles.errors import AchillesError
from achilles.files import write_private
from achilles.plan import Action
from achilles.render.clean import clean
from achilles.render.tracker import decision_text
from achilles.tui.screens.action_forms import (
    DecisionInput,
    DecisionPrompt,
    OwnerForm,
    OwnerInput,
    ProgressForm,
    ProgressInput,
)
from achilles.tui.screens.base import CaseMeetingScreen
from achilles.tui.screens.dialogs import Confirm, ExportDialog
from achilles.tui.screens.dialogs.export import ExportChoice, default_folder
from achilles.tui.widgets.tables import fill

HEADERS = ["#", "action", "target", "due", "status", "RAG", "owner", "last update"]
# Narrow enough that the tracker's own columns (status, RAG, owner, due) stay in view at 80
# columns, and beside the action detail at 160.
CAPS = {"action": 20, "target": 12, "status": 14, "owner": 14, "last update": 30}
WIDE_CAPS = {"action": 26, "target": 18, "status": 16, "owner": 18, "last update": 40}
DECISION_CAPS = {"option": 30, "decision": 26, "reason": 60}
RAG_STYLE = {"red": "bold red", "amber": "bold yellow", "green": "green"}


def status_text(a: Action) -> Text:
    if a.stale:
        return Text("review", style="bold reverse")
    if a.origin == "suggested":
        return Text("suggested", style="dim")
    if a.origin == "automatic":
        return Text("auto", style="dim")
    word = a.status.replace("_", " ")
    if a.outcome:
        word += f": {a.outcome.level}"
    return Text(word)


def due_text(a: Action) -> Text:
    if not a.due_set:
        return Text("")
    if a.overdue:  # not by colour alone: the mark and the reverse video say it too
        return Text(f"{a.due}!", style="bold red reverse")
    return Text(str(a.due))


def action_detail(plan, a: Action) -> Text:
    """The selected action in full, under the marking: what the tracker's row cannot hold."""
    from achilles.render.tracker import action_state

    t = Text()
    t.append(f"{clean(plan.marking)}\n\n", style="bold")
    t.append(f"{clean(a.title)}\n", style="bold")
    t.append(f"on {clean(a.target)} ({a.key})\n")
    t.append(f"{clean(a.legal_basis)}\n\n" if a.legal_basis else "\n")
    t.append("Status  ", style="bold")
    t.append(clean(action_state(a)) + (f"; RAG {a.rag}" if a.rag else "") + "\n")
    t.append("Owner   ", style="bold")
    t.append(f"{clean(a.owner)} ({a.lead_agency.replace('_', ' ')})\n")
    t.append("Due     ", style="bold")
    t.append(
        (f"{a.due}" + (" (overdue)" if a.overdue else "") if a.due_set else "not set")
        + (f"; the law's latest date {a.due}" if a.due and not a.due_set else "")
        + "\n"
    )
    if a.added:
        t.append("Added   ", style="bold")
        t.append(f"{a.added}\n")
    if a.outcome:
        o = a.outcome
        t.append("\nOutcome\n", style="bold underline")
        t.append(
            f"  {o.level} disruption on {o.date}" + (f": {clean(o.note)}" if o.note else "") + "\n"
        )
    if a.updates:
        t.append("\nUpdates\n", style="bold underline")
        for u in reversed(a.updates):
            t.append(f"  {u.date}" + (f" ({clean(u.by)})" if u.by else "") + f": {clean(u.text)}\n")
    if a.steps:
        t.append("\nProcedure and latest dates\n", style="bold underline")
        for step in a.steps:
            t.append(f"  {str(step.due or ''):>10}  {clean(step.text)}\n")
    if a.because:
        t.append("\nWhy\n", style="bold underline")
        for b in a.because:
            t.append(f"  - {clean(b)}\n")
    t.append(
        "\nThe whole plan: e exports it, c copies it; v is the review agenda.\n", style="italic"
    )
    return t


class PlanScreen(CaseMeetingScreen):
    AUTO_FOCUS = "#plan-table"
    BINDINGS = [
        Binding("o", "owner", "Owner/due", id="plan.owner", tooltip="Owner, lead agency, due date"),
        Binding(
            "u",
            "progress",
            "Update",
            id="plan.progress",
            tooltip="Status, RAG, a dated note, the outcome",
        ),
        Binding(
            "x", "remove", "Remove", id="plan.remove", tooltip="Take the action out of the plan"
        ),
        Binding("r", "reject", "Reject", id="plan.reject", tooltip="Take it out and record why"),
        Binding("d", "defer", "Defer", id="plan.defer", tooltip="Take it out until a date"),
        Binding("v", "review", "Review", id="plan.review", tooltip="The review meeting's agenda"),
        Binding("e", "export", "Export", id="plan.export", tooltip="Write the plan to a file"),
        Binding(
            "c", "copy", "Copy", id="plan.copy", tooltip="Copy the plan (Markdown) to the clipboard"
        ),
    ]

    def body(self) -> ComposeResult:
        with Horizontal(id="plan-panes"):
            with Vertical(id="plan-left"):
                yield Static("Action plan", classes="hint", id="plan-hint")
                yield DataTable(id="plan-table", cursor_type="row", zebra_stripes=True)
                yield Static("Decision record", classes="hint")
                yield DataTable(id="decisions-table", cursor_type="row")
            with VerticalScroll(id="plan-detail"):
                yield Static("", id="plan-text")

    def current_plan(self, redact: bool = False):
        s = self.app.session
        return s.plan(redact=redact, start=self.app.today) if s else None

    def redraw(self) -> None:
        plan = self.current_plan()
        table = self.query_one("#plan-table", DataTable)
        decisions = self.query_one("#decisions-table", DataTable)
        if plan is None:
            fill(table, HEADERS, [])
            fill(decisions, ["option", "decision", "reason"], [])
            self.query_one("#plan-text", Static).update("Working out the options...")
            return
        actions = plan.actions()
        overdue = sum(a.overdue for a in actions)
        stale = sum(a.stale for a in actions)
        hint = (
            f"Action plan: {len(actions)} action(s)"
            + (f", {overdue} overdue (due date marked !)" if overdue else "")
            + (f", {stale} to review (no longer supported by the rules)" if stale else "")
            if plan.chosen
            else "Suggested actions: the best options until you choose (o, u or x keeps them)"
        )
        self.query_one("#plan-hint", Static).update(hint)
        fill(
            table,
            HEADERS,
            [
                (
                    a.key,
                    [
                        a.rank or "-",
                        a.title,
                        a.target,
                        due_text(a),
                        status_text(a),
                        Text(a.rag, style=RAG_STYLE.get(a.rag, "")),
                        "" if a.owner == "to be agreed" else a.owner,
                        f"{a.last_update.date}: {a.last_update.text}" if a.last_update else "",
                    ],
                )
                for a in actions
            ],
            WIDE_CAPS if self._tracker_width() >= 90 else CAPS,
        )
        fill(
            decisions,
            ["option", "decision", "reason"],
            [
                (None, [f"{d.title}: {d.target}", decision_text(d), d.reason])
                for d in plan.decisions
                if d.decision != "not chosen"
            ],
            DECISION_CAPS,
        )
        self._plan = plan
        self.show_detail()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "plan-table":
            self.show_detail()

    def show_detail(self) -> None:
        """The highlighted action in full beside the tracker. (Not the whole plan: laying out a
        600-line plan took a second on every visit; e and c give the whole plan.)"""
        plan = getattr(self, "_plan", None)
        key = self.selected_key()
        action = next((a for a in plan.actions() if a.key == key), None) if plan else None
        text = self.query_one("#plan-text", Static)
        if action is None:
            text.update(Text(clean(plan.marking), style="bold") if plan else "")
            return
        text.update(action_detail(plan, action))

    def _tracker_width(self) -> int:
        """The columns the tracker has: all of them at 80, three fifths beside the detail."""
        width = self.app.size.width
        return width if width < 110 else width * 3 // 5

    def selected_key(self) -> str | None:
        table = self.query_one("#plan-table", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def selected_action(self) -> Action | None:
        key = self.selected_key()
        plan = self.current_plan()
        if key is None or plan is None:
            return None
        return next((a for a in plan.actions() if a.key == key), None)

    def _change(self, edit, done: str) -> None:
        """One edit to the plan, keeping any suggested actions; say what happened."""
        s = self.session
        try:
            s.change_plan(edit, keep_suggestions=True)
        except AchillesError as exc:
            self.notify(
                f"{exc.message} ({exc.hint})" if exc.hint else exc.message,
                severity="warning",
                timeout=10,
            )
            return
        if s.adopted:
            self.notify(f"The {s.adopted} suggested actions are now your plan (x takes one out)")
        if s.save_error:
            self.notify(s.save_error, severity="error", timeout=15)
        else:
            self.notify(done)
        self.redraw()
        self.update_status()

    def action_owner(self) -> None:
        action = self.selected_action()
        if action is None:
            return
        s = self.session
        tracked = s.plan_state.action(action.key)
        agencies = list(s.knowledge.vocab.terms("agency"))
        power = s.knowledge.catalogue.powers.get(action.power_id)
        usual = power.lead_agency if power else None

        def done(result: OwnerInput | None) -> None:
            if result:
                # the power's usual lead is not an override: record an agency only when it differs
                agency = result.agency
                if agency == usual:
                    agency = "" if tracked and tracked.agency else None
                self._change(
                    lambda t: t.add(
                        action.key,
                        owner=result.owner,
                        agency=agency,
                        due=result.due,
                        owner_shareable=result.shareable,
                    ),
                    f"Saved: {action.title}: {action.target}",
                )

        self.app.push_screen(
            OwnerForm(
                f"{action.title}: {action.target}",
                (tracked.owner or "") if tracked else "",
                tracked.owner_shareable if tracked else False,
                action.lead_agency,
                action.due if action.due_set else None,
                agencies,
            ),
            done,
        )

    def action_progress(self) -> None:
        action = self.selected_action()
        if action is None:
            return
        vocab = self.session.knowledge.vocab

        def done(result: ProgressInput | None) -> None:
            if not result:
                return

            def edit(t) -> None:
                t.add(action.key)
                t.update(
                    action.key,
                    status=result.status if result.status != action.status else None,
                    rag=result.rag if result.rag != (action.rag or None) else None,
                    note=result.note,
                    outcome=result.outcome,
                    on=result.on,
                    shareable=result.shareable,
                )

            self._change(edit, f"Saved: {action.title}: {action.target}")

        self.app.push_screen(
            ProgressForm(
                f"{action.title}: {action.target}",
                action.status,
                action.rag,
                list(vocab.sections.get("action_status", {})),
                list(vocab.sections.get("rag", {})),
                list(vocab.sections.get("disruption_level", {})),
            ),
            done,
        )

    def action_remove(self) -> None:
        action = self.selected_action()
        if action is None:
            return
        if action.origin == "automatic":
            self.notify(
                "Safeguarding for a person the group exploits is always in the plan; "
                "reject it (r) with a reason to take it out",
                severity="warning",
            )
            return
        self._change(
            lambda t: t.remove(action.key),
            f"Taken out of the plan: {action.title}: {action.target}",
        )

    def _decide(self, decision: str) -> None:
        action = self.selected_action()
        if action is None:
            return
        s = self.session
        name = f"{action.title}: {action.target}"

        def done(answer: DecisionInput | None) -> None:
            if not answer:
                return
            self._change(
                lambda t: (
                    t.reject(action.key, answer.reason, shareable=answer.shareable)
                    if decision == "rejected"
                    else t.defer(
                        action.key, answer.reason, until=answer.until, shareable=answer.shareable
                    )
                ),
                f"Recorded: {name} {decision}",
            )

        def ask(confirmed: bool | None = True) -> None:
            if confirmed:
                self.app.push_screen(
                    DecisionPrompt(f"Why is {name} {decision}?", decision == "deferred"), done
                )

        if s.protects_victim(action.key):
            self.app.push_screen(
                Confirm(
                    f"{name} is the safeguarding of a person the group exploits. Safeguarding "
                    f"comes first: {'reject' if decision == 'rejected' else 'defer'} it anyway?"
                ),
                ask,
            )
        else:
            ask()

    def action_reject(self) -> None:
        self._decide("rejected")

    def action_defer(self) -> None:
        self._decide("deferred")

    def action_review(self) -> None:
        from achilles.tui.screens.review import ReviewScreen

        if self.app.session and self.app.session.result:
            self.app.push_screen(ReviewScreen())

    def action_export(self) -> None:
        s = self.session
        choice = self.app.export_choice or ExportChoice(default_folder(s.path))

        def done(result) -> None:
            if not result:
                return
            fmt, path, redact = result
            from achilles.render.export import render_plan

            self.app.export_choice = ExportChoice(path.parent, fmt, redact)
            plan = self.current_plan(redact=redact)
            try:
                write_private(path, render_plan(plan, fmt), force=True)
            except AchillesError as exc:
                self.notify(f"Not exported: {exc.message}", severity="error", timeout=10)
                return
            self.app.last_export = path
            self.update_status()  # the status line names the file until the next export
            self.notify(f"Exported to {path} (readable by you only)", timeout=10)

        self.app.push_screen(ExportDialog(choice, s.data.get("case", {}).get("id", "case")), done)

    def action_copy(self) -> None:
        from achilles.render.markdown import plan_markdown

        plan = self.current_plan()
        if plan is None:
            return
        self.app.copy_to_clipboard(plan_markdown(plan))
        self.notify("The plan (Markdown, with its marking) is on the clipboard")
