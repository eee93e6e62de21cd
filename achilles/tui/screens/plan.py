"""The Plan screen: chosen actions with owners and dates, the plan as it will export, export and copy."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Markdown, Static

from achilles.errors import AchillesError
from achilles.files import write_private
from achilles.tui.screens.base import CaseMeetingScreen
from achilles.tui.screens.dialogs import ExportDialog, OwnerForm, ReasonPrompt
from achilles.tui.widgets.tables import fill


class PlanScreen(CaseMeetingScreen):
    CSS_PATH = "plan.tcss"
    AUTO_FOCUS = "#plan-table"
    BINDINGS = [
        Binding(
            "o", "owner", "Owner/date", id="plan.owner", tooltip="Set owner, agency and target date"
        ),
        Binding(
            "x", "remove", "Remove", id="plan.remove", tooltip="Take the action out of the plan"
        ),
        Binding("r", "reject", "Reject", id="plan.reject", tooltip="Take it out and record why"),
        Binding("e", "export", "Export", id="plan.export", tooltip="Write the plan to a file"),
        Binding(
            "c", "copy", "Copy", id="plan.copy", tooltip="Copy the plan (Markdown) to the clipboard"
        ),
    ]

    def body(self) -> ComposeResult:
        with Horizontal(id="plan-panes"):
            with Vertical(id="plan-left"):
                yield Static(
                    "Actions in the plan (the top options until you choose)", classes="hint"
                )
                yield DataTable(id="plan-table", cursor_type="row", zebra_stripes=True)
                yield Static("Decision record", classes="hint")
                yield DataTable(id="decisions-table", cursor_type="row")
            yield Markdown("", id="plan-preview")

    def current_plan(self, redact: bool = False):
        s = self.app.session
        return s.plan(redact=redact, start=self.app.today) if s else None

    def redraw(self) -> None:
        plan = self.current_plan()
        table = self.query_one("#plan-table", DataTable)
        decisions = self.query_one("#decisions-table", DataTable)
        headers = ["#", "4P", "action", "target", "owner", "agency", "due"]
        if plan is None:
            fill(table, headers, [])
            fill(decisions, ["option", "decision", "reason"], [])
            self.query_one("#plan-preview", Markdown).update("_Working out the options..._")
            return
        fill(
            table,
            headers,
            [
                (a.key, [a.rank, a.section, a.title, a.target, a.owner, a.lead_agency, a.due or ""])
                for a in plan.actions()
            ],
            {"action": 40, "target": 28},
        )
        fill(
            decisions,
            ["option", "decision", "reason"],
            [
                (None, [f"{d.title}: {d.target}", d.decision, d.reason])
                for d in plan.decisions
                if d.decision != "not chosen"
            ],
            {"option": 40, "reason": 60},
        )
        from achilles.render.markdown import plan_markdown

        self.query_one("#plan-preview", Markdown).update(plan_markdown(plan))

    def selected_key(self) -> str | None:
        table = self.query_one("#plan-table", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_owner(self) -> None:
        key = self.selected_key()
        plan = self.current_plan()
        if key is None or plan is None:
            return
        action = next(a for a in plan.actions() if a.key == key)
        agencies = list(self.app.session.k.vocab.terms("agency"))

        def done(result) -> None:
            if result:
                owner, agency, due = result
                s = self.app.session
                if key not in s.selected:
                    s.selected.append(key)
                s.set_owner(key, owner, agency, due)
                self.redraw()

        self.app.push_screen(
            OwnerForm(
                f"{action.title}: {action.target}",
                action.owner,
                action.lead_agency,
                action.due,
                agencies,
            ),
            done,
        )

    def action_remove(self) -> None:
        key = self.selected_key()
        s = self.app.session
        if key is None:
            return
        if not s.selected:  # the plan shows the default top options: make the choice explicit
            plan = self.current_plan()
            s.selected = [a.key for a in plan.actions()]
        if key in s.selected:
            s.selected.remove(key)
        self.notify(f"Removed from the plan: {key}")
        self.redraw()
        self.update_status()

    def action_reject(self) -> None:
        key = self.selected_key()
        if key is None:
            return

        def done(reason: str | None) -> None:
            if reason:
                s = self.app.session
                if not s.selected:
                    s.selected = [a.key for a in self.current_plan().actions()]
                s.decide(key, "rejected", reason)
                self.redraw()
                self.update_status()

        self.app.push_screen(ReasonPrompt(f"Why is {key} rejected?"), done)

    def action_export(self) -> None:
        s = self.app.session
        folder = s.path.parent if s and s.path else Path.cwd()

        def done(result) -> None:
            if not result:
                return
            fmt, path, redact = result
            from achilles.render.export import render_plan

            plan = self.current_plan(redact=redact)
            try:
                write_private(path, render_plan(plan, fmt), force=True)
            except AchillesError as exc:
                self.notify(f"Not exported: {exc.message}", severity="error", timeout=10)
                return
            self.notify(f"Exported to {path} (readable by you only)")

        self.app.push_screen(ExportDialog(folder, s.data.get("case", {}).get("id", "case")), done)

    def action_copy(self) -> None:
        from achilles.render.markdown import plan_markdown

        plan = self.current_plan()
        if plan is None:
            return
        self.app.copy_to_clipboard(plan_markdown(plan))
        self.notify("The plan (Markdown, with its marking) is on the clipboard")
