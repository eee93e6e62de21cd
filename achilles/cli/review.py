"""`achilles review CASE [--on DATE] [--record] [--format text|markdown|json]`: the case
review's agenda (overdue and due actions, deferrals due, what changed since the last review,
outcomes), and the review recorded as held."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from achilles.cli import (
    CatalogueOpt,
    OutOpt,
    RulesOpt,
    WorkspaceOpt,
    app,
    examples,
    output,
    parse_date,
)
from achilles.cli.actions import CaseArg, WhoOpt, _advice, _format, _source, _who


@app.command(
    "review",
    epilog=examples(
        "achilles review op-kestrel.yaml",
        "achilles review op-kestrel --record --format markdown --out review.md",
    ),
)
def review(
    case: str = CaseArg,
    on: str = typer.Option(
        None, "--on", help="The date of the review meeting (default: today), YYYY-MM-DD."
    ),
    record: bool = typer.Option(
        False,
        "--record",
        help="Record the review as held (with today's options, for the next agenda to compare).",
    ),
    fmt: str = typer.Option(
        "text", "--format", metavar="{text,markdown,json}", help="The agenda's format."
    ),
    redact: bool = typer.Option(
        False, "--redact", help="People by id; typed text withheld unless marked shareable."
    ),
    out_file: Path = OutOpt,
    force: bool = typer.Option(False, "--force", help="Replace an existing --out file."),
    who: str = WhoOpt,
    rules: list[Path] = RulesOpt,
    catalogue: Path = CatalogueOpt,
    workspace: Path = WorkspaceOpt,
) -> None:
    """The case review's agenda: overdue and due actions, deferrals due, what changed in the
    picture and which options opened or closed since the last review, outcomes recorded."""
    from achilles.cli.advice import _check_out, _emit
    from achilles.render.review import FORMATS, render_agenda

    _format(fmt, FORMATS)
    _check_out(out_file, force)
    meeting = parse_date(on, "--on") or dt.date.today()
    source = _source(case, workspace)
    try:
        k, analysis, ranking = _advice(source.case, rules, catalogue)
        agenda = agenda_for(source, k, analysis, ranking, meeting, redact)
        _emit(render_agenda(agenda, fmt), out_file, force, json=fmt == "json")
        if record:
            _record_review(source, k, ranking, meeting, who)
    finally:
        if source.workspace is not None:
            source.workspace.close()


def agenda_for(source, k, analysis, ranking, meeting: dt.date, redact: bool):
    from achilles.model.plan_state import plan_of
    from achilles.plan import build_plan
    from achilles.review import build_agenda, next_review

    state = plan_of(source.case)
    plan = build_plan(
        analysis, ranking, k.catalogue, k.rulebook, k.vocab, start=meeting, redact=redact
    )
    return build_agenda(
        plan,
        state,
        ranking,
        source.case,
        k.catalogue,
        meeting=meeting,
        next_review=next_review(source.case, meeting),
        history=source.history(),
    )


def _record_review(source, k, ranking, meeting: dt.date, who: str | None) -> None:
    import copy

    from achilles.model.plan_state import plan_of
    from achilles.tracker import Tracker, plan_changes

    state = copy.deepcopy(plan_of(source.case))
    before = copy.deepcopy(state)
    name = _who(who)
    Tracker(state, k.vocab, [], today=meeting, who=name).record_review(
        meeting, [r.key for r in ranking.options]
    )
    where = source.save_plan(
        state,
        plan_changes(before, state),
        name,
        k.rulebook.version,
        str(len(k.catalogue)),
        k.vocab,
    )
    output.note(f"review of {meeting} recorded with {len(ranking.options)} options; {where}")
