"""`achilles tui [CASE]` and `achilles demo`: the LRO's terminal UI."""

from __future__ import annotations

from pathlib import Path

import typer

from achilles.cli import CatalogueOpt, RulesOpt, WorkspaceOpt, app, examples


def open_tui(
    case: Path | None,
    rules: list[Path] | None = None,
    catalogue: Path | None = None,
    workspace: Path | None = None,
    demo: bool = False,
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


@app.command("demo", epilog=examples("achilles demo", "achilles demo --reset"))
def demo(
    rules: list[Path] = RulesOpt,
    catalogue: Path = CatalogueOpt,
    reset: bool = typer.Option(
        False,
        "--reset",
        help="Start again from the sample (your previous demo copy is kept beside it).",
    ),
) -> None:
    """Open the terminal UI on a bundled sample case (a private copy: edits never touch the sample)."""
    open_tui(None, rules, catalogue, None, demo=True, reset=reset)
