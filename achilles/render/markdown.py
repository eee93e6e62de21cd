"""Plan and options as Markdown, for wikis, Teams and Word paste."""

from __future__ import annotations

from achilles.plan import FOUR_P, Plan
from achilles.ranking import RankedOption
from achilles.render.clean import md
from achilles.render.tracker import action_state, decision_text, tracker_rows


def plan_markdown(plan: Plan) -> str:
    out: list[str] = [f"**{md(plan.marking)}**", ""]
    out += [f"# LRO plan: {md(plan.operation)}", ""]
    out += ["| | |", "| --- | --- |"]
    rows = [
        ("Operation", plan.operation),
        (
            "Organised crime group",
            plan.ocg
            + (f" ({plan.ocg_reference})" if plan.ocg_reference and not plan.redacted else ""),
        ),
        ("Lead Responsible Officer", f"{plan.lro}, {plan.lro_agency}"),
        ("Plan date", plan.date.isoformat()),
        ("Picture as of", plan.as_of.isoformat()),
        ("Review by", plan.review_date.isoformat()),
        (
            "Protective marking",
            plan.marking + (" (redacted for wider circulation)" if plan.redacted else ""),
        ),
    ]
    out += [f"| {md(k)} | {md(v)} |" for k, v in rows]
    out += ["", "## Summary of the group", ""] + [f"- {md(s)}" for s in plan.summary]
    # Safeguarding comes first: the people the group exploits, or may, before any enforcement.
    out += ["", "## Safeguarding first", ""]
    if plan.safeguarding:
        out += [
            "| Person | Needs | Treated as a victim until assessed | Actions |",
            "| --- | --- | --- | --- |",
        ]
        out += [
            f"| {md(s.person)} | {md(s.needs)} | {md('; '.join(s.presumed) or '-')} | "
            f"{md('; '.join(s.actions))} |"
            for s in plan.safeguarding
        ]
        lifts = [(s.person, lift) for s in plan.safeguarding for lift in s.lift]
        if lifts:
            out += ["", "A presumption is lifted only by a recorded assessment:"]
            out += [f"- {md(person)}: {md(lift)}" for person, lift in lifts]
    else:
        out.append("_No vulnerable people recorded._")
    out += ["", "## Action plan", ""]
    if not plan.chosen:
        out += ["_Suggested: the best options, until the partnership chooses._", ""]
    headers, tracked = tracker_rows(plan)
    out += ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
    out += ["| " + " | ".join(md(c) for c in row) + " |" for row in tracked]
    n = 0
    for section in FOUR_P:
        out += ["", f"## {section.capitalize()}", ""]
        actions = plan.sections.get(section, [])
        if not actions:
            out.append("_No actions in this strand._")
        for a in actions:
            n += 1
            out += [f"### {n}. {md(a.title)}: {md(a.target)}", ""]
            out += [
                f"- **Legal basis:** {md(a.legal_basis)}",
                f"- **Lead agency:** {md(a.lead_agency)}; **partners:** {md(', '.join(a.partners) or 'none named')}",
                f"- **Owner:** {md(a.owner)}; **due:** {md(a.due or 'to be set')}",
                f"- **Status:** {md(action_state(a))}",
                f"- **Rank:** {a.rank} (score {a.score})"
                if not a.stale
                else "- **Rank:** none (no longer an option)",
            ]
            if a.exempt:
                out.append(
                    f"- **Exempt residents (the group exploits or may exploit them):** {md(', '.join(a.exempt))}"
                )
            if a.updates:
                out += ["", "Updates:"] + [f"- {md(u.date)}: {md(u.text)}" for u in a.updates]
            if a.outcome:
                o = a.outcome
                out += ["", f"Outcome: **{md(o.level)}** disruption on {md(o.date)}"]
                out += [f"- {md(o.note)}"] if o.note else []
            out += ["", "Why:"] + [f"- {md(b)}" for b in a.because]
            if a.steps:
                out += ["", "| Latest date | Step | Limits and sections |", "| --- | --- | --- |"]
                out += [f"| {md(s.due or '')} | {md(s.text)} | {md(s.note)} |" for s in a.steps]
            if a.evidence:
                out += ["", "Evidence to gather:"] + [f"- {md(e)}" for e in a.evidence]
            if a.cautions:
                out += ["", "Cautions:"] + [f"- {md(c)}" for c in a.cautions]
            out.append("")
    if plan.next_steps:
        out += ["", "## Next steps: open only when a legal event happens", ""]
        out += [
            f"- **{md(n.title)}** on {md(n.target)}: opens on {md('; or '.join(n.opens_when))} "
            f"(lead {md(n.lead_agency)}; {md(n.legal_basis)})"
            for n in plan.next_steps
        ]
    if plan.joint_operations:
        out += ["", "## Joint operations", ""] + [f"- {md(j)}" for j in plan.joint_operations]
    out += ["", "## Intelligence requirements", ""]
    out += [f"- {md(i)}" for i in plan.intelligence] or ["_None identified._"]
    out += ["", "## Decision record: options considered and not chosen", ""]
    if plan.decisions:
        out += ["| Option | Target | Decision | Reason |", "| --- | --- | --- | --- |"]
        out += [
            f"| {md(d.title)} | {md(d.target)} | {md(decision_text(d))} | {md(d.reason)} |"
            for d in plan.decisions
        ]
    else:
        out.append("_Every option was chosen._")
    if plan.warnings:
        out += ["", "## Warnings", ""] + [f"- {md(w)}" for w in plan.warnings]
    out += [
        "",
        f"_Rules version {md(plan.versions.get('rules', ''))}._",
        "",
        f"**{md(plan.marking)}**",
        "",
    ]
    return "\n".join(out)


def options_markdown(
    marking: str, title: str, options: list[RankedOption], labels: dict[str, str]
) -> str:
    out = [f"**{md(marking)}**", "", f"# Disruption options: {md(title)}", ""]
    out += [
        "| Rank | Power | Target | 4P | Lead agency | Score |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in options:
        out.append(
            f"| {r.rank} | {md(r.power.name)} | {md(labels.get(r.option.target, r.option.target))} | "
            f"{md(', '.join(r.power.four_p))} | {md(r.power.lead_agency)} | {r.score} |"
        )
    out += ["", f"**{md(marking)}**", ""]
    return "\n".join(out)
