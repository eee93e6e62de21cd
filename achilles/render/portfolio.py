"""A PortfolioReport as Markdown, CSV, JSON and HTML: marked top and bottom, user text (file
names, near-miss wording) escaped for each format."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from typing import Any

from achilles.model.portfolio import PortfolioReport, TopOption
from achilles.render.clean import csv_cell, html_text, md

FORMATS = ("markdown", "csv", "json", "html")
SCHEMA_VERSION = 1


def _score(value: float | None) -> str:
    return "none" if value is None else f"{value:.1f}"


def _target(t: TopOption) -> str:
    return f"{t.target_type} {t.target}"


def report_data(r: PortfolioReport) -> dict[str, Any]:
    """The report as plain data (the JSON format); every string cleaned of control characters."""
    from achilles.render.clean import clean

    def c(value: object) -> str:
        return clean(value)

    return {
        "marking": r.marking,
        "schema_version": SCHEMA_VERSION,
        "kind": "portfolio",
        "generated_on": r.generated_on.isoformat(),
        "rules_version": r.rules_version,
        "settings": {"top": r.top, "strong_score": r.threshold, "near_misses": r.near_misses},
        "totals": {
            "files": r.files,
            "analysed": r.analysed,
            "skipped": len(r.skipped),
            "facts": r.facts,
            "options": r.options,
            "weak_cases": len(r.weak),
            "actions": r.actions,
        },
        "powers": [dataclasses.asdict(p) for p in r.powers],
        "agencies": [dataclasses.asdict(a) for a in r.agencies],
        "recurring_near_misses": [
            {**dataclasses.asdict(n), "missing": c(n.missing)} for n in r.recurring
        ],
        "recurring_near_miss_groups": r.near_groups,
        "due_dates_judged_on": r.on.isoformat() if r.on else None,
        "tactics": [
            {
                "power_id": t.power_id,
                "power": t.power,
                "chosen": t.chosen,
                "done": t.done,
                "abandoned": t.abandoned,
                "rejected": t.rejected,
                "outcomes": dict(t.outcomes),
            }
            for t in r.tactics
        ],
        "agency_actions": [dataclasses.asdict(a) for a in r.agency_work],
        "weak_cases": [
            {"file": c(w.file), "case": w.case_id, "best_score": w.best, "options": w.options}
            for w in r.weak
        ],
        "cases": [
            {
                "file": c(s.file),
                "case": s.case_id,
                "as_of": s.as_of,
                "jurisdiction": s.jurisdiction,
                "facts": s.facts,
                "options": s.options,
                "best_score": s.best,
                "near_misses": s.near_misses,
                "blocked": s.blocked,
                "warnings": s.warnings,
                "top": [
                    {
                        "rank": t.rank,
                        "power_id": t.power_id,
                        "target": t.target,
                        "target_type": t.target_type,
                        "score": t.score,
                    }
                    for t in s.top
                ],
            }
            for s in r.cases
        ],
        "skipped": [
            {"file": c(f.file), "problem": c(f.problem), "kind": f.kind} for f in r.skipped
        ],
        "marking_footer": r.marking,
    }


def report_json(r: PortfolioReport) -> str:
    return json.dumps(report_data(r), indent=2, ensure_ascii=False) + "\n"


def _tactic_table(r: PortfolioReport) -> tuple[list[str], list[list[object]]]:
    """One row per tactic the plans hold: chosen, done, abandoned, rejected, then one column per
    disruption level (strongest first) counting the outcomes recorded."""
    headers = ["Power", "Id", "Chosen", "Done", "Abandoned", "Rejected"]
    headers += [f"Outcome: {level}" for level in r.levels]
    rows: list[list[object]] = [
        [t.power, t.power_id, t.chosen, t.done, t.abandoned, t.rejected]
        + [dict(t.outcomes).get(level, 0) for level in r.levels]
        for t in r.tactics
    ]
    return headers, rows


def _summary_rows(r: PortfolioReport) -> list[tuple[str, object]]:
    return [
        ("Case files", r.files),
        ("Analysed", r.analysed),
        ("Skipped (problems)", len(r.skipped)),
        ("Facts", r.facts),
        ("Options", r.options),
        ("Actions in the partnership's plans", r.actions),
        (f"Cases with no option scoring {r.threshold:g} or more", len(r.weak)),
        ("Rules version", r.rules_version),
        ("Generated on", r.generated_on.isoformat()),
        ("Near misses", "looked for" if r.near_misses else "not looked for (--no-near-misses)"),
    ]


def _md_cell(value: object) -> str:
    """User text escaped; numbers we computed are shown as they are."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return md(value)
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def report_markdown(r: PortfolioReport) -> str:
    out = [f"**{md(r.marking)}**", "", "# Portfolio of disruption options", ""]
    out += ["| | |", "| --- | --- |"] + [
        f"| {md(k)} | {_md_cell(v)} |" for k, v in _summary_rows(r)
    ]

    def table(headers: list[str], rows: list[list[object]], empty: str) -> None:
        if not rows:
            out.extend([f"_{md(empty)}_"])
            return
        out.append("| " + " | ".join(md(h) for h in headers) + " |")
        out.append("|" + " --- |" * len(headers))
        out.extend("| " + " | ".join(_md_cell(x) for x in row) + " |" for row in rows)

    out += ["", "## Most applicable powers", ""]
    table(
        ["Power", "Id", "Lead agency", "Cases", "Options", f"In a top {r.top}"],
        [[p.power, p.power_id, p.lead_agency, p.cases, p.options, p.in_top] for p in r.powers],
        "No options in any case.",
    )
    out += ["", "## Demand per lead agency", ""]
    table(
        ["Lead agency", "Cases", "Options", f"In a top {r.top}"],
        [[a.agency, a.cases, a.options, a.in_top] for a in r.agencies],
        "No options in any case.",
    )
    out += ["", "## What works: the partnership's actions and outcomes per tactic", ""]
    headers, tactics = _tactic_table(r)
    table(headers, tactics, "No plan records an action yet.")
    out += ["", f"## Actions per lead agency (overdue as on {r.on or r.generated_on})", ""]
    table(
        ["Lead agency", "Open", "Overdue", "Done"],
        [[a.agency, a.open, a.overdue, a.done] for a in r.agency_work],
        "No plan records an action yet.",
    )
    out += ["", "## Recurring intelligence requirements (near misses)", ""]
    if r.near_groups > len(r.recurring):
        out += [f"The {len(r.recurring)} most frequent of {r.near_groups}.", ""]
    table(
        ["Power", "What to establish", "Cases", "Times"],
        [[n.power, n.missing, n.cases, n.times] for n in r.recurring],
        "None recur in two or more cases." if r.near_misses else "Not looked for.",
    )
    out += ["", f"## Cases with no strong option (best score under {r.threshold:g})", ""]
    table(
        ["File", "Case", "Best score", "Options"],
        [[w.file, w.case_id, "none" if w.best is None else w.best, w.options] for w in r.weak],
        "Every case has a strong option.",
    )
    out += ["", f"## Top {r.top} options per case", ""]
    leads = {p.power_id: p.lead_agency for p in r.powers}
    rows: list[list[object]] = []
    for s in r.cases:
        if not s.top:
            rows.append([s.file, s.case_id, "", "no options", "", "", ""])
        for t in s.top:
            rows.append(
                [
                    s.file,
                    s.case_id,
                    t.rank,
                    t.power_id,
                    _target(t),
                    leads.get(t.power_id, ""),
                    t.score,
                ]
            )
    table(
        ["File", "Case", "Rank", "Power", "Target", "Lead agency", "Score"],
        rows,
        "No cases analysed.",
    )
    out += ["", "## Files skipped", ""]
    table(["File", "First problem"], [[f.file, f.problem] for f in r.skipped], "None.")
    out += ["", f"**{md(r.marking)}**", ""]
    return "\n".join(out)


