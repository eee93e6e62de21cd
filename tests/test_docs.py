"""The documents agree with the code: the check-codes table in rules/README.md, and no file
points at notes a contributor does not have."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

from achilles.rulebook.codes import CheckCode, codes_table, with_codes_table
from tests.samples import ROOT

RULES_README = ROOT / "rules" / "README.md"
CODE = re.compile(r"^(AR|PC)\d{3}$")


def test_the_check_codes_table_is_written_from_the_enum():
    text = RULES_README.read_text(encoding="utf-8")
    assert codes_table() in text, "run `make codes` to write rules/README.md's table again"
    assert with_codes_table(text) == text


def test_every_code_has_a_one_line_meaning():
    for code in CheckCode:
        assert code.name == code.value and CODE.match(code.value)
        assert code.meaning and "\n" not in code.meaning, code


def _package_sources() -> list[Path]:
    return [p for p in (ROOT / "achilles").rglob("*.py") if p.name != "codes.py"]


def test_codes_are_raised_through_the_enum_never_as_bare_strings():
    bare = []
    for path in _package_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and CODE.match(node.value)
            ):
                bare.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value}")
    assert bare == [], "use achilles.rulebook.codes.CheckCode"


def test_every_code_is_raised_somewhere():
    raised = set()
    for path in _package_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "CheckCode"
            ):
                raised.add(node.attr)
    assert {c.name for c in CheckCode} - raised == set(), "a code no check raises"


def test_no_tracked_file_points_at_the_shared_folder():
    """shared/ holds the first team's notes; contributors do not have it. What the code needs
    from it lives in docs/ (ARCHITECTURE.md, CASE-FORMAT.md). Shipped data (the catalogue, the
    rules, the vocabulary) is checked too: its comments and sources name no outside path."""
    files = subprocess.run(
        ["git", "ls-files", "*.py", "*.md", "*.yaml", "*.yml", "*.toml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    pointing = set()
    for name in files:
        path = ROOT / name
        if "__snapshots__" in name or name == "tests/test_docs.py" or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")  # tests hold undecodable files
        # tests may name /work/ to assert it is absent; everything else may not name it at all
        outside = r"\bshared/(domain|research|design|reviews)/" + (
            "" if name.startswith("tests/") and name.endswith(".py") else "|/work/"
        )
        if re.search(outside, text):
            pointing.add(name)
    assert pointing == set(), "point at docs/ instead"


def test_the_case_format_page_is_written_from_the_models_and_the_vocabulary():
    """docs/CASE-FORMAT.md's field tables cannot drift: every field of every model is in its
    table, with what the vocabulary allows (regenerate: make case-format)."""
    from achilles.model.case_format import DOC, MODELS, missing_words, render

    committed = DOC.read_text(encoding="utf-8")
    assert committed == render(committed), "docs/CASE-FORMAT.md is stale: run make case-format"
    assert missing_words() == [], "give these fields a docstring saying what they hold"
    for section, model in MODELS.items():
        assert f"<!-- fields: {section} -->" in committed, section
        for name, info in model.model_fields.items():
            assert f"| `{info.alias or name}` |" in committed, f"{section}.{name}"
