"""`achilles tui [CASE]` and `achilles demo`: the LRO's terminal UI."""

from __future__ import annotations

from pathlib import Path

import typer

from achilles.cli import CatalogueOpt, RulesOpt, WorkspaceOpt, app, examples, output
from achilles.errors import AchillesError
from achilles.loading.paths import DEMO_SAMPLE, sample_cases
from achilles.loading.problems import did_you_mean


def open_tui(
    case: Path | None,
    rules: list[Path] | None = None,
    catalogue: Path | None = None,
    workspace: Path | None = None,
    demo: str | None = None,
    reset: bool = False,
) -> None:
    from achilles.tui.app import run

    run(
        case,
        rules=list(rules or []),
        catalogue=catalogue,
        workspace=workspace,
        demo=demo,
        reset_demo=reset,
    )


@app.command(
    "tui", epilog=examples("achilles tui op-kestrel.yaml", "achilles tui --workspace team.db")
)
def tui(
    case: Path = typer.Argument(
        None, metavar="FILE", help="A case file to open; without it, the workspace's cases."
    ),
    rules: list[Path] = RulesOpt,
    catalogue: Path = CatalogueOpt,
    workspace: Path = WorkspaceOpt,
) -> None:
    """Open the terminal UI for the case meeting."""
    open_tui(case, rules, catalogue, workspace)


@app.command(
    "demo",
    epilog=examples(
        "achilles demo",
        "achilles demo bedford-county-lines",
        "achilles demo --list",
        "achilles demo --reset",
    ),
)
def demo(
    sample: str = typer.Argument(
        DEMO_SAMPLE,
        metavar="SAMPLE",
        help="Which shipped sample case to open, by name (see --list).",
        show_default=True,
    ),
    list_samples: bool = typer.Option(
        False, "--list", help="Name the shipped sample cases, one a line, and exit."
    ),
    rules: list[Path] = RulesOpt,
    catalogue: Path = CatalogueOpt,
    reset: bool = typer.Option(
        False,
        "--reset",
        help="Start again from the sample (your previous copy is kept beside it).",
    ),
) -> None:
    """Open the terminal UI on a shipped sample case, as a private copy: edits never touch the
    sample, so a tour can change anything."""
    samples = sample_cases()
    if list_samples:
        for name in samples:
            output.line(name)
        return
    name = sample.removesuffix(".yaml")
    if name not in samples:
        raise AchillesError(
            f"there is no shipped sample case called '{sample}'",
            hint=did_you_mean(name, list(samples))
            or f"use one of {', '.join(samples)} (achilles demo --list)",
        )
    open_tui(None, rules, catalogue, None, demo=samples[name].name, reset=reset)
