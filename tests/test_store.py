"""The workspace (achilles.store) on real SQLite files: history, the decision log, faults, crashes."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import re
import shutil
import signal
import sqlite3
import stat
import tempfile
import threading
import time
import warnings
from pathlib import Path

import pytest

from achilles.errors import InputError, StoreError
from achilles.model.case_file import parse_case
from achilles.store import NoSuchCase, Workspace, default_path
from achilles.store import schema as store_schema
from tests.samples import EXAMPLE, ROOT

EXAMPLES = sorted((ROOT / "examples" / "cases").glob("*.yaml"))
TEXT = EXAMPLE.read_text(encoding="utf-8")
CASE = "beds-transformation"
# Every name, label and free text in the example: none may appear in a summary or a message.
NAMES = (
    "Principal A",
    "Member B",
    "The Crown",
    "High Street",
    "hair salon",
    "Bedford",
    "Community Safety",
)


def edit(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


ADD_N3 = (
    "  - {id: v1, role: vulnerable",
    "  - {id: n3, name: Zed Person, role: associate}\n  - {id: v1, role: vulnerable",
)
ADD_P5 = (
    "businesses:\n",
    "  - {id: p5, label: lock-up garage, use: lock_up, tenure: unknown}\nbusinesses:\n",
)
CORROBORATE = (
    "{kind: drug_supply, at: [p1, p4], by: [n1, n2], status: intelligence",
    "{kind: drug_supply, at: [p1, p4], by: [n1, n2], status: corroborated",
)


@pytest.fixture
def ws(tmp_path):
    w = Workspace.open(tmp_path / "ws" / "workspace.db")
    yield w
    w.close()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- where and how the file is made -----------------------------------------------------------


def test_created_owner_only_with_wal_and_foreign_keys(tmp_path):
    path = tmp_path / "deep" / "er" / "workspace.db"
    with Workspace.open(path) as w:
        w.import_case(TEXT, "contract-example.yaml", "tester")
        assert w._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert w._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert w._conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0
        assert w.schema_version == store_schema.LATEST
        for suffix in ("", "-wal", "-shm"):
            assert _mode(Path(f"{path}{suffix}")) == 0o600, suffix
    assert _mode(path.parent) == 0o700
    assert _mode(path.parent.parent) == 0o700


def test_path_from_argument_then_environment_then_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("ACHILLES_WORKSPACE", str(tmp_path / "env.db"))
    assert default_path() == tmp_path / "env.db"
    with Workspace.open() as w:
        assert w.path == tmp_path / "env.db"
    with Workspace.open(tmp_path / "arg.db") as w:
        assert w.path == tmp_path / "arg.db"
    monkeypatch.delenv("ACHILLES_WORKSPACE")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_path() == tmp_path / "xdg" / "achilles" / "workspace.db"


def test_a_folder_is_not_a_workspace(tmp_path):
    with pytest.raises(StoreError, match="is a folder"):
        Workspace.open(tmp_path)


# --- cases and their history ------------------------------------------------------------------


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_import_then_export_is_byte_identical(ws, example):
    raw = example.read_bytes()
    case_id, version = ws.import_case(raw.decode("utf-8"), example.name, "tester")
    assert version == 1
    assert ws.get(case_id).encode("utf-8") == raw
    assert ws.history(case_id)[0].sha256 == hashlib.sha256(raw).hexdigest()


def test_crlf_and_byte_order_mark_survive_the_round_trip(ws):
    crlf = TEXT.replace("\n", "\r\n")
    bom = "\ufeff" + TEXT.replace("Operation Transformation", "Operation T2")
    assert ws.import_case(crlf, "crlf.yaml", "t") == (CASE, 1)
    assert ws.import_case(bom, "bom.yaml", "t") == (CASE, 2)
    assert ws.get(CASE, 1) == crlf and ws.get(CASE, 2) == bom
    assert ws.history(CASE)[1].summary == "imported from bom.yaml; changed case.title"


def test_import_adds_a_version_only_when_the_text_differs(ws):
    assert ws.import_case(TEXT, "a.yaml", "t") == (CASE, 1)
    assert ws.import_case(TEXT, "again.yaml", "t") == (CASE, 1)
    assert ws.import_case(edit(TEXT, CORROBORATE), "b.yaml", "t") == (CASE, 2)
    assert [v.version for v in ws.history(CASE)] == [1, 2]
    assert ws.history(CASE)[1].summary.startswith("imported from b.yaml; ")


def test_import_validates_first(ws):
    with pytest.raises(InputError) as exc:
        ws.import_case(edit(TEXT, ("role: principal", "role: principle")), "bad.yaml", "t")
    assert "bad.yaml" in exc.value.message
    assert ws.list_cases() == []


def test_history_records_every_save_with_a_safe_summary(ws):
    ws.now = lambda: dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)
    ws.import_case(TEXT, "contract-example.yaml", "alice")
    v2 = ws.save(CASE, edit(TEXT, ADD_N3, ADD_P5, CORROBORATE), "bob", 1)
    v3_text = edit(
        TEXT,
        ADD_P5,
        ("Principal A", "Somebody Else"),
        ("benefits: [universal_credit]", "benefits: [pip]"),
    )
    v3 = ws.save(CASE, v3_text, "carol", v2)
    assert (v2, v3) == (2, 3)
    h = ws.history(CASE)
    assert [(v.version, v.saved_by, v.saved_at) for v in h] == [
        (1, "alice", "2025-03-01T09:30:00Z"),
        (2, "bob", "2025-03-01T09:30:00Z"),
        (3, "carol", "2025-03-01T09:30:00Z"),
    ]
    assert h[0].summary == "first version, imported from contract-example.yaml"
    assert h[1].summary == (
        "added person n3; added premises p5; "
        "changed activities[0].status intelligence -> corroborated"
    )
    assert h[2].summary == (
        "removed person n3; changed person n1.name; "
        "changed person n2.benefits: added pip and removed universal_credit; "
        "changed activities[0].status corroborated -> intelligence"
    )
    for v in h:
        assert v.sha256 == hashlib.sha256(ws.get(CASE, v.version).encode()).hexdigest()
        for name in (*NAMES, "Zed Person", "Somebody Else", "lock-up garage"):
            assert name not in v.summary


def test_saving_the_same_text_saves_nothing(ws):
    ws.import_case(TEXT, "a.yaml", "t")
    assert ws.save(CASE, TEXT, "t", 1) == 1
    assert ws.save(CASE, TEXT + "# a comment\n", "t", 1) == 2
    assert ws.history(CASE)[1].summary == "no change to the data (layout or comments only)"


def test_a_stale_save_is_refused_never_merged(ws):
    ws.now = lambda: dt.datetime(2025, 3, 1, 10, 0, tzinfo=dt.UTC)
    ws.import_case(TEXT, "a.yaml", "alice")
    assert ws.save(CASE, edit(TEXT, ADD_P5), "alice", 1) == 2
    theirs = edit(TEXT, CORROBORATE)
    with pytest.raises(StoreError) as exc:
        ws.save(CASE, theirs, "bob", 1)
    assert exc.value.message == (
        "case beds-transformation was saved by alice at 2025-03-01T10:00:00Z (version 2) since you "
        "opened version 1; reload it, then re-apply your change"
    )
    assert ws.latest_version(CASE) == 2 and ws.get(CASE) == edit(TEXT, ADD_P5)
    assert ws.save(CASE, edit(theirs, ADD_P5), "bob", 2) == 3  # reloaded and re-applied


def test_save_checks_the_text_and_its_case_id(ws):
    ws.import_case(TEXT, "a.yaml", "t")
    with pytest.raises(InputError):
        ws.save(CASE, edit(TEXT, ("status: suspected", "status: rumoured")), "t", 1)
    with pytest.raises(StoreError, match="is case 'other', not 'beds-transformation'"):
        ws.save(CASE, edit(TEXT, ("id: beds-transformation", "id: other")), "t", 1)
    with pytest.raises(NoSuchCase, match="no case 'other'"):
        ws.save("other", edit(TEXT, ("id: beds-transformation", "id: other")), "t", 1)
    assert ws.latest_version(CASE) == 1


def test_restore_adds_a_version_with_the_old_text(ws):
    ws.import_case(TEXT, "a.yaml", "t")
    ws.save(CASE, edit(TEXT, ADD_P5), "t", 1)
    assert ws.restore(CASE, 1, "u") == 3
    assert ws.get(CASE) == TEXT and ws.get(CASE, 2) == edit(TEXT, ADD_P5)
    assert ws.history(CASE)[-1].summary == "restored version 1; removed premises p5"
    assert ws.history(CASE)[-1].saved_by == "u"
    assert ws.restore(CASE, 1, "u") == 3  # already the latest text: nothing saved
    with pytest.raises(NoSuchCase, match="has no version 9"):
        ws.restore(CASE, 9, "u")


def test_diff_gives_summary_lines_and_a_unified_diff(ws):
    ws.import_case(TEXT, "a.yaml", "t")
    ws.save(CASE, edit(TEXT, ADD_P5), "t", 1)
    ws.save(CASE, edit(TEXT, ADD_P5, CORROBORATE), "t", 2)
    lines, text = ws.diff(CASE, 1, 3)
    assert lines == [
        "added premises p5",
        "changed activities[0].status intelligence -> corroborated",
    ]
    assert text.startswith("--- beds-transformation version 1\n+++ beds-transformation version 3\n")
    assert "+  - {id: p5, label: lock-up garage" in text
    assert "-  - {kind: drug_supply, at: [p1, p4], by: [n1, n2], status: intelligence" in text
    assert ws.diff(CASE, 3, 1)[0] == [
        "removed premises p5",
        "changed activities[0].status corroborated -> intelligence",
    ]
    assert ws.diff(CASE, 2, 2) == ([], "")


def test_unknown_cases_and_versions(ws):
    for call in (
        lambda: ws.get("nope"),
        lambda: ws.history("nope"),
        lambda: ws.decisions("nope"),
        lambda: ws.delete_case("nope"),
        lambda: ws.restore("nope", 1, "t"),
    ):
        with pytest.raises(NoSuchCase, match="no case 'nope'"):
            call()
    ws.import_case(TEXT, "a.yaml", "t")
    with pytest.raises(NoSuchCase, match="has no version 2 \\(versions 1 to 1\\)"):
        ws.get(CASE, 2)


def test_list_cases_with_review_and_retention_dates(ws):
    ws.now = lambda: dt.datetime(2025, 1, 1, 12, 0, tzinfo=dt.UTC)
    ws.import_case(TEXT, "a.yaml", "t")
    other = edit(
        TEXT,
        ("id: beds-transformation", "id: other-op"),
        ("  jurisdiction: england", "  jurisdiction: england\n  review_on: 2025-02-01"),
    )
    ws.import_case(other, "b.yaml", "t")
    rows = {r.case_id: r for r in ws.list_cases(today=dt.date(2025, 1, 2))}
    a, b = rows[CASE], rows["other-op"]
    assert (a.title, a.version, a.as_of) == ("Operation Transformation", 1, dt.date(2015, 6, 1))
    assert a.review_on == dt.date(2025, 4, 1) and not a.review_set_in_case  # 90 days after the save
    assert b.review_on == dt.date(2025, 2, 1) and b.review_set_in_case
    assert a.retain_until == dt.date(2027, 1, 1)  # two years after the last save
    assert ws.list_cases(due=True, today=dt.date(2025, 1, 2)) == []
    assert [r.case_id for r in ws.list_cases(due=True, today=dt.date(2025, 2, 1))] == ["other-op"]
    assert [r.case_id for r in ws.list_cases(due=True, today=dt.date(2025, 4, 1))] == [
        CASE,
        "other-op",
    ]
    ws.set_retention_days(30)
    row = ws.list_cases(due=True, today=dt.date(2025, 1, 31))[0]
    assert row.past_retention and not row.due_review
    with pytest.raises(StoreError):
        ws.set_retention_days(0)


# --- the decision log -------------------------------------------------------------------------


def _decide(ws, n: int = 3) -> None:
    for i, decision in enumerate(("accepted", "rejected", "deferred")[:n]):
        ws.record_decision(
            CASE,
            f"power-{i}@p1",
            f"power-{i}",
            "p1",
            decision,
            f"reason {i}",
            "lro",
            1,
            "rules-1",
            "catalogue-1",
        )


def test_decisions_are_kept_in_order(ws):
    ws.import_case(TEXT, "a.yaml", "t")
    _decide(ws)
    log = ws.decisions(CASE)
    assert [(d.seq, d.decision, d.option_key, d.reason) for d in log] == [
        (1, "accepted", "power-0@p1", "reason 0"),
        (2, "rejected", "power-1@p1", "reason 1"),
        (3, "deferred", "power-2@p1", "reason 2"),
    ]
    assert log[0].case_version == 1 and log[0].rules_version == "rules-1" and log[0].who == "lro"
    with pytest.raises(StoreError, match="not one of accepted, removed, rejected, deferred"):
        ws.record_decision(CASE, "k", "p", "t", "maybe", "", "lro", 1, "r", "c")
    with pytest.raises(StoreError, match="has no version 5"):
        ws.record_decision(CASE, "k", "p", "t", "accepted", "", "lro", 5, "r", "c")


def test_decisions_and_versions_are_append_only_in_sqlite_itself(ws):
    ws.import_case(TEXT, "a.yaml", "t")
    _decide(ws)
    raw = sqlite3.connect(ws.path)
    try:
        for sql in (
            "UPDATE decisions SET decision = 'rejected' WHERE seq = 1",
            "DELETE FROM decisions WHERE seq = 1",
            "DELETE FROM decisions",
            "UPDATE versions SET text = 'x'",
            "DELETE FROM versions",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                raw.execute(sql)
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            raw.execute(
                "INSERT INTO decisions (case_id, option_key, power_id, target, decision, reason, "
                "who, decided_at, case_version, rules_version, catalogue_version) "
                "VALUES (?, 'k', 'p', 't', 'maybe', '', 'x', 'now', 1, 'r', 'c')",
                (CASE,),
            )
    finally:
        raw.close()
    assert len(ws.decisions(CASE)) == 3
    # Through the workspace's own connection, a refused change is a StoreError, not a traceback.
    with pytest.raises(StoreError, match="refused a change"), ws._writing("testing") as c:
        c.execute("DELETE FROM decisions")


PLAN = """plan:
  actions:
    - {key: closure_notice@p1, owner: PS Patel, due: 2026-02-01}
  decisions:
    - {key: closure_order@p4, decision: rejected, reason: Mr Jones objected, date: 2026-01-05}
