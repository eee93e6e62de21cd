"""The error family. Every error a user can cause is an AchillesError with exit status 2.

Messages carry file names, lines, field paths and ids; never names or notes from a case.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2


class AchillesError(Exception):
    """Something the user can fix: bad input, bad usage, a broken rule file."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class InputError(AchillesError):
    """A file could not be read or did not validate. Carries every problem found."""

    def __init__(self, message: str, problems: list | None = None, *, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.problems = list(problems or [])


class RulebookError(InputError):
    """The rules or the catalogue are broken; evaluation cannot be trusted."""


class BudgetError(AchillesError):
    """Evaluating a case would cost more than its budget (matches or time): a rule multiplies the
    case's facts, or the case is far larger than any group. Exit 2, before any work runs away."""


class EngineError(Exception):
    """The rules engine failed. An internal error (exit 1): the message never holds fact values."""

    exit_code = EXIT_INTERNAL


class StoreError(AchillesError):
    """The workspace database cannot be used as asked (locked, read-only, corrupt, stale save)."""


class NoSuchCase(StoreError):
    """The workspace holds no case (or no such version of a case) with that id."""


class OutputError(AchillesError):
    """An export or save could not be written."""
