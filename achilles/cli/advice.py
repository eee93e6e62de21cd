"""`achilles recommend` and `achilles plan`: what the case meeting takes away."""

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
    split_list,
)
from achilles.errors import AchillesError, InputError
from achilles.files import check_target, write_private
from achilles.loading.problems import did_you_mean
from achilles.render import FORMATS

RECOMMEND_FORMATS = ("table", "tsv", "json", "markdown")


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


def _check_out(out_file: Path | None, force: bool) -> None:
    """Refuse a bad --out (a link, a pipe, a device, a file there without --force) before the
    work, not after it."""
    if out_file is not None:
        check_target(out_file, force=force)


def _emit(data: str | bytes, out_file: Path | None, force: bool, *, json: bool = False) -> None:
    if out_file is None:
        if isinstance(data, bytes):
            raise AchillesError(
                "this format is binary", hint="write it to a file with --out plan.docx"
            )
        output.document(data, json=json)
        return
    write_private(out_file, data, force=force)
    output.note(f"wrote {out_file} (readable by you only)")


@app.command(
    "recommend",
    epilog=examples(
        "achilles recommend op-kestrel.yaml",
        "achilles recommend op-kestrel.yaml --four-p protect --top 5",
        "achilles recommend op-kestrel --format json | jq '.options[].power_id'",
    ),
)
def recommend(
    case: str = typer.Argument(..., metavar="CASE", help="A case file, or a workspace case id."),
    fmt: str = typer.Option(
        "table",
        "--format",
        metavar="{table,tsv,json,markdown}",
        help="table: a table on a terminal, one option per line when piped; tsv: with a header.",
    ),
    top: int = typer.Option(
        None,
        "--top",
        min=1,
        metavar="N",
        help="Show only the best N tactics (and, in JSON and TSV, options).",
    ),
    four_p: list[str] = typer.Option(
        None, "--four-p", metavar="STRAND", help="Only these strands, e.g. pursue,protect."
    ),
    agency: list[str] = typer.Option(
        None, "--agency", metavar="AGENCY", help="Only options these agencies lead or exercise."
    ),
    area: list[str] = typer.Option(
        None, "--area", metavar="AREA", help="Only these menu-of-tactics areas."
    ),
    as_of: str = typer.Option(
        None,
        "--as-of",
        metavar="DATE",
        help="Judge the law as on this date, YYYY-MM-DD (default: the case's as_of).",
    ),
    redact: bool = typer.Option(False, "--redact", help="People by id, no names or notes."),
    out_file: Path = OutOpt,
    force: bool = typer.Option(False, "--force", help="Replace an existing --out file."),
    engine: str = typer.Option(
        "durable", "--engine", metavar="{durable,reference}", help="The rules evaluator."
    ),
    rules: list[Path] = RulesOpt,
    catalogue: Path = CatalogueOpt,
    workspace: Path = WorkspaceOpt,
) -> None:
    """Safeguarding first, then the tactics (each power with all its targets), explained."""
    from achilles.ranking import filter_options, filter_tactics, filter_terms
    from achilles.redaction import case_title

    _format(fmt, RECOMMEND_FORMATS)
    _check_out(out_file, force)
    k, analysis, ranking = _analyse(case, rules, catalogue, as_of, engine, workspace)
    wanted = {
        "four_p": filter_terms(k.vocab, "--four-p", "four_p", four_p),
        "agency": filter_terms(k.vocab, "--agency", "agency", agency),
        "area": filter_terms(k.vocab, "--area", "area", area),
    }
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
            json=True,
        )
    elif fmt == "markdown":
        from achilles.render.markdown import options_markdown

        labels = {r.option.target: c.label(r.option.target, redact=redact) for r in shown}
        title = case_title(c, redact)
        _emit(options_markdown(c.case.marking, title, shown, labels), out_file, force)
    else:
        if out_file:
            raise AchillesError(
                "--out needs --format json or markdown",
                hint="add --format markdown (or json)",
            )
        _table(analysis, ranking, shown, tactics, redact, k.rulebook, fmt)


OPTION_COLUMNS = ("rank", "power", "target", "4P", "lead agency", "score", "why")
TACTIC_COLUMNS = ("#", "tactic", "targets (score)", "lead agency", "4P", "score", "why")


def _why(explain, option, power, rulebook, c, redact: bool) -> str:
    e = explain(option, power, rulebook, c, redact=redact)
    sentence = e.why[0] if e.why else ""
    if e.exempt:
        names = ", ".join(c.label(p, redact=redact) for p in e.exempt)
        sentence += f" [exempt residents: {names}]"
    return sentence


