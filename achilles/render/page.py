"""The one-page action plan, as blocks every document format lays out the same way.

The main part is what a partnership meeting reads: the header, the safeguarding lane, the 4P
action table in the order of work (with each action's phase), the conflicts to resolve and the
joint visits. The legal detail (the test, the dated steps, evidence, cautions) follows as
annexes, so the main part stays about two pages whatever the number of actions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from achilles.plan import Action, Plan
from achilles.render.tracker import action_state, decision_text, words


@dataclass(frozen=True)
class Heading:
    level: int  # 1 the title, 2 a part or an annex, 3 an action in an annex
    text: str


@dataclass(frozen=True)
class Para:
    text: str
    style: str = ""  # "", "marking" (bold), "note" (italic)


@dataclass(frozen=True)
class Bullets:
    items: list[str]
    intro: str = ""


@dataclass(frozen=True)
class Table:
    headers: list[str]  # all empty: a two-column list of fields
    rows: list[list[str]]


@dataclass(frozen=True)
class Break:
    """Where the main part ends and the annexes begin (a page break in a Word document)."""


Block = Heading | Para | Bullets | Table | Break

ACTION_HEADERS = ["#", "4P", "Action", "Target", "Lead agency", "Owner", "Due", "Status", "Phase"]


@dataclass
class Page:
    """The plan as blocks: `main` then `annexes` (each annex headed `Annex X: ...`)."""

    main: list[Block] = field(default_factory=list)
    annexes: list[Block] = field(default_factory=list)
    numbers: dict[str, int] = field(default_factory=dict)  # action key -> its number

    def blocks(self) -> list[Block]:
        return self.main + ([Break(), *self.annexes] if self.annexes else [])


def page(plan: Plan) -> Page:
    actions = plan.actions()
    p = Page(numbers={a.key: n for n, a in enumerate(actions, 1)})
    p.main = [
        Para(plan.marking, "marking"),
        Heading(1, f"LRO plan: {plan.operation}"),
        _header(plan),
        Heading(2, "Summary of the group"),
        Bullets(list(plan.summary)),
        *_lane(plan, p),
        Heading(2, "Action plan"),
        *(
            []
            if plan.chosen
            else [Para("Suggested: the best options, until the partnership chooses.", "note")]
        ),
        Table(ACTION_HEADERS, _action_rows(plan, actions, p)),
        Para(
            "Phases: now, at once; next, after the actions named; when, on a legal event.", "note"
        ),
    ]
    if plan.conflicts:
        p.main += [Heading(2, "Conflicts to resolve"), Bullets([c.text for c in plan.conflicts])]
    if plan.visits:
        p.main += [
            Heading(2, "Joint visits"),
            Bullets(
                [
                    f"{v.label} on {v.date or 'a date to agree'}: one visit by "
                    f"{', '.join(words(a) for a in v.agencies)} ({_refs(v.keys, p)})"
                    for v in plan.visits
                ]
            ),
        ]
    annexes = _annexes(plan, actions, p)
    letters = [b for b in annexes if isinstance(b, Heading) and b.level == 2]
    p.main.append(
        Para("Annexes: " + "; ".join(h.text.removeprefix("Annex ") for h in letters) + ".")
    )
    p.annexes = annexes + [
        Para(f"Rules version {plan.versions.get('rules', '')}.", "note"),
        Para(plan.marking, "marking"),
    ]
    return p


def _header(plan: Plan) -> Table:
    ocg = plan.ocg + (
        f" ({plan.ocg_reference})" if plan.ocg_reference and not plan.redacted else ""
    )
    return Table(
        ["", ""],
        [
            ["Organised crime group", ocg],
            ["Lead Responsible Officer", f"{plan.lro}, {plan.lro_agency}"],
            ["Plan date", plan.date.isoformat()],
            ["Picture as of", plan.as_of.isoformat()],
            ["Review by", plan.review_date.isoformat()],
            [
                "Protective marking",
                plan.marking + (" (redacted for wider circulation)" if plan.redacted else ""),
            ],
        ],
    )


def _lane(plan: Plan, p: Page) -> list[Block]:
    """The people the group exploits, or may, and their safeguarding: before any enforcement."""
    out: list[Block] = [Heading(2, "Safeguarding first")]
    if not plan.safeguarding:
        return out + [Para("No vulnerable people recorded.", "note")]
    rows = []
    for s in plan.safeguarding:
        actions = (
            [f"{title} ({_refs([k], p)})" for title, k in zip(s.actions, s.keys, strict=False)]
            if s.keys
            else list(s.actions)
        )
        rows.append([s.person, s.needs, "; ".join(s.presumed) or "-", "; ".join(actions)])
    out.append(Table(["Person", "Needs", "Treated as a victim until assessed", "Actions"], rows))
    lifts = [f"{s.person}: {lift}" for s in plan.safeguarding for lift in s.lift]
    if lifts:
        out.append(Bullets(lifts, "A presumption is lifted only by a recorded assessment:"))
    return out


def _action_rows(plan: Plan, actions: list[Action], p: Page) -> list[list[str]]:
    rows = [
        [
            str(p.numbers[a.key]),
            a.section,
            a.title,
            a.target,
            words(a.lead_agency),
            a.owner,
            str(a.due or "to be set") + (" (overdue)" if a.overdue else ""),
            action_state(a, overdue=False) + (f"; RAG {a.rag}" if a.rag else ""),
            _phase(a, p),
        ]
        for a in actions
    ]
    n = len(actions)
    for step in plan.next_steps:
        n += 1
        opens = "; or ".join(step.opens_when)
        after = f", after {_refs(step.after, p)}" if step.after else ""
        rows.append(
            [
                str(n),
                "pursue",
                step.title,
                step.target,
                words(step.lead_agency),
                "-",
                "-",
                "waits for a legal event",
                f"when: on {opens}{after}",
            ]
        )
    return rows


def _phase(a: Action, p: Page) -> str:
    if a.after:
        return f"{a.phase}: after {_refs(a.after, p)}"
    return a.phase


def _refs(keys: list[str], p: Page) -> str:
    return ", ".join(f"#{p.numbers[k]}" for k in keys if k in p.numbers) or "-"


# --- annexes ------------------------------------------------------------------------------


def _annexes(plan: Plan, actions: list[Action], p: Page) -> list[Block]:
    parts: list[tuple[str, list[Block]]] = [
        ("legal detail of each action", [b for a in actions for b in _detail(a, p)]),
    ]
    if plan.general_cautions:
        parts.append(
            (
                "cautions for the whole plan",
                [
                    Bullets(
                        [
                            f"{g.text} (applies to: {', '.join(g.applies_to)})"
                            for g in plan.general_cautions
                        ]
                    )
                ],
            )
        )
    if plan.next_steps:
        parts.append(
            (
                "next steps that open only when a legal event happens",
                [
                    Bullets(
                        [
                            f"{n.title} on {n.target}: opens on {'; or '.join(n.opens_when)} "
                            f"(lead {words(n.lead_agency)}; {n.legal_basis})"
                            for n in plan.next_steps
                        ]
                    )
                ],
            )
        )
    if plan.joint_operations:
        parts.append(("joint operations", [Bullets(list(plan.joint_operations))]))
    parts.append(
        (
            "intelligence requirements",
            [Bullets(list(plan.intelligence))]
            if plan.intelligence
            else [Para("None identified.", "note")],
        )
    )
    parts.append(
        (
            "decision record: options considered and not chosen",
            [
                Table(
                    ["Option", "Target", "Decision", "Reason"],
                    [[d.title, d.target, decision_text(d), d.reason] for d in plan.decisions],
                )
            ]
            if plan.decisions
            else [Para("Every option was chosen.", "note")],
        )
    )
    if plan.warnings:
        parts.append(("warnings", [Bullets(list(plan.warnings))]))
    out: list[Block] = []
    for letter, (title, blocks) in zip("ABCDEFGHIJ", parts, strict=False):
        out += [Heading(2, f"Annex {letter}: {title}"), *blocks]
    return out


def _detail(a: Action, p: Page) -> list[Block]:
    """One action's legal detail: the test it meets, its dated steps, evidence and cautions."""
    n = p.numbers[a.key]
    fields = [
        ["Legal basis", a.legal_basis],
        [
            "Lead agency; partners",
            f"{words(a.lead_agency)}; {', '.join(a.partners) or 'none named'}",
        ],
        ["Owner; due", f"{a.owner}; {a.due or 'to be set'}"],
        ["Status", action_state(a) + (f"; RAG {a.rag}" if a.rag else "")],
        ["Phase", _phase(a, p) + (f" (steps counted from {a.start})" if a.start else "")],
        [
            "Rank and score",
            f"{a.rank} ({a.score})" if not a.stale else "none (no longer an option)",
        ],
    ]
    if a.exempt:
        fields.append(
            ["Exempt residents (the group exploits or may exploit them)", ", ".join(a.exempt)]
        )
    out: list[Block] = [Heading(3, f"A{n}. {a.title}: {a.target}"), Table(["", ""], fields)]
    if a.waits:
        out.append(Bullets(list(a.waits), "Waits for:"))
    out.append(Bullets(list(a.because), "The test, and why it is met:"))
    if a.steps:
        out.append(
            Table(
                ["Latest date", "Step", "Limits and sections"],
                [[str(s.due or ""), s.text, s.note] for s in a.steps],
            )
        )
    if a.evidence:
        out.append(Bullets(list(a.evidence), "Evidence to gather:"))
    if a.cautions:
        out.append(Bullets(list(a.cautions), "Cautions:"))
    if a.updates:
        out.append(Bullets([f"{u.date}: {u.text}" for u in a.updates], "Updates:"))
    if a.outcome:
        o = a.outcome
        out.append(
            Para(f"Outcome: {o.level} disruption on {o.date}" + (f": {o.note}" if o.note else ""))
        )
    return out