"""
PLAN_LATER = """plan:
  actions:
    - key: closure_notice@p1
      owner: PS Patel
      due: 2026-02-01
      status: in_progress
      updates: [{date: 2026-01-10, text: Served on Mr Jones}]
"""


def test_a_save_logs_the_plan_changes_in_the_same_transaction(ws):
    from achilles.model.plan_state import PlanState, plan_of
    from achilles.store import NewDecision
    from achilles.tracker import plan_changes

    ws.import_case(TEXT, "a.yaml", "t")
    first, later = TEXT + PLAN, TEXT + PLAN_LATER

    def entries(old: str, new: str) -> list:
        a = plan_of(parse_case(old)) if old else PlanState()
        return [
            NewDecision.from_change(c, "alice", "r1", "c1")
            for c in plan_changes(a, plan_of(parse_case(new)))
        ]

    v2 = ws.save(CASE, first, "alice", 1, entries(TEXT, first))
    # a stale save (someone saved first) is refused and logs nothing
    with pytest.raises(StoreError, match="since you opened version 1"):
        ws.save(CASE, later, "bob", 1, entries(first, later))
    v3 = ws.save(CASE, later, "alice", v2, entries(first, later))
    log = ws.decisions(CASE)
    assert [(d.case_version, d.decision, d.option_key, d.detail, d.reason) for d in log] == [
        (2, "accepted", "closure_notice@p1", "owner set; due 2026-02-01", ""),
        (2, "rejected", "closure_order@p4", "", "Mr Jones objected"),
        (3, "updated", "closure_notice@p1", "status proposed -> in_progress", ""),
        (3, "updated", "closure_notice@p1", "note dated 2026-01-10", "Served on Mr Jones"),
        (3, "reopened", "closure_order@p4", "", ""),
    ]
    assert {d.power_id for d in log} == {"closure_notice", "closure_order"}
    # the version summaries say what changed in the plan, with no typed text or names
    summaries = [v.summary for v in ws.history(CASE)]
    assert summaries[1] == (
        "plan: accepted closure_notice@p1 (owner set; due 2026-02-01); "
        "plan: rejected closure_order@p4"
    )
    assert "plan: updated closure_notice@p1 (status proposed -> in_progress)" in summaries[2]
    for text in ("Patel", "Jones", "Served"):
        assert not any(text in line for line in summaries)
    assert v3 == 3


def test_migration_to_version_3_keeps_the_log_and_its_guards(tmp_path):
    path = tmp_path / "v2.db"
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("BEGIN")
    store_schema.migrate(raw, 0, "2024-01-01T00:00:00Z", upto=2)
    raw.execute("INSERT INTO cases VALUES (?, '2024-01-01T00:00:00Z')", (CASE,))
    raw.execute(
        "INSERT INTO versions VALUES (?, 1, ?, ?, 'old', '2024-01-01T00:00:00Z', 'first', "
        "'Operation Transformation', '2015-06-01', NULL)",
        (CASE, TEXT, hashlib.sha256(TEXT.encode()).hexdigest()),
    )
    for seq in (5, 9):  # gaps in the sequence survive
        raw.execute(
            "INSERT INTO decisions (seq, case_id, option_key, power_id, target, decision, "
            "reason, who, decided_at, case_version, rules_version, catalogue_version) VALUES "
            "(?, ?, 'k@p1', 'k', 'p1', 'deferred', 'why', 'lro', '2024-01-01T00:00:00Z', 1, "
            "'r', 'c')",
            (seq, CASE),
        )
    raw.execute("COMMIT")
    raw.close()
    with Workspace.open(path) as w:
        assert w.schema_version == 3
        assert [(d.seq, d.decision, d.reason, d.detail) for d in w.decisions(CASE)] == [
            (5, "deferred", "why", ""),
            (9, "deferred", "why", ""),
        ]
        from achilles.store import NewDecision

        assert w.record(
            CASE, [NewDecision("k@p1", "done", "", "outcome minor on 2026-01-01")], 1
        ) == [10]
    raw = sqlite3.connect(path)
    try:
        for sql in ("UPDATE decisions SET reason = 'x'", "DELETE FROM decisions"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                raw.execute(sql)
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            raw.execute(
                "INSERT INTO decisions (case_id, option_key, power_id, target, decision, reason, "
                "who, decided_at, case_version, rules_version, catalogue_version) "
                "VALUES (?, 'k', 'p', 't', 'maybe', '', 'x', 'now', 1, 'r', 'c')",
                (CASE,),
            )
        names = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
        assert "decisions_v3" not in names and "decisions_by_case" in names
    finally:
        raw.close()


def test_delete_case_removes_every_version_and_decision(ws):
    marker = "Qwerty Zanzibar-Marker"
    secret = edit(TEXT, ("Principal A", marker))
    ws.import_case(secret, "a.yaml", "t")
    ws.save(CASE, edit(secret, ADD_P5), "t", 1)
    _decide(ws)
    keep = edit(TEXT, ("id: beds-transformation", "id: keep-me"))
    ws.import_case(keep, "b.yaml", "t")
    ws.record_decision("keep-me", "k@p1", "k", "p1", "accepted", "", "lro", 1, "r", "c")
    assert ws.delete_case(CASE) == (2, 3)
    assert [r.case_id for r in ws.list_cases()] == ["keep-me"]
    with pytest.raises(NoSuchCase):
        ws.get(CASE)
    assert len(ws.decisions("keep-me")) == 1
    assert ws._conn.execute("SELECT COUNT(*) FROM purge").fetchone()[0] == 0
    for suffix in ("", "-wal"):  # secure_delete and the checkpoint leave no trace on disk
        f = Path(f"{ws.path}{suffix}")
        assert marker.encode() not in (f.read_bytes() if f.exists() else b""), suffix
    # the protection is back on for the rows that remain
    raw = sqlite3.connect(ws.path)
    with pytest.raises(sqlite3.IntegrityError):
        raw.execute("DELETE FROM decisions")
    raw.close()


def test_the_workspace_can_be_used_from_another_thread(ws):
    ws.import_case(TEXT, "a.yaml", "t")
    done = []
    worker = threading.Thread(target=lambda: done.append(ws.save(CASE, edit(TEXT, ADD_P5), "t", 1)))
    worker.start()
    worker.join()
    assert done == [2]


# --- faults -----------------------------------------------------------------------------------


def _no_names(exc: StoreError) -> None:
    text = f"{exc.message} {exc.hint}"
    for name in NAMES:
        assert name not in text
    assert "Traceback" not in text


def test_a_locked_database_is_a_clear_error(tmp_path):
    path = tmp_path / "ws.db"
    with Workspace.open(path) as w:
        w.import_case(TEXT, "a.yaml", "t")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        with Workspace.open(path, timeout=0.1) as w:
            assert w.get(CASE) == TEXT  # readers are not blocked (WAL)
            started = time.monotonic()
            with pytest.raises(StoreError) as exc:
                w.save(CASE, edit(TEXT, ADD_P5), "t", 1)
            assert time.monotonic() - started < 2
            assert (
                str(path) in exc.value.message and "locked by another program" in exc.value.message
            )
            assert "try again" in exc.value.hint
            _no_names(exc.value)
            with pytest.raises(StoreError, match="locked"):
                w.record_decision(CASE, "k", "p", "t", "accepted", "", "lro", 1, "r", "c")
            other.execute("ROLLBACK")
            assert w.save(CASE, edit(TEXT, ADD_P5), "t", 1) == 2
    finally:
        other.close()


def _fork() -> int:
    with warnings.catch_warnings():  # Python 3.12 warns about fork() when threads exist
        warnings.simplefilter("ignore", DeprecationWarning)
        return os.fork()


def _run_unprivileged(fn) -> str:
    """Run fn in a forked child (as 'nobody' when we are root, since root ignores file modes);
    return 'ok', or the StoreError's message and hint, or the other exception."""
    read_fd, write_fd = os.pipe()
    pid = _fork()
    if pid == 0:  # the child
        try:
            os.close(read_fd)
            try:
                if os.geteuid() == 0:
                    try:
                        os.setgroups([])
                        os.setgid(65534)
                        os.setuid(65534)
                    except OSError:
                        os.write(write_fd, b"SKIP")
                        os._exit(0)
                fn()
                result = "ok"
            except StoreError as exc:
                result = f"StoreError: {exc.message} | {exc.hint}"
            except BaseException as exc:  # noqa: BLE001 - reported to the parent
                result = f"{type(exc).__name__}: {exc}"
            os.write(write_fd, result.encode())
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks = []
    while chunk := os.read(read_fd, 65536):
        chunks.append(chunk)
    os.close(read_fd)
    os.waitpid(pid, 0)
    if chunks == [b"SKIP"]:
        pytest.skip(
            "running as root without the right to drop privileges: file modes cannot be tested"
        )
    return b"".join(chunks).decode()


