"""The workspace commands: `achilles cases list`, `achilles case import | export | history |
diff | restore | delete`, `achilles decisions`.

Every command takes `--workspace PATH` (else ACHILLES_WORKSPACE, else the user data folder).
Errors are AchillesError subclasses (StoreError, InputError), printed by `main()` with exit 2.
"""

from __future__ import annotations

import getpass
from pathlib import Path

import typer

from achilles.cli import WorkspaceOpt, examples, output, parse_date
from achilles.errors import AchillesError
from achilles.render.clean import one_line

WhoOpt = typer.Option(
    None,
    "--who",
    metavar="NAME",
    help="Your name or post, recorded with the change (default: your login name).",
)
CaseIdArg = typer.Argument(..., metavar="CASE_ID", help="The case id.")

cases_app = typer.Typer(help="The cases kept in the workspace.", no_args_is_help=True)


def register(app: typer.Typer, case_app: typer.Typer) -> None:
    app.add_typer(cases_app, name="cases")
    cases_app.command(
        "list", epilog=examples("achilles cases list", "achilles cases list --due | cut -f1")
    )(list_cases)
    case_app.command(
        "import",
        epilog=examples(
            "achilles case import op-kestrel.yaml",
            "achilles case import op-kestrel.yaml --who 'DS Shah'",
        ),
    )(import_case)
    case_app.command(
        "export",
        epilog=examples(
            "achilles case export op-kestrel --out op-kestrel.yaml",
            "achilles case export op-kestrel --version 2 | less",
        ),
    )(export_case)
    case_app.command(
        "history",
        epilog=examples(
            "achilles case history op-kestrel", "achilles case history op-kestrel --format tsv"
        ),
    )(history)
    case_app.command("diff", epilog=examples("achilles case diff op-kestrel 1 2"))(diff)
    case_app.command("restore", epilog=examples("achilles case restore op-kestrel 2"))(restore)
    case_app.command("delete", epilog=examples("achilles case delete op-kestrel --yes"))(delete)
    app.command(
        "decisions",
        epilog=examples(
            "achilles decisions op-kestrel",
            "achilles decisions op-kestrel | grep closure_notice",
            "achilles decisions op-kestrel.yaml",
        ),
    )(decisions)


def _open(workspace: Path | None):
    from achilles.store import Workspace

    return Workspace.open(workspace)


def _who(who: str | None) -> str:
    if who and who.strip():
        return one_line(who)
    try:
        return getpass.getuser() or "unknown"
    except Exception:  # noqa: BLE001 - no login name (some containers): record that honestly
        return "unknown"


def list_cases(
    due: bool = typer.Option(
        False, "--due", help="Only cases due for review or past their retention date."
    ),
    on: str = typer.Option(
        None,
        "--on",
        metavar="DATE",
        help="Judge due dates as on this date (default: today), YYYY-MM-DD.",
    ),
    fmt: str = typer.Option(
        "table",
        "--format",
        metavar="{table,tsv}",
        help="table: a table on a terminal, one case per line when piped; tsv: with a header.",
    ),
    workspace: Path = WorkspaceOpt,
) -> None:
    """The workspace's cases: latest version, review date and retention date.

    A case is due for review on its case.review_on, or 90 days after its last save when it has
    none. It is kept until retention_days (default two years) after its last save; then it is
    listed by --due for review and deletion. Nothing is deleted automatically.
    """
    _check_table_format(fmt)
    today = parse_date(on, "--on")
    with _open(workspace) as ws:
        rows = ws.list_cases(due=due, today=today)
        where = ws.path
    if not rows:
        output.say(
            "No case is due for review or past its retention date."
            if due
            else f"No cases in the workspace {where}; add one with `achilles case import FILE`."
        )
        return
    output.table(
        ("case", "title", "version", "as of", "review by", "keep until", "due"),
        [
            [
                r.case_id,
                r.title,
                r.version,
                r.as_of,
                f"{r.review_on}{'' if r.review_set_in_case else '*'}",
                r.retain_until,
                ", ".join(
                    w
                    for w, on_ in (("review", r.due_review), ("retention", r.past_retention))
                    if on_
                ),
            ]
            for r in rows
        ],
        title=f"Cases in {where}",
        fmt=fmt,
        right=("version",),
    )
    if any(not r.review_set_in_case for r in rows) and output.terminal() and fmt == "table":
        output.say("* no case.review_on in the case: 90 days after the last save")


