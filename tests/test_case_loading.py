"""The case loader against a corpus of broken files.

Every fault a user can make in a case file must come back as an InputError whose problems say
where (file and line) and how to fix it; no other exception may ever escape. The corpus lives in
tests/data/bad_cases/ with its expectations in expected.yaml; files that must load live in
tests/data/good_cases/. Where the loader falls short of what a user deserves, expected.yaml says
what the message should be and the test is a strict xfail with the reason.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml

from achilles.errors import InputError
from achilles.loading.yaml_reader import MAX_FILE_BYTES
from achilles.model.case import Case
from achilles.model.case_file import load_case
from tests.samples import DATA, ROOT

BAD = DATA / "bad_cases"
GOOD = DATA / "good_cases"
EXPECTED: dict[str, dict] = yaml.safe_load((BAD / "expected.yaml").read_text(encoding="utf-8"))
SHIPPED = sorted((ROOT / "examples" / "cases").glob("*.yaml"))
SCENARIOS = sorted((ROOT / "tests" / "scenarios" / "cases").glob("*.yaml"))
GOOD_FILES = sorted(p for p in GOOD.iterdir() if p.is_file())


def _bad_params():
    out = []
    for name, spec in sorted(EXPECTED.items()):
        marks = []
        if spec.get("xfail"):
            # Only the named failure counts as expected (by default a falling-short message, an
            # AssertionError); any other exception escaping the loader still fails the run.
            raises = {"AssertionError": AssertionError, "TypeError": TypeError}[
                spec.get("xfail_raises", "AssertionError")
            ]
            marks.append(pytest.mark.xfail(strict=True, raises=raises, reason=spec["xfail"]))
        out.append(pytest.param(name, spec, id=name, marks=marks))
    return out


def refused(path: Path) -> InputError:
    """Load a file that must be refused; any exception but InputError propagates."""
    try:
        load_case(path)
    except InputError as exc:
        return exc
    raise AssertionError(f"{path.name} loaded, but it is broken")


def report(exc: InputError) -> str:
    return "\n".join(p.render() for p in exc.problems)


def said(problem) -> str:
    """A problem as rendered, without the leading file name (which must not match fragments)."""
    return problem.render().removeprefix(problem.file)


def find(exc: InputError, line: int | None, fragments: list[str]) -> bool:
    """One problem at `line` whose rendered text holds every fragment."""
    return any(p.line == line and all(f in said(p) for f in fragments) for p in exc.problems)


# --- the corpus ----------------------------------------------------------------------------------


def test_corpus_files_and_expectations_match():
    files = {p.name for p in BAD.iterdir() if p.name != "expected.yaml"}
    assert files == set(EXPECTED), (sorted(files - set(EXPECTED)), sorted(set(EXPECTED) - files))
    assert len(EXPECTED) >= 40
    for name, spec in EXPECTED.items():
        assert spec["contains"], name
        assert spec["line"] is None or isinstance(spec["line"], int), name


@pytest.mark.parametrize(("name", "spec"), _bad_params())
def test_bad_case_is_refused_with_a_useful_message(name, spec):
    path = BAD / name
    exc = refused(path)
    assert exc.problems, "an InputError must carry the problems it found"
    text = report(exc)
    assert str(path) in exc.message, "the summary names the file"
    for problem in exc.problems:
        assert problem.render().startswith(str(path)), "every problem names the file"
    wanted = [{"line": spec["line"], "contains": spec["contains"]}, *(spec.get("also") or [])]
    for item in wanted:
        assert find(exc, item["line"], item["contains"]), (
            f"{name}: no problem at line {item['line']} containing {item['contains']}; got:\n{text}"
        )
    for fragment in spec.get("excludes") or []:
        assert not any(fragment in said(p) for p in exc.problems), (
            f"{name}: {fragment!r} should not be said; got:\n{text}"
        )


def test_five_mistakes_are_all_reported_at_once():
    exc = refused(BAD / "five_mistakes.yaml")
    errors = [p for p in exc.problems if p.level == "error"]
    assert len({p.path for p in errors}) >= 5, report(exc)


def test_billion_laughs_is_refused_quickly():
    start = time.perf_counter()
    exc = refused(BAD / "billion_laughs.yaml")
    elapsed = time.perf_counter() - start
    assert "expands to more than" in report(exc)
    assert elapsed < 2.0, f"took {elapsed:.2f}s to refuse the alias bomb"


def test_python_tags_run_nothing():
    marker = Path("/tmp/achilles-pwned")
    marker.unlink(missing_ok=True)
    refused(BAD / "python_object_tag.yaml")
    refused(BAD / "python_object_top_level.yaml")
    assert not marker.exists()


# --- files that must load -------------------------------------------------------------------


@pytest.mark.parametrize("path", GOOD_FILES, ids=[p.name for p in GOOD_FILES])
def test_good_file_loads(path):
    assert isinstance(load_case(path), Case)


REFERENCE = "json_case.json"
SAME_AS_REFERENCE = [
    "utf8_bom.yaml",
    "utf16le_bom.yaml",
    "utf16be_bom.yaml",
    "crlf_line_endings.yaml",
    "json_case_one_line.yaml",
]


@pytest.mark.parametrize("name", SAME_AS_REFERENCE)
def test_encodings_and_json_give_the_same_case(name):
    """A BOM, UTF-16, CRLF or JSON changes how the file is stored, never what it says."""
    assert load_case(GOOD / name) == load_case(GOOD / REFERENCE)


def test_json_reference_is_json():
    """The JSON twin of the contract example is real JSON (no YAML-only syntax), with both
    required sections, so the JSON path is tested on a JSON file."""
    data = json.loads((GOOD / REFERENCE).read_text(encoding="utf-8"))
    assert {"case", "ocg"} <= set(data) and data["people"]


def test_yaml_words_stay_text():
    case = load_case(GOOD / "yaml_words_as_values.yaml")
    assert case.case.title == "yes" and case.people[0].name == "No"


@pytest.mark.parametrize(
    "path", SHIPPED + SCENARIOS, ids=[p.relative_to(ROOT).as_posix() for p in SHIPPED + SCENARIOS]
)
def test_shipped_and_scenario_cases_load_without_warnings(path):
    from achilles.loading.yaml_reader import load_yaml
    from achilles.model.case_file import check_document

    case, problems = check_document(load_yaml(path))
    assert case is not None and not problems.items, [p.render() for p in problems.items]


# --- files the loader cannot read -------------------------------------------------------------


def test_oversized_file_is_refused_before_parsing(tmp_path):
    base = (GOOD / REFERENCE).read_text(encoding="utf-8")
    path = tmp_path / "huge.yaml"
    padding = "# " + "x" * 1022 + "\n"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(base)
        fh.write(padding * (9 * 1024))  # 9 MB of comments
    assert path.stat().st_size > 9 * 1024 * 1024 > MAX_FILE_BYTES
    start = time.perf_counter()
    exc = refused(path)
    assert time.perf_counter() - start < 2.0
    assert find(exc, None, ["byte limit", "split the file"]), report(exc)


def test_directory_is_refused(tmp_path):
    exc = refused(tmp_path)
    assert find(exc, None, ["is a folder"]), report(exc)


def test_missing_file_is_refused(tmp_path):
    exc = refused(tmp_path / "no-such-case.yaml")
    assert find(exc, None, ["no such case file"]), report(exc)


def test_unreadable_file_is_refused(tmp_path):
    path = tmp_path / "locked.yaml"
    path.write_text((GOOD / REFERENCE).read_text(encoding="utf-8"), encoding="utf-8")
    path.chmod(0)
    try:
        try:
            with path.open("rb"):
                pytest.skip("running with privileges that read a mode-000 file (e.g. root)")
        except PermissionError:
            pass
        exc = refused(path)
        assert find(exc, None, ["permission denied"]), report(exc)
    finally:
        path.chmod(0o600)


def _load_in_child(target: str, timeout: float) -> str:
    """Load `target` in a child process capped at 1 GB of memory; return what it printed."""
    code = textwrap.dedent(
        f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        from achilles.errors import InputError
        from achilles.model.case_file import load_case
        try:
            load_case({target!r})
        except InputError as exc:
            print("InputError:", exc.message)
        except BaseException as exc:
            print("ESCAPED:", type(exc).__name__)
        else:
            print("LOADED")
        """
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, cwd=ROOT
        )
    except subprocess.TimeoutExpired:
        return "TIMEOUT"
    return done.stdout.strip() or done.stderr.strip()[-300:]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_endless_device_is_refused():
    out = _load_in_child("/dev/zero", timeout=60)
    assert out.startswith("InputError:"), out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_is_refused(tmp_path):
    fifo = tmp_path / "case.yaml"
    os.mkfifo(fifo)
    out = _load_in_child(str(fifo), timeout=10)
    assert out.startswith("InputError:"), out
