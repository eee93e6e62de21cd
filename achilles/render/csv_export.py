"""Plan actions as CSV rows for Excel action trackers; formula injection neutralised."""

from __future__ import annotations

import csv
import io

from achilles.plan import Plan
from achilles.render.clean import csv_cell
from achilles.render.tracker import action_state, last_update

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
    "status",
    "rag",
    "origin",
    "last_update",
    "outcome",
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
                    action_state(a),
                    a.rag,
                    a.origin,
                    last_update(a),
                    f"{a.outcome.level} on {a.outcome.date}: {a.outcome.note}".rstrip(": ")
                    if a.outcome
                    else "",
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
                + [""] * 5
            ]
        )
    for n in plan.next_steps:
        opens = "opens on " + "; or ".join(n.opens_when)
        row = ["next step", "", n.title, n.target, n.legal_basis, n.lead_agency]
        w.writerow([csv_cell(x) for x in row + [""] * 6 + [opens, "", ""] + [""] * 5])
    for i in plan.intelligence:
        w.writerow([csv_cell(x) for x in ["intelligence requirement", "", i] + [""] * 17])
    for d in plan.decisions:
        if d.decision in ("rejected", "deferred"):
            cells = dict.fromkeys(COLUMNS, "")
            cells.update(
                section="decision",
                action=d.title,
                target=d.target,
                why=d.reason,
                status=d.decision + (f" until {d.until}" if d.until else ""),
            )
            w.writerow([csv_cell(x) for x in cells.values()])
    w.writerow([csv_cell(plan.marking)])
    return buf.getvalue()