def _check_table_format(fmt: str) -> None:
    if fmt not in output.TABLE_FORMATS:
        from achilles.loading.problems import did_you_mean

        raise AchillesError(
            f"--format '{fmt}' is not one of table, tsv",
            hint=did_you_mean(fmt, output.TABLE_FORMATS) or "use table or tsv",
        )


def import_case(
    file: Path = typer.Argument(
        ..., metavar="FILE", help="The case file to add (or to add as a new version)."
    ),
    who: str = WhoOpt,
    workspace: Path = WorkspaceOpt,
) -> None:
    """Add a case file to the workspace, exactly as written; a case already there gets a new
    version when the text differs."""
    from achilles.loading.yaml_reader import read_text

    text = read_text(file, what="case file")
    if file.read_bytes().startswith(b"\xef\xbb\xbf"):
        text = "\ufeff" + text  # keep the byte-order mark: export gives back the same bytes
    with _open(workspace) as ws:
        before = {r.case_id: r.version for r in ws.list_cases()}
        case_id, version = ws.import_case(text, str(file), _who(who))
    if before.get(case_id) == version:
        output.say(f"{file}: case {case_id} version {version} already has this text; nothing saved")
    elif version == 1:
        output.say(f"{file}: imported as case {case_id} (version 1)")
    else:
        output.say(f"{file}: saved as version {version} of case {case_id}")


def export_case(
    case_id: str = CaseIdArg,
    version: int = typer.Option(
        None, "--version", min=1, metavar="N", help="This version (default: the latest)."
    ),
    out_file: Path = typer.Option(
        None,
        "--out",
        metavar="FILE",
        help="Write to this file (owner-only) instead of standard output.",
    ),
    force: bool = typer.Option(False, "--force", help="Replace an existing --out file."),
    workspace: Path = WorkspaceOpt,
) -> None:
    """The case file exactly as it was saved: on standard output, or to --out."""
    from achilles.files import write_private

    with _open(workspace) as ws:
        text = ws.get(case_id, version)
    if out_file is None:
        output.document(text)  # the case text, with any control character left out
        return
    write_private(out_file, text.encode("utf-8"), force=force)
    output.note(f"wrote {out_file} (readable by you only)")


def history(
    case_id: str = CaseIdArg,
    fmt: str = typer.Option(
        "table",
        "--format",
        metavar="{table,tsv}",
        help="table: a table on a terminal, one version per line when piped; tsv: with a header.",
    ),
    workspace: Path = WorkspaceOpt,
) -> None:
    """Every saved version of a case: when, by whom, and what changed."""
    _check_table_format(fmt)
    with _open(workspace) as ws:
        versions = ws.history(case_id)
    output.table(
        ("version", "saved at (UTC)", "by", "what changed"),
        [[v.version, v.saved_at, v.saved_by, v.summary] for v in versions],
        title=f"History of case {case_id}",
        fmt=fmt,
    )


def diff(
    case_id: str = CaseIdArg,
    a: int = typer.Argument(..., metavar="OLD", help="The older version."),
    b: int = typer.Argument(..., metavar="NEW", help="The newer version."),
    workspace: Path = WorkspaceOpt,
) -> None:
    """What changed between two versions: a summary by id, then the text diff."""
    with _open(workspace) as ws:
        lines, text = ws.diff(case_id, a, b)
    if not lines and not text:
        output.say(f"versions {a} and {b} of case {case_id} have the same text")
        return
    output.say(f"Case {case_id}, version {a} -> {b}:", bold=True)
    for line in lines:
        output.say(f"  {one_line(line)}")
    output.say()
    output.document(text)  # the diff shows case text: control characters removed


