"""The portfolio as tidy CSV: one record type per table, a header row first (so Excel and
pandas open it without skipping rows), and the protective marking in a `marking` column of
every row and in each file's name."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from achilles.model.portfolio import PortfolioReport
from achilles.render.clean import csv_cell
from achilles.render.portfolio.tables import Table, tables


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.1f}"
    return csv_cell(value)


def table_csv(r: PortfolioReport, table: Table) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["marking", *(c.key for c in table.columns)])
    for row in table.rows:
        w.writerow([csv_cell(r.marking), *(_cell(v) for v in row)])
    return buf.getvalue()


def report_csv(r: PortfolioReport, table: str) -> str:
    """One table, by its name (see TABLE_NAMES)."""
    chosen = next(t for t in tables(r) if t.name == table)
    return table_csv(r, chosen)


def marking_slug(marking: str) -> str:
    """The marking as it can stand in a file name: OFFICIAL-SENSITIVE, TOP-SECRET."""
    return re.sub(r"[^A-Za-z0-9]+", "-", marking).strip("-").upper() or "UNMARKED"


def csv_files(r: PortfolioReport, out: Path) -> dict[Path, str]:
    """Every table as its own file beside `out`: portfolio.csv -> portfolio-powers-OFFICIAL-
    SENSITIVE.csv, ..."""
    stem = out.name[: -len(out.suffix)] if out.suffix else out.name
    slug = marking_slug(r.marking)
    return {out.with_name(f"{stem}-{t.name}-{slug}.csv"): table_csv(r, t) for t in tables(r)}
