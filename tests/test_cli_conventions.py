"""Command-line conventions (issue 18 part 2), through the real command tree in this process
(`achilles.cli.run`, what the `achilles` script runs) and, for shell completion and piping, the
real entry point in a subprocess: `-h` everywhere, placeholders that read as words, examples in
every command's help, one error style, labelled warnings, whole lines and one record per line
when standard output is not a terminal, the blank `case new` template."""

from __future__ import annotations

import contextlib
import io
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from achilles.cli import command, run

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "cases" / "contract-example.yaml"


def call(*args: str) -> tuple[int, str, str]:
    """One command line in this process: exit status, standard output, standard error."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = run(list(args))
    return status, out.getvalue(), err.getvalue()


def command_paths(cmd=None, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    cmd = cmd or command()
    paths = [prefix]
    for name, sub in sorted(getattr(cmd, "commands", {}).items()):
        paths += command_paths(sub, (*prefix, name))
    return paths


PATHS = command_paths()


def _is_group(path: tuple[str, ...]) -> bool:
    cmd = command()
    for name in path:
        cmd = cmd.commands[name]
    return hasattr(cmd, "commands")


def test_the_tree_is_what_the_readme_lists():
    names = {" ".join(p) for p in PATHS if p}
    for expected in (
        "recommend",
        "plan",
        "case validate",
        "case new",
        "case show",
        "powers list",
        "rules check",
        "batch",
        "decisions",
        "actions add",
        "review",
        "cases list",
    ):
        assert expected in names


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "achilles")
def test_minus_h_on_every_command_with_words_for_placeholders_and_examples(path):
    status, out, err = call(*path, "-h")
    assert status == 0, err
    assert out.startswith(f"Usage: achilles {' '.join(path)}".rstrip()), out[:200]
    assert "-h, --help" in out
    assert call(*path, "--help")[1] == out
    # placeholders read as words: no Python or click type names
    for leak in (
        "<str>",
        "<int",
        "<path>",
        "<float",
        "list[",
        "TEXT",
        "INTEGER",
        "FLOAT",
        "{CASE}",
    ):
        assert leak not in out, f"{leak} in `achilles {' '.join(path)} -h`"
    if not _is_group(path):
        assert "Examples:" in out, f"`achilles {' '.join(path)} -h` shows no example"
        assert re.search(r"^\s+achilles \S+", out.split("Examples:")[1], re.M)


def test_format_placeholders_list_their_choices():
    for path, choices in (
        (("plan",), "{markdown,text,html,csv,docx,json}"),
        (("recommend",), "{table,tsv,json,markdown}"),
        (("powers", "list"), "{table,tsv,json,markdown}"),
        (("batch",), "{markdown,csv,json,html}"),
    ):
        assert f"--format {choices}" in call(*path, "-h")[1]
    rules_help = call("rules", "check", "-h")[1]
    assert "--rules DIR" in rules_help and "ACHILLES_RULES" in rules_help


def test_shell_completion_is_offered_and_completes_commands():
    status, out, _ = call("-h")
    assert "--install-completion" in out and "--show-completion" in out
    env = {**os.environ, "_ACHILLES_COMPLETE": "complete_bash", "COMP_WORDS": "achilles reco"}
    env["COMP_CWORD"] = "1"
    r = subprocess.run(
        [sys.executable, "-c", "from achilles.cli import main; main()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert "recommend" in r.stdout.split()


# --- one error style ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("recomend", "x.yaml"), "error: no such command 'recomend'"),
        (("recommend", str(EXAMPLE), "--nope"), "error: no such option: --nope"),
        (("recommend",), "error: missing argument 'CASE'"),
        (("recommend", str(EXAMPLE), "--top", "0"), "error: invalid value for '--top'"),
        (("recommend", "/nonexistent/op.yaml"), "error: /nonexistent/op.yaml: no such case file"),
        (("case", "validate", "/nonexistent/op.yaml"), "error: /nonexistent/op.yaml: no such"),
        (("recommend", str(EXAMPLE), "--format", "xml"), "error: --format 'xml' is not one of"),
        (("recommend", str(EXAMPLE), "--as-of", "soon"), "error: --as-of 'soon' is not a date"),
        (("powers", "show", "closure_notise"), "error: no power 'closure_notise'"),
    ],
)
def test_every_failure_is_error_then_hint_exit_2(args, message):
    status, out, err = call(*args)
    assert status == 2, (out, err)
    lines = err.splitlines()
    assert lines[0].startswith(message), err
    assert lines[1].startswith("hint: "), err
    assert "Traceback" not in err and "Usage:" not in err and "Error:" not in err


def test_usage_errors_suggest_the_fix():
    _, _, err = call("recomend", "x.yaml")
    assert "hint: did you mean 'recommend'? see `achilles -h`" in err
    _, _, err = call("recommend", str(EXAMPLE), "--redcat")
    assert re.search(r"hint: did you mean .*--redact\b.*\? see `achilles recommend -h`", err), err


def test_a_file_with_errors_and_warnings_labels_each(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        EXAMPLE.read_text()
        .replace("role: principal", "role: principle")
        .replace("use: pub", "use: pubb")
    )
    status, out, err = call("case", "validate", str(bad))
    assert status == 2
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 2 and all(f"{bad}:" in e for e in errors), err
    assert "hint: did you mean 'principal'" in err
    assert "2 errors found" in err
    for line in err.splitlines():
        assert line.startswith(("error: ", "hint: ", "warning: ", "2 errors", "1 of 1 file")), line


def test_warnings_are_labelled_and_shown_for_valid_files_too():
    status, out, err = call("case", "validate", str(EXAMPLE))
    assert status == 0
    assert out.splitlines() == [out.splitlines()[0]] and ": valid (case" in out
    warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert warnings, "the example's presumed-cuckooed tenant is a warning"
    assert any("presumed cuckooed" in w or "cuckoo" in w for w in warnings), err


# --- piped output ---------------------------------------------------------------------------


def achilles(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The real entry point with standard output a pipe."""
    return subprocess.run(
        [sys.executable, "-m", "achilles", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "80"},
        timeout=120,
    )


