"""Where the shipped data lives: the repo's top-level folders, or the copy inside the wheel.

A council points at its own rules or catalogue with --rules / --catalogue or the
ACHILLES_RULES / ACHILLES_CATALOGUE environment variables; those add to (rules) or replace
(catalogue) what ships.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent
_REPO = _PACKAGE.parent

ENV = {
    "rules": "ACHILLES_RULES",
    "powers_catalogue": "ACHILLES_CATALOGUE",
    "vocabulary": "ACHILLES_VOCABULARY",
    "ranking": "ACHILLES_RANKING",
}


def shipped(name: str) -> Path:
    """The shipped copy of a data folder: inside the installed wheel, else the source tree."""
    inside = _PACKAGE / "_data" / name
    if inside.is_dir():
        return inside
    return _REPO / name


def examples_dir() -> Path:
    return shipped("examples/cases")


DEMO_SAMPLE = "beds-transformation"
"""The sample `achilles demo` opens when none is named: the LGA guide's Operation Transformation."""


def sample_cases() -> dict[str, Path]:
    """The shipped sample cases by name (the file's stem), for `achilles demo NAME`."""
    return {p.stem: p for p in sorted(examples_dir().glob("*.yaml"))}


def env_override(name: str) -> Path | None:
    value = os.environ.get(ENV.get(name, ""), "")
    return Path(value) if value else None
