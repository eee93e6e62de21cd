"""Plan as HTML whose tables survive a paste into Word."""

from __future__ import annotations

from collections.abc import Sequence

from achilles.plan import FOUR_P, Plan
from achilles.render.clean import html_text as h
from achilles.render.tracker import action_state, decision_text, tracker_rows

_STYLE = (
    "body{font-family:Arial,sans-serif;font-size:11pt}"
    "table{border-collapse:collapse;margin:6pt 0}td,th{border:1px solid #444;padding:3pt 6pt;"
    "vertical-align:top;text-align:left}.marking{font-weight:bold;text-align:center;color:#000}"
)


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f"<th>{h(x)}</th>" for x in headers)
    body = "".join("<tr>" + "".join(f"<td>{h(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{h(i)}</li>" for i in items) + "</ul>" if items else ""


def plan_html(plan: Plan) -> str:
    p = [
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{h(plan.marking)}: LRO plan</title>'
        f"<style>{_STYLE}</style></head><body>",
        f'<p class="marking">{h(plan.marking)}</p>',
        f"<h1>LRO plan: {h(plan.operation)}</h1>",
    ]
    p.append(
        _table(
            ["", ""],
            [
                ["Organised crime group", plan.ocg],
                ["Lead Responsible Officer", f"{plan.lro}, {plan.lro_agency}"],
                ["Plan date", plan.date],
                ["Picture as of", plan.as_of],
                ["Review by", plan.review_date],
                ["Protective marking", plan.marking + (" (redacted)" if plan.redacted else "")],
            ],
        )
    )
    p.append("<h2>Summary of the group</h2>" + _list(plan.summary))
    p.append("<h2>Safeguarding first</h2>")
    p.append(
        _table(
            ["Person", "Needs", "Treated as a victim until assessed", "Actions"],
            [
                [s.person, s.needs, "; ".join(s.presumed) or "-", "; ".join(s.actions)]
                for s in plan.safeguarding
            ],
        )
        if plan.safeguarding
        else "<p><em>No vulnerable people recorded.</em></p>"
    )
    lifts = [f"{s.person}: {lift}" for s in plan.safeguarding for lift in s.lift]
    if lifts:
        p.append("<p>A presumption is lifted only by a recorded assessment:</p>" + _list(lifts))
    p.append("<h2>Action plan</h2>")
    if not plan.chosen:
        p.append("<p><em>Suggested: the best options, until the partnership chooses.</em></p>")
    p.append(_table(*tracker_rows(plan)))
    n = 0
    for section in FOUR_P:
        p.append(f"<h2>{section.capitalize()}</h2>")
        actions = plan.sections.get(section, [])
        if not actions:
            p.append("<p><em>No actions in this strand.</em></p>")
        for a in actions:
            n += 1
            p.append(f"<h3>{n}. {h(a.title)}: {h(a.target)}</h3>")
            p.append(
                _table(
                    ["", ""],
                    [
                        ["Legal basis", a.legal_basis],
                        ["Lead agency", a.lead_agency],
                        ["Partners", ", ".join(a.partners)],
                        ["Owner", a.owner],
                        ["Due", a.due or "to be set"],
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
            )
            if a.updates:
                p.append("<p>Updates:</p>" + _list([f"{u.date}: {u.text}" for u in a.updates]))
            if a.outcome:
                o = a.outcome
                p.append(
                    f"<p>Outcome: {h(o.level)} disruption on {h(o.date)}"
                    + (f": {h(o.note)}" if o.note else "")
                    + "</p>"
                )
            p.append("<p>Why:</p>" + _list(a.because))
            if a.steps:
                p.append(
                    _table(
                        ["Latest date", "Step", "Limits and sections"],
                        [[s.due or "", s.text, s.note] for s in a.steps],
                    )
                )
            if a.evidence:
                p.append("<p>Evidence to gather:</p>" + _list(a.evidence))
            if a.cautions:
                p.append("<p>Cautions:</p>" + _list(a.cautions))
    if plan.next_steps:
        p.append("<h2>Next steps: open only when a legal event happens</h2>")
        p.append(
            _list(
                [
                    f"{n.title} on {n.target}: opens on {'; or '.join(n.opens_when)} "
                    f"(lead {n.lead_agency}; {n.legal_basis})"
                    for n in plan.next_steps
                ]
            )
        )
    if plan.joint_operations:
        p.append("<h2>Joint operations</h2>" + _list(plan.joint_operations))
    p.append(
        "<h2>Intelligence requirements</h2>"
        + (_list(plan.intelligence) or "<p><em>None identified.</em></p>")
    )
    p.append("<h2>Decision record: options considered and not chosen</h2>")
    p.append(
        _table(
            ["Option", "Target", "Decision", "Reason"],
            [[d.title, d.target, decision_text(d), d.reason] for d in plan.decisions],
        )
        if plan.decisions
        else "<p><em>Every option was chosen.</em></p>"
    )
    if plan.warnings:
        p.append("<h2>Warnings</h2>" + _list(plan.warnings))
    p.append(f'<p class="marking">{h(plan.marking)}</p></body></html>')
    return "\n".join(p) + "\n"
