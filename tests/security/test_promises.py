"""SECURITY.md's promises each name the test that backs them, and every test named is there."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECURITY = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
SHORT = {
    "P": "tests/security/test_private_files.py",
    "M": "tests/security/test_markings.py",
    "E": "tests/security/test_exit_codes.py",
}
REFERENCE = re.compile(r"`((?:tests/[\w/]+\.py)|[PME])::(test_\w+)`")


def _references(text: str) -> list[tuple[str, str]]:
    return [(SHORT.get(file, file), name) for file, name in REFERENCE.findall(text)]


def test_every_test_security_md_names_exists():
    named = _references(SECURITY)
    assert len(named) >= 30
    missing = [
        f"{file}::{name}"
        for file, name in named
        if not re.search(
            rf"^(async )?def {name}\(", (ROOT / file).read_text(encoding="utf-8"), re.MULTILINE
        )
    ]
    assert not missing, missing


def test_every_promise_names_a_test():
    """Each row of the table of what is held, and each 'never' promise, names its test."""
    table = [line for line in SECURITY.splitlines() if line.startswith("| ") and "---" not in line]
    rows = table[1:]  # the first is the header
    assert len(rows) >= 7
    assert [r for r in rows if not _references(r)] == []
    never = SECURITY.split("## What Achilles never does", 1)[1].split("\n## ", 1)[0]
    promises = [p for p in re.split(r"\n- ", never) if p.strip()]
    assert len(promises) >= 5
    assert [p[:60] for p in promises if not _references(p)] == []
    for section in ("## The protective marking", "## Bad input is exit status 2", "## Sharing"):
        body = SECURITY.split(section, 1)[1].split("\n## ", 1)[0]
        assert _references(body), section
