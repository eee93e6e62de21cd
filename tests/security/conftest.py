"""Shared by the review's reproductions: the probe's base case, the real entry point with a time
bound, and a way to hold root to file modes the way the probe did."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
BASE_CASE = HERE / "data" / "base-case.yaml"  # the probe's corpus/000-valid-base.yaml
BOUND = 60.0  # seconds: every reproduction ends well inside this, or it fails as a hang

# One knowledge cache for this test process, never the user's own (~/.cache).
CACHE = tempfile.mkdtemp(prefix="achilles-security-cache-")
atexit.register(shutil.rmtree, CACHE, ignore_errors=True)

# Root ignores file modes; the probe held it to them by dropping these capabilities.
DROP_DAC = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float


def achilles(
    *args: str,
    cwd: Path | None = None,
    env: dict | None = None,
    umask: int | None = None,
    held_to_modes: bool = False,
    timeout: float = BOUND,
) -> Run:
    """The real command in a child process; a hang past `timeout` fails the test."""
    prefix: list[str] = []
    if held_to_modes and os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("root without setpriv cannot be held to file modes")
        prefix = DROP_DAC
    started = time.monotonic()
    r = subprocess.run(
        [*prefix, sys.executable, "-m", "achilles", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "XDG_CACHE_HOME": CACHE, **(env or {})},
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,  # noqa: PLW1509
        timeout=timeout,
    )
    return Run(r.returncode, r.stdout, r.stderr, time.monotonic() - started)


def bad_input(r: Run, *fragments: str) -> None:
    """Exit 2, no traceback, every fragment in the message."""
    assert r.code == 2, (r.code, r.err)
    assert "Traceback" not in r.err and "internal error" not in r.err, r.err
    for fragment in fragments:
        assert fragment in r.err, (fragment, r.err)


@pytest.fixture
def base_case(tmp_path: Path) -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(BASE_CASE.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def mode(path: Path) -> int:
    return os.lstat(path).st_mode & 0o777
