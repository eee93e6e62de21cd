"""Options for the whole suite: `--update-goldens` rewrites tests/golden/ (CONTRIBUTING.md)."""

from __future__ import annotations


def pytest_addoption(parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="Rewrite the golden files in tests/golden/ from this run (review the diff first).",
    )
