"""The wheel carries the legal data and the TUI's styles, so `pip install .` works anywhere."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from tests.samples import ROOT


def test_wheel_carries_rules_catalogue_vocabulary_and_styles(tmp_path):
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    wheel = next(tmp_path.glob("achilles-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("rules", "powers_catalogue", "vocabulary", "ranking", "examples/cases"):
        on_disk = {
            f"achilles/_data/{folder}/{p.relative_to(ROOT / folder).as_posix()}"
            for p in (ROOT / folder).rglob("*.yaml")
        }
        assert on_disk, folder
        assert on_disk <= names, sorted(on_disk - names)[:5]
    for p in (ROOT / "achilles" / "tui").rglob("*"):
        if p.suffix in (".tcss", ".md"):
            assert p.relative_to(ROOT).as_posix() in names