CSV_COLUMNS = [
    "section",
    "file",
    "case",
    "rank",
    "power_id",
    "power",
    "target",
    "lead_agency",
    "score",
    "cases",
    "options",
    "in_top",
    "detail",
    "chosen",
    "done",
    "abandoned",
    "rejected",
    "open",
    "overdue",
]


def report_csv(r: PortfolioReport) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")

    def row(**cells: object) -> None:
        w.writerow([csv_cell("" if cells.get(c) is None else cells.get(c)) for c in CSV_COLUMNS])

    w.writerow([csv_cell(r.marking)])
    w.writerow(CSV_COLUMNS)
    for k, v in _summary_rows(r):
        row(section="summary", detail=f"{k}: {v}")
    for p in r.powers:
        row(
            section="power",
            power_id=p.power_id,
            power=p.power,
            lead_agency=p.lead_agency,
            cases=p.cases,
            options=p.options,
            in_top=p.in_top,
        )
    for a in r.agencies:
        row(
            section="agency",
            lead_agency=a.agency,
            cases=a.cases,
            options=a.options,
            in_top=a.in_top,
        )
    for t in r.tactics:
        row(
            section="tactic",
            power_id=t.power_id,
            power=t.power,
            chosen=t.chosen,
            done=t.done,
            abandoned=t.abandoned,
            rejected=t.rejected,
            detail="; ".join(f"{level} {n}" for level, n in t.outcomes if n),
        )
    for work in r.agency_work:
        row(
            section="agency actions",
            lead_agency=work.agency,
            open=work.open,
            overdue=work.overdue,
            done=work.done,
        )
    for n in r.recurring:
        row(
            section="near miss",
            power_id=n.power_id,
            power=n.power,
            cases=n.cases,
            options=n.times,
            detail=n.missing,
        )
    for c in r.weak:
        row(
            section="weak case",
            file=c.file,
            case=c.case_id,
            score=_score(c.best),
            options=c.options,
        )
    leads = {p.power_id: p.lead_agency for p in r.powers}
    for s in r.cases:
        if not s.top:
            row(section="case option", file=s.file, case=s.case_id, detail="no options")
        for top in s.top:
            row(
                section="case option",
                file=s.file,
                case=s.case_id,
                rank=top.rank,
                power_id=top.power_id,
                target=_target(top),
                lead_agency=leads.get(top.power_id, ""),
                score=f"{top.score:.1f}",
            )
    for f in r.skipped:
        row(section="skipped", file=f.file, detail=f.problem)
    w.writerow([csv_cell(r.marking)])
    return buf.getvalue()


