"""Plan as plain text, for email."""

from __future__ import annotations

import textwrap

from achilles.plan import FOUR_P, Plan
from achilles.render.clean import one_line
from achilles.render.tracker import action_state, decision_text, tracker_rows


def _wrap(text: str, indent: str = "  ") -> list[str]:
    return textwrap.wrap(
        one_line(text), width=96, initial_indent=indent, subsequent_indent=indent + "  "
    ) or [indent]


def plan_text(plan: Plan) -> str:
    t = one_line
    bar = "=" * 72
    out = [t(plan.marking), bar, f"LRO PLAN: {t(plan.operation)}", bar]
    out += [
        f"Organised crime group: {t(plan.ocg)}",
        f"Lead Responsible Officer: {t(plan.lro)}, {t(plan.lro_agency)}",
        f"Plan date: {plan.date}    Picture as of: {plan.as_of}    Review by: {plan.review_date}",
    ]
    if plan.redacted:
        out.append("Redacted for wider circulation: people are shown by id.")
    out += ["", "SUMMARY"] + [line for s in plan.summary for line in _wrap("- " + s)]
    out += ["", "SAFEGUARDING FIRST"]
    out += [
        line
        for s in plan.safeguarding
        for line in _wrap(
            f"- {s.person} ({s.needs}): {'; '.join(s.actions)}"
            + (
                f". Treated as a victim until assessed: {'; '.join(s.presumed)}"
                if s.presumed
                else ""
            )
            + (f". To lift: {' '.join(s.lift)}" if s.lift else "")
        )
    ] or ["  No vulnerable people recorded."]
    out += [
        "",
        "ACTION PLAN" + ("" if plan.chosen else " (suggested, until the partnership chooses)"),
    ]
    headers, rows = tracker_rows(plan)
    for row in rows:
        cells = dict(zip(headers, row, strict=True))
        out += _wrap(
            f"{row[0]}. {cells['Action']}: {cells['Target']} | lead {cells['Lead agency']} | "
            f"owner {cells['Owner']} | due {cells['Due']} | {cells['Status']}"
            + (f" | RAG {cells['RAG']}" if cells["RAG"] else "")
            + (f" | last update {cells['Last update']}" if cells["Last update"] else "")
        )
    n = 0
    for section in FOUR_P:
        out += ["", section.upper(), "-" * len(section)]
        actions = plan.sections.get(section, [])
        if not actions:
            out.append("  No actions in this strand.")
        for a in actions:
            n += 1
            out += [f"{n}. {t(a.title)}: {t(a.target)}"]
            out += _wrap(f"Legal basis: {a.legal_basis}")
            out += _wrap(
                f"Lead: {a.lead_agency}; partners: {', '.join(a.partners) or 'none named'}; "
                f"owner: {a.owner}; due: {a.due or 'to be set'}; rank {a.rank}, score {a.score}"
            )
            if a.exempt:
                out += _wrap(
                    f"Exempt residents (the group exploits or may exploit them): {', '.join(a.exempt)}"
                )
            out += _wrap(f"Status: {action_state(a)}" + (f"; RAG {a.rag}" if a.rag else ""))
            out += [line for u in a.updates for line in _wrap(f"Update {u.date}: {u.text}")]
            if a.outcome:
                o = a.outcome
                out += _wrap(
                    f"Outcome: {o.level} disruption on {o.date}" + (f": {o.note}" if o.note else "")
                )
            out += [line for b in a.because for line in _wrap("Why: " + b)]
            for s in a.steps:
                out += _wrap(f"[{s.due or '':>10}] {s.text}" + (f" ({s.note})" if s.note else ""))
            out += [line for e in a.evidence for line in _wrap("Evidence to gather: " + e)]
            out += [line for c in a.cautions for line in _wrap("Caution: " + c)]
            out.append("")
    if plan.next_steps:
        out += ["", "NEXT STEPS (open only when a legal event happens)"]
        out += [
            line
            for n in plan.next_steps
            for line in _wrap(
                f"- {n.title} on {n.target}: opens on {'; or '.join(n.opens_when)} "
                f"(lead {n.lead_agency}; {n.legal_basis})"
            )
        ]
    if plan.joint_operations:
        out += ["", "JOINT OPERATIONS"] + [
            line for j in plan.joint_operations for line in _wrap("- " + j)
        ]
    out += ["", "INTELLIGENCE REQUIREMENTS"]
    out += [line for i in plan.intelligence for line in _wrap("- " + i)] or ["  None identified."]
    out += ["", "DECISION RECORD (considered and not chosen)"]
    out += [
        line
        for d in plan.decisions
        for line in _wrap(f"- {d.title}: {d.target}: {decision_text(d)}: {d.reason}")
    ] or ["  Every option was chosen."]
    if plan.warnings:
        out += ["", "WARNINGS"] + [line for w in plan.warnings for line in _wrap("- " + w)]
    out += ["", bar, t(plan.marking), ""]
    return "\n".join(out)
