"""Many cases at once: the portfolio view a force or a region asks for.

For each case (a file, or a case kept in the workspace): its best options. Across the cases: the
powers that apply most often, the demand each lead agency would face, the intelligence
requirements (near misses) that recur, and the cases with no strong option. Files are evaluated
in worker processes (the rules engine is single-threaded: one engine per process), each loading
the knowledge once and taking chunks of file paths. Results stream back and only a small summary
per case is kept, so memory does not grow with the size of the cases. Everything is sorted on
content, never on arrival, so a parallel run gives exactly the report a serial run gives.

A file that cannot be read or checked is reported with its first problem and skipped; the batch
always finishes. Reports carry file names, ids, operation titles and the top options' target
names (neither with `--redact`), never notes.

The package, by concept:
- sources.py: the case files under folders, and the cases kept in the workspace;
- evaluate.py: one case to its summary (Settings, Evaluator; the knowledge is achilles.knowledge);
- pool.py: many cases in worker processes, surviving a crashed worker (RunStats);
- aggregate.py: the summaries added up into the PortfolioReport (Portfolio, run_portfolio).
- findings.py: the few things a board should take from it, in words.
The data is achilles/model/portfolio.py; the writers are achilles/render/portfolio/.
"""

from achilles.model.portfolio import (
    AgencyRow,
    CaseFailure,
    CaseResult,
    CaseSummary,
    NearRow,
    PortfolioReport,
    PowerRow,
    TopOption,
)
from achilles.portfolio.aggregate import RECURRING_SHOWN, STRONG_SCORE, Portfolio, run_portfolio
from achilles.portfolio.evaluate import (
    DEFAULT_TOP,
    MARKING,
    Evaluator,
    Settings,
    classification,
    id_stripper,
    knowledge_for,
)
from achilles.portfolio.pool import MAX_CHUNK, RunStats, default_workers, evaluate_files, max_rss
from achilles.portfolio.sources import CASE_SUFFIXES, WORKSPACE_PREFIX, case_files, workspace_cases
from achilles.render.portfolio import (
    FORMATS,
    SCHEMA_VERSION,
    TABLE_NAMES,
    csv_files,
    render,
    report_csv,
    report_data,
    report_html,
    report_json,
    report_markdown,
)

__all__ = [
    "CASE_SUFFIXES",
    "DEFAULT_TOP",
    "FORMATS",
    "MARKING",
    "MAX_CHUNK",
    "RECURRING_SHOWN",
    "SCHEMA_VERSION",
    "STRONG_SCORE",
    "TABLE_NAMES",
    "WORKSPACE_PREFIX",
    "AgencyRow",
    "CaseFailure",
    "CaseSummary",
    "Evaluator",
    "NearRow",
    "Portfolio",
    "PowerRow",
    "PortfolioReport",
    "CaseResult",
    "RunStats",
    "Settings",
    "TopOption",
    "case_files",
    "csv_files",
    "classification",
    "default_workers",
    "evaluate_files",
    "id_stripper",
    "knowledge_for",
    "max_rss",
    "render",
    "report_csv",
    "report_data",
    "report_html",
    "report_json",
    "report_markdown",
    "run_portfolio",
    "workspace_cases",
]