@pytest.fixture
def shared_dir():
    """A folder another user can reach (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="achilles-store-"))
    folder.chmod(0o755)
    yield folder
    for p in [folder, *folder.rglob("*")]:
        p.chmod(0o700 if p.is_dir() else 0o600)
    shutil.rmtree(folder)


def _prepare(folder: Path) -> Path:
    path = folder / "ws.db"
    with Workspace.open(path) as w:
        w.import_case(TEXT, "a.yaml", "t")
    parse_case(TEXT)  # the vocabulary is loaded (and cached) before the child drops privileges
    return path


def test_a_read_only_file_is_a_clear_error(shared_dir):
    path = _prepare(shared_dir)
    shared_dir.chmod(0o777 if os.geteuid() == 0 else 0o700)  # the folder is writable
    path.chmod(0o444 if os.geteuid() != 0 else 0o644)  # the file is not (for the child)
    result = _run_unprivileged(lambda: Workspace.open(path).save(CASE, edit(TEXT, ADD_P5), "t", 1))
    assert result.startswith(f"StoreError: {path}: the workspace is read-only"), result
    assert "chmod u+w" in result and "--workspace" in result


def test_a_read_only_folder_is_a_clear_error(shared_dir):
    path = _prepare(shared_dir)
    path.chmod(0o666)
    shared_dir.chmod(0o555)
    result = _run_unprivileged(lambda: Workspace.open(path))
    assert result.startswith(f"StoreError: {path}: the folder {shared_dir} is read-only"), result
    result = _run_unprivileged(lambda: Workspace.open(shared_dir / "new.db"))
    assert "the workspace cannot be created there" in result, result


def test_a_read_only_connection_maps_sqlite_errors(ws):
    ws.import_case(TEXT, "a.yaml", "t")
    ws._conn.execute(
        "PRAGMA query_only = ON"
    )  # SQLite now answers every write with SQLITE_READONLY
    with pytest.raises(StoreError) as exc:
        ws.save(CASE, edit(TEXT, ADD_P5), "t", 1)
    assert exc.value.message.startswith(f"{ws.path}: the workspace is read-only, so saving case")
    assert "writable" in exc.value.hint


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "workspace.db"
    path.write_bytes(b"this is not a database, it is a shopping list\n" * 200)
    with pytest.raises(StoreError) as exc:
        Workspace.open(path)
    assert exc.value.message.startswith(f"{path}: the workspace is damaged or is not a database")
    assert (
        exc.value.hint
        == "restore it from a backup, or move it aside: achilles will create a new, empty one"
    )


def _corrupt_page(path: Path, table: str) -> None:
    raw = sqlite3.connect(path)
    page = raw.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    size = raw.execute("PRAGMA page_size").fetchone()[0]
    raw.close()
    data = bytearray(path.read_bytes())
    data[(page - 1) * size] = 0xFF  # not a valid b-tree page type
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("table", ["sqlite_autoindex_versions_1", "meta"])
def test_a_damaged_database_fails_the_integrity_check(tmp_path, table):
    path = tmp_path / "workspace.db"
    with Workspace.open(path) as w:
        w.import_case(TEXT, "a.yaml", "t")
        w.save(CASE, edit(TEXT, ADD_P5), "t", 1)
    assert not Path(f"{path}-wal").exists()  # checkpointed on close: the damage is in the main file
    _corrupt_page(path, table)
    with pytest.raises(StoreError) as exc:
        Workspace.open(path)
    assert exc.value.message.startswith(f"{path}: the workspace is damaged")
    assert "move it aside" in exc.value.hint
    _no_names(exc.value)
    moved = path.rename(tmp_path / "damaged.db")  # the way out works
    with Workspace.open(path) as w:
        assert w.list_cases() == []
    assert moved.exists()


def test_another_sqlite_database_is_not_taken_over(tmp_path):
    path = tmp_path / "other.db"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE recipes (name TEXT)")
    raw.commit()
    raw.close()
    with pytest.raises(StoreError, match="not an Achilles workspace"):
        Workspace.open(path)


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "ws.db"
    Workspace.open(path).close()
    raw = sqlite3.connect(path)
    raw.execute(
        "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(store_schema.LATEST + 1),)
    )
    raw.commit()
    raw.close()
    with pytest.raises(StoreError) as exc:
        Workspace.open(path)
    assert (
        f"schema version {store_schema.LATEST + 1}, newer than this Achilles knows"
        in exc.value.message
    )
    assert "upgrade Achilles" in exc.value.hint


def test_migration_from_version_1(tmp_path):
    path = tmp_path / "v1.db"
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("BEGIN")
    store_schema.migrate(raw, 0, "2024-01-01T00:00:00Z", upto=1)
    raw.execute("INSERT INTO cases VALUES (?, '2024-01-01T00:00:00Z')", (CASE,))
    raw.execute(
        "INSERT INTO versions VALUES (?, 1, ?, ?, 'old', '2024-01-01T00:00:00Z', 'first version', "
        "'Operation Transformation', '2015-06-01', NULL)",
        (CASE, TEXT, hashlib.sha256(TEXT.encode()).hexdigest()),
    )
    raw.execute(
        "INSERT INTO decisions (case_id, option_key, power_id, target, decision, reason, who, "
        "decided_at, case_version, rules_version, catalogue_version) VALUES "
        "(?, 'k@p1', 'k', 'p1', 'accepted', 'why', 'lro', '2024-01-01T00:00:00Z', 1, 'r', 'c')",
        (CASE,),
    )
    raw.execute("COMMIT")
    with pytest.raises(sqlite3.IntegrityError):  # version 1 could never delete
        raw.execute("DELETE FROM decisions")
    raw.close()

    with Workspace.open(path) as w:
        assert w.schema_version == store_schema.LATEST == 3
        assert w.get(CASE) == TEXT and w.history(CASE)[0].saved_by == "old"
        assert [d.reason for d in w.decisions(CASE)] == ["why"]
        assert w.retention_days == 730
        assert w.save(CASE, edit(TEXT, ADD_P5), "new", 1) == 2
        assert w.delete_case(CASE) == (2, 1)
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("3",)
    raw.close()


def test_a_failed_migration_changes_nothing(tmp_path, monkeypatch):
    path = tmp_path / "ws.db"
    Workspace.open(path).close()
    monkeypatch.setattr(
        store_schema,
        "MIGRATIONS",
        (*store_schema.MIGRATIONS, ("CREATE TABLE extra (x)", "CREATE TABLE meta (x)")),
    )
    monkeypatch.setattr(store_schema, "LATEST", store_schema.LATEST + 1)
    with pytest.raises(StoreError, match="while upgrading its schema"):
        Workspace.open(path)
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
        str(store_schema.LATEST - 1),
    )
    assert "extra" not in store_schema.user_tables(raw)
    raw.close()


# --- crashes ----------------------------------------------------------------------------------


def _crash_text(n: int) -> str:
    """Version n of the crash case: a changed title and a comment of varying size, so saves span
    several database pages."""
    padding = "".join(f"# padding line {i} for save {n}\n" for i in range((n * 37) % 400))
    return edit(TEXT, ("title: Operation Transformation", f"title: Operation Crash {n}")) + padding


def _saver(path: Path, write_fd: int) -> None:
    """The child: save new versions as fast as it can, reporting each one after its commit."""
    ws = Workspace.open(path)
    latest = ws.latest_version(CASE)
    n = int(re.search(r"Operation Crash (\d+)", ws.get(CASE)).group(1))
    os.write(write_fd, b"started\n")
    while True:
        n += 1
        latest = ws.save(CASE, _crash_text(n), "crash-test", latest)
        os.write(write_fd, f"{latest}\n".encode())


def test_killed_mid_save_never_loses_the_last_good_version(tmp_path):
    path = tmp_path / "ws.db"
    with Workspace.open(path) as w:
        w.import_case(_crash_text(0), "crash.yaml", "crash-test")
    parse_case(TEXT)  # vocabulary cached before forking
    rng = random.Random(7)
    total_saves = 0
    for _run in range(30):
        read_fd, write_fd = os.pipe()
        pid = _fork()
        if pid == 0:
            try:
                os.close(read_fd)
                _saver(path, write_fd)
            except BaseException as exc:  # noqa: BLE001
                os.write(write_fd, f"ERROR {type(exc).__name__}: {exc}\n".encode())
            finally:
                os._exit(3)
        os.close(write_fd)
        # Wait for the saver to be saving before the random delay, so a loaded machine that is
        # slow to schedule it still kills it mid-save rather than before it starts.
        # Every other run also waits for one committed save, so that on a machine too loaded
        # to save within the delay the kill still lands between or inside later saves.
        started = b""
        want = 1 if _run % 2 else 2
        while started.count(b"\n") < want:
            chunk = os.read(read_fd, 1)
            if not chunk:
                break
            started += chunk
        time.sleep(rng.uniform(0.0, 0.06))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        reported = started
        while chunk := os.read(read_fd, 65536):
            reported += chunk
        os.close(read_fd)
        lines = [line for line in reported.decode().split() if line != "started"]
        assert not any(line.startswith("ERROR") for line in lines), reported
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL

        with Workspace.open(path) as w:  # opening runs quick_check
            history = w.history(CASE)
            latest = history[-1]
            text = w.get(CASE)
            committed = int(lines[-1]) if lines else None
        if committed is not None:
            assert latest.version >= committed  # a reported save is never lost
            total_saves += 1
        n = int(re.search(r"Operation Crash (\d+)", text).group(1))
        assert text == _crash_text(n)  # complete, and exactly a text that was saved
        assert latest.sha256 == hashlib.sha256(text.encode()).hexdigest()
        assert [v.version for v in history] == list(range(1, latest.version + 1))
        parse_case(text, "latest")
    assert total_saves >= 10, "the saver was killed before saving anything in most runs"