def test_powers_list_piped_is_one_power_per_line():
    from achilles.catalogue import load_catalogue

    r = achilles("powers", "list")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == len(load_catalogue())
    assert all(len(line.split("\t")) == 7 for line in lines)
    assert "\x1b" not in r.stdout and "…" not in r.stdout  # nothing cut to fit 80 columns
    tsv = achilles("powers", "list", "--format", "tsv").stdout.splitlines()
    assert tsv[0].split("\t") == ["id", "power", "legislation", "4P", "area", "lead", "confirmed"]
    assert tsv[1:] == lines


def test_validate_piped_gives_whole_lines_for_grep(tmp_path):
    # a long path: more than 80 columns, so a hard wrap would split the line
    deep = tmp_path / ("a-folder-with-a-long-name-" * 3) / "beds-transformation-case.yaml"
    deep.parent.mkdir(parents=True)
    deep.write_text(EXAMPLE.read_text())
    other = tmp_path / "second.yaml"
    other.write_text(EXAMPLE.read_text())
    r = achilles("case", "validate", str(deep), str(other))
    assert r.returncode == 0, r.stderr
    valid = [line for line in r.stdout.splitlines() if ": valid" in line]
    assert len(valid) == 2
    assert valid[0].startswith(str(deep)) and valid[0].endswith(")"), valid[0]
    assert len(valid[0]) > 80
    for line in r.stderr.splitlines():  # warnings are whole lines too
        assert line.startswith(("warning: ", "hint: ")), line


