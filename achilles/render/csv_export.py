"""Plan actions as CSV rows for Excel action trackers; formula injection neutralised."""

from __future__ import annotations

import csv
import io

from achilles.plan import Plan
from achilles.render.clean import csv_cell

COLUMNS = [
    "section",
    "rank",
    "action",
    "target",
    "legal_basis",
    "lead_agency",
    "partners",
    "owner",
    "due",
    "steps",
    "evidence_to_gather",
    "cautions",
    "why",
    "score",
    "exempt",
]


def plan_csv(plan: Plan) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([csv_cell(plan.marking)])
    w.writerow(COLUMNS)
    for a in plan.actions():
        w.writerow(
            [
                csv_cell(x)
                for x in [
                    a.section,
                    a.rank,
                    a.title,
                    a.target,
                    a.legal_basis,
                    a.lead_agency,
                    ", ".join(a.partners),
                    a.owner,
                    a.due or "",
                    " | ".join(f"{s.due}: {s.text}" for s in a.steps),
                    " | ".join(a.evidence),
                    " | ".join(a.cautions),
                    " | ".join(a.because),
                    a.score,
                    ", ".join(a.exempt),
                ]
            ]
        )
    for s in plan.safeguarding:
        w.writerow(
            [
                csv_cell(x)
                for x in [
                    "safeguarding",
                    "",
                    "; ".join(s.actions),
                    s.person,
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    s.needs + ("; presumed: " + "; ".join(s.presumed) if s.presumed else ""),
                    "",
                    "",
                ]
            ]
        )
    for n in plan.next_steps:
        opens = "opens on " + "; or ".join(n.opens_when)
        row = ["next step", "", n.title, n.target, n.legal_basis, n.lead_agency]
        w.writerow([csv_cell(x) for x in row + [""] * 6 + [opens, "", ""]])
    for i in plan.intelligence:
        w.writerow([csv_cell(x) for x in ["intelligence requirement", "", i] + [""] * 12])
    w.writerow([csv_cell(plan.marking)])
    return buf.getvalue()
