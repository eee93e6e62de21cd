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
    "key",
    "phase",  # now, next (after the keys in `after`), when (a next step, on a legal event)
    "after",
]


def plan_csv(plan: Plan) -> str:
    """The marking; the header as `header` rows; the safeguarding lane; the actions in the
    order of work with their phase; then the annexes' rows (next steps, general cautions,
    intelligence requirements, decisions); the marking."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([csv_cell(plan.marking)])
    w.writerow(COLUMNS)

    def row(**cells: object) -> None:
        w.writerow([csv_cell(cells.get(c, "")) for c in COLUMNS])

    for name, value in _header(plan):
        row(section="header", action=name, target=value)
    for s in plan.safeguarding:
        row(
            section="safeguarding",
            action="; ".join(s.actions),
            target=s.person,
            why=s.needs + ("; presumed: " + "; ".join(s.presumed) if s.presumed else ""),
            key=", ".join(s.keys),
        )
    for a in plan.actions():
        row(
            section=a.section,
            rank=a.rank,
            action=a.title,
            target=a.target,
            legal_basis=a.legal_basis,
            lead_agency=a.lead_agency,
            partners=", ".join(a.partners),
            owner=a.owner,
            due=a.due or "",
            steps=" | ".join(f"{s.due}: {s.text}" for s in a.steps),
            evidence_to_gather=" | ".join(a.evidence),
            cautions=" | ".join(a.cautions),
            why=" | ".join(a.because),
            score=a.score,
            exempt=", ".join(a.exempt),
            status=action_state(a),
            rag=a.rag,
            origin=a.origin,
            last_update=last_update(a),
            outcome=f"{a.outcome.level} on {a.outcome.date}: {a.outcome.note}".rstrip(": ")
            if a.outcome
            else "",
            key=a.key,
            phase=a.phase,
            after=", ".join(a.after),
        )
    for n in plan.next_steps:
        row(
            section="next step",
            action=n.title,
            target=n.target,
            legal_basis=n.legal_basis,
            lead_agency=n.lead_agency,
            why="opens on " + "; or ".join(n.opens_when),
            key=n.key,
            phase=n.phase,
            after=", ".join(n.after),
        )
    for c in plan.conflicts:
        row(section="conflict", action=c.kind, why=c.text, after=", ".join(c.keys))
    for g in plan.general_cautions:
        row(
            section="general caution", cautions=g.text, why="applies to: " + ", ".join(g.applies_to)
        )
    for i in plan.intelligence:
        row(section="intelligence requirement", action=i)
    for d in plan.decisions:
        if d.decision in ("rejected", "deferred"):
            status = d.decision + (f" until {d.until}" if d.until else "")
            row(section="decision", action=d.title, target=d.target, why=d.reason, status=status)
    w.writerow([csv_cell(plan.marking)])
    return buf.getvalue()


def _header(plan: Plan) -> list[tuple[str, str]]:
    return [
        ("Operation", plan.operation),
        ("Organised crime group", plan.ocg),
        ("Lead Responsible Officer", f"{plan.lro}, {plan.lro_agency}"),
        ("Plan date", plan.date.isoformat()),
        ("Picture as of", plan.as_of.isoformat()),
        ("Review by", plan.review_date.isoformat()),
    ]
