"""Every byte a user wrote is inert on a terminal (issue 17 part 2): hostile strings (escape and
OSC sequences, C0 and C1 controls, bidi overrides, line separators, Rich markup and emoji codes)
in every text field of a case, in its plan and in file names and arguments, through every
command and format, with standard output a pipe and a terminal. No raw control character may
reach any output, and every run ends 0 or 2 (never an internal error).

The commands run in this process (`achilles.cli.run`, what the `achilles` script runs), so the
property covers many cases in seconds; one test runs the real entry point in a subprocess."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from achilles.cli import output, run

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "cases" / "contract-example.yaml"

# What must never reach a terminal: C0 controls but tab and newline, DEL, C1 controls, bidi
# embeddings, overrides, isolates and marks, and line and paragraph separators.
RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)

PIECES = [
    "\x1b]0;pwned\x07",  # OSC: set the window title
    "\x1b]8;;https://evil.example/x\x1b\\Click\x1b]8;;\x1b\\",  # OSC 8 hyperlink
    "\x1b[2J\x1b[H",  # clear the screen
    "\x1b[31mred\x1b[0m",
    "\x1bP+q\x1b\\",  # DCS
    "\x9b31m",  # C1 CSI
    "\x85",  # NEL
    "\x90",
    "\x07",
    "\x08\x08",
    "\r",
    "\x7f",
    "\x0b\x0c",
    "\u202e",  # right-to-left override
    "\u2066\u2069",
    "\u200f",
    "\u2028",
    "\u2029",
    "\t",
    "\n",
    "[/]",
    "[bold red blink]ALERT[/]",
    "[link=https://evil.example/x]Click here[/link]",
    "[@click=app.quit]",
    ":smile:",
    "**",
    "=1+1",
    "<script>",
]

hostile = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(alphabet="Zq ", min_size=1, max_size=3)),
    min_size=1,
    max_size=5,
).map(lambda parts: "Z" + "".join(parts))  # never empty, so a required field stays present


@st.composite
def hostile_cases(draw) -> dict:
    doc = yaml.safe_load(EXAMPLE.read_text())
    doc["case"]["title"] = draw(hostile)
    doc["case"]["lro"]["name"] = draw(hostile)
    doc["case"]["lro"]["agency"] = draw(hostile)
    doc["ocg"]["name"] = draw(hostile)
    doc["ocg"]["notes"] = draw(hostile)
    for person in doc["people"]:
        person["name"] = draw(hostile)
        person["notes"] = draw(hostile)
    for premises in doc["premises"]:
        premises["label"] = draw(hostile)
    for business in doc.get("businesses", []):
        business["name"] = draw(hostile)
    for activity in doc["activities"]:
        activity["notes"] = draw(hostile)
    reason = draw(hostile)
    doc["plan"] = {
        "actions": [{"key": "closure_notice@p1", "owner": draw(hostile)}],
        "decisions": [
            {
                "key": "civil_injunction@n2",
                "decision": "rejected",
                "reason": reason,
                "date": "2015-06-02",
                "by": draw(hostile),
            }
        ],
    }
    return doc


def call(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = run(list(args))
    return status, out.getvalue() + err.getvalue()


def check(args: list[str], allowed=(0, 2)) -> str:
    status, text = call(*args)
    where = " ".join(a.encode("unicode_escape").decode() for a in args)
    leaked = RAW.search(text)
    assert not leaked, (
        f"`achilles {where}` printed {leaked.group()!r}: {text[max(0, leaked.start() - 60) : leaked.end() + 20]!r}"
    )
    assert status in allowed, f"`achilles {where}` exit {status}: {text[-400:]}"
    assert "internal error" not in text, text
    return text


def file_commands(case: str, db: str, tmp: str, terminal: bool) -> list[list[str]]:
    """Every command a case reaches. On a terminal only what prints differently there (tables
    and messages); documents are the same bytes whatever standard output is."""
    ws = ["--workspace", db]
    shown = [
        ["case", "validate", case],
        ["case", "show", case],
        ["recommend", case],
        ["decisions", case],
        ["actions", case],
        ["review", case, "--on", "2015-07-01"],
        ["case", "import", case, *ws],
        ["cases", "list", *ws],
        ["case", "history", "beds-transformation", *ws],
        ["decisions", "beds-transformation", *ws],
    ]
    if terminal:
        return shown
    return [
        *shown,
        *(["recommend", case, "--format", f] for f in ("tsv", "json", "markdown")),
        *(["plan", case, "--format", f] for f in ("markdown", "text", "html", "csv", "json")),
        ["plan", case, "--format", "docx", "--out", f"{tmp}/p.docx", "--force"],
        ["actions", case, "--format", "json"],
        ["review", case, "--format", "json", "--on", "2015-07-01"],
        *(["batch", case, "--serial", "--format", f] for f in ("markdown", "json")),
        ["batch", case, "--serial", "--format", "csv", "--table", "case_options"],
        ["cases", "list", "--format", "tsv", *ws],
        ["case", "export", "beds-transformation", *ws],
        ["recommend", "beds-transformation", "--format", "json", *ws],
    ]


@pytest.fixture(params=["piped", "terminal"])
def stdout_kind(request, monkeypatch):
    """Standard output a pipe, or a terminal (Rich's tables, no colour codes of its own)."""
    if request.param == "terminal":
        monkeypatch.setenv("TTY_COMPATIBLE", "1")
        monkeypatch.setattr(output.out, "_color_system", None)
        monkeypatch.setattr(output.err, "_color_system", None)
    monkeypatch.setenv("COLUMNS", "100")
    return request.param


def every_piece() -> dict:
    """The review's worst case, always tried: every hostile piece in every text field."""
    doc = yaml.safe_load(EXAMPLE.read_text())
    everything = "Z" + "".join(PIECES)
    doc["case"]["title"] = doc["ocg"]["name"] = doc["case"]["lro"]["name"] = everything
    for kind, field in (("people", "name"), ("premises", "label"), ("businesses", "name")):
        for entry in doc.get(kind, []):
            entry[field] = everything
    return doc


@settings(
    max_examples=2,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(doc=every_piece())
@given(doc=hostile_cases())
def test_hostile_case_text_is_inert_in_every_command_and_format(doc, stdout_kind):
    with tempfile.TemporaryDirectory() as tmp:
        case = Path(tmp) / "op.yaml"
        case.write_text(json.dumps(doc, default=str))  # JSON is YAML; escapes carry every character
        for args in file_commands(str(case), f"{tmp}/ws.db", tmp, stdout_kind == "terminal"):
            check(args)


@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=hostile)
def test_hostile_file_names_and_arguments_are_inert(name, stdout_kind):
    with tempfile.TemporaryDirectory() as tmp:
        safe_name = name.replace("/", "_").replace("\x00", "_")
        named = Path(tmp) / f"{safe_name}.yaml"
        try:
            named.write_text(EXAMPLE.read_text())
        except (OSError, ValueError):  # a name the file system refuses
            named = Path(tmp) / "plain.yaml"
            named.write_text(EXAMPLE.read_text())
        missing = str(Path(tmp) / f"{safe_name}-missing.yaml")
        broken = Path(tmp) / "broken.yaml"
        broken.write_text(
            EXAMPLE.read_text().replace("role: principal", f"role: {json.dumps(name)}")
        )
        for args in (
            ["case", "validate", str(named), missing, str(broken)],
            ["recommend", missing],
            ["recommend", str(broken)],
            ["batch", str(named), missing, str(broken), "--serial"],
            ["powers", "show", name],
            ["rules", "explain", name],
            ["recommend", str(named), "--format", name],
            ["recommend", str(named), "--as-of", name],
            ["plan", str(named), "--select", name],
            ["actions", "add", str(named), name, "--owner", name],
            [name],
        ):
            check(args)
        check(["case", "show", str(named)])


def test_markup_in_a_title_is_printed_as_text(tmp_path, monkeypatch):
    """The review's F-4: `Op [/]` crashed `recommend`; `[link=...]` made a clickable link."""
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    title = "Op [/] [bold red blink]ALERT[/] [link=https://evil.example/x]Click here[/link] :smile:"
    doc = yaml.safe_load(EXAMPLE.read_text())
    doc["case"]["title"] = title
    case = tmp_path / "op.yaml"
    case.write_text(json.dumps(doc, default=str))
    for args in (["recommend", str(case)], ["case", "show", str(case)]):
        status, text = call(*args)
        assert status == 0, text
        assert title in text, text[:300]
        assert "\x1b]8" not in text and "\x1b[5m" not in text and "😄" not in text


def test_escape_sequences_never_reach_a_real_pipe(tmp_path):
    """The real entry point: the review's `recommend h04-osc-title-name.yaml | cat -v`."""
    doc = yaml.safe_load(EXAMPLE.read_text())
    doc["people"][0]["name"] = "\x1b]0;pwned\x07Titlezed\x1b[2J\u202e"
    case = tmp_path / "h04.yaml"
    case.write_text(json.dumps(doc, default=str))
    for args in (["recommend", str(case)], ["case", "show", str(case)]):
        r = subprocess.run(
            [sys.executable, "-m", "achilles", *args],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "TTY_COMPATIBLE": "0"},
        )
        assert r.returncode == 0, r.stderr
        assert not RAW.search(r.stdout + r.stderr)
        if args[0] == "case":
            assert "pwnedTitlezed" not in r.stdout and "Titlezed" in r.stdout
