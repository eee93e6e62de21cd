"""The stable codes of `achilles rules check`: one per kind of problem, never renumbered or reused.

A lawyer looks a code up in rules/README.md ("Check codes"). That table is written from this
enum (`python -m achilles.rulebook.codes --write rules/README.md`, or `make codes`), and
tests/test_docs.py fails when the two disagree, when a code is raised as a bare string, or when a
code here is raised nowhere. AR codes are about rules, PC codes about the powers catalogue.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import sys
from enum import StrEnum
from functools import cache
from pathlib import Path


class CheckCode(StrEnum):
    """A check's code, as printed after a problem: `rules/x.yaml:12: ...: message [AR012]`."""

    AR001 = "AR001"
    """Duplicate rule id."""
    AR002 = "AR002"
    """Unknown power id."""
    AR003 = "AR003"
    """Dates or jurisdiction outside the power's."""
    AR004 = "AR004"
    """Two rules with the same conditions for the same power."""
    AR005 = "AR005"
    """Coercive power aimed at a person without `exploited: false`."""
    AR006 = "AR006"
    """Rule lacks a must-fire or a must-not-fire test."""
    AR007 = "AR007"
    """A rule test fails (or the two evaluators disagree)."""
    AR008 = "AR008"
    """A power no rule reaches (and not marked `manual_only`); a warning on the `disable` line when a council layer switched its rules off."""
    AR009 = "AR009"
    """Rule review older than 12 months (a warning)."""
    AR010 = "AR010"
    """Unknown fact type."""
    AR011 = "AR011"
    """Unknown field for that fact type."""
    AR012 = "AR012"
    """Operator does not fit the field."""
    AR013 = "AR013"
    """Unknown vocabulary term."""
    AR014 = "AR014"
    """Bad join."""
    AR015 = "AR015"
    """Bad target or subject."""
    AR016 = "AR016"
    """Bad placeholder in `because`."""
    AR017 = "AR017"
    """A rule that can never fire (its own must-fire tests do not fire)."""
    AR018 = "AR018"
    """An `unless` that re-tests a fact `when` already matched (it can never block)."""
    AR019 = "AR019"
    """A rule's `trigger` is not a legal event the rest of the rule can be met without."""
    AR020 = "AR020"
    """A layer tries to switch off a presumption (no layer may)."""
    AR021 = "AR021"
    """A rule has more aliases than the rules engine handles safely."""
    AR022 = "AR022"
    """A rule's tests fan out wider under one node than the rules engine handles safely."""
    AR023 = "AR023"
    """A rule has more `unless` conditions than the rules engine handles safely."""
    AR024 = "AR024"
    """Too many aliases join to nothing before them (a cartesian product of the case's facts)."""
    PC009 = "PC009"
    """Power review older than 12 months (a warning)."""
    PC010 = "PC010"
    """Power not fully confirmed against the statute (shown with `--verbose`)."""

    @property
    def meaning(self) -> str:
        """The code's docstring: what the check found."""
        return _meanings()[self.name]


@cache
def _meanings() -> dict[str, str]:
    # Attribute docstrings are not kept at run time; read them from the source, as pydantic's
    # use_attribute_docstrings does. The enum stays the one place a code is described.
    body = ast.parse(inspect.getsource(CheckCode)).body[0]
    assert isinstance(body, ast.ClassDef)
    meanings: dict[str, str] = {}
    for node, after in zip(body.body, body.body[1:], strict=False):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            meanings[node.targets[0].id] = after.value.value.strip()
    return meanings


BEGIN = (
    "<!-- check codes: written from achilles/rulebook/codes.py by `make codes`; edit them there -->"
)
END = "<!-- end of check codes -->"


def codes_table() -> str:
    """The Markdown table of every code and its meaning, between its two marker comments."""
    rows = [f"| {c.value} | {c.meaning} |" for c in CheckCode]
    return "\n".join([BEGIN, "| code | meaning |", "| --- | --- |", *rows, END])


def with_codes_table(text: str) -> str:
    """`text` (a README) with the table between the markers replaced by `codes_table()`."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError("the check-codes markers are missing or out of order")
    return text[:start] + codes_table() + text[end + len(END) :]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print or write the table of check codes.")
    parser.add_argument("--write", type=Path, metavar="README", help="update the table in place")
    args = parser.parse_args(argv)
    if args.write is None:
        print(codes_table())
        return 0
    text = args.write.read_text(encoding="utf-8")
    args.write.write_text(with_codes_table(text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
