"""The `achilles` command. Exit status: 0 success, 2 bad input or usage, 1 internal error.

Heavy modules (Textual, python-docx, the engine) are imported inside the commands that need
them, so `--help`, `--version` and `case validate` start fast.
"""

from __future__ import annotations

import datetime as dt
import os
import sys

import typer
from rich.console import Console

from achilles import __version__
from achilles.errors import EXIT_BAD_INPUT, EXIT_INTERNAL, AchillesError, EngineError, InputError

app = typer.Typer(
    name="achilles",
    help="Disruption options and 4P plans for organised crime groups, from the powers partners hold.",
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
)
case_app = typer.Typer(
    help="Check, show and create case files; keep them in the workspace.", no_args_is_help=True
)
powers_app = typer.Typer(help="Browse and check the powers catalogue.", no_args_is_help=True)
rules_app = typer.Typer(help="Check, list, explain and test the rules.", no_args_is_help=True)
app.add_typer(case_app, name="case")
app.add_typer(powers_app, name="powers")
app.add_typer(rules_app, name="rules")

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)  # one problem, one line

RulesOpt = typer.Option(
    None,
    "--rules",
    help="A council's own rules folder, layered over the shipped rules (repeatable; or ACHILLES_RULES).",
)
CatalogueOpt = typer.Option(
    None,
    "--catalogue",
    help="A powers catalogue folder to use instead of the shipped one (or ACHILLES_CATALOGUE).",
)


# Dates typed on the command line: the law and the plans Achilles knows live well inside
# these, and deadlines counted from a date near the end of the calendar would overflow it.
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2199, 12, 31)


def parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        when = dt.date.fromisoformat(value)
    except ValueError:
        raise AchillesError(
            f"{option} '{value}' is not a date", hint="write it as YYYY-MM-DD, e.g. 2015-06-01"
        ) from None
    if not EARLIEST <= when <= LATEST:
        raise AchillesError(
            f"{option} {when.isoformat()} is too far from today",
            hint=f"give a date between {EARLIEST} and {LATEST}, e.g. {dt.date.today()}",
        )
    return when


def split_list(values: list[str] | None) -> list[str]:
    return [v.strip() for item in values or [] for v in item.split(",") if v.strip()]


def report_error(exc: AchillesError) -> None:
    problems = getattr(exc, "problems", None) or []
    if problems:
        for p in problems:
            err.print(p.render(), markup=False, highlight=False)
        count = sum(1 for p in problems if p.level == "error")
        if count > 1:
            err.print(f"{count} problems found; fix them and run the command again.", markup=False)
    else:
        err.print(f"error: {exc.message}", markup=False)
        if exc.hint:
            err.print(f"hint: {exc.hint}", markup=False)


def build_app() -> typer.Typer:
    """The app with every command registered (commands live in sibling modules)."""
    from achilles.cli import actions, advice, case, impact, knowledge, ui  # noqa: F401

    _register_optional()
    return app


def main() -> None:
    build_app()
    try:
        app()
    except AchillesError as exc:
        report_error(exc)
        sys.exit(EXIT_BAD_INPUT)
    except EngineError as exc:
        err.print(f"internal error in the rules engine: {exc}", markup=False)
        err.print("Please report it (see SECURITY.md); the case file is unchanged.", markup=False)
        sys.exit(EXIT_INTERNAL)
    except KeyboardInterrupt:
        err.print("interrupted", markup=False)
        sys.exit(130)
    except Exception as exc:  # an Achilles bug: no traceback for users, unless asked for
        if os.environ.get("ACHILLES_DEBUG"):
            raise
        err.print(f"internal error ({type(exc).__name__}); your files are unchanged.", markup=False)
        err.print(
            "Run again with ACHILLES_DEBUG=1 to see the traceback, and report it.", markup=False
        )
        sys.exit(EXIT_INTERNAL)


def _register_optional() -> None:
    """Command groups that other modules add, when present."""
    import importlib

    for name in ("achilles.cli.workspace", "achilles.cli.portfolio"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        register = getattr(module, "register", None)
        if register and not getattr(module, "_registered", False):
            register(app, case_app)
            module._registered = True  # type: ignore[attr-defined]


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
) -> None:
    if version:
        out.print(f"achilles {__version__}", markup=False)
        raise typer.Exit(0)
    if ctx.invoked_subcommand is None:
        from achilles.cli.ui import open_tui

        open_tui(None)


__all__ = ["app", "build_app", "case_app", "main", "InputError"]
