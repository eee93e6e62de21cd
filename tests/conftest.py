"""Fixtures every test may ask for: the shipped knowledge (loaded once per run), the sample case
paths, a private copy of the sample case, and an empty workspace in a temporary folder.

Paths are also importable as constants (tests/samples.py) for module-level use; the TUI's Pilot
helpers are in tests/tui/helpers.py.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from achilles.catalogue import Catalogue
from achilles.knowledge import Knowledge, load_knowledge
from achilles.model.vocabulary import Vocabulary
from achilles.rulebook.load import Rulebook
from achilles.store import Workspace
from tests.samples import EXAMPLE, EXAMPLES


def pytest_addoption(parser) -> None:
    """`--update-goldens` rewrites tests/golden/ from this run (CONTRIBUTING.md)."""
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="Rewrite the golden files in tests/golden/ from this run (review the diff first).",
    )


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    """The shipped vocabulary, catalogue, rules and weights, as the CLI loads them."""
    return load_knowledge()


@pytest.fixture(scope="session")
def vocab(knowledge: Knowledge) -> Vocabulary:
    return knowledge.vocab


@pytest.fixture(scope="session")
def catalogue(knowledge: Knowledge) -> Catalogue:
    return knowledge.catalogue


@pytest.fixture(scope="session")
def rulebook(knowledge: Knowledge) -> Rulebook:
    return knowledge.rulebook


@pytest.fixture
def example_case() -> Path:
    """The shipped sample case (read it; write to `case_copy`)."""
    return EXAMPLE


@pytest.fixture
def example_cases() -> list[Path]:
    """Every shipped example case."""
    return sorted(EXAMPLES.glob("*.yaml"))


@pytest.fixture
def case_copy(tmp_path: Path) -> Path:
    """A private copy of the sample case, for tests that edit or save it."""
    target = tmp_path / EXAMPLE.name
    shutil.copy(EXAMPLE, target)
    return target


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    """An empty workspace file in the test's own folder, closed afterwards."""
    with Workspace.open(tmp_path / "ws" / "workspace.db") as ws:
        yield ws
