"""`achilles recommend` and `achilles plan`: what the case meeting takes away."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.table import Table
from rich.text import Text

from achilles.cli import (
    CatalogueOpt,
    RulesOpt,
    app,
    err,
    out,
    parse_date,
    split_list,
)
from achilles.errors import AchillesError, InputError
from achilles.files import write_private
from achilles.loading.problems import did_you_mean
from achilles.render import FORMATS

RECOMMEND_FORMATS = ("table", "json", "markdown")


def load_case_arg(arg: str, workspace: Path | None = None):
    """A case file path, or the id of a case kept in the workspace."""
    from achilles.model.case_file import load_case, parse_case

    path = Path(arg)
    if (
        path.exists()
        or any(sep in arg for sep in ("/", "\\"))
        or arg.endswith((".yaml", ".yml", ".json"))
    ):
        return load_case(path)
    from achilles.store import NoSuchCase, Workspace

    ws = Workspace.open(workspace)
    try:
        text = ws.get(arg)
    except NoSuchCase:
        raise InputError(
            f"{arg}: no such file, and no case with that id in the workspace",
            hint="give a path to a case file, or see `achilles cases list`",
        ) from None
    return parse_case(text, f"workspace:{arg}")


def _format(fmt: str, allowed: tuple[str, ...]) -> str:
    if fmt not in allowed:
        raise AchillesError(
            f"--format '{fmt}' is not one of {', '.join(allowed)}",
            hint=did_you_mean(fmt, allowed) or f"use one of {', '.join(allowed)}",
        )
    return fmt


def _analyse(
    case_arg: str, rules, catalogue, as_of: str | None, engine: str, workspace: Path | None
):
    from achilles.analysis import analyse
    from achilles.knowledge import load_knowledge
    from achilles.ranking import rank

    if engine not in ("durable", "reference"):
        raise AchillesError(
            f"--engine '{engine}' is not durable or reference", hint="use --engine durable"
        )
    when = parse_date(as_of, "--as-of")
    case = load_case_arg(case_arg, workspace)
    k = load_knowledge(rules or (), catalogue)
    analysis = analyse(case, k.catalogue, k.rulebook, k.vocab, as_of=when, engine=engine)  # type: ignore[arg-type]
    ranking = rank(analysis, k.catalogue, k.vocab, k.weights)
    if k.weights.outcomes.weight > 0:  # the partnership's own outcomes: off by default
        from achilles.ranking import with_local_outcomes
        from achilles.store.outcomes import workspace_record

        ranking = with_local_outcomes(ranking, workspace_record(workspace), case)
    return k, analysis, ranking


def _emit(data: str | bytes, out_file: Path | None, force: bool) -> None:
    if out_file is None:
        if isinstance(data, bytes):
            raise AchillesError(
                "this format is binary", hint="write it to a file with --out plan.docx"
            )
        out.file.write(data)
        out.file.flush()
        return
    write_private(out_file, data, force=force)
    err.print(f"wrote {out_file} (readable by you only)", markup=False)


@app.command("recommend")
def recommend(
    case: str = typer.Argument(..., help="A case file, or a workspace case id."),
    fmt: str = typer.Option("table", "--format", help="table, json or markdown."),
    top: int = typer.Option(
        None, "--top", min=1, help="Show only the best N tactics (and, in JSON, options)."
    ),
    four_p: list[str] = typer.Option(
        None, "--four-p", help="Only these strands, e.g. pursue,protect."
    ),
    agency: list[str] = typer.Option(
        None, "--agency", help="Only options these agencies lead or exercise."
    ),
    area: list[str] = typer.Option(None, "--area", help="Only these menu-of-tactics areas."),
    as_of: str = typer.Option(
        None, "--as-of", help="Judge the law as on this date (default: the case's as_of)."
    ),
    redact: bool = typer.Option(False, "--redact", help="People by id, no names or notes."),
    out_file: Path = typer.Option(None, "--out", help="Write to this file (owner-only)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing --out file."),
    engine: str = typer.Option("durable", "--engine", help="durable (default) or reference."),
    rules: list[Path] = RulesOpt,
    catalogue: Path = CatalogueOpt,
    workspace: Path = typer.Option(
        None, "--workspace", help="The workspace database (or ACHILLES_WORKSPACE)."
    ),
) -> None:
    """Safeguarding first, then the tactics (each power with all its targets), explained."""
    from achilles.ranking import filter_options, filter_tactics

    _format(fmt, RECOMMEND_FORMATS)
    k, analysis, ranking = _analyse(case, rules, catalogue, as_of, engine, workspace)
    wanted = {"four_p": split_list(four_p), "agency": split_list(agency), "area": split_list(area)}
    shown = filter_options(ranking.options, **wanted, top=top)
    tactics = filter_tactics(ranking.tactics, **wanted, top=top)
    c = analysis.case
    if fmt == "json":
        from achilles.render.json_export import recommend_json

        _emit(
            recommend_json(
                analysis, ranking, shown, k.rulebook, redact=redact, tactics=tactics, vocab=k.vocab
            ),
            out_file,
            force,
        )
    elif fmt == "markdown":
        from achilles.render.markdown import options_markdown

        labels = {r.option.target: c.label(r.option.target, redact=redact) for r in shown}
        _emit(options_markdown(c.case.marking, c.case.title, shown, labels), out_file, force)
    else:
        if out_file:
            raise AchillesError(
                "--out needs --format json or markdown", hint="add --format markdown"
            )
        _table(analysis, ranking, tactics, redact, k.rulebook)


def _table(analysis, ranking, tactics, redact: bool, rulebook) -> None:
    from achilles.explain import explain

    c = analysis.case
    out.print(Text(c.case.marking, style="bold"))
    _safeguarding_table(analysis, ranking, redact)
    table = Table(
        title=f"{c.case.title}: {len(tactics)} of {len(ranking.tactics)} tactics "
        f"(as of {analysis.as_of})",
        title_justify="left",
    )
    for h, j in (
        ("#", "right"),
        ("tactic", "left"),
        ("targets (score)", "left"),
        ("lead agency", "left"),
        ("4P", "left"),
        ("score", "right"),
        ("why (its best target)", "left"),
    ):
        table.add_column(h, justify=j)  # type: ignore[arg-type]
    for t in tactics:
        best = t.options[0]
        e = explain(best.option, best.power, rulebook, c, redact=redact)
        sentence = e.why[0] if e.why else ""
        if e.exempt:
            names = ", ".join(c.label(p, redact=redact) for p in e.exempt)
            sentence += f" [exempt residents: {names}]"
        targets = "; ".join(
            f"{c.label(r.option.target, redact=redact)} ({r.score:.1f})" for r in t.options
        )
        table.add_row(
            str(t.rank),
            Text(t.power.name),
            Text(targets),
            Text(t.power.lead_agency.replace("_", " ")),
            Text(", ".join(t.power.four_p)),
            f"{t.best_score:.1f}" + (f" -{t.deducted:g}" if t.deducted else ""),
            Text(sentence),
        )
    out.print(table)
    if any(t.deducted for t in tactics):
        out.print(
            Text(
                "score: the best target's; -N: points off for variety, for repeating the "
                "targets, agency or area of tactics above it (ranking/weights.yaml tactics)"
            )
        )
    if ranking.packages:
        out.print(Text("Joint operations:", style="bold"))
        for p in ranking.packages:
            out.print(
                Text(
                    f"  {c.label(p.place, redact=redact)}: {', '.join(o.power.name for o in p.options)} "
                    f"({', '.join(p.agencies)}; score {p.score})"
                )
            )
    if analysis.near_misses:
        out.print(Text(f"Intelligence requirements ({len(analysis.near_misses)}):", style="bold"))
        for n in analysis.near_misses[:10]:
            out.print(Text(f"  {n.missing} -> {n.power_id} on {n.target}"))
    if ranking.waiting:
        out.print(Text("Next steps that open only when a legal event happens:", style="bold"))
        for w in ranking.waiting:
            opens = "; or ".join(explain(w.option, w.power, rulebook, c, redact=redact).opens_when)
            out.print(
                Text(
                    f"  {w.power.name} on {c.label(w.option.target, redact=redact)}: opens on {opens}"
                )
            )
    held = [p for p in analysis.presumptions.found if p.holds]
    if held:
        out.print(Text("Treated as victims until assessed:", style="bold"))
        for p in held:
            who = p.person if redact else f"{c.label(p.person)} ({p.person})"
            out.print(Text(f"  {who}: {p.presumption.title}. To lift: {p.presumption.lift}"))
    refused: dict[str, list] = {}
    for b in analysis.blocked:
        refused.setdefault(b.reason, []).append(b)
    for reason, group in refused.items():
        powers = ", ".join(dict.fromkeys(f"{b.power_id} on {b.target}" for b in group))
        out.print(Text(f"Refused by the victim guard: {powers}: {reason}"))
    for w in analysis.warnings:
        out.print(Text(f"warning: {w}"))
    out.print(Text(c.case.marking, style="bold"))


def _safeguarding_table(analysis, ranking, redact: bool) -> None:
    """The safeguarding lane, before any tactic: every person the group exploits or is presumed
    to, what protects them, and why the law treats them as a victim."""
    if not ranking.safeguarding:
        return
    c = analysis.case
    n = len(ranking.safeguarding)
    table = Table(
        title=f"Safeguarding first: {n} {'person' if n == 1 else 'people'} the group exploits "
        "or may exploit",
        title_justify="left",
    )
    for h in ("person", "protective actions", "why"):
        table.add_column(h)
    for s in ranking.safeguarding:
        who = s.person if redact else f"{c.label(s.person)} ({s.person})"
        actions = (
            "; ".join(r.power.name for r in s.options)
            or "no protective option fired: refer to adult or children's services now"
        )
        table.add_row(Text(who), Text(actions), Text("; ".join(s.why)))
    out.print(table)


@app.command("plan")
def plan(
    case: str = typer.Argument(..., help="A case file, or a workspace case id."),
    fmt: str = typer.Option(
        "markdown", "--format", help="markdown, text, html, csv, docx or json."
    ),
    select: list[str] = typer.Option(
        None,
        "--select",
        help="Option keys to plan (power@target, comma-separated); default: the top options.",
    ),
    top: int = typer.Option(
        None, "--top", min=1, help="How many top options when none are selected."
    ),
    start: str = typer.Option(
        None, "--start", help="The date the plan starts (default: today); deadlines count from it."
    ),
    as_of: str = typer.Option(None, "--as-of", help="Judge the law as on this date."),
    redact: bool = typer.Option(
        False, "--redact", help="People by id, no names or notes: for wider circulation."
    ),
    out_file: Path = typer.Option(None, "--out", help="Write to this file (owner-only)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing --out file."),
    rules: list[Path] = RulesOpt,
    catalogue: Path = CatalogueOpt,
    workspace: Path = typer.Option(
        None, "--workspace", help="The workspace database (or ACHILLES_WORKSPACE)."
    ),
) -> None:
    """The LRO's 4P plan, ready to paste into the partnership action plan."""
    from achilles.plan import build_plan
    from achilles.render.export import render_plan

    fmt = _format(fmt, FORMATS)
    k, analysis, ranking = _analyse(case, rules, catalogue, as_of, "durable", workspace)
    keys = split_list(select) or None
    if keys:
        known = {r.key for r in ranking.options}
        for key in keys:
            if key not in known:
                raise AchillesError(
                    f"--select '{key}' is not an option for this case",
                    hint=did_you_mean(key, known) or "see `achilles recommend CASE`",
                )
    elif top:
        keys = [r.key for r in ranking.options[:top]]
    plan_ = build_plan(
        analysis,
        ranking,
        k.catalogue,
        k.rulebook,
        k.vocab,
        select=keys,
        start=parse_date(start, "--start") or dt.date.today(),
        redact=redact,
    )
    _emit(render_plan(plan_, fmt), out_file, force)
