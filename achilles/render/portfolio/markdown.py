"""The portfolio report as Markdown: the board's summary first, the detail after, the per-case
table in an annex; marked top and bottom; user text escaped."""

from __future__ import annotations

from achilles.model.portfolio import PortfolioReport
from achilles.render.clean import md
from achilles.render.portfolio.tables import Table, tables


def _cell(value: object) -> str:
    """User text escaped; numbers we computed shown as they are."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return md(value)
    return f"{value:.1f}" if isinstance(value, float) else f"{value:,}"


def _table(t: Table, heading: str) -> list[str]:
    out = [f"{heading} {md(t.title)}", ""]
    if t.intro:
        out += [md(t.intro), ""]
    if not t.rows:
        return out + [f"_{md(t.empty)}_", ""]
    out.append("| " + " | ".join(md(c.title) for c in t.columns) + " |")
    out.append("|" + " --- |" * len(t.columns))
    out += ["| " + " | ".join(_cell(x) for x in row) + " |" for row in t.rows]
    notes = " ".join(f"**{md(c.title)}**: {md(c.meaning)}" for c in t.columns)
    return out + ["", f"_Columns._ {notes}", ""]


def report_markdown(r: PortfolioReport) -> str:
    all_tables = tables(r)
    summary = next(t for t in all_tables if t.name == "summary")
    out = [f"**{md(r.marking)}**", "", "# Portfolio of disruption options", ""]
    out += [
        f"{r.analysed:,} of {r.files:,} case files analysed on {r.generated_on.isoformat()} "
        f"(rules version {md(r.rules_version)}).",
        "",
        "## Summary for the board",
        "",
    ]
    out += [f"- {md(f)}" for f in r.findings] + [""]
    out += ["| Measure | Value |", "| --- | --- |"]
    out += [f"| {md(k)} | {_cell(v)} |" for k, v in summary.rows] + [""]
    for t in all_tables:
        if t.board:
            out += _table(t, "###")
    for t in all_tables:
        if not (t.board or t.annex or t.name == "summary"):
            out += _table(t, "##")
    annexes = [t for t in all_tables if t.annex]
    for letter, t in zip("ABCDEFGH", annexes, strict=False):
        out += _table(t, f"## Annex {letter}:")
    return "\n".join(out + [f"**{md(r.marking)}**", ""])
