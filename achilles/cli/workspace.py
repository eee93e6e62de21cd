"""The workspace commands: `achilles cases list`, `achilles case import | export | history |
diff | restore | delete`, `achilles decisions`.

Every command takes `--workspace PATH` (else ACHILLES_WORKSPACE, else the user data folder).
Errors are AchillesError subclasses (StoreError, InputError), printed by `main()` with exit 2.
"""

from __future__ import annotations

import getpass
from pathlib import Path

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from achilles.cli import err, out, parse_date
from achilles.errors import AchillesError
from achilles.render.clean import clean, one_line

WorkspaceOpt = typer.Option(
    None, "--workspace", help="The workspace database (or ACHILLES_WORKSPACE)."
)
WhoOpt = typer.Option(
    None, "--who", help="Your name or post, recorded with the change (default: your login name)."
)

cases_app = typer.Typer(help="The cases kept in the workspace.", no_args_is_help=True)


def register(app: typer.Typer, case_app: typer.Typer) -> None:
    app.add_typer(cases_app, name="cases")
    cases_app.command("list")(list_cases)
    case_app.command("import")(import_case)
    case_app.command("export")(export_case)
    case_app.command("history")(history)
    case_app.command("diff")(diff)
    case_app.command("restore")(restore)
    case_app.command("delete")(delete)
    app.command("decisions")(decisions)


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


def _cell(value: object) -> Text:
    return Text(one_line(value))  # user data is never markup


def list_cases(
    due: bool = typer.Option(
        False, "--due", help="Only cases due for review or past their retention date."
    ),
    on: str = typer.Option(
        None, "--on", help="Judge due dates as on this date (default: today), YYYY-MM-DD."
    ),
    workspace: Path = WorkspaceOpt,
) -> None:
    """The workspace's cases: latest version, review date and retention date.

    A case is due for review on its case.review_on, or 90 days after its last save when it has
    none. It is kept until retention_days (default two years) after its last save; then it is
    listed by --due for review and deletion. Nothing is deleted automatically.
    """
    today = parse_date(on, "--on")
    with _open(workspace) as ws:
        rows = ws.list_cases(due=due, today=today)
        where = ws.path
    if not rows:
        out.print(
            Text(
                "No case is due for review or past its retention date."
                if due
                else f"No cases in the workspace {where}; add one with `achilles case import FILE`."
            )
        )
        return
    table = Table(
        title=f"Cases in {where}", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False
    )
    table.add_column("case", no_wrap=True)
    table.add_column("title", min_width=10, ratio=1)
    table.add_column("ver", justify="right")
    for h in ("as of", "review by", "keep until"):
        table.add_column(h, no_wrap=True)
    table.add_column("due", min_width=6)
    for r in rows:
        flags = [w for w, on_ in (("review", r.due_review), ("retention", r.past_retention)) if on_]
        table.add_row(
            _cell(r.case_id),
            _cell(r.title),
            str(r.version),
            str(r.as_of),
            f"{r.review_on}{'' if r.review_set_in_case else '*'}",
            str(r.retain_until),
            ", ".join(flags),
        )
    out.print(table)
    if any(not r.review_set_in_case for r in rows):
        out.print(Text("* no case.review_on in the case: 90 days after the last save"))


