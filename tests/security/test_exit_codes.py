"""Issue 17 part 6, exit codes as documented and processes that end: the review's F-11, F-13,
F-15, F-16, F-24 and F-30, each through the real command (or the real cache), bounded in time."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from achilles.knowledge import load_knowledge
from tests.security.conftest import CACHE, achilles, bad_input

# A council layer with one rule (the probe's header), its tests, and a `because` to try.
LAYER = """theme: Probe because
rules:
  - id: probe-because
    power: criminal_behaviour_order
    title: {title}
    citation: ASBCPA 2014 s22
    jurisdiction: [england]
    valid_from: 2014-10-20
    author: probe
    reviewed_by: probe
    reviewed_on: 2026-11-29
    target: a0
    when:
      a0: {{fact: person, where: {{exploited: false, role: member, age: {{at_least: 100}}}}}}
    because: {because}
    tests:
      - {{name: fires, case: {{people: [{{id: n1, role: member, age: 119}}]}}, fires_on: [n1]}}
      - {{name: silent, case: {{}}, fires_on: []}}
"""


def _layer(folder: Path, because: str, title: str = "Probe AAAA") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "layer.yaml").write_text(LAYER.format(because=json.dumps(because), title=title))
    return folder


# --- F-11: batch aborts on an unreadable file --------------------------------------------------


def test_f11_batch_lists_an_unreadable_file_and_carries_on(tmp_path, base_case):
    unread = tmp_path / "unread.yaml"
    unread.write_text(base_case.read_text())
    unread.chmod(0)
    tmp_path.chmod(0o755)
    report = tmp_path / "portfolio.md"
    r = achilles(
        "batch", str(unread), str(base_case), "--serial", "--out", str(report),
        held_to_modes=True,
    )  # fmt: skip
    # the report is written and lists the file; exit 2 tells a script it is partial (ripgrep's 2)
    assert r.code == 2 and "--partial-ok" in r.err, r.err
    text = report.read_text()
    assert "permission denied" in text and "unread.yaml" in text  # listed with its problem
    assert "analysed 1 of 2 case files (1 skipped)" in r.err  # and the good one analysed
    r = achilles(
        "batch", str(unread), str(base_case), "--serial", "--partial-ok", "--format", "csv",
        "--table", "skipped", held_to_modes=True,
    )  # fmt: skip
    assert r.code == 0 and "unread.yaml" in r.out, r.err


# --- F-13: plan --start 9999-12-31 was an internal error --------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["plan", "{case}", "--start", "9999-12-31"],
        ["plan", "{case}", "--start", "0001-01-01"],
        ["recommend", "{case}", "--as-of", "9999-12-31"],
        ["review", "{case}", "--on", "9999-12-31"],
        ["batch", "{case}", "--serial", "--on", "9999-12-31"],
    ],
)
def test_f13_a_date_far_from_today_is_bad_input_with_a_hint(base_case, command):
    r = achilles(*[a.format(case=base_case) for a in command])
    bad_input(r, f"{command[-2]} ", "is too far from today", "give a date between")


def test_f13_a_plan_late_in_the_range_still_counts_its_deadlines(base_case):
    r = achilles("plan", str(base_case), "--start", "2199-12-31", "--format", "json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["date"] == "2199-12-31"


# --- F-15: rules check did not flag bad `because` placeholders --------------------------------


@pytest.mark.parametrize(
    "because",
    [
        "{0} matched.",
        "{a0!r:>99999999} matched.",
        "{a0.__class__.__init__.__globals__} matched.",
        "{a0.__class__} matched.",
        "{a0} matched {",
        "{nobody} matched.",
    ],
)
def test_f15_a_bad_because_placeholder_is_a_rule_author_error_with_file_and_line(
    tmp_path, base_case, because
):
    layer = _layer(tmp_path / "layer", because)
    line = next(
        i
        for i, t in enumerate((layer / "layer.yaml").read_text().splitlines(), 1)
        if "because" in t
    )
    r = achilles("rules", "check", "--rules", str(layer))
    bad_input(r, f"{layer / 'layer.yaml'}:{line}", "AR016")
    # and no command uses the layer
    bad_input(achilles("recommend", str(base_case), "--rules", str(layer)), "AR016")


def test_f15_a_good_because_passes_the_check(tmp_path):
    layer = _layer(tmp_path / "layer", "{a0} is a member over 100.")
    r = achilles("rules", "check", "--rules", str(layer))
    assert "AR016" not in r.out + r.err
    assert r.code in (0, 2)  # a council layer may carry other warnings; never an AR016


# --- F-24: unknown filter terms were accepted silently ----------------------------------------


@pytest.mark.parametrize(
    ("option", "value", "fragment"),
    [
        ("--four-p", "nonsense", "not a known 4P strand"),
        ("--four-p", "persue", "did you mean 'pursue'?"),
        ("--agency", "../../etc", "not a known agency"),
        ("--agency", "polise", "did you mean 'police'?"),
        ("--area", "", "--area is empty"),
        ("--area", "lifestile", "did you mean 'lifestyle'?"),
    ],
)
def test_f24_an_unknown_filter_term_is_bad_input_with_did_you_mean(
    base_case, option, value, fragment
):
    bad_input(achilles("recommend", str(base_case), option, value), fragment)


def test_f24_known_filter_terms_still_filter(base_case):
    r = achilles("recommend", str(base_case), "--format", "json", "--four-p", "protect,prevent")
    assert r.code == 0, r.err
    options = json.loads(r.out)["options"]
    assert options
    assert all({"protect", "prevent"} & set(o["four_p"]) for o in options)


# --- F-16: the batch's workers outlived their parent ------------------------------------------


def _processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, state) for every process, from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat_line = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat_line.rsplit(")", 1)[1].split()
            found[int(entry.name)] = (int(fields[1]), fields[0])
    return found


def _descendants(root: int) -> set[int]:
    procs = _processes()
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, (ppid, _) in procs.items() if ppid in frontier} - found
        found |= frontier
    return found


def _alive(pids: set[int]) -> set[int]:
    procs = _processes()
    return {p for p in pids if p in procs and procs[p][1] != "Z"}  # a zombie has ended


@pytest.fixture(scope="module")
def slow_corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "large"
    r = achilles("synth", "--groups", "8", "--size", "large", "--seed", "3", "--out", str(out))
    assert r.code == 0, r.err
    return out


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_f16_the_batch_workers_end_with_their_parent(tmp_path, slow_corpus, sig):
    report = tmp_path / "portfolio.csv"
    parent = subprocess.Popen(
        [sys.executable, "-m", "achilles", "batch", str(slow_corpus), "--workers", "2"]
        + ["--format", "csv", "--out", str(report)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "XDG_CACHE_HOME": CACHE},
    )
    try:
        # The fork server, the resource tracker and two workers: wait until they are all up.
        deadline = time.monotonic() + 60
        family: set[int] = set()  # filled while they are still this batch's descendants
        while len(family) < 4 and time.monotonic() < deadline and parent.poll() is None:
            time.sleep(0.2)
            family = _alive(_descendants(parent.pid))
        assert len(family) >= 4, "the batch never started its workers"
        parent.send_signal(sig)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 15
        while _alive(family) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(family), f"left running after the batch died: {_alive(family)}"
        assert not report.exists()  # and no half-written report
    finally:  # end only what this test started: the batch, then its own processes left over
        if parent.poll() is None:
            parent.kill()
            parent.wait(timeout=30)
        for pid in _alive(family):
            if _ours(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


def _ours(pid: int) -> bool:
    """Still a process of this batch (its pid not reused by another program)."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return sys.executable.encode() in command or b"multiprocessing" in command


