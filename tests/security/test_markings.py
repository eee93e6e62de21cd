"""Issue 17 part 5, markings that mean something: the review's F-12 (an empty or free-text marking
gave unmarked exports) and F-26 (`--redact` kept the free-text title), through the real commands
and every export format."""

from __future__ import annotations

import html
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from achilles.loading.paths import shipped
from achilles.model.vocabulary import load_vocabulary
from tests.security.conftest import achilles, bad_input

VOCAB = load_vocabulary()
TITLE_LINE = "  title: Operation Zulutitle\n"
MARKING_LINE = "  marking: OFFICIAL-SENSITIVE\n"
PLAN_FORMATS = ("markdown", "text", "html", "csv", "docx", "json")

# The probe's corpus: w323 (empty), w326 (whitespace), w325 (a second line that re-marks the
# export), and free text of the kind the contract's default invites.
BAD_MARKINGS = {
    "w323-empty": '""',
    "w326-whitespace": '"   "',
    "w325-newline-unclassified": '"OFFICIAL\\n\\n# UNCLASSIFIED"',
    "free-text": "Restricted - do not share",
    "old-scheme": "RESTRICTED",
    "lower-case": "official-sensitive",
    "unknown-descriptor": "OFFICIAL-SENSITIVE HUSH",
}


def _with_marking(base_case: Path, value: str) -> Path:
    text = base_case.read_text(encoding="utf-8")
    assert MARKING_LINE in text
    base_case.write_text(text.replace(MARKING_LINE, f"  marking: {value}\n"), encoding="utf-8")
    return base_case


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


@pytest.mark.parametrize("name", BAD_MARKINGS)
def test_f12_a_marking_that_is_not_a_classification_is_an_error_with_its_line(base_case, name):
    path = _with_marking(base_case, BAD_MARKINGS[name])
    line = _line_of(path, "marking:")
    r = achilles("case", "validate", str(path))
    bad_input(r, f"{path}:{line}: case.marking:", "OFFICIAL-SENSITIVE")
    if name == "lower-case":
        assert "write it as OFFICIAL-SENSITIVE" in r.err
    # Nothing is exported unmarked: every command that reads the case refuses it.
    out = path.parent / "plan.md"
    bad_input(achilles("plan", str(path), "--out", str(out)), "case.marking")
    assert not out.exists()


def test_f12_the_bad_marking_reaches_no_other_command(tmp_path, base_case):
    path = _with_marking(base_case, '""')
    bad_input(achilles("recommend", str(path)), "case.marking")
    r = achilles("case", "import", str(path), "--workspace", str(tmp_path / "ws.db"))
    bad_input(r, "case.marking")
    report = tmp_path / "portfolio.md"
    r = achilles("batch", str(path), "--serial", "--out", str(report))
    # batch lists the file as skipped and carries on; exit 2 says the report is partial
    assert r.code == 2 and "--partial-ok" in r.err, r.err
    assert "case.marking" in report.read_text()
    assert "probe-case" not in report.read_text().split("Files skipped", 1)[0]


def _readable(fmt: str, data: bytes) -> str:
    """Everything an export holds, as text: every part of a DOCX package included."""
    if fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            data = "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()).encode()
    text = data.decode("utf-8")
    return html.unescape(text) if fmt in ("html", "docx") else text


@pytest.mark.parametrize(
    "marking", ["OFFICIAL", "SECRET", "TOP SECRET", "OFFICIAL-SENSITIVE PERSONAL"]
)
def test_every_classification_and_descriptor_is_printed_top_and_bottom(base_case, marking):
    path = _with_marking(base_case, marking)
    assert achilles("case", "validate", str(path)).code == 0
    for fmt in ("markdown", "csv", "json"):
        out = path.parent / f"plan.{fmt}"
        r = achilles("plan", str(path), "--format", fmt, "--out", str(out))
        assert r.code == 0, r.err
        lines = [line for line in out.read_text().splitlines() if line.strip()]
        if fmt == "json":
            data = json.loads(out.read_text())
            assert data["marking"] == data["marking_footer"] == marking
        else:
            assert marking in lines[0] and marking in lines[-1], (fmt, lines[0], lines[-1])


def test_the_markings_are_vocabulary_data_not_code(tmp_path, base_case):
    """A council adds a descriptor in its vocabulary file; no code changes."""
    assert set(VOCAB.terms("marking")) == {"OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET"}
    path = _with_marking(base_case, "OFFICIAL-SENSITIVE HOUSING")
    bad_input(achilles("case", "validate", str(path)), "case.marking")
    vocab = tmp_path / "vocabulary"
    shutil.copytree(shipped("vocabulary"), vocab)
    text = (vocab / "vocabulary.yaml").read_text()
    (vocab / "vocabulary.yaml").write_text(
        text.replace("marking_descriptor:\n", "marking_descriptor:\n  HOUSING: Tenancy casework.\n")
    )
    r = achilles("case", "validate", str(path), env={"ACHILLES_VOCABULARY": str(vocab)})
    assert r.code == 0, r.err


# --- F-26: --redact keeps the title ----------------------------------------------------------

SECRET_TITLE = "Operation Smithfield for Jonquilla Haverstock"  # names no one in the case


def _titled(base_case: Path) -> Path:
    text = base_case.read_text(encoding="utf-8")
    base_case.write_text(text.replace(TITLE_LINE, f"  title: {SECRET_TITLE}\n"), encoding="utf-8")
    return base_case


@pytest.mark.parametrize("fmt", PLAN_FORMATS)
def test_f26_a_redacted_plan_withholds_the_title_in_every_format(base_case, fmt):
    path = _titled(base_case)
    full, redacted = path.parent / f"full.{fmt}", path.parent / f"redacted.{fmt}"
    assert achilles("plan", str(path), "--format", fmt, "--out", str(full)).code == 0
    r = achilles("plan", str(path), "--format", fmt, "--redact", "--out", str(redacted))
    assert r.code == 0, r.err
    text = _readable(fmt, redacted.read_bytes()).lower()  # a heading may be in capitals
    for word in ("smithfield", "jonquilla", "haverstock"):
        assert word not in text, (fmt, word)
    if fmt != "csv":  # the CSV is the action table alone: it never carries the title
        assert "smithfield" in _readable(fmt, full.read_bytes()).lower()  # a leak is visible
        assert "probe-case" in text  # the case is still named, by its id


def test_f26_recommend_and_review_withhold_the_title_when_redacted(base_case):
    path = _titled(base_case)
    for command in (
        ["recommend", str(path), "--redact"],
        ["recommend", str(path), "--redact", "--format", "markdown"],
        ["recommend", str(path), "--redact", "--format", "json"],
        ["review", str(path), "--redact"],
        ["review", str(path), "--redact", "--format", "markdown"],
        ["review", str(path), "--redact", "--format", "json"],
    ):
        r = achilles(*command, env={"COLUMNS": "200"})
        assert r.code == 0, (command, r.err)
        assert "Smithfield" not in r.out and "Haverstock" not in r.out, command
    shown = achilles("recommend", str(path), "--format", "markdown", env={"COLUMNS": "200"})
    assert SECRET_TITLE in shown.out  # unredacted, the meeting sees its title
