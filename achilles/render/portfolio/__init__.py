"""A portfolio report as Markdown, CSV, JSON and HTML, marked top and bottom (CSV: in a column
of every row), user text escaped for each format.

- tables.py: every table defined once (name, title, columns explained, rows);
- markdown.py, html.py (with charts.py), csv_tables.py, data.py (JSON): the writers.
The findings in words are achilles/portfolio/findings.py.
"""

from __future__ import annotations

from achilles.errors import AchillesError
from achilles.model.portfolio import PortfolioReport
from achilles.render.portfolio.csv_tables import csv_files, marking_slug, report_csv
from achilles.render.portfolio.data import SCHEMA_VERSION, report_data, report_json
from achilles.render.portfolio.html import report_html
from achilles.render.portfolio.markdown import report_markdown
from achilles.render.portfolio.tables import TABLE_NAMES, tables

FORMATS = ("markdown", "csv", "json", "html")


def render(r: PortfolioReport, fmt: str, table: str | None = None) -> str:
    """The report in one format; CSV is one table at a time (`table`, one of TABLE_NAMES)."""
    if fmt == "csv":
        if table is None:
            raise AchillesError(
                "CSV is one table per file: say which table",
                hint=f"--table NAME (one of {', '.join(TABLE_NAMES)}), or --out FILE.csv to "
                "write every table as its own file",
            )
        return report_csv(r, table)
    return {"markdown": report_markdown, "json": report_json, "html": report_html}[fmt](r)


__all__ = [
    "FORMATS",
    "SCHEMA_VERSION",
    "TABLE_NAMES",
    "csv_files",
    "marking_slug",
    "render",
    "report_csv",
    "report_data",
    "report_html",
    "report_json",
    "report_markdown",
    "tables",
]
