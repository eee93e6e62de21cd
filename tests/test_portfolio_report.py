"""The portfolio report a partnership board reads: a one-page summary first (findings in words,
groups by threat, options by 4P and lead agency, charts), names before ids, every column
explained, the per-case table in an annex, tidy CSV tables, exit 2 on a partial portfolio, and
(where a browser is installed) A4 pages with the marking on each one."""

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
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from achilles.loading.paths import examples_dir
from achilles.portfolio import (
    MARKING,
    TABLE_NAMES,
    Settings,
    case_files,
    render,
    run_portfolio,
)
from achilles.render.portfolio import tables

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 12, 4)
SCENARIOS = ROOT / "tests" / "scenarios" / "cases"


def _achilles(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "achilles", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.fixture(scope="module")
def report():
    files = case_files([examples_dir(), SCENARIOS])
    return run_portfolio(files, Settings(top=5), serial=True, generated_on=TODAY)


@pytest.fixture(scope="module")
def redacted():
    files = case_files([examples_dir()])
    return run_portfolio(files, Settings(top=5, redact=True), serial=True, generated_on=TODAY)


def test_every_table_is_defined_once_with_each_column_explained(report):
    defined = tables(report)
    assert tuple(t.name for t in defined) == TABLE_NAMES
    for t in defined:
        assert all(c.meaning.endswith(".") and c.title for c in t.columns), t.name
        assert len({c.key for c in t.columns}) == len(t.columns), t.name
        assert all(len(row) == len(t.columns) for row in t.rows), t.name


def test_the_board_summary_comes_first_and_speaks_in_words(report):
    text = render(report, "markdown")
    board = text.index("## Summary for the board")
    assert board < text.index("### Groups by threat") < text.index("## Most applicable powers")
    assert text.index("## Most applicable powers") < text.index("## Annex A: Top 5 options")
    findings = report.findings
    assert findings and all(f"- {f.split(' ')[0]}" in text for f in findings)
    # the victim guard held options back in the presumption scenarios: the board is told first
    guarded = sum(1 for c in report.cases if c.blocked)
    assert guarded and findings[0].startswith(f"In {guarded} cases the victim guard")
    # the 4P table is in the vocabulary's order and counts add up to the options' Ps
    assert [p.four_p for p in report.four_ps] == ["pursue", "prevent", "protect", "prepare"]
    assert sum(t.cases for t in report.threats) == report.analysed


def test_findings_follow_the_counts_not_a_script(report):
    """Each finding is there because the counts call for it, and says the counts."""
    text = " ".join(report.findings)
    assert ("no option scoring" in text) == bool(report.weak)
    assert ("overdue" in text) == any(a.overdue for a in report.agency_work)
    assert ("could not be read" in text) == bool(report.skipped)
    thin = [p for p in report.four_ps if p.in_top < 0.1 * sum(len(c.top) for c in report.cases)]
    for p in thin:
        assert p.four_p.capitalize() in text
    lead = max(report.agencies, key=lambda a: (a.in_top, a.agency))
    assert f"{lead.name} ({lead.in_top})" in text


def test_names_first_and_ids_in_their_own_columns(report):
    text = render(report, "markdown")
    header = "| Case | Rank | Power | Target | Lead agency | Score | Power id | Target id |"
    assert header in text
    row = next(line for line in text.splitlines() if "| closure\\_notice |" in line)
    assert "Closure notice (premises associated" in row and "Police force" in row
    # the operation's title, not its id, names the case
    bedford = next(c for c in report.cases if c.case_id == "bedford-county-lines")
    assert bedford.title and f"| {bedford.title} |" in text.replace("\\-", "-")
    # agencies in words in every table a board reads
    assert "| Adult social care |" in text and "| adult\\_social\\_care |" in text


def test_no_person_name_or_free_text_label_reaches_the_portfolio(report):
    from achilles.model.case_file import load_case

    for path in case_files([examples_dir()]):
        case = load_case(path)
        names = [p.name for p in case.people if p.name] + [p.label for p in case.premises]
        for fmt in ("markdown", "html", "json"):
            out = render(report, fmt)
            leaked = [n for n in names if len(n) > 6 and n in out]
            assert not leaked, (path, fmt, leaked)


def test_redacted_portfolio_holds_no_operation_titles(redacted):
    from achilles.model.case_file import load_case

    titles = [load_case(p).case.title for p in case_files([examples_dir()])]
    for fmt in ("markdown", "html", "json"):
        out = render(redacted, fmt)
        assert not [t for t in titles if t in out], fmt
    assert "redacted (--redact)" in render(redacted, "markdown")


def test_csv_tables_are_tidy_and_open_without_skipping_rows(report):
    for name in TABLE_NAMES:
        text = render(report, "csv", name)
        rows = list(csv.DictReader(io.StringIO(text)))
        header = text.split("\r\n", 1)[0].split(",")
        assert header[0] == "marking" and len(set(header)) == len(header), name
        assert all(r["marking"] == MARKING for r in rows), name
        assert all(None not in r and None not in r.values() for r in rows), name
    options = list(csv.DictReader(io.StringIO(render(report, "csv", "case_options"))))
    assert len(options) == sum(len(c.top) or 1 for c in report.cases)
    assert {"case", "power", "power_id", "target_id", "lead_agency", "score"} <= set(options[0])


def test_html_is_a4_marked_on_every_page_with_charts_and_no_script(report):
    page = render(report, "html")

    class Parse(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[str] = []
            self.empty_th = 0
            self._th = False
            self._text = ""

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            for k, v in attrs:
                assert not (k in ("src", "href") and v), (tag, k, v)  # nothing fetched
            if tag == "th":
                self._th, self._text = True, ""

        def handle_data(self, data):
            if self._th:
                self._text += data

        def handle_endtag(self, tag):
            if tag == "th":
                self._th = False
                self.empty_th += not self._text.strip()

    p = Parse()
    p.feed(page)
    assert "script" not in p.tags and p.tags.count("svg") == 3 and p.empty_th == 0
    assert p.tags.count("title") == 4  # the page's and each chart's
    assert "size:A4" in page
    assert f'@top-center{{content:"{MARKING}"' in page
    assert f'@bottom-center{{content:"{MARKING}"' in page
    assert page.count('class="annex"') == 2


def test_a_hostile_marking_cannot_break_out_of_the_css(report):
    import dataclasses

    hostile = dataclasses.replace(report, marking='OFFICIAL"}body{display:none} /*')
    page = render(hostile, "html")
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    # the marking stays inside its CSS string: no quote, brace or comment gets out
    assert re.search(r'@top-center\{content:"[^"{}*]*";', style)
    assert style.count("{") == style.count("}") and "/*" not in style


def _broken_corpus(folder: Path) -> Path:
    folder.mkdir()
    for name in ("bedford-county-lines.yaml", "contract-example.yaml"):
        shutil.copy(examples_dir() / name, folder / name)
    (folder / "broken.yaml").write_text("case: [\n")
    return folder


def test_batch_exits_2_when_it_skipped_files_unless_partial_is_accepted(tmp_path):
    folder = _broken_corpus(tmp_path / "cases")
    out = tmp_path / "p.md"
    r = _achilles("batch", str(folder), "--serial", "--out", str(out))
    assert r.returncode == 2, r.stderr
    assert "error: the report leaves out the skipped files" in r.stderr
    assert "hint:" in r.stderr and "--partial-ok" in r.stderr and "Traceback" not in r.stderr
    assert out.exists() and "broken.yaml" in out.read_text()  # the report is still written
    r = _achilles("batch", str(folder), "--serial", "--partial-ok", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["totals"]["skipped"] == 1


def test_batch_csv_writes_one_private_file_per_table_with_the_marking_in_its_name(tmp_path):
    folder = _broken_corpus(tmp_path / "cases")
    r = _achilles("batch", str(folder), "--serial", "--partial-ok", "--format", "csv")
    assert r.returncode == 2 and "--table NAME" in r.stderr  # which table, or where
    r = _achilles(
        "batch", str(folder), "--serial", "--partial-ok", "--format", "csv",
        "--out", str(tmp_path / "board.csv"),
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    written = sorted(p.name for p in tmp_path.glob("board-*.csv"))
    assert written == sorted(f"board-{t}-OFFICIAL-SENSITIVE.csv" for t in TABLE_NAMES)
    for p in tmp_path.glob("board-*.csv"):
        assert stat.S_IMODE(p.stat().st_mode) == 0o600
    r = _achilles(
        "batch", str(folder), "--serial", "--partial-ok", "--format", "csv", "--table", "power",
    )  # fmt: skip
    assert r.returncode == 2 and "did you mean 'powers'" in r.stderr.lower()
    r = _achilles(
        "batch", str(folder), "--serial", "--partial-ok", "--format", "csv", "--table", "skipped",
    )  # fmt: skip
    assert r.returncode == 0 and r.stdout.startswith("marking,file,problem\n")
    r = _achilles("batch", str(folder), "--serial", "--format", "html", "--table", "powers")
    assert r.returncode == 2 and "only for --format csv" in r.stderr


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
]


@pytest.mark.skipif(
    not (CHROMIUM and shutil.which("pdfinfo") and shutil.which("pdftotext")),
    reason="needs chromium and poppler-utils (.ci/run installs them where it can)",
)
def test_the_html_report_prints_on_a4_with_the_marking_on_every_page(report, tmp_path):
    """In a real browser: A4 pages, the board's summary on page one, the marking on each page."""
    html = tmp_path / "portfolio.html"
    html.write_text(render(report, "html"), encoding="utf-8")
    pdf = tmp_path / "portfolio.pdf"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                CHROMIUM,
                *FLAGS,
                f"--user-data-dir={profile}",
                f"--print-to-pdf={pdf}",
                html.as_uri(),
            ],
            capture_output=True,
            timeout=120,
            check=True,
        )
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert re.search(r"Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)", info), info
    assert pages >= 2
    for n in range(1, pages + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True,
            text=True,
        ).stdout
        assert text.count(MARKING) >= 2, f"page {n} lacks the marking top and bottom"
        if n == 1:
            assert "Summary for the board" in text and "Groups by threat" in text
            assert "Annex A" not in text  # the annex starts on its own page