def restore(
    case_id: str = CaseIdArg,
    version: int = typer.Argument(
        ..., metavar="VERSION", help="The version whose text to bring back."
    ),
    who: str = WhoOpt,
    workspace: Path = WorkspaceOpt,
) -> None:
    """Save an earlier version's text as a new version (history is never rewritten)."""
    with _open(workspace) as ws:
        latest = ws.latest_version(case_id)
        new = ws.restore(case_id, version, _who(who))
    if new == latest:
        output.say(
            f"case {case_id}: the latest version ({latest}) already has the text of "
            f"version {version}; nothing saved"
        )
    else:
        output.say(f"case {case_id}: restored version {version} as version {new}")


def delete(
    case_id: str = CaseIdArg,
    yes: bool = typer.Option(
        False, "--yes", help="Confirm: remove every version and decision for good."
    ),
    workspace: Path = WorkspaceOpt,
) -> None:
    """Remove a case from the workspace: every version and every recorded decision."""
    with _open(workspace) as ws:
        if not yes:
            n_versions = len(ws.history(case_id))
            n_decisions = len(ws.decisions(case_id))
            raise AchillesError(
                f"deleting case {case_id} removes its {n_versions} version(s) and {n_decisions} "
                "decision(s) for good; add --yes to confirm",
                hint=f"keep a copy first with `achilles case export {case_id} --out FILE`",
            )
        versions, decisions_ = ws.delete_case(case_id)
    output.say(f"deleted case {case_id}: {versions} version(s) and {decisions_} decision(s)")


def decisions(
    case_id: str = typer.Argument(..., metavar="CASE", help="A workspace case id, or a case file."),
    workspace: Path = WorkspaceOpt,
) -> None:
    """The case's decision log, oldest first: every change to its plan (added, updated, done,
    rejected, deferred, removed, reopened, reviewed), with who, when and why. For a case file,
    the decisions its plan section holds now (the full log is kept in the workspace)."""
    from achilles.meeting.source import is_file_arg

    if is_file_arg(case_id):
        _file_decisions(Path(case_id))
        return
    with _open(workspace) as ws:
        rows = ws.decisions(case_id)
    if not rows:
        output.say(f"No decisions recorded for case {case_id}.")
        return
    output.say(f"Decisions on case {case_id} (oldest first)", bold=True)
    for d in rows:
        # one line per entry, never wrapped: `achilles decisions ID | grep KEY` works
        detail = f" ({one_line(d.detail)})" if d.detail else ""
        reason = f": {one_line(d.reason)}" if d.reason else ""
        output.say(
            f"#{d.seq} {d.decided_at} {one_line(d.who)} {d.decision} "
            f"{one_line(d.option_key) or 'the plan'}{detail}{reason} "
            f"[case version {d.case_version}, rules {one_line(d.rules_version)}]"
        )


def _file_decisions(path: Path) -> None:
    from achilles.model.case_file import load_case
    from achilles.model.plan_state import plan_of

    case = load_case(path)
    plan = plan_of(case)
    lines = [
        (a.added.isoformat() if a.added else "", "", "in the plan", a.key, "", a.status)
        for a in plan.actions
    ] + [
        (
            d.date.isoformat(),
            d.by or "",
            d.decision + (f" until {d.until}" if d.until else ""),
            d.key,
            d.reason,
            "",
        )
        for d in plan.decisions
    ]
    if not lines:
        output.say(f"No decisions recorded in {path}.")
        return
    output.say(f"Decisions in {path} (its plan section)", bold=True)
    for date, who, decision, key, reason, status in lines:
        output.say(
            " ".join(x for x in (date, one_line(who), decision, one_line(key)) if x)
            + (f" ({status.replace('_', ' ')})" if status else "")
            + (f": {one_line(reason)}" if reason else "")
        )
    output.say("The full log of every change is kept for cases in the workspace.")
