"""`achilles batch` (the portfolio of many cases) and `achilles synth` (a synthetic corpus).

Errors are AchillesError subclasses, printed by `main()` with exit 2. Progress goes to stderr, and
only when stderr is a terminal; the report goes to stdout or to an owner-only --out file.
"""

from __future__ import annotations

import datetime as dt
import sys
from contextlib import contextmanager
from pathlib import Path

import typer

from achilles.cli import CatalogueOpt, RulesOpt, err, examples, output
from achilles.errors import AchillesError
from achilles.loading.problems import did_you_mean
from achilles.render.clean import one_line

PROGRESS_FROM = 20  # files; fewer finish before a bar would be worth drawing


def register(app: typer.Typer, case_app: typer.Typer) -> None:  # noqa: ARG001 - the common hook
    app.command(
        "batch",
        epilog=examples(
            "achilles batch cases/ --out portfolio.html --format html",
            "achilles batch --from-workspace --format csv --out portfolio.csv",
        ),
    )(batch)
    app.command(
        "synth",
        epilog=examples("achilles synth --groups 200 --seed 1 --out corpus/"),
    )(synth)


@contextmanager
def _bar(label: str, total: int):
    """A progress callback: a rich bar on stderr when it is a terminal, else nothing."""
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


def _check_out(out_file: Path | None, force: bool) -> None:
    """Refuse a bad --out before the work, not after it."""
    from achilles.files import check_target

    if out_file is not None:
        check_target(out_file, force=force, example="portfolio.md")


