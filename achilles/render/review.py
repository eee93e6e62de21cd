"""The review meeting's agenda as Markdown (the TUI shows it too), plain text or JSON."""

from __future__ import annotations

import json

from achilles.plan import Action
from achilles.render.clean import clean, md, one_line
from achilles.render.tracker import words
from achilles.review import Agenda

FORMATS = ("text", "markdown", "json")
SCHEMA_VERSION = 1


def _action(a: Action) -> str:
    due = f"due {a.due}" if a.due else "no due date"
    owner = f"; owner {a.owner}" if a.owner and a.owner != "to be agreed" else "; no owner yet"
    rag = f"; RAG {a.rag}" if a.rag else ""
    last = f"; last update {a.last_update.date}: {a.last_update.text}" if a.last_update else ""
    return f"{a.title}: {a.target} ({due}, {words(a.status)}{rag}{owner}{last})"


def sections(agenda: Agenda) -> list[tuple[str, list[str], str]]:
    """(heading, lines, what to say when there are none), in the order the meeting takes them."""
    return [
        ("Overdue actions", [_action(a) for a in agenda.overdue], "None: nothing is overdue."),
        (
            f"Due before the next review ({agenda.next_review})",
            [_action(a) for a in agenda.due_soon],
            "None.",
        ),
        (
            "Deferrals to look at again",
            [
                f"{d.title}: {d.target} (deferred"
                + (f" until {d.until}" if d.until else ", no date to look again")
                + f"): {d.reason}"
                for d in agenda.deferrals_due
            ],
            "None due.",
        ),
        (
            "Actions no longer supported by the rules: review",
            [f"{a.title}: {a.target}" for a in agenda.stale],
            "None.",
        ),
        (
            "What changed in the picture" + _since(agenda),
            agenda.picture,
            agenda.picture_note,
        ),
        (
            "Options that opened" + _since(agenda),
            [f"{o.title}: {o.target} ({o.key})" for o in agenda.opened],
            agenda.options_note or "None.",
        ),
        (
            "Options that closed" + _since(agenda),
            [f"{o.title}: {o.target} ({o.key})" for o in agenda.closed],
            agenda.options_note or "None.",
        ),
        (
            "Outcomes recorded" + _since(agenda),
            [
                f"{a.title}: {a.target}: {a.outcome.level} disruption on {a.outcome.date}"
                + (f" ({a.outcome.note})" if a.outcome.note else "")
                for a in agenda.outcomes
                if a.outcome
            ],
            "None.",
        ),
    ]


def _since(agenda: Agenda) -> str:
    return f" since the last review ({agenda.last_review})" if agenda.last_review else ""


def _title(agenda: Agenda) -> str:
    return f"Review of {agenda.operation} on {agenda.meeting}"


def agenda_markdown(agenda: Agenda) -> str:
    out = [f"**{md(agenda.marking)}**", "", f"# {md(_title(agenda))}", ""]
    out.append(
        f"Last review: {md(agenda.last_review or 'none recorded')}; next review: "
        f"{md(agenda.next_review)}."
        + (" Redacted for wider circulation." if agenda.redacted else "")
    )
    for heading, lines, empty in sections(agenda):
        out += ["", f"## {md(heading)}", ""]
        out += [f"- {md(line)}" for line in lines] or [f"_{md(empty)}_"]
        if lines and empty and heading.startswith("What changed"):
            out += ["", f"_{md(empty)}_"]
    out += ["", f"**{md(agenda.marking)}**", ""]
    return "\n".join(out)


def agenda_text(agenda: Agenda) -> str:
    bar = "=" * 72
    out = [one_line(agenda.marking), bar, one_line(_title(agenda)).upper(), bar]
    out.append(
        f"Last review: {agenda.last_review or 'none recorded'}; next review: {agenda.next_review}."
    )
    for heading, lines, empty in sections(agenda):
        out += ["", one_line(heading).upper()]
        out += [f"  - {one_line(line)}" for line in lines] or [f"  {one_line(empty)}"]
    out += ["", bar, one_line(agenda.marking), ""]
    return "\n".join(out)


def agenda_json(agenda: Agenda) -> str:
    data = {
        "marking": agenda.marking,
        "schema_version": SCHEMA_VERSION,
        "case": agenda.case_id,
        "meeting": agenda.meeting.isoformat(),
        "next_review": agenda.next_review.isoformat(),
        "last_review": agenda.last_review.isoformat() if agenda.last_review else None,
        "redacted": agenda.redacted,
        "overdue": [a.key for a in agenda.overdue],
        "due_before_next_review": [a.key for a in agenda.due_soon],
        "deferrals_due": [d.key for d in agenda.deferrals_due],
        "stale": [a.key for a in agenda.stale],
        "picture_changes": [clean(line) for line in agenda.picture],
        "opened": [o.key for o in agenda.opened],
        "closed": [o.key for o in agenda.closed],
        "outcomes": [
            {"key": a.key, "level": a.outcome.level, "date": a.outcome.date.isoformat()}
            for a in agenda.outcomes
            if a.outcome
        ],
        "sections": [
            {"heading": h, "items": [clean(x) for x in lines], "empty": clean(e)}
            for h, lines, e in sections(agenda)
        ],
        "marking_footer": agenda.marking,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_agenda(agenda: Agenda, fmt: str) -> str:
    if fmt == "markdown":
        return agenda_markdown(agenda)
    if fmt == "json":
        return agenda_json(agenda)
    return agenda_text(agenda)
