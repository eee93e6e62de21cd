"""The portfolio batch and the synthetic corpus: parallel equals serial, bad files are skipped,
every format is marked top and bottom and parses, the corpus is deterministic and valid."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from achilles.loading.paths import examples_dir
from achilles.model.case_file import load_case, parse_case
from achilles.model.vocabulary import load_vocabulary
from achilles.portfolio import (
    FORMATS,
    MARKING,
    TABLE_NAMES,
    CaseFailure,
    RunStats,
    Settings,
    case_files,
    id_stripper,
    render,
    report_data,
    run_portfolio,
)
from achilles.synth import count_facts, generate, group_text, write_corpus

TODAY = dt.date(2026, 1, 5)
HOSTILE = "evil |<script>x<\\script>*_`[a](b).yaml"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """40 synthetic groups, the shipped examples, a file with bad terms and a broken file."""
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder / "synthetic", 40, seed=11)
    shutil.copytree(examples_dir(), folder / "examples")
    example = (examples_dir() / "contract-example.yaml").read_text(encoding="utf-8")
    (folder / "bad-terms.yaml").write_text(example.replace("role: principal", "role: principle"))
    (folder / "notes").mkdir()
    (folder / "notes" / HOSTILE).write_text("case: [\n")
    (folder / ".hidden.yaml").write_text("not: a case\n")
    (folder / "README.txt").write_text("not a case file\n")
    return folder


def _run(paths, **kwargs):
    return report_data(
        run_portfolio(case_files(paths), Settings(top=3), generated_on=TODAY, **kwargs)
    )


def test_examples_parallel_equals_serial():
    serial = _run([examples_dir()], serial=True)
    stats = RunStats()
    parallel = _run([examples_dir()], workers=2, stats=stats)
    assert parallel == serial
    assert stats.worker_peaks, "evaluated in a worker process"
    assert serial["totals"]["analysed"] == len(case_files([examples_dir()])) >= 1
    assert all(c["top"] for c in serial["cases"]), "every shipped example has options"


def test_corpus_parallel_equals_serial_and_bad_files_are_skipped(corpus):
    stats = RunStats()
    parallel = _run([corpus], workers=2, stats=stats)
    serial = _run([corpus], serial=True)
    assert parallel == serial
    assert stats.workers == 2 and stats.peak_total > 0
    totals = serial["totals"]
    examples = len(case_files([examples_dir()]))
    assert totals == {**totals, "files": 40 + examples + 2, "analysed": 40 + examples, "skipped": 2}
    skipped = {Path(s["file"]).name: s for s in serial["skipped"]}
    assert set(skipped) == {"bad-terms.yaml", HOSTILE}
    assert "did you mean 'principal'" in skipped["bad-terms.yaml"]["problem"]
    assert skipped["bad-terms.yaml"]["problem"].startswith(str(corpus / "bad-terms.yaml") + ":")
    assert skipped[HOSTILE]["kind"] == "input"
    files = [c["file"] for c in serial["cases"]]
    assert files == sorted(files, key=lambda f: Path(f).parts)
    assert all(len(c["top"]) <= 3 for c in serial["cases"])
    for power in serial["powers"]:
        assert power["cases"] <= power["options"]
    assert sum(a["options"] for a in serial["agencies"]) == totals["options"]
    weak = [w["case"] for w in serial["weak_cases"]]
    assert weak == [
        c["case"]
        for c in sorted(
            (c for c in serial["cases"] if c["best_score"] is None or c["best_score"] < 60),
            key=lambda c: (
                -1 if c["best_score"] is None else c["best_score"],
                Path(c["file"]).parts,
            ),
        )
    ]
    assert serial["recurring_near_misses"], "the synthetic groups share intelligence gaps"
    for n in serial["recurring_near_misses"]:
        assert n["cases"] >= 2
        assert not re.search(r"\b[pnbva]\d+\b", n["missing"]), n["missing"]  # ids stripped


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.markings: list[str] = []
        self.scripts = 0
        self._in_marking = False

    def handle_starttag(self, tag, attrs):
        self.scripts += tag == "script"
        self._in_marking = any(k == "class" and "marking" in (v or "").split() for k, v in attrs)

    def handle_data(self, data):
        if self._in_marking:
            self.markings.append(data)
            self._in_marking = False


def test_every_format_is_marked_top_and_bottom_parses_and_escapes(corpus):
    report = run_portfolio(case_files([corpus]), Settings(top=2), serial=True, generated_on=TODAY)
    texts = {fmt: render(report, fmt) for fmt in FORMATS if fmt != "csv"}
    for fmt, text in texts.items():
        assert "Nominal" not in text and "Principal A" not in text, fmt  # names never shown
    for fmt in ("markdown", "html"):
        assert "<script>" not in texts[fmt], fmt
    lines = texts["markdown"].strip().splitlines()
    assert lines[0] == lines[-1] == f"**{MARKING}**"
    hostile_row = next(line for line in lines if "evil" in line)
    assert "\\|" in hostile_row and "\\*" in hostile_row  # the file name cannot break the table
    data = json.loads(texts["json"])
    assert data["marking"] == data["marking_footer"] == MARKING
    assert list(data)[0] == "marking" and list(data)[-1] == "marking_footer"
    for table in TABLE_NAMES:  # tidy: a header first, the marking in a column of every row
        rows = list(csv.reader(io.StringIO(render(report, "csv", table))))
        assert rows[0][0] == "marking" and all(r[0] == MARKING for r in rows[1:]), table
        assert all(len(r) == len(rows[0]) for r in rows), table
        assert "Nominal" not in str(rows) and "Principal A" not in str(rows), table
    parser = _Html()
    parser.feed(texts["html"])
    parser.close()
    assert parser.markings[0] == parser.markings[-1] == MARKING and len(parser.markings) == 2
    assert parser.scripts == 0
    assert texts["html"].rstrip().endswith("</html>")


def test_csv_cells_cannot_run_as_formulas(tmp_path):
    bad = tmp_path / "=cmd.yaml"
    bad.write_text("case: [\n")
    report = run_portfolio([str(bad)], Settings(), serial=True, generated_on=TODAY)
    rows = list(csv.reader(io.StringIO(render(report, "csv", "skipped"))))
    assert len(rows) == 2 and rows[1][1].endswith("=cmd.yaml")
    assert all(not cell.startswith("=") for cell in rows[1])


def test_ids_are_stripped_from_near_miss_wording():
    text = (examples_dir() / "contract-example.yaml").read_text(encoding="utf-8")
    strip = id_stripper(parse_case(text, "x.yaml"))
    assert (
        strip("establish that premises p4 has licences including premises licence")
        == "establish that [premises] has licences including premises licence"
    )
    assert (
        strip("establish occupancy where person is n1; premises is premises p10")
        == "establish occupancy where person is [person]; premises is premises p10"
    )
    assert strip("drug supply (act-1) by n2") == "drug supply by [person]"


def test_case_files_walks_folders_and_refuses_missing_paths(corpus, tmp_path):
    found = case_files([corpus, corpus / "bad-terms.yaml"])
    names = [Path(f).name for f in found]
    assert ".hidden.yaml" not in names and "README.txt" not in names
    assert names.count("bad-terms.yaml") == 1  # named twice, listed once
    from achilles.errors import AchillesError

    with pytest.raises(AchillesError, match="no such file"):
        case_files([tmp_path / "nowhere"])


def test_synth_is_deterministic_valid_and_private(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    write_corpus(a, 25, seed=5, size="mixed")
    write_corpus(b, 25, seed=5, size="mixed")
    write_corpus(c, 25, seed=6, size="mixed")
    files = sorted(a.iterdir())
    assert [f.name for f in files] == sorted(f.name for f in b.iterdir())
    assert all(f.read_bytes() == (b / f.name).read_bytes() for f in files)
    assert any(f.read_bytes() != (c / f.name).read_bytes() for f in files)
    vocab = load_vocabulary()
    for f in files:
        assert stat.S_IMODE(f.stat().st_mode) == 0o600
        case = load_case(f, vocab)
        assert not any(p.name and "Nominal" not in p.name for p in case.people)
    part = dict(generate(25, 5, "mixed", part=(10, 13)))
    assert [group_text(d) for d in part.values()] == [
        (a / n).read_text(encoding="utf-8") for n in part
    ]  # a part matches the whole run


def test_synth_sizes():
    typical = [count_facts(d) for _, d in generate(200, 1, "typical")]
    assert 35 <= sum(typical) / len(typical) <= 48 and min(typical) >= 10
    people = [len(d["people"]) for _, d in generate(200, 1, "typical")]
    assert 5.5 <= sum(people) / len(people) <= 8  # the national ratio, about 6.7 per group
    large = [count_facts(d) for _, d in generate(3, 1, "large")]
    assert all(850 <= n <= 1000 for n in large)
    mixed = [count_facts(d) for _, d in generate(300, 2, "mixed")]
    assert min(mixed) >= 10 and max(mixed) <= 1000
    data = next(iter(generate(1, 9, "large")))[1]
    case = parse_case(group_text(data), "large.yaml")
    roles = {p.role for p in case.people}
    assert {"principal", "runner", "vulnerable"} <= roles
    assert any(p.age is not None and p.age < 18 for p in case.people)
    assert any("cuckooed" in p.vulnerabilities for p in case.people)
    assert {a.status for a in case.activities} >= {
        "suspected",
        "intelligence",
        "corroborated",
        "evidenced",
    }


def _achilles(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "achilles", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "200"},
    )


def test_cli_synth_then_batch(tmp_path):
    folder = tmp_path / "corpus"
    r = _achilles("synth", "--groups", "6", "--seed", "3", "--out", str(folder))
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    r = _achilles("synth", "--groups", "6", "--seed", "3", "--out", str(folder))
    assert r.returncode == 2 and "already exists" in r.stderr and "Traceback" not in r.stderr
    out = tmp_path / "portfolio.json"
    r = _achilles(
        "batch",
        str(folder),
        str(examples_dir()),
        "--format",
        "json",
        "--out",
        str(out),
        "--workers",
        "2",
        "--top",
        "2",
    )
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    n = 6 + len(case_files([examples_dir()]))
    assert f"analysed {n} of {n} case files" in r.stderr
    assert json.loads(out.read_text())["totals"]["analysed"] == n
    r = _achilles("batch", str(folder), "--format", "json", "--out", str(out))
    assert r.returncode == 2 and "already exists" in r.stderr
    r = _achilles("batch", str(folder), "--format", "yml", "--serial")
    assert r.returncode == 2 and "--format 'yml'" in r.stderr
    r = _achilles("batch", str(tmp_path / "nowhere"))
    assert r.returncode == 2 and "no such file or folder" in r.stderr
    r = _achilles("batch", str(folder), "--serial", "--no-near-misses", "--format", "markdown")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"**{MARKING}**") and r.stdout.rstrip().endswith(f"**{MARKING}**")


def test_failures_sort_and_never_stop_the_batch(tmp_path):
    one = tmp_path / "a.yaml"
    one.write_text("")
    report = run_portfolio([str(one)], Settings(), serial=True, generated_on=TODAY)
    assert report.analysed == 0 and isinstance(report.skipped[0], CaseFailure)
    assert "empty" in report.skipped[0].problem


def test_batch_over_the_workspace_matches_the_same_cases_as_files(tmp_path):
    """`--from-workspace` reads each kept case at its latest version, in the workers too."""
    from achilles.portfolio import workspace_cases
    from achilles.store import Workspace

    db = tmp_path / "ws.db"
    files = sorted(examples_dir().glob("*.yaml"))[:4]
    with Workspace.open(db) as ws:
        ids = [ws.import_case(f.read_text(encoding="utf-8"), f.name, "tester")[0] for f in files]
        # a later version wins: the first case loses its first person
        first = ws.get(ids[0]).replace("role: principal", "role: member", 1)
        ws.save(ids[0], first, "tester", ws.latest_version(ids[0]))
    where, sources = workspace_cases(db)
    assert sources == [f"workspace:{i}" for i in sorted(ids)]

    settings = Settings(top=3, workspace=where)
    serial = report_data(run_portfolio(sources, settings, serial=True, generated_on=TODAY))
    parallel = report_data(run_portfolio(sources, settings, workers=2, generated_on=TODAY))
    assert parallel == serial
    assert serial["totals"]["analysed"] == 4 and not serial["skipped"]
    assert {c["file"] for c in serial["cases"]} == set(sources)

    # the same cases as files give the same options, except the one edited in the workspace
    as_files = report_data(
        run_portfolio([str(f) for f in files], Settings(top=3), serial=True, generated_on=TODAY)
    )
    tops = {c["case"]: c["top"] for c in as_files["cases"]}
    kept = {c["case"]: c["top"] for c in serial["cases"]}
    assert {i: kept[i] for i in ids[1:]} == {i: tops[i] for i in ids[1:]}

    out = tmp_path / "p.json"
    r = _achilles(
        "batch", "--workspace", str(db), "--format", "json", "--out", str(out), "--serial"
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(out.read_text())["totals"]["analysed"] == 4
    r = _achilles("batch", "--workspace", str(tmp_path / "none.db"))
    assert r.returncode == 2 and "no workspace there" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "none.db").exists()
    r = _achilles("batch")
    assert r.returncode == 2 and "nothing to analyse" in r.stderr
