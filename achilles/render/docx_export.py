"""Plan as a Word document with real tables; the marking in the header, footer, top and bottom."""

from __future__ import annotations

import io
from collections.abc import Sequence

from achilles.plan import FOUR_P, Plan
from achilles.render.clean import clean
from achilles.render.tracker import action_state, decision_text, tracker_rows


def plan_docx(plan: Plan) -> bytes:
    from docx import Document  # imported here: python-docx is slow to import and rarely needed

    doc = Document()
    section = doc.sections[0]
    section.header.paragraphs[0].text = clean(plan.marking)
    section.footer.paragraphs[0].text = clean(plan.marking)
    doc.add_paragraph().add_run(clean(plan.marking)).bold = True
    doc.add_heading(clean(f"LRO plan: {plan.operation}"), level=1)
    _table(
        doc,
        ["", ""],
        [
            ["Organised crime group", plan.ocg],
            ["Lead Responsible Officer", f"{plan.lro}, {plan.lro_agency}"],
            ["Plan date", str(plan.date)],
            ["Picture as of", str(plan.as_of)],
            ["Review by", str(plan.review_date)],
            ["Protective marking", plan.marking + (" (redacted)" if plan.redacted else "")],
        ],
    )
    doc.add_heading("Summary of the group", level=2)
    for line in plan.summary:
        doc.add_paragraph(clean(line), style="List Bullet")
    doc.add_heading("Safeguarding first", level=2)
    _table(
        doc,
        ["Person", "Needs", "Treated as a victim until assessed", "Actions"],
        [
            [s.person, s.needs, "; ".join(s.presumed) or "-", "; ".join(s.actions)]
            for s in plan.safeguarding
        ],
    )
    for s in plan.safeguarding:
        for lift in s.lift:
            doc.add_paragraph(clean(f"To lift for {s.person}: {lift}"), style="List Bullet")
    doc.add_heading("Action plan", level=2)
    if not plan.chosen:
        doc.add_paragraph("Suggested: the best options, until the partnership chooses.")
    _table(doc, *tracker_rows(plan))
    n = 0
    for p in FOUR_P:
        doc.add_heading(p.capitalize(), level=2)
        actions = plan.sections.get(p, [])
        if not actions:
            doc.add_paragraph("No actions in this strand.")
        for a in actions:
            n += 1
            doc.add_heading(clean(f"{n}. {a.title}: {a.target}"), level=3)
            _table(
                doc,
                ["", ""],
                [
                    ["Legal basis", a.legal_basis],
                    ["Lead agency", a.lead_agency],
                    ["Partners", ", ".join(a.partners)],
                    ["Owner", a.owner],
                    ["Due", str(a.due or "to be set")],
                    ["Status", action_state(a) + (f"; RAG {a.rag}" if a.rag else "")],
                    ["Rank and score", f"{a.rank} ({a.score})" if not a.stale else "none"],
                    *(
                        [
                            [
                                "Exempt residents (the group exploits or may exploit them)",
                                ", ".join(a.exempt),
                            ]
                        ]
                        if a.exempt
                        else []
                    ),
                ],
            )
            for u in a.updates:
                doc.add_paragraph(clean(f"Update {u.date}: {u.text}"), style="List Bullet")
            if a.outcome:
                o = a.outcome
                doc.add_paragraph(
                    clean(
                        f"Outcome: {o.level} disruption on {o.date}"
                        + (f": {o.note}" if o.note else "")
                    ),
                    style="List Bullet",
                )
            for b in a.because:
                doc.add_paragraph(clean("Why: " + b), style="List Bullet")
            if a.steps:
                _table(
                    doc,
                    ["Latest date", "Step", "Limits and sections"],
                    [[str(s.due or ""), s.text, s.note] for s in a.steps],
                )
            for e in a.evidence:
                doc.add_paragraph(clean("Evidence to gather: " + e), style="List Bullet")
            for c in a.cautions:
                doc.add_paragraph(clean("Caution: " + c), style="List Bullet")
    if plan.next_steps:
        doc.add_heading("Next steps: open only when a legal event happens", level=2)
        for step in plan.next_steps:
            doc.add_paragraph(
                clean(
                    f"{step.title} on {step.target}: opens on {'; or '.join(step.opens_when)} "
                    f"(lead {step.lead_agency}; {step.legal_basis})"
                ),
                style="List Bullet",
            )
    if plan.joint_operations:
        doc.add_heading("Joint operations", level=2)
        for j in plan.joint_operations:
            doc.add_paragraph(clean(j), style="List Bullet")
    doc.add_heading("Intelligence requirements", level=2)
    for i in plan.intelligence or ["None identified."]:
        doc.add_paragraph(clean(i), style="List Bullet")
    doc.add_heading("Decision record: options considered and not chosen", level=2)
    _table(
        doc,
        ["Option", "Target", "Decision", "Reason"],
        [[d.title, d.target, decision_text(d), d.reason] for d in plan.decisions],
    )
    if plan.warnings:
        doc.add_heading("Warnings", level=2)
        for w in plan.warnings:
            doc.add_paragraph(clean(w), style="List Bullet")
    doc.add_paragraph().add_run(clean(plan.marking)).bold = True
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _table(doc, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = clean(text)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = clean(value)
