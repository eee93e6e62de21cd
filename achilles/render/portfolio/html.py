"""The portfolio report as one HTML file a partnership board reads on screen or prints: a
one-page summary (findings in words, groups by threat, charts of options by 4P and by lead
agency), the detail after, the per-case table in an annex on its own pages. A4 print with the
marking on every page; no script, no external resource, user text escaped."""

from __future__ import annotations

from achilles.model.portfolio import PortfolioReport
from achilles.render.clean import html_text as h
from achilles.render.clean import print_css
from achilles.render.portfolio.charts import bar_chart
from achilles.render.portfolio.tables import Table, tables

CHART_BARS = 8  # lead agencies drawn; the table lists them all


def _style(marking: str) -> str:
    return (
        "body{font-family:Arial,sans-serif;font-size:11pt;margin:0 auto;max-width:60em}"
        "table{border-collapse:collapse;margin:6pt 0}"
        "td,th{border:1px solid #444;padding:3pt 6pt;vertical-align:top;text-align:left}"
        "td.n{text-align:right}.marking{font-weight:bold;text-align:center}"
        ".columns{font-size:9pt;color:#333}.charts{display:flex;flex-wrap:wrap;gap:12pt}"
        ".annex{break-before:page}.board{break-after:page}"
        "@media print{body{max-width:none;font-size:10pt}}" + print_css(marking)
    )


def _cell(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"<td>{h(value)}</td>"
    text = f"{value:.1f}" if isinstance(value, float) else f"{value:,}"
    return f'<td class="n">{text}</td>'


def _table(t: Table, level: str, label: str = "") -> str:
    title = f"{label}{t.title}"
    parts = [f"<{level}>{h(title)}</{level}>"]
    if t.intro:
        parts.append(f"<p>{h(t.intro)}</p>")
    if not t.rows:
        return "".join(parts) + f"<p><em>{h(t.empty)}</em></p>"
    head = "".join(f"<th>{h(c.title)}</th>" for c in t.columns)
    body = "".join("<tr>" + "".join(_cell(x) for x in row) + "</tr>" for row in t.rows)
    notes = " ".join(f"<b>{h(c.title)}</b>: {h(c.meaning)}" for c in t.columns)
    parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    parts.append(f'<p class="columns">{notes}</p>')
    return "".join(parts)


def _charts(r: PortfolioReport) -> str:
    four_p = bar_chart(
        f"Top options by 4P (of {sum(len(c.top) for c in r.cases):,})",
        [(p.four_p.capitalize(), p.in_top) for p in r.four_ps],
    )
    by_agency = sorted(r.agencies, key=lambda a: (-a.options, a.agency))[:CHART_BARS]
    agencies = bar_chart(
        "Options per lead agency", [(a.name or a.agency, a.options) for a in by_agency]
    )
    demand = bar_chart(
        "Groups needing each lead agency",
        [(a.name or a.agency, a.cases) for a in by_agency],
    )
    return f'<div class="charts">{four_p}{agencies}{demand}</div>'


def report_html(r: PortfolioReport) -> str:
    all_tables = tables(r)
    summary = next(t for t in all_tables if t.name == "summary")
    key_figures = "".join(f"<tr><th>{h(k)}</th>{_cell(v)}</tr>" for k, v in summary.rows)
    p = [
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{h(r.marking)}: portfolio of disruption options</title>"
        f"<style>{_style(r.marking)}</style></head><body>",
        f'<p class="marking screen-marking">{h(r.marking)}</p>',
        "<h1>Portfolio of disruption options</h1>",
        f"<p>{r.analysed:,} of {r.files:,} case files analysed on "
        f"{h(r.generated_on.isoformat())} (rules version {h(r.rules_version)}).</p>",
        '<section class="board"><h2>Summary for the board</h2><ul>',
        "".join(f"<li>{h(f)}</li>" for f in r.findings),
        "</ul>",
        _charts(r),
        "".join(_table(t, "h3") for t in all_tables if t.board and t.name != "agencies"),
        "</section>",
        "".join(
            _table(t, "h2")
            for t in all_tables
            if not (t.annex or t.name in ("summary",)) and (not t.board or t.name == "agencies")
        ),
        f"<h2>Key figures</h2><table><tbody>{key_figures}</tbody></table>",
    ]
    annexes = [t for t in all_tables if t.annex]
    for letter, t in zip("ABCDEFGH", annexes, strict=False):
        p.append(f'<section class="annex">{_table(t, "h2", f"Annex {letter}: ")}</section>')
    p.append(f'<p class="marking screen-marking">{h(r.marking)}</p></body></html>')
    return "\n".join(x for x in p if x) + "\n"
