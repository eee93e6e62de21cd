"""The architecture and style hold: lint, formatting, import layers, types, and headless code free
of Textual. The same checks as `make check` and the pre-commit hooks, so they cannot disagree: the
README's test command runs them all. Each tool comes with the test extras; a tool that is not
installed is skipped with the command that installs it, never passed silently."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.samples import ROOT

BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed: install the test extras (pip install -e '.[test]')")
    return found


def test_ruff_is_clean():
    r = subprocess.run(
        [_tool("ruff"), "check", "achilles", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_ruff_format_is_clean():
    r = subprocess.run(
        [_tool("ruff"), "format", "--check", "achilles", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, (
        r.stdout + r.stderr + "\nrun: .venv/bin/ruff format achilles tests benchmarks"
    )


def test_import_layers_hold():
    """The flow runs one way; only the engine imports durable_rules; headless code never imports Textual."""
    r = subprocess.run(
        [_tool("lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_cli_and_advice_do_not_load_textual_or_docx():
    code = (
        "import sys, achilles.cli as c; c.build_app();"
        "from achilles.cli.advice import _analyse;"
        "bad=[m for m in ('textual','docx') if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_types_check():
    """mypy over the package, with the pydantic plugin (settings in pyproject.toml). Its cache
    lives in the temporary folder, never in the repository."""
    cache = Path(tempfile.gettempdir()) / f"achilles-mypy-cache-{os.getuid()}"
    r = subprocess.run(
        [_tool("mypy"), "--cache-dir", str(cache), "achilles"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_headless_modules_do_not_load_textual_at_run_time():
    """The import contract reads import statements; this imports every headless module for real,
    so an import hidden in a function body or a plugin would be caught too."""
    import achilles

    package = Path(achilles.__file__).parent
    headless = sorted(
        "achilles."
        + ".".join(p.relative_to(package).with_suffix("").parts).removesuffix(".__init__")
        for p in package.rglob("*.py")
        if p.relative_to(package).parts[0] not in ("tui", "cli", "__main__.py")
    )
    code = (
        "import importlib, sys\n"
        f"for name in {headless!r}: importlib.import_module(name)\n"
        "bad = [m for m in ('textual',) if m in sys.modules]\n"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stdout + r.stderr