def batch(
    paths: list[Path] = typer.Argument(
        None,
        metavar="PATH...",
        help="Case files, or folders searched for *.yaml, *.yml and *.json.",
        readable=False,  # an unreadable file is listed as skipped and the batch carries on
    ),
    from_workspace: bool = typer.Option(
        False, "--from-workspace", help="Also every case kept in the workspace (latest version)."
    ),
    workspace: Path = typer.Option(
        None, "--workspace", help="The workspace database (or ACHILLES_WORKSPACE)."
    ),
    fmt: str = typer.Option(
        "markdown", "--format", metavar="{markdown,csv,json,html}", help="The report's format."
    ),
    table: str = typer.Option(
        None,
        "--table",
        metavar="TABLE",
        help="CSV: the one table to write (summary, threats, four_p, agencies, powers, tactics, "
        "agency_actions, near_misses, weak_cases, case_options, skipped). Without it, --out "
        "FILE.csv writes every table as its own file, the marking in each name.",
    ),
    out_file: Path = typer.Option(
        None, "--out", metavar="FILE", help="Write to this file (owner-only)."
    ),
    force: bool = typer.Option(False, "--force", help="Replace an existing --out file."),
    top: int = typer.Option(5, "--top", min=1, max=100, help="Options listed per case."),
    threshold: float = typer.Option(
        60.0,
        "--threshold",
        min=0,
        max=100,
        help="A case whose best option scores under this has no strong option.",
    ),
    workers: int = typer.Option(
        None, "--workers", min=1, max=256, help="Worker processes (default: one per CPU)."
    ),
    serial: bool = typer.Option(
        False, "--serial", help="Evaluate in this process, one case at a time."
    ),
    rules: list[Path] = RulesOpt,
    catalogue: Path = CatalogueOpt,
    no_near_misses: bool = typer.Option(
        False, "--no-near-misses", help="Skip the intelligence requirements (faster)."
    ),
    on: str = typer.Option(
        None, "--on", help="Judge the plans' due dates as on this date (default: today)."
    ),
    redact: bool = typer.Option(
        False,
        "--redact",
        help="For wider circulation: no operation titles or target names, ids only.",
    ),
    partial_ok: bool = typer.Option(
        False,
        "--partial-ok",
        help="Exit 0 even when some files were skipped (by default: exit 2, like ripgrep).",
    ),
) -> None:
    """Many cases at once: top options per case, the powers and agencies most in demand, what
    the partnership did with each tactic and the outcomes recorded, the open and overdue actions
    per agency, recurring intelligence requirements and the cases with no strong option."""
    from achilles.cli import parse_date
    from achilles.files import write_private
    from achilles.portfolio import (
        FORMATS,
        TABLE_NAMES,
        RunStats,
        Settings,
        case_files,
        csv_files,
        render,
        run_portfolio,
        workspace_cases,
    )

    if fmt not in FORMATS:
        raise AchillesError(
            f"--format '{fmt}' is not one of {', '.join(FORMATS)}",
            hint=did_you_mean(fmt, FORMATS) or f"use one of {', '.join(FORMATS)}",
        )
    if table is not None and (fmt != "csv" or table not in TABLE_NAMES):
        raise AchillesError(
            f"--table '{table}' "
            + ("is only for --format csv" if fmt != "csv" else "is not a table of the report"),
            hint=did_you_mean(table, TABLE_NAMES) or f"one of {', '.join(TABLE_NAMES)}",
        )
    if fmt == "csv" and table is None and out_file is None:
        raise AchillesError(
            "CSV is one table per file: say which table, or where to write them all",
            hint=f"--table NAME (one of {', '.join(TABLE_NAMES)}), or --out FILE.csv",
        )
    every_table = fmt == "csv" and table is None
    if not every_table:
        _check_out(out_file, force)
    from_workspace = from_workspace or workspace is not None
    if not paths and not from_workspace:
        raise AchillesError(
            "nothing to analyse",
            hint="give case files or folders, or --from-workspace for the workspace's cases",
        )
    files = case_files(paths or [])
    db = None
    if from_workspace:
        db, kept = workspace_cases(workspace)
        files += kept
    if not files:
        raise AchillesError(
            "no case files found" + (" (and no cases in the workspace)" if from_workspace else ""),
            hint="give case files, or folders holding *.yaml, *.yml or *.json case files",
        )
    settings = Settings(
        rules=tuple(str(r) for r in rules or []),
        catalogue=str(catalogue) if catalogue else None,
        top=top,
        near_misses=not no_near_misses,
        workspace=db,
        on=(parse_date(on, "--on") or dt.date.today()).isoformat(),
        redact=redact,
    )
    stats = RunStats()
    with _bar("analysing cases", len(files)) as progress:
        report = run_portfolio(
            files,
            settings,
            threshold=threshold,
            workers=workers,
            serial=serial,
            progress=progress,
            stats=stats,
        )
    if every_table:
        files_out = csv_files(report, out_file)
        for path in files_out:  # all checked before any is written
            _check_out(path, force)
        for path, text in files_out.items():
            write_private(path, text, force=force)
        output.note(
            f"wrote {len(files_out)} tables in {out_file.parent} (readable by you only): "
            + ", ".join(p.name for p in files_out)
        )
    else:
        text = render(report, fmt, table)
        if out_file is None:
            output.document(text, json=fmt == "json")
        else:
            write_private(out_file, text, force=force)
            output.note(f"wrote {out_file} (readable by you only)")
    mb = stats.peak_total / 1e6
    output.note(
        f"analysed {report.analysed:,} of {report.files:,} case files ({len(report.skipped):,} skipped) "
        f"in {stats.seconds:.1f} s: {stats.cases_per_second:,.0f} cases/s with {stats.workers} "
        f"worker{'s' if stats.workers != 1 else ''}; peak memory {mb:,.0f} MB; CPU {stats.cpu_seconds:,.1f} s"
    )
    for f in report.skipped[:5]:
        output.warning(f"skipped {one_line(f.problem)}")
    if len(report.skipped) > 5:
        output.note(f"... and {len(report.skipped) - 5} more skipped files, listed in the report")
    if report.skipped and not partial_ok:
        # like ripgrep: the report is written, but a script must notice the files it lacks
        output.error(
            "the report leaves out the skipped files (exit status 2)",
            "fix them, or pass --partial-ok to accept a partial report",
        )
        raise typer.Exit(2)


def synth(
    groups: int = typer.Option(
        ..., "--groups", min=1, help="How many groups (one case file each)."
    ),
    seed: int = typer.Option(0, "--seed", min=0, help="The same seed makes the same files."),
    out_dir: Path = typer.Option(
        ..., "--out", metavar="DIR", help="The folder to write into (created owner-only)."
    ),
    size: str = typer.Option(
        "typical",
        "--size",
        metavar="{typical,large,mixed}",
        help="typical (~40 facts), large (~1,000 facts) or mixed.",
    ),
    force: bool = typer.Option(False, "--force", help="Replace files already there."),
) -> None:
    """A synthetic corpus of valid case files for trials and benchmarks (no real people)."""
    from achilles.synth import SIZES, write_corpus

    if size not in SIZES:
        raise AchillesError(
            f"--size '{size}' is not one of {', '.join(SIZES)}",
            hint=did_you_mean(size, SIZES) or "use typical, large or mixed",
        )
    with _bar("writing case files", groups) as progress:
        write_corpus(out_dir, groups, seed, size, force=force, progress=progress)
    output.note(
        f"wrote {groups:,} synthetic case files to {out_dir} (seed {seed}, size {size}; "
        "readable by you only)"
    )