# --- F-30: the knowledge cache was keyed by size and modification time ------------------------


def test_f30_an_edit_that_keeps_size_and_mtime_is_not_served_stale(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("ACHILLES_NO_CACHE", raising=False)
    layer = _layer(tmp_path / "layer", "{a0} matched.", title="Probe AAAA")
    file = layer / "layer.yaml"
    assert load_knowledge([layer]).rulebook.get("probe-because").rule.title == "Probe AAAA"
    assert list((tmp_path / "cache").rglob("knowledge-*.pickle"))  # it was cached
    st = file.stat()
    file.write_text(file.read_text().replace("Probe AAAA", "Probe BBBB"))
    os.utime(file, ns=(st.st_atime_ns, st.st_mtime_ns))  # `touch -r`: same size, same mtime
    assert file.stat().st_size == st.st_size and file.stat().st_mtime_ns == st.st_mtime_ns
    assert load_knowledge([layer]).rulebook.get("probe-because").rule.title == "Probe BBBB"


# --- F-25: a case id like -rf was accepted, then could not be addressed -----------------------


def test_f25_a_case_id_that_reads_as_an_option_is_refused_at_its_line(base_case):
    base_case.write_text(base_case.read_text().replace("  id: probe-case\n", "  id: -rf\n"))
    bad_input(
        achilles("case", "validate", str(base_case)),
        f"{base_case}:2: case.id:",
        "starting with a letter or digit",
    )
