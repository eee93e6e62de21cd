"""The `achilles` command. Exit status: 0 success, 2 bad input or usage, 1 internal error.

Heavy modules (Textual, python-docx, the engine) are imported inside the commands that need
them, so `--help`, `--version` and `case validate` start fast.
"""

from __future__ import annotations

import datetime as dt
import os
import sys

import typer

from achilles import __version__

try:  # typer vendors click since 0.20; its exceptions are the ones raised
    from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
except ImportError:  # pragma: no cover - an older typer on the plain click
    from click.exceptions import (  # type: ignore[assignment]
        ClickException,
        NoArgsIsHelpError,
        UsageError,
    )
from achilles.cli import output
from achilles.cli.output import err, out
from achilles.errors import EXIT_BAD_INPUT, EXIT_INTERNAL, AchillesError, EngineError, InputError

CONTEXT = {"help_option_names": ["-h", "--help"]}  # inherited by every subcommand

app = typer.Typer(
    name="achilles",
    help="Disruption options and 4P plans for organised crime groups, from the powers partners hold.",
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=True,
    context_settings=CONTEXT,
)
case_app = typer.Typer(
    help="Check, show and create case files; keep them in the workspace.", no_args_is_help=True
)
powers_app = typer.Typer(help="Browse and check the powers catalogue.", no_args_is_help=True)
rules_app = typer.Typer(help="Check, list, explain and test the rules.", no_args_is_help=True)
app.add_typer(case_app, name="case")
app.add_typer(powers_app, name="powers")
app.add_typer(rules_app, name="rules")

RulesOpt = typer.Option(
    None,
    "--rules",
    metavar="DIR",
    help="A council's rules folder, layered over the shipped rules; repeat it for more than "
    "one folder, or set ACHILLES_RULES to one.",
)
CatalogueOpt = typer.Option(
    None,
    "--catalogue",
    metavar="DIR",
    help="A powers catalogue folder to use instead of the shipped one (or ACHILLES_CATALOGUE).",
)
WorkspaceOpt = typer.Option(
    None,
    "--workspace",
    metavar="FILE",
    help="The workspace database (or ACHILLES_WORKSPACE).",
)
OutOpt = typer.Option(None, "--out", metavar="FILE", help="Write to this file (owner-only).")


def examples(*lines: str) -> str:
    """A command's help epilog: example command lines, kept as written (`\\b` stops click
    re-wrapping them)."""
    return "Examples:\n\n\b\n" + "\n".join(f"  {line}" for line in lines)


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
    """Every problem, labelled error or warning, each with its hint on the next line."""
    problems = getattr(exc, "problems", None) or []
    if not problems:
        output.error(exc.message, exc.hint)
        return
    output.problems(problems)
    errors = sum(1 for p in problems if p.level == "error")
    warnings = sum(1 for p in problems if p.level == "warning")
    if errors > 1 or warnings:
        output.note(
            f"{_count(errors, 'error')}"
            + (f" and {_count(warnings, 'warning')}" if warnings else "")
            + (" found; fix the errors and run the command again." if errors else ".")
        )


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def build_app() -> typer.Typer:
    """The app with every command registered (commands live in sibling modules)."""
    from achilles.cli import actions, advice, case, impact, knowledge, review, ui  # noqa: F401

    _register_optional()
    return app


# Placeholders that read as words for options whose value is a date, a number or a name; any
# other option without its own metavar shows its name in capitals (`--owner OWNER`).
PLACEHOLDERS = {
    "as_of": "DATE",
    "on": "DATE",
    "due": "DATE",
    "until": "DATE",
    "start": "DATE",
    "top": "N",
    "workers": "N",
    "groups": "N",
    "seed": "N",
    "version": "N",
    "threshold": "SCORE",
}


def command() -> typer.main.TyperGroup:
    """The click command tree, every parameter with a placeholder that reads as a word."""
    build_app()
    root = typer.main.get_command(app)
    _name_placeholders(root)
    return root  # type: ignore[return-value]


def _name_placeholders(cmd) -> None:
    for param in cmd.params:
        if param.metavar is None and not getattr(param, "is_flag", False):
            word = PLACEHOLDERS.get(param.name or "", (param.name or "value").upper())
            param.metavar = f"{word}..." if param.nargs == -1 else word
        if param.param_type_name == "argument":  # `CASE`, not typer's `{CASE}` and `<str>`
            usage = param.metavar if param.required else f"[{param.metavar}]"
            param._usage_display_name = lambda usage=usage: usage
            param.display_type_rich = lambda ctx: None
    for sub in getattr(cmd, "commands", {}).values():
        _name_placeholders(sub)


def run(args: list[str] | None = None) -> int:
    """Run one command line; the exit status. Every failure is printed in the one error style."""
    try:
        status = command().main(args=args, prog_name="achilles", standalone_mode=False)
    except AchillesError as exc:
        report_error(exc)
        return EXIT_BAD_INPUT
    except NoArgsIsHelpError as exc:  # `achilles case`: the group's help, as `gh pr` does
        output.document(exc.format_message() + "\n")
        return 0
    except UsageError as exc:  # unknown command or option, a bad value, a missing argument
        _usage_error(exc)
        return EXIT_BAD_INPUT
    except ClickException as exc:
        output.error(exc.format_message())
        return exc.exit_code
    except typer.Abort:
        output.note("interrupted")
        return 130
    except EngineError as exc:
        output.error(
            f"internal error in the rules engine: {exc}",
            "please report it (see SECURITY.md); your files are unchanged",
        )
        return EXIT_INTERNAL
    except KeyboardInterrupt:
        output.note("interrupted")
        return 130
    except BrokenPipeError:  # `achilles ... | head`: the reader has what it wanted
        _quiet_stdout()
        return 0
    except Exception as exc:  # an Achilles bug: no traceback for users, unless asked for
        if os.environ.get("ACHILLES_DEBUG"):
            raise
        output.error(
            f"internal error ({type(exc).__name__}); your files are unchanged",
            "run again with ACHILLES_DEBUG=1 to see the traceback, and report it",
        )
        return EXIT_INTERNAL
    return status if isinstance(status, int) else 0


def _usage_error(exc: UsageError) -> None:
    """Click's usage errors in Achilles' style: the message, then a hint (did you mean, and the
    command's help)."""
    message = exc.format_message()
    suggestion = ""
    if "Did you mean" in message:  # typer's suggestion for a mistyped command
        message, _, rest = message.partition("Did you mean")
        suggestion = "did you mean" + rest.rstrip("?") + "? "
    elif "(Possible options:" in message:  # click's for a mistyped option
        message, _, rest = message.partition("(Possible options:")
        names = [n.strip() for n in rest.rstrip(")").split(",")]
        suggestion = f"did you mean {' or '.join(names)}? "
    command = exc.ctx.command_path if exc.ctx else "achilles"
    message = message.strip().rstrip(".")
    output.error(message[:1].lower() + message[1:], f"{suggestion}see `{command} -h`")


def _quiet_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so Python's exit flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main() -> None:
    sys.exit(run())


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
        output.say(f"achilles {__version__}")
        raise typer.Exit(0)
    if ctx.invoked_subcommand is None:
        from achilles.cli.ui import open_tui

        open_tui(None)


__all__ = ["app", "build_app", "case_app", "err", "main", "out", "output", "run", "InputError"]