def _table(analysis, ranking, shown, tactics, redact: bool, rulebook, fmt: str) -> None:
    """On a terminal: safeguarding first, then the tactics (each power with its targets), then
    what goes with them. As TSV: one option per line, for scripts."""
    from achilles.explain import explain
    from achilles.redaction import case_title

    c = analysis.case
    if fmt == "tsv":  # data only, the marking as a comment line at both ends
        rows = [
            [
                r.rank,
                r.power.name,
                c.label(r.option.target, redact=redact),
                ", ".join(r.power.four_p),
                r.power.lead_agency,
                f"{r.score:.1f}",
                _why(explain, r.option, r.power, rulebook, c, redact),
            ]
            for r in shown
        ]
        output.document(f"# {c.case.marking}\n")
        output.table(OPTION_COLUMNS, rows, fmt="tsv")
        output.document(f"# {c.case.marking}\n")
        return
    output.say(c.case.marking, bold=True)
    _safeguarding_table(analysis, ranking, redact)
    rows = []
    for tac in tactics:
        best = tac.options[0]
        targets = "; ".join(
            f"{c.label(r.option.target, redact=redact)} ({r.score:.1f})" for r in tac.options
        )
        rows.append(
            [
                tac.rank,
                tac.power.name,
                targets,
                tac.power.lead_agency.replace("_", " "),
                ", ".join(tac.power.four_p),
                f"{tac.best_score:.1f}" + (f" -{tac.deducted:g}" if tac.deducted else ""),
                _why(explain, best.option, best.power, rulebook, c, redact),
            ]
        )
    output.table(
        TACTIC_COLUMNS,
        rows,
        title=f"{case_title(c, redact)}: {len(tactics)} of {len(ranking.tactics)} tactics "
        f"(as of {analysis.as_of})",
        right=("#", "score"),
    )
    if any(tac.deducted for tac in tactics):
        output.say(
            "score: the best target's; -N: points off for variety, for repeating the "
            "targets, agency or area of tactics above it (ranking/weights.yaml tactics)"
        )
    _companions(analysis, ranking, redact, rulebook)
    output.say(c.case.marking, bold=True)


def _safeguarding_table(analysis, ranking, redact: bool) -> None:
    """The safeguarding lane, before any tactic: every person the group exploits or is presumed
    to, what protects them, and why the law treats them as a victim."""
    if not ranking.safeguarding:
        return
    c = analysis.case
    n = len(ranking.safeguarding)
    output.table(
        ("person", "protective actions", "why"),
        [
            [
                s.person if redact else f"{c.label(s.person)} ({s.person})",
                "; ".join(r.power.name for r in s.options)
                or "no protective option fired: refer to adult or children's services now",
                "; ".join(s.why),
            ]
            for s in ranking.safeguarding
        ],
        title=f"Safeguarding first: {n} {'person' if n == 1 else 'people'} the group exploits "
        "or may exploit",
        kind="safeguarding",
    )


def _companions(analysis, ranking, redact: bool, rulebook) -> None:
    from achilles.explain import explain

    c = analysis.case
    if ranking.packages:
        output.say("Joint operations:", bold=True)
        for p in ranking.packages:
            output.say(
                f"  {c.label(p.place, redact=redact)}: {', '.join(o.power.name for o in p.options)} "
                f"({', '.join(p.agencies)}; score {p.score})"
            )
    if analysis.near_misses:
        output.say(f"Intelligence requirements ({len(analysis.near_misses)}):", bold=True)
        for n in analysis.near_misses[:10]:
            output.say(f"  {n.missing} -> {n.power_id} on {n.target}")
    if ranking.waiting:
        output.say("Next steps that open only when a legal event happens:", bold=True)
        for w in ranking.waiting:
            opens = "; or ".join(explain(w.option, w.power, rulebook, c, redact=redact).opens_when)
            output.say(
                f"  {w.power.name} on {c.label(w.option.target, redact=redact)}: opens on {opens}"
            )
    held = [p for p in analysis.presumptions.found if p.holds]
    if held:
        output.say("Treated as victims until assessed:", bold=True)
        for p in held:
            who = p.person if redact else f"{c.label(p.person)} ({p.person})"
            output.say(f"  {who}: {p.presumption.title}. To lift: {p.presumption.lift}")
    refused: dict[str, list] = {}
    for b in analysis.blocked:
        refused.setdefault(b.reason, []).append(b)
    for reason, group in refused.items():
        powers = ", ".join(dict.fromkeys(f"{b.power_id} on {b.target}" for b in group))
        output.say(f"Refused by the victim guard: {powers}: {reason}")
    for w in analysis.warnings:
        output.warning(w)


@app.command(
    "plan",
    epilog=examples(
        "achilles plan op-kestrel.yaml --out plan.md",
        "achilles plan op-kestrel.yaml --format docx --redact --out plan-redacted.docx",
        "achilles plan op-kestrel.yaml --select closure_notice@p1,civil_injunction@n2",
    ),
)
def plan(
    case: str = typer.Argument(..., metavar="CASE", help="A case file, or a workspace case id."),
    fmt: str = typer.Option(
        "markdown", "--format", metavar="{markdown,text,html,csv,docx,json}", help="The format."
    ),
    select: list[str] = typer.Option(
        None,
        "--select",
        metavar="KEY",
        help="Option keys to plan (power@target, comma-separated); default: the top options.",
    ),
    top: int = typer.Option(
        None, "--top", min=1, metavar="N", help="How many top options when none are selected."
    ),
    start: str = typer.Option(
        None,
        "--start",
        metavar="DATE",
        help="The date the plan starts (default: today); deadlines count from it.",
    ),
    as_of: str = typer.Option(
        None, "--as-of", metavar="DATE", help="Judge the law as on this date, YYYY-MM-DD."
    ),
    redact: bool = typer.Option(
        False, "--redact", help="People by id, no names or notes: for wider circulation."
    ),
    out_file: Path = OutOpt,
    force: bool = typer.Option(False, "--force", help="Replace an existing --out file."),
    rules: list[Path] = RulesOpt,
    catalogue: Path = CatalogueOpt,
    workspace: Path = WorkspaceOpt,
) -> None:
    """The LRO's 4P plan, ready to paste into the partnership action plan."""
    from achilles.plan import build_plan
    from achilles.render.export import render_plan

    fmt = _format(fmt, FORMATS)
    _check_out(out_file, force)
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
    _emit(render_plan(plan_, fmt), out_file, force, json=fmt == "json")
