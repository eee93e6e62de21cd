"""The Rules screen, for the legal team: rules in plain English, what fired here, the rule tests."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Static

from achilles.rulebook.english import rule_text
from achilles.tui.screens.base import CaseMeetingScreen
from achilles.tui.widgets.tables import fill


class RulesScreen(CaseMeetingScreen):
    AUTO_FOCUS = "#rules-table"
    BINDINGS = [
        Binding("t", "run_tests", "Run rule tests", id="rules.tests"),
        Binding(
            "w",
            "toggle_powers",
            "Rules/powers",
            id="rules.powers",
            tooltip="Switch between the rules and the powers catalogue",
        ),
    ]
    showing_powers = False

    def body(self) -> ComposeResult:
        with Horizontal(id="rules-panes"):
            yield DataTable(id="rules-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="rule-pane"):
                yield Static("", id="rule-detail")

    def redraw(self) -> None:
        table = self.query_one("#rules-table", DataTable)
        if self.showing_powers:
            cat = self.app.knowledge.catalogue
            fill(
                table,
                ["power", "name", "4P", "confirmed"],
                [
                    (
                        p.id,
                        [
                            p.id,
                            p.name,
                            ", ".join(p.four_p),
                            "yes" if p.provenance.confirmed else "no",
                        ],
                    )
                    for p in cat
                ],
                {"power": 34, "name": 50},
            )
            self.show_rule()
            return
        fired = self._fired()
        rows = []
        for lr in self.app.knowledge.rulebook.rules:
            count = len(set(fired.get(lr.rule.id, [])))
            rows.append((lr.rule.id, [lr.rule.id, lr.rule.power, str(count) if count else ""]))
        fill(table, ["rule", "power", "fired here"], rows, {"rule": 40, "power": 30})
        self.show_rule()

    def _fired(self) -> dict[str, list[str]]:
        s = self.app.session
        out: dict[str, list[str]] = {}
        if s and s.result:
            for o in s.result.analysis.options:
                for f in o.firings:
                    out.setdefault(f.rule_id, []).append(f.target)
        return out

    def on_data_table_row_highlighted(self, _: DataTable.RowHighlighted) -> None:
        self.show_rule()

    def show_rule(self) -> None:
        table = self.query_one("#rules-table", DataTable)
        if not table.row_count:
            return
        rule_id = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if rule_id is None:  # every row is added with its rule or power id as key
            return
        if self.showing_powers:
            self.query_one("#rule-detail", Static).update(
                power_text(self.app.knowledge.catalogue.get(rule_id))
            )
            return
        lr = self.app.knowledge.rulebook.get(rule_id)
        power = self.app.knowledge.catalogue.get(lr.rule.power)
        t = Text(rule_text(lr.rule) + "\n")
        where = f"rules/{Path(lr.file).name}" if lr.layer == "shipped" else lr.file
        t.append(f"\nFile: {where}:{lr.line} ({lr.layer})\n")
        t.append(f"Power: {power.name} ({power.citation()})\n")
        fired = sorted(set(self._fired().get(rule_id, [])))
        t.append(f"Fired on this case: {', '.join(fired) if fired else 'no'}\n")
        self.query_one("#rule-detail", Static).update(t)

    def action_toggle_powers(self) -> None:
        self.showing_powers = not self.showing_powers
        self.query_one("#rules-table", DataTable).move_cursor(row=0)
        self.redraw()

    def action_run_tests(self) -> None:
        self.notify("Running the rule tests in both evaluators...")
        self._run_tests()

    @work(thread=True, exclusive=True, group="rule-tests")
    def _run_tests(self) -> None:
        from achilles.checks.rule_tests import run_rule_tests
        from achilles.meeting.session import ENGINE_LOCK

        k = self.app.knowledge
        with ENGINE_LOCK:
            results = run_rule_tests(k.rulebook, k.catalogue, k.vocab)
        bad = [r for r in results if not r.passed]
        summary = (
            f"Rule tests: {len(results) - len(bad)} of {len(results)} passed in both evaluators"
        )
        self.app.call_from_thread(
            self.notify, summary, severity="error" if bad else "information", timeout=10
        )
        if bad:
            text = Text(summary + "\n\n")
            for r in bad:
                text.append(f"FAIL {r.rule_id}: {r.test}: {r.detail}\n")
            self.app.call_from_thread(self.query_one("#rule-detail", Static).update, text)


def power_text(p) -> Text:
    """A power's profile for the legal team: law, test, procedure, cautions, provenance."""
    t = Text()
    t.append(f"{p.name}\n", style="bold")
    t.append(
        f"{p.id} · {', '.join(p.four_p)} · area {p.area} · lead {p.lead_agency}"
        f" · {'coercive' if p.coercive else 'not coercive'}\n\n{p.summary.strip()}\n\n"
    )
    for leg in p.legislation:
        t.append(f"Law: {leg.cite()}" + (f"  {leg.url}" if leg.url else "") + "\n")
    t.append(f"In force: {p.in_force_text()}\n\nLegal test: {p.legal_test.strip()}\n")
    t.append("\nProcedure:\n")
    for i, s in enumerate(p.procedure, 1):
        limits = "; ".join(
            x
            for x in (s.within and f"within {s.within}", s.lasts and f"lasts {s.lasts}", s.cite)
            if x
        )
        t.append(f"  {i}. {s.step}" + (f" ({limits})" if limits else "") + "\n")
    t.append("\nCautions:\n" + "".join(f"  - {c}\n" for c in p.cautions))
    pv = p.provenance
    t.append(
        f"\n{'Confirmed' if pv.confirmed else 'NOT fully confirmed'}; reviewed by {pv.reviewed_by} on {pv.reviewed_on}\n"
    )
    for u in pv.unconfirmed:
        t.append(f"  unconfirmed: {u}\n")
    return t
