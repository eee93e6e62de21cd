"""A case file's cost is bounded: what it holds, what its aliases repeat, the work it causes.

The outside reliability review's files are kept here as they were found (findings F-6, F-7,
F-17, F-29): files far under the size limit that took 17 to 40 s or wrote 75 MB, a JSON file
whose second `people` list silently replaced the first, and a file `case validate` accepted but
`case import` refused. Each is now refused at once, naming file, line and field with a fix, or
read the same way everywhere.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from achilles.errors import InputError
from achilles.loading import budget
from achilles.loading.yaml_reader import MAX_ALIAS_CHARS, MAX_DEPTH, MAX_VALUES, parse_yaml
from achilles.model.case_file import load_case, parse_case

HEAD = (
    "case: {id: c, title: T, as_of: 2024-06-01, jurisdiction: england, "
    "lro: {name: L, agency: A}}\nocg: {name: G}\n"
)


def refused(path: Path) -> tuple[InputError, float]:
    started = time.monotonic()
    with pytest.raises(InputError) as caught:
        load_case(path)
    return caught.value, time.monotonic() - started


def only(exc: InputError):
    errors = [p for p in exc.problems if p.level == "error"]
    assert len(errors) == 1, [p.render() for p in errors]
    return errors[0]


# --- the review's files -----------------------------------------------------------------------


def test_75000_short_people_are_refused_at_once_and_without_blaming_aliases(tmp_path):
    """b10: 75,000 people, 8 MB; it took 16.8 s to refuse, blaming aliases it did not have."""
    path = tmp_path / "b10.yaml"
    rows = "".join(
        f"  - {{id: m{i}, role: member, flags: [], benefits: []}}\n" for i in range(75_000)
    )
    path.write_text(HEAD + "people:\n" + rows)
    exc, took = refused(path)
    problem = only(exc)
    assert f"holds more than {MAX_VALUES:,} values" in problem.message
    assert "alias" not in problem.message
    assert problem.path.startswith("people[") and problem.line and problem.line > 3
    assert "split it into several files" in (problem.hint or "")
    assert took < 10


def test_20000_people_are_past_the_values_or_people_budget(tmp_path):
    """b11: 20,000 people, 1.5 MB; recommend took 28.5 s and 596 MB."""
    path = tmp_path / "b11.yaml"
    rows = "".join(
        f"  - {{id: m{i}, name: Person {i}, role: member, age: {20 + i % 60}}}\n"
        for i in range(20_000)
    )
    path.write_text(HEAD + "people:\n" + rows)
    exc, took = refused(path)
    assert only(exc).path.startswith("people")
    assert took < 10


def test_5000_identical_activities_are_refused_at_the_first_past_the_budget(tmp_path):
    """b12: 5,000 identical activities, 0.3 MB; recommend took 30.8 s."""
    path = tmp_path / "b12.yaml"
    path.write_text(
        HEAD
        + "people:\n  - {id: n1, role: principal}\n"
        + "premises:\n  - {id: p1, label: X, use: flat, tenure: council_tenancy}\n"
        + "activities:\n"
        + "  - {kind: drug_supply, at: [p1], by: [n1], status: evidenced}\n" * 5_000
    )
    exc, took = refused(path)
    problem = only(exc)
    most = budget.MAX_ENTRIES["activities"]
    assert problem.path == f"activities[{most}]"
    assert problem.line == 8 + most  # the line of that entry
    assert f"more than {most:,} activities in one case file" in problem.message
    assert "split the group" in (problem.hint or "")
    assert took < 10


def test_one_long_note_aliased_by_thousands_is_refused_at_once(tmp_path):
    """b03: one 19,990-character note aliased by 20,000 people: 38.7 s and 75 MB of output."""
    path = tmp_path / "b03.yaml"
    note = "x" * 19_990
    rows = f"  - {{id: m0, role: member, notes: &n '{note}'}}\n" + "".join(
        f"  - {{id: m{i}, role: member, notes: *n}}\n" for i in range(1, 20_000)
    )
    path.write_text(HEAD + "people:\n" + rows)
    exc, took = refused(path)
    problem = only(exc)
    assert f"repeats more than {MAX_ALIAS_CHARS:,} characters" in problem.message
    assert problem.path.endswith(".notes") and problem.line is not None
    assert took < 5


def test_a_json_file_with_a_c1_character_keeps_both_duplicates_in_view(tmp_path):
    """F-7: YAML refuses the raw U+0090, the JSON fallback used to keep the last `people`."""
    path = tmp_path / "dup2.json"
    path.write_text(
        '{"case":{"id":"dup-json","title":"T\u0090x","as_of":"2024-06-01",'
        '"jurisdiction":"england","lro":{"name":"L","agency":"A"}},\n'
        ' "ocg":{"name":"X"},\n'
        ' "people":[{"id":"n1","name":"First","role":"principal","name":"Second"}],\n'
        ' "people":[{"id":"n9","role":"member"}]}\n',
        encoding="utf-8",
    )
    exc, _ = refused(path)
    said = {(p.line, p.path, p.message.split(" (")[0]) for p in exc.problems}
    assert said == {
        (3, "people[0].name", "duplicate key 'name'"),
        (4, "people", "duplicate key 'people'"),
    }


def test_json_problems_have_lines(tmp_path):
    """e30 to e32: the JSON fallback reported problems without a line."""
    path = tmp_path / "e30.json"
    case = {
        "case": {
            "id": "c",
            "title": "T\u0090",
            "as_of": "2024-06-01",
            "jurisdiction": "england",
            "lro": {"name": "L", "agency": "A"},
        },
        "ocg": {"name": "G"},
        "people": [{"id": "n1", "role": "principal"}, {"id": "n2", "role": "chieftain"}],
    }
    text = json.dumps(case, indent=1, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    exc, _ = refused(path)
    problem = only(exc)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "chieftain" in row)
    assert (problem.path, problem.line) == ("people[1].role", line)


def test_json_is_held_to_the_same_budgets(tmp_path):
    deep = "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5)
    with pytest.raises(InputError, match="nested deeper than"):
        parse_yaml('{"a": "\u0090", "b": ' + deep + "}", "deep.json")
    many = json.dumps({"a": "\u0090", "b": list(range(MAX_VALUES + 10))})
    with pytest.raises(InputError) as caught:
        parse_yaml(many, "many.json")
    assert caught.value.problems[0].path.startswith("b[")


def test_invalid_json_still_gets_the_yaml_error():
    with pytest.raises(InputError, match="control character"):
        parse_yaml('{"a": "\u0090",\n "b": [1, 2\n', "broken.json")
    with pytest.raises(InputError, match="YAML syntax error"):
        parse_yaml('{"a": 1,\n "b": [1, 2\n', "broken.json")


def test_a_file_with_two_byte_order_marks_reads_the_same_in_validate_and_import(tmp_path):
    """F-17: `case validate` accepted it and `case import` refused it."""
    from achilles.store import Workspace

    good = Path(__file__).parent / "data" / "good_cases" / "json_case.json"
    path = tmp_path / "two-boms.yaml"
    path.write_bytes(b"\xef\xbb\xbf\xef\xbb\xbf" + good.read_bytes())
    validated = load_case(path)
    with Workspace.open(tmp_path / "ws.db") as ws:
        case_id, version = ws.import_case(
            "\ufeff" + path.read_text(encoding="utf-8-sig"), str(path), "test"
        )
        assert parse_case(ws.get(case_id, version)) == validated


# --- the case budget --------------------------------------------------------------------------


def test_every_section_has_a_budget_and_the_refusal_names_the_entry(tmp_path):
    most = budget.MAX_ENTRIES["people"]
    rows = "".join(f"  - {{id: m{i}, role: member}}\n" for i in range(most + 1))
    with pytest.raises(InputError) as caught:
        parse_case(HEAD + "people:\n" + rows, "big.yaml")
    problem = only(caught.value)
    assert (problem.path, problem.line) == (f"people[{most}]", 4 + most)


def test_links_between_entries_have_a_budget(tmp_path):
    people = "".join(f"  - {{id: m{i}, role: member}}\n" for i in range(100))
    by = ", ".join(f"m{i}" for i in range(100))
    acts = f"  - {{kind: drug_supply, by: [{by}], status: evidenced}}\n" * 101
    with pytest.raises(InputError) as caught:
        parse_case(HEAD + "people:\n" + people + "activities:\n" + acts, "links.yaml")
    problem = only(caught.value)
    assert problem.path == "activities[100].by"
    assert f"more than {budget.MAX_LINKS:,} times" in problem.message


def _recommend(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "achilles", "recommend", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_largest_cases_inside_every_budget_are_answered_without_a_hang(tmp_path):
    """Each section at its budget: answered, or refused by the match budget, never a hang (a
    speed figure belongs in benchmarks/LIMITS.md; this bounds time only to prove no hang)."""
    people = "".join(
        f"  - {{id: m{i}, role: member, age: {20 + i % 60}}}\n"
        for i in range(budget.MAX_ENTRIES["people"])
    )
    activities = (
        "  - {kind: drug_supply, at: [p1], by: [m1], status: evidenced}\n"
        * (budget.MAX_ENTRIES["activities"])
    )
    flat = "premises:\n  - {id: p1, label: X, use: flat, tenure: council_tenancy}\n"
    shapes = {
        "people.yaml": (HEAD + "people:\n" + people, {0}),
        "activities.yaml": (
            HEAD + "people:\n  - {id: m1, role: principal}\n" + flat + "activities:\n" + activities,
            {0},
        ),
        "both.yaml": (HEAD + "people:\n" + people + flat + "activities:\n" + activities, {0, 2}),
    }
    for name, (text, allowed) in shapes.items():
        path = tmp_path / name
        path.write_text(text)
        started = time.monotonic()
        r = _recommend(path)
        assert r.returncode in allowed, (name, r.stderr[-500:])
        assert "Traceback" not in r.stderr
        assert time.monotonic() - started < 60, name


def test_a_refusal_through_the_cli_is_exit_2_with_file_line_and_field(tmp_path):
    path = tmp_path / "b12.yaml"
    path.write_text(HEAD + "activities:\n" + "  - {kind: drug_supply, status: evidenced}\n" * 2_500)
    r = subprocess.run(
        [sys.executable, "-m", "achilles", "case", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2
    assert f"{path}:{4 + 2_000}: activities[2000]: more than 2,000 activities" in r.stderr
    assert "Traceback" not in r.stderr
