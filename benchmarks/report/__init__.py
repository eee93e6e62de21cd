"""RESULTS.md written from a run's `Results`: the summary against the targets, the findings
(where the time and memory go), and the details.

Nothing here measures; `run.py --render FILE` writes RESULTS.md again from saved figures.
"""

from __future__ import annotations

from benchmarks.report.details import details
from benchmarks.report.findings import findings
from benchmarks.report.summary import header, summary
from benchmarks.results import Results


def results_markdown(res: Results, command: str) -> str:
    lines = header(res, command) + summary(res) + findings(res) + details(res)
    return "\n".join(lines) + "\n"


__all__ = ["results_markdown"]