def import_case(
    file: Path = typer.Argument(..., help="The case file to add (or to add as a new version)."),
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
        out.print(
            Text(f"{file}: case {case_id} version {version} already has this text; nothing saved")
        )
    elif version == 1:
        out.print(Text(f"{file}: imported as case {case_id} (version 1)"))
    else:
        out.print(Text(f"{file}: saved as version {version} of case {case_id}"))


def export_case(
    case_id: str = typer.Argument(..., help="The case id."),
    version: int = typer.Option(
        None, "--version", min=1, help="This version (default: the latest)."
    ),
    out_file: Path = typer.Option(
        None, "--out", help="Write to this file (owner-only) instead of standard output."
    ),
    force: bool = typer.Option(False, "--force", help="Replace an existing --out file."),
    workspace: Path = WorkspaceOpt,
) -> None:
    """The case file exactly as it was saved: on standard output, or to --out."""
    from achilles.files import write_private

    with _open(workspace) as ws:
        text = ws.get(case_id, version)
    if out_file is None:
        out.file.write(text)
        out.file.flush()
        return
    write_private(out_file, text.encode("utf-8"), force=force)
    err.print(f"wrote {out_file} (readable by you only)", markup=False)


def history(
    case_id: str = typer.Argument(..., help="The case id."),
    workspace: Path = WorkspaceOpt,
) -> None:
    """Every saved version of a case: when, by whom, and what changed."""
    with _open(workspace) as ws:
        versions = ws.history(case_id)
    table = Table(title=f"History of case {case_id}", title_justify="left")
    for h in ("version", "saved at (UTC)", "by", "what changed"):
        table.add_column(h)
    for v in versions:
        table.add_row(str(v.version), v.saved_at, _cell(v.saved_by), _cell(v.summary))
    out.print(table)


def diff(
    case_id: str = typer.Argument(..., help="The case id."),
    a: int = typer.Argument(..., help="The older version."),
    b: int = typer.Argument(..., help="The newer version."),
    workspace: Path = WorkspaceOpt,
) -> None:
    """What changed between two versions: a summary by id, then the text diff."""
    with _open(workspace) as ws:
        lines, text = ws.diff(case_id, a, b)
    if not lines and not text:
        out.print(Text(f"versions {a} and {b} of case {case_id} have the same text"))
        return
    out.print(Text(f"Case {case_id}, version {a} -> {b}:", style="bold"))
    for line in lines:
        out.print(Text(f"  {line}"))
    out.print()
    out.file.write(clean(text))  # the diff shows case text: control characters removed
    out.file.flush()


def restore(
    case_id: str = typer.Argument(..., help="The case id."),
    version: int = typer.Argument(..., help="The version whose text to bring back."),
    who: str = WhoOpt,
    workspace: Path = WorkspaceOpt,
) -> None:
    """Save an earlier version's text as a new version (history is never rewritten)."""
    with _open(workspace) as ws:
        latest = ws.latest_version(case_id)
        new = ws.restore(case_id, version, _who(who))
    if new == latest:
        out.print(
            Text(
                f"case {case_id}: the latest version ({latest}) already has the text of "
                f"version {version}; nothing saved"
            )
        )
    else:
        out.print(Text(f"case {case_id}: restored version {version} as version {new}"))


def delete(
    case_id: str = typer.Argument(..., help="The case id."),
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
    out.print(Text(f"deleted case {case_id}: {versions} version(s) and {decisions_} decision(s)"))


def decisions(
    case_id: str = typer.Argument(..., help="A workspace case id, or a case file."),
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
        out.print(Text(f"No decisions recorded for case {case_id}."), soft_wrap=True)
        return
    out.print(Text(f"Decisions on case {case_id} (oldest first)", style="bold"), soft_wrap=True)
    for d in rows:
        # one line per entry, never wrapped: `achilles decisions ID | grep KEY` works
        detail = f" ({one_line(d.detail)})" if d.detail else ""
        reason = f": {one_line(d.reason)}" if d.reason else ""
        out.print(
            Text(
                f"#{d.seq} {d.decided_at} {one_line(d.who)} {d.decision} "
                f"{one_line(d.option_key) or 'the plan'}{detail}{reason} "
                f"[case version {d.case_version}, rules {one_line(d.rules_version)}]"
            ),
            soft_wrap=True,
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
        out.print(Text(f"No decisions recorded in {path}."), soft_wrap=True)
        return
    out.print(Text(f"Decisions in {path} (its plan section)", style="bold"), soft_wrap=True)
    for date, who, decision, key, reason, status in lines:
        out.print(
            Text(
                " ".join(x for x in (date, one_line(who), decision, key) if x)
                + (f" ({status.replace('_', ' ')})" if status else "")
                + (f": {one_line(reason)}" if reason else "")
            ),
            soft_wrap=True,
        )
    out.print(
        Text("The full log of every change is kept for cases in the workspace."), soft_wrap=True
    )
