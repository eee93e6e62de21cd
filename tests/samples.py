"""Where the sample data lives: the repository, the shipped example cases and the test data.
Imported by tests (and by tests/conftest.py, which offers them as fixtures)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "cases"
EXAMPLE = EXAMPLES / "contract-example.yaml"  # the case most tests run on
DEMO = EXAMPLES / "beds-transformation.yaml"  # the demo case the TUI opens with `d`
DATA = ROOT / "tests" / "data"
