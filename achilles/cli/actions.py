"""`achilles actions`: the plan as a tracker, and changes to it (`achilles review`, the case
review's agenda, is cli/review.py). CASE is a case file or a workspace case id, as for `plan`.

    achilles actions CASE [--format table|json]
    achilles actions add CASE KEY [--owner TEXT] [--due DATE] [--agency TERM]
    achilles actions update CASE KEY [--status S] [--rag R] [--note TEXT] [--outcome LEVEL] [--on DATE]
    achilles actions reject CASE KEY --reason TEXT
    achilles actions defer CASE KEY --reason TEXT [--until DATE]
    achilles actions remove CASE KEY

Every change is saved at once (a case file: only its `plan` section is rewritten; the
workspace: a new version, with the change in the decision log). A save is refused when someone
saved first. Bad input exits 2 with the fix: an unknown key names the closest keys, a bad status,
RAG or outcome term gets a did-you-mean.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from typer.core import TyperGroup

from achilles.cli import (
    CatalogueOpt,
    RulesOpt,
    WorkspaceOpt,
    app,
    examples,
    output,
    parse_date,
)
from achilles.errors import AchillesError
from achilles.loading.problems import did_you_mean
from achilles.render.clean import one_line

if TYPE_CHECKING:
    # typer vendors click; TyperGroup.parse_args takes typer's own Context, which has no public
    # name (typer.Context is a subclass of it).
    from typer._click.core import Context as ClickContext

WhoOpt = typer.Option(
    None,
    "--who",
    metavar="NAME",
    help="Your name or post, recorded with the change (default: your login name).",
)
CaseArg = typer.Argument(..., metavar="CASE", help="A case file, or a workspace case id.")
KeyArg = typer.Argument(
    ..., metavar="KEY", help="The option's key, POWER@TARGET (e.g. closure_notice@p1)."
)

ShareableOpt = typer.Option(
    False,
    "--shareable",
    help="The text names no one and may appear in redacted exports (default: withheld).",
)
TABLE_FORMATS = ("table", "json")


class _ListWhenNoCommand(TyperGroup):
    """`achilles actions CASE` lists the plan; `achilles actions add CASE KEY` changes it."""

    def parse_args(self, ctx: ClickContext, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["list", *args]
        return super().parse_args(ctx, args)


actions_app = typer.Typer(
    cls=_ListWhenNoCommand,
    help="The plan as a tracker. `achilles actions CASE` lists it (CASE: a case file or a "
    "workspace case id); add, update, reject, defer and remove change it, saved at once.",
    no_args_is_help=True,
)
app.add_typer(actions_app, name="actions")


# --- shared ---------------------------------------------------------------------------------


def _who(who: str | None) -> str:
    from achilles.meeting.session import login_name

    return one_line(who) if who and who.strip() else login_name()


def _advice(case, rules, catalogue):
    from achilles.analysis import analyse
    from achilles.knowledge import load_knowledge
    from achilles.ranking import rank

    k = load_knowledge(rules or (), catalogue)
    analysis = analyse(case, k.catalogue, k.rulebook, k.vocab)
    return k, analysis, rank(analysis, k.catalogue, k.vocab, k.weights)


def _source(case_arg: str, workspace: Path | None):
    from achilles.meeting.source import open_source
    from achilles.model.vocabulary import load_vocabulary

    return open_source(case_arg, workspace, load_vocabulary())


def _change(
    case_arg: str,
    workspace: Path | None,
    rules,
    catalogue,
    who: str | None,
    edit: Callable,
) -> None:
    """Open the case, apply one edit through a Tracker, save it, say what was saved."""
    import copy

    from achilles.model.plan_state import plan_of
    from achilles.tracker import Tracker, plan_changes

    source = _source(case_arg, workspace)
    try:
        k, analysis, ranking = _advice(source.case, rules, catalogue)
        state = copy.deepcopy(plan_of(source.case))
        before = copy.deepcopy(state)
        name = _who(who)
        tracker = Tracker(
            state, k.vocab, [r.key for r in ranking.options], today=dt.date.today(), who=name
        )
        said = edit(tracker, analysis, ranking, k)
        changes = plan_changes(before, state)
        if not changes:
            _say(f"{said}: nothing changed, nothing saved")
            return
        where = source.save_plan(
            state, changes, name, k.rulebook.version, str(len(k.catalogue)), k.vocab
        )
        _say(f"{said}; {where}")
    finally:
        if source.workspace is not None:
            source.workspace.close()


def _say(text: str, *, bold: bool = False) -> None:
    """One line, never wrapped (a piped line stays one line for grep); user text is never markup."""
    output.line(text, bold=bold)


def _describe(key: str, ranking, case) -> str:
    r = next((x for x in ranking.options if x.key == key), None)
    if r is None:
        return key
    return f"{r.power.name}: {case.label(r.option.target)} ({key})"


def _format(fmt: str, allowed: tuple[str, ...]) -> str:
    if fmt not in allowed:
        raise AchillesError(
            f"--format '{fmt}' is not one of {', '.join(allowed)}",
            hint=did_you_mean(fmt, allowed) or f"use one of {', '.join(allowed)}",
        )
    return fmt


def _confirm_victim(key: str, ranking, analysis, yes: bool, doing: str) -> None:
    from achilles.plan import protects_victim

    r = next((x for x in ranking.options if x.key == key), None)
    if r is not None and protects_victim(r, analysis) and not yes:
        raise AchillesError(
            f"'{key}' is the safeguarding of {r.option.target}, a person the group exploits; "
            f"{doing} it needs confirming",
            hint="add --yes if the partnership has agreed (safeguarding comes first)",
        )


# --- the commands ---------------------------------------------------------------------------


@actions_app.command(
    "list",
    epilog=examples(
        "achilles actions op-kestrel.yaml", "achilles actions op-kestrel --format json"
    ),
)
def list_actions(
    case: str = CaseArg,
    fmt: str = typer.Option(
        "table", "--format", metavar="{table,json}", help="table: one action per line; json."
    ),
    on: str = typer.Option(
        None, "--on", help="Judge due dates as on this date (default: today), YYYY-MM-DD."
    ),
    redact: bool = typer.Option(
        False, "--redact", help="People by id; typed text withheld unless marked shareable."
    ),
    rules: list[Path] = RulesOpt,
    catalogue: Path = CatalogueOpt,
    workspace: Path = WorkspaceOpt,
) -> None:
    """The plan as a tracker: each action's status, RAG, owner, due date and last update, and
    the options rejected or deferred."""
    from achilles.plan import build_plan
    from achilles.render.tracker import (
        action_state,
        actions_json,
        decision_text,
        last_update,
        words,
    )

    _format(fmt, TABLE_FORMATS)
    when = parse_date(on, "--on") or dt.date.today()
    source = _source(case, workspace)
    if source.workspace is not None:
        source.workspace.close()
    k, analysis, ranking = _advice(source.case, rules, catalogue)
    plan = build_plan(
        analysis, ranking, k.catalogue, k.rulebook, k.vocab, start=when, redact=redact
    )
    if fmt == "json":
        output.document(actions_json(plan, source.case.case.id), json=True)
        return
    _say(plan.marking, bold=True)
    actions = plan.actions()
    overdue = sum(a.overdue for a in actions)
    _say(
        f"{plan.operation}: the plan on {when}: {len(actions)} action(s)"
        + (f", {overdue} overdue" if overdue else "")
        + ("" if plan.chosen else " (suggested: no action chosen yet)"),
        bold=True,
    )
    for a in actions:
        # one line that greps (key first), then the names, then the last update
        _say("")
        _say(
            f"{a.key}  {action_state(a, overdue=False)}"
            + (f" · RAG {a.rag}" if a.rag else "")
            + (
                (f" · due {a.due}" + (" OVERDUE" if a.overdue else ""))
                if a.due_set
                else " · no due date"
            )
            + f" · owner {a.owner}"
        )
        _say(f"  {a.title}: {a.target} (lead {words(a.lead_agency)})")
        if a.last_update:
            _say(f"  last update {last_update(a)}")
    decided = [d for d in plan.decisions if d.decision in ("rejected", "deferred")]
    if decided:
        _say("")
        _say("Rejected and deferred", bold=True)
        for d in decided:
            _say(f"{d.key}  {decision_text(d)}: {d.reason}")
            _say(f"  {d.title}: {d.target}")
    _say(plan.marking, bold=True)


@actions_app.command(
    "add",
    epilog=examples(
        "achilles actions add op-kestrel.yaml closure_notice@p1 --owner 'PS Patel' --due 2026-12-18"
    ),
)
def add(
    case: str = CaseArg,
    key: str = KeyArg,
    owner: str = typer.Option(None, "--owner", help="Who does it (a post or a person)."),
    due: str = typer.Option(None, "--due", help="The date it is due, YYYY-MM-DD."),
    agency: str = typer.Option(
        None, "--agency", help="The lead agency, if not the power's usual lead (an agency term)."
    ),
    shareable: bool = typer.Option(
        False, "--shareable", help="The owner may appear in redacted exports (default: withheld)."
    ),
    who: str = WhoOpt,
    rules: list[Path] = RulesOpt,
    catalogue: Path = CatalogueOpt,
    workspace: Path = WorkspaceOpt,
) -> None:
    """Put an option in the plan (withdrawing a rejection or deferral of it)."""
    when = parse_date(due, "--due")

    def edit(t, analysis, ranking, k) -> str:
        new = t.add(
            key, owner=owner, agency=agency, due=when, owner_shareable=shareable if owner else None
        )
        what = _describe(key, ranking, analysis.case)
        return f"{what}: {'added to the plan' if new else 'already in the plan, updated'}"

    _change(case, workspace, rules, catalogue, who, edit)


@actions_app.command(
    "update",
    epilog=examples(
        "achilles actions update op-kestrel.yaml closure_notice@p1 --status in_progress --rag amber",
        "achilles actions update op-kestrel closure_notice@p1 --outcome major --note 'Order made'",
    ),
)
def update(
    case: str = CaseArg,
    key: str = KeyArg,
    status: str = typer.Option(
        None, "--status", help="proposed, agreed, in_progress, done or abandoned."
    ),
    rag: str = typer.Option(None, "--rag", help="red, amber or green."),
    note: str = typer.Option(None, "--note", help="A dated progress note (or the outcome's note)."),
    outcome: str = typer.Option(
        None, "--outcome", help="Done, with this disruption: major, moderate, minor or none."
    ),
    on: str = typer.Option(
        None, "--on", help="The date of the note or outcome (default: today), YYYY-MM-DD."
    ),
    owner: str = typer.Option(None, "--owner", help="A new owner."),
    due: str = typer.Option(None, "--due", help="A new due date, YYYY-MM-DD."),
    agency: str = typer.Option(None, "--agency", help="A new lead agency (an agency term)."),
    shareable: bool = ShareableOpt,
    who: str = WhoOpt,
    rules: list[Path] = RulesOpt,
    catalogue: Path = CatalogueOpt,
    workspace: Path = WorkspaceOpt,
) -> None:
    """Record progress on an action in the plan: status, RAG, a dated note, or its outcome."""
    when = parse_date(on, "--on")
    due_date = parse_date(due, "--due")
    if not any(v is not None for v in (status, rag, note, outcome, owner, due, agency)):
        raise AchillesError(
            "nothing to update",
            hint="give at least one of --status, --rag, --note, --outcome, --owner, --due, --agency",
        )

    def edit(t, analysis, ranking, k) -> str:
        t.update(
            key,
            status=status,
            rag=rag,
            note=note,
            outcome=outcome,
            on=when,
            owner=owner,
            agency=agency,
            due=due_date,
            shareable=shareable,
        )
        return f"{_describe(key, ranking, analysis.case)}: updated"

    _change(case, workspace, rules, catalogue, who, edit)


@actions_app.command(
    "reject",
    epilog=examples(
        "achilles actions reject op-kestrel.yaml civil_injunction@n2 --reason 'Evidence too thin'"
    ),
)
def reject(
    case: str = CaseArg,
    key: str = KeyArg,
    reason: str = typer.Option(..., "--reason", help="Why, for the record."),
    shareable: bool = ShareableOpt,
    yes: bool = typer.Option(
        False, "--yes", help="Confirm rejecting the safeguarding of a person the group exploits."
    ),
    who: str = WhoOpt,
    rules: list[Path] = RulesOpt,
    catalogue: Path = CatalogueOpt,
    workspace: Path = WorkspaceOpt,
) -> None:
    """Record that an option is rejected, and why (it leaves the plan)."""

    def edit(t, analysis, ranking, k) -> str:
        t.known(key)
        _confirm_victim(key, ranking, analysis, yes, "rejecting")
        t.reject(key, reason, shareable=shareable)
        return f"{_describe(key, ranking, analysis.case)}: rejected"

    _change(case, workspace, rules, catalogue, who, edit)


@actions_app.command(
    "defer",
    epilog=examples(
        "achilles actions defer op-kestrel.yaml civil_injunction@n2 --reason 'After the test purchase' --until 2027-01-15"
    ),
)
def defer(
    case: str = CaseArg,
    key: str = KeyArg,
    reason: str = typer.Option(..., "--reason", help="Why it waits, for the record."),
    until: str = typer.Option(None, "--until", help="When to look at it again, YYYY-MM-DD."),
    shareable: bool = ShareableOpt,
    yes: bool = typer.Option(
        False, "--yes", help="Confirm deferring the safeguarding of a person the group exploits."
    ),
    who: str = WhoOpt,
    rules: list[Path] = RulesOpt,
    catalogue: Path = CatalogueOpt,
    workspace: Path = WorkspaceOpt,
) -> None:
    """Record that an option waits, why, and when to look again (it leaves the plan)."""
    when = parse_date(until, "--until")

    def edit(t, analysis, ranking, k) -> str:
        t.known(key)
        _confirm_victim(key, ranking, analysis, yes, "deferring")
        t.defer(key, reason, until=when, shareable=shareable)
        return f"{_describe(key, ranking, analysis.case)}: deferred" + (
            f" until {when}" if when else ""
        )

    _change(case, workspace, rules, catalogue, who, edit)


@actions_app.command(
    "remove", epilog=examples("achilles actions remove op-kestrel.yaml closure_notice@p1")
)
def remove(
    case: str = CaseArg,
    key: str = KeyArg,
    who: str = WhoOpt,
    rules: list[Path] = RulesOpt,
    catalogue: Path = CatalogueOpt,
    workspace: Path = WorkspaceOpt,
) -> None:
    """Take an action out of the plan (added by mistake; to stop one under way, set its status
    to abandoned instead)."""

    def edit(t, analysis, ranking, k) -> str:
        t.remove(key)
        return f"{_describe(key, ranking, analysis.case)}: taken out of the plan"

    _change(case, workspace, rules, catalogue, who, edit)