_STYLE = (
    "body{font-family:Arial,sans-serif;font-size:11pt}"
    "table{border-collapse:collapse;margin:6pt 0}td,th{border:1px solid #444;padding:3pt 6pt;"
    "vertical-align:top;text-align:left}.marking{font-weight:bold;text-align:center;color:#000}"
)


def report_html(r: PortfolioReport) -> str:
    h = html_text

    def table(headers: list[str], rows: list[list[object]], empty: str) -> str:
        if not rows:
            return f"<p><em>{h(empty)}</em></p>"
        head = "".join(f"<th>{h(x)}</th>" for x in headers)
        body = "".join("<tr>" + "".join(f"<td>{h(c)}</td>" for c in row) + "</tr>" for row in rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    leads = {p.power_id: p.lead_agency for p in r.powers}
    case_rows: list[list[object]] = []
    for s in r.cases:
        if not s.top:
            case_rows.append([s.file, s.case_id, "", "no options", "", "", ""])
        for t in s.top:
            case_rows.append(
                [
                    s.file,
                    s.case_id,
                    t.rank,
                    t.power_id,
                    _target(t),
                    leads.get(t.power_id, ""),
                    f"{t.score:.1f}",
                ]
            )
    p = [
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{h(r.marking)}: '
        f"portfolio of disruption options</title><style>{_STYLE}</style></head><body>",
        f'<p class="marking">{h(r.marking)}</p>',
        "<h1>Portfolio of disruption options</h1>",
        table(["", ""], [[k, v] for k, v in _summary_rows(r)], ""),
        "<h2>Most applicable powers</h2>",
        table(
            ["Power", "Id", "Lead agency", "Cases", "Options", f"In a top {r.top}"],
            [[x.power, x.power_id, x.lead_agency, x.cases, x.options, x.in_top] for x in r.powers],
            "No options in any case.",
        ),
        "<h2>Demand per lead agency</h2>",
        table(
            ["Lead agency", "Cases", "Options", f"In a top {r.top}"],
            [[a.agency, a.cases, a.options, a.in_top] for a in r.agencies],
            "No options in any case.",
        ),
        "<h2>What works: the partnership's actions and outcomes per tactic</h2>",
        table(*_tactic_table(r), "No plan records an action yet."),
        f"<h2>Actions per lead agency (overdue as on {h(r.on or r.generated_on)})</h2>",
        table(
            ["Lead agency", "Open", "Overdue", "Done"],
            [[a.agency, a.open, a.overdue, a.done] for a in r.agency_work],
            "No plan records an action yet.",
        ),
        "<h2>Recurring intelligence requirements (near misses)</h2>",
        (
            f"<p>The {len(r.recurring)} most frequent of {r.near_groups}.</p>"
            if r.near_groups > len(r.recurring)
            else ""
        ),
        table(
            ["Power", "What to establish", "Cases", "Times"],
            [[n.power, n.missing, n.cases, n.times] for n in r.recurring],
            "None recur in two or more cases." if r.near_misses else "Not looked for.",
        ),
        f"<h2>Cases with no strong option (best score under {h(f'{r.threshold:g}')})</h2>",
        table(
            ["File", "Case", "Best score", "Options"],
            [[w.file, w.case_id, _score(w.best), w.options] for w in r.weak],
            "Every case has a strong option.",
        ),
        f"<h2>Top {r.top} options per case</h2>",
        table(
            ["File", "Case", "Rank", "Power", "Target", "Lead agency", "Score"],
            case_rows,
            "No cases analysed.",
        ),
        "<h2>Files skipped</h2>",
        table(["File", "First problem"], [[f.file, f.problem] for f in r.skipped], "None."),
        f'<p class="marking">{h(r.marking)}</p></body></html>',
    ]
    return "\n".join(x for x in p if x) + "\n"


def render(r: PortfolioReport, fmt: str) -> str:
    return {
        "markdown": report_markdown,
        "csv": report_csv,
        "json": report_json,
        "html": report_html,
    }[fmt](r)
