"""`achilles rules impact`: what a rules change (or a later date) does to the cases kept."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from achilles.cli import CatalogueOpt, examples, output, parse_date, rules_app
from achilles.errors import AchillesError, InputError

IMPACT_FORMATS = ("table", "json", "markdown")


def _gather(cases: Path | None, workspace: Path | None) -> tuple[list, list[str]]:
    """The cases to re-run: case files under a folder, or the latest version of every case kept
    in the workspace. A case that does not load is named apart, never silently dropped."""
    from achilles.model.case_file import load_case, parse_case
    from achilles.portfolio.sources import WORKSPACE_PREFIX, case_files, workspace_cases

    if cases is not None and not cases.is_dir():
        raise InputError(
            f"--cases {cases}: not a folder",
            hint="give a folder of case files, or leave --cases out to use the workspace",
        )
    found, skipped = [], []
    if cases is not None:
        for name in case_files([cases]):
            try:
                case = load_case(name)
            except InputError as exc:
                skipped.append(f"{name}: skipped - {_first_problem(exc)}")
                continue
            found.append((case.case.id, case))
        return found, skipped
    from achilles.store import Workspace

    where, sources = workspace_cases(workspace)
    with Workspace.open(where) as ws:
        for source in sources:
            case_id = source.removeprefix(WORKSPACE_PREFIX)
            try:
                found.append((case_id, parse_case(ws.get(case_id), source)))
            except InputError as exc:
                skipped.append(f"{source}: skipped - {_first_problem(exc)}")
    return found, skipped


def _first_problem(exc: InputError) -> str:
    problems = getattr(exc, "problems", None) or []
    return problems[0].render() if problems else exc.message


@rules_app.command(
    "impact",
    epilog=examples(
        "achilles rules impact --rules anytown-rules/",
        "achilles rules impact --as-of 2027-01-01 --cases cases/ --format markdown",
    ),
)
def rules_impact(
    rules: list[Path] = typer.Option(
        None,
        "--rules",
        help="The candidate rules folder (a council layer: new rules, rules switched off), "
        "layered over the rules in use (repeatable).",
    ),
    base_rules: list[Path] = typer.Option(
        None, "--base-rules", help="The council layer in use today, if any (repeatable)."
    ),
    as_of: str = typer.Option(
        None, "--as-of", help="Judge every case as on this date (default: each case's own date)."
    ),
    cases: Path = typer.Option(
        None, "--cases", help="A folder of case files instead of the workspace's cases."
    ),
    workspace: Path = typer.Option(
        None, "--workspace", help="The workspace database (or ACHILLES_WORKSPACE)."
    ),
    fmt: str = typer.Option("table", "--format", help="table, json or markdown."),
    show_all: bool = typer.Option(False, "--all", help="List unchanged cases too."),
    catalogue: Path = CatalogueOpt,
) -> None:
    """Re-run every kept case under candidate rules or a date; list options gained and lost."""
    from achilles.impact import as_json
    from achilles.impact import rules_impact as compute
    from achilles.knowledge import load_knowledge

    if fmt not in IMPACT_FORMATS:
        raise AchillesError(
            f"--format '{fmt}' is not one of {', '.join(IMPACT_FORMATS)}",
            hint=f"use one of {', '.join(IMPACT_FORMATS)}",
        )
    if not rules and as_of is None:
        raise AchillesError(
            "nothing to compare: give candidate rules (--rules DIR), a date (--as-of), or both",
            hint="e.g. achilles rules impact --rules council-rules/ --as-of 2027-01-01",
        )
    when = parse_date(as_of, "--as-of")
    before = load_knowledge(base_rules or (), catalogue)
    after = load_knowledge([*(base_rules or ()), *(rules or ())], catalogue)
    found, skipped = _gather(cases, workspace)
    impacts = compute(found, before, after, when)
    if fmt == "json":
        output.document(json.dumps(as_json(impacts), indent=2) + "\n", json=True)
    elif fmt == "markdown":
        output.document(_markdown(impacts, show_all))
    else:
        _table(impacts, show_all)
    for line in skipped:
        output.error(line)
    if skipped:
        raise typer.Exit(2)


def _lines(impact) -> list[tuple[str, str, str, str, str]]:
    """(change, power, target, readiness, rules) per row: gained, lost, then changed reasons."""
    rows = [
        ("gained", c.power_id, c.target, c.readiness, ", ".join(c.rules)) for c in impact.gained
    ]
    rows += [("lost", c.power_id, c.target, c.readiness, ", ".join(c.rules)) for c in impact.lost]
    for r in impact.reasons:
        said = [f"added {x}" for x in r.rules_added] + [f"removed {x}" for x in r.rules_removed]
        rows.append(("reasons", r.power_id, r.target, "ready", "; ".join(said)))
    return rows


def _summary(impacts) -> str:
    changed = sum(1 for i in impacts if i.changed)
    gained = sum(len(i.gained) for i in impacts)
    lost = sum(len(i.lost) for i in impacts)
    return (
        f"{len(impacts)} case(s) re-run; {changed} changed; {gained} option(s) gained, {lost} lost"
    )


def _table(impacts, show_all: bool) -> None:
    output.say(_summary(impacts))
    output.table(
        ("case", "change", "power", "target", "readiness", "rule(s) responsible"),
        [
            (i.case_id, *row)
            for i in impacts
            for row in (_lines(i) or ([("unchanged", "", "", "", "")] if show_all else []))
        ],
    )


def _markdown(impacts, show_all: bool) -> str:
    from achilles.render.clean import md

    lines = [
        f"**{_summary(impacts)}**",
        "",
        "| case | change | power | target | readiness | rule(s) responsible |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for i in impacts:
        rows = _lines(i) or ([("unchanged", "", "", "", "")] if show_all else [])
        lines += ["| " + " | ".join(md(cell) for cell in (i.case_id, *row)) + " |" for row in rows]
    return "\n".join(lines) + "\n"