def test_recommend_piped_is_one_option_per_line_and_tsv_has_a_header():
    r = achilles("recommend", str(EXAMPLE), "--top", "5")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == lines[-1] == "OFFICIAL-SENSITIVE"
    records = [line for line in lines if re.match(r"^\d+\t", line)]
    assert [int(line.split("\t")[0]) for line in records] == [1, 2, 3, 4, 5]
    assert all(len(line.split("\t")) == 7 for line in records)
    assert "…" not in r.stdout
    tsv = achilles("recommend", str(EXAMPLE), "--top", "2", "--format", "tsv").stdout.splitlines()
    assert tsv[0] == tsv[-1] == "# OFFICIAL-SENSITIVE"
    assert tsv[1].split("\t") == ["rank", "power", "target", "4P", "lead agency", "score", "why"]
    assert len(tsv) == 5


def test_case_show_piped_starts_each_entry_with_its_kind():
    r = achilles("case", "show", str(EXAMPLE))
    assert r.returncode == 0, r.stderr
    doc = yaml.safe_load(EXAMPLE.read_text())
    people = [line for line in r.stdout.splitlines() if line.startswith("people\t")]
    assert len(people) == len(doc["people"])
    assert {line.split("\t")[1] for line in people} == {p["id"] for p in doc["people"]}


def test_decisions_piped_are_whole_lines(tmp_path):
    case = tmp_path / "op.yaml"
    case.write_text(EXAMPLE.read_text())
    reason = "Deferred until the test purchase has been made by the licensing team, " * 2
    r = achilles("actions", "defer", str(case), "civil_injunction@n2", "--reason", reason.strip())
    assert r.returncode == 0, r.stderr
    r = achilles("decisions", str(case))
    assert r.returncode == 0, r.stderr
    deferred = [line for line in r.stdout.splitlines() if "civil_injunction@n2" in line]
    assert len(deferred) == 1 and deferred[0].endswith(reason.strip()), r.stdout


# --- the case new template ------------------------------------------------------------------


def test_case_new_is_a_blank_template_that_validates(tmp_path):
    target = tmp_path / "new.yaml"
    status, _, err = call("case", "new", "--out", str(target))
    assert status == 0, err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    doc = yaml.safe_load(target.read_text())
    for kind in ("people", "premises", "businesses", "vehicles", "activities"):
        assert doc[kind] == [], f"{kind}: the template names no example entries"
    status, out, err = call("case", "validate", str(target))
    assert status == 0, err
    assert ": valid (case new-case, 0 people" in out
    status, out, _ = call("case", "new")
    assert status == 0 and yaml.safe_load(out) == doc
    assert "docs/CASE-FORMAT.md" in out and (ROOT / "docs" / "CASE-FORMAT.md").is_file()


# --- the docs say --rules the same way ------------------------------------------------------


def test_rules_option_is_documented_the_same_way_everywhere():
    readme = (ROOT / "README.md").read_text()
    rules_readme = (ROOT / "rules" / "README.md").read_text()
    for text in (readme, rules_readme):
        assert "achilles --rules" not in text, "--rules follows the command, as in the help"
        assert "--rules DIR" in text
        assert "ACHILLES_RULES" in text
    assert "--rules DIR" in call("recommend", "-h")[1]


# --- a council switching off a shipped rule -------------------------------------------------


def test_switching_off_the_only_rule_for_a_power_is_a_warning_on_the_councils_line(tmp_path):
    layer = tmp_path / "anytown"
    layer.mkdir()
    (layer / "local.yaml").write_text(
        "theme: Anytown local rules\n"
        "disable:\n"
        "  - {id: veh-untaxed-clamp-remove, reason: Anytown does not clamp}\n"
        "rules: []\n"
    )
    status, out, err = call("rules", "check", "--rules", str(layer))
    assert status == 0, err
    warning = next(line for line in err.splitlines() if "[AR008]" in line)
    assert warning.startswith(f"warning: {layer / 'local.yaml'}:3: ")
    assert "manual only in this council" in warning and "untaxed_vehicle_enforcement" in warning
    assert "site-packages" not in err and "powers_catalogue" not in err
    assert not [line for line in err.splitlines() if line.startswith("error: ")]
