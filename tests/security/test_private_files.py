"""Issue 17 part 4, files that stay private: the review's F-8, F-9, F-10, F-22 and F-23, each
through the real command (or the real TUI session's save), on real files and a real SQLite
workspace. Every refusal is exit 2 with a message naming the file, and leaves the target as it
was."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from achilles.files import OutputError, check_private_file, keep_first_copy, write_new
from achilles.knowledge import load_knowledge
from achilles.meeting.session import Session
from tests.security.conftest import achilles, bad_input, mode

NOBODY = 65534


def _give_away(path: Path) -> None:
    """Make `path` another user's file (needs root: only root can chown)."""
    if os.geteuid() != 0:
        pytest.skip("only root can make a file that belongs to another user")
    os.chown(path, NOBODY, NOBODY)


# --- F-8: a pre-existing workspace keeps loose permissions ------------------------------------


def test_f8_an_empty_pre_made_workspace_with_mode_644_is_tightened(tmp_path, base_case):
    db = tmp_path / "ws.db"
    db.touch()
    db.chmod(0o644)
    r = achilles("case", "import", str(base_case), "--workspace", str(db), umask=0o022)
    assert r.code == 0, r.err
    files = sorted(tmp_path.glob("ws.db*"))
    assert db in files
    assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}


def test_f8_a_copied_workspace_with_loose_wal_and_shm_is_tightened(tmp_path, base_case):
    db = tmp_path / "ws.db"
    assert achilles("case", "import", str(base_case), "--workspace", str(db)).code == 0
    # A copy made by hand: the database, its -wal and its -shm all world-writable.
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_autocheckpoint = 0")
    con.execute("CREATE TABLE IF NOT EXISTS scratch (x)")  # leaves a -wal behind
    for f in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        if f.exists():
            f.chmod(0o666)
    r = achilles("cases", "list", "--workspace", str(db))
    con.close()
    assert r.code == 0, r.err
    for f in tmp_path.glob("ws.db*"):
        assert mode(f) == 0o600, f


# --- F-9: the workspace follows a symlink into another user's file ----------------------------


def test_f9_a_link_to_another_users_database_is_refused(tmp_path, base_case):
    other = tmp_path / "other"
    other.mkdir(mode=0o777)
    theirs = other / "theirs.db"
    assert achilles("case", "import", str(base_case), "--workspace", str(theirs)).code == 0
    theirs.chmod(0o666)
    _give_away(theirs)
    before = theirs.read_bytes()
    link = tmp_path / "mylink.db"
    link.symlink_to(theirs)
    r = achilles("case", "import", str(base_case), "--workspace", str(link), held_to_modes=True)
    bad_input(r, str(link), "symbolic link")
    assert theirs.read_bytes() == before  # nothing written into their file
    # And named directly, their file is refused for belonging to them.
    r = achilles("cases", "list", "--workspace", str(theirs), held_to_modes=True)
    bad_input(r, str(theirs), "belongs to another user")


def test_f9_a_link_is_refused_even_to_a_file_of_your_own(tmp_path, base_case):
    mine = tmp_path / "mine.db"
    assert achilles("case", "import", str(base_case), "--workspace", str(mine)).code == 0
    link = tmp_path / "link.db"
    link.symlink_to(mine)
    bad_input(achilles("cases", "list", "--workspace", str(link)), "symbolic link")
    dangling = tmp_path / "dangling.db"
    dangling.symlink_to(tmp_path / "nowhere" / "ws.db")
    r = achilles("case", "import", str(base_case), "--workspace", str(dangling))
    bad_input(r, "symbolic link that points nowhere")
    assert not (tmp_path / "nowhere").exists()


def test_f9_a_linked_wal_file_is_refused(tmp_path, base_case):
    db = tmp_path / "ws.db"
    assert achilles("case", "import", str(base_case), "--workspace", str(db)).code == 0
    for f in (Path(f"{db}-wal"), Path(f"{db}-shm")):
        f.unlink(missing_ok=True)
    target = tmp_path / "elsewhere"
    Path(f"{db}-wal").symlink_to(target)
    bad_input(achilles("cases", "list", "--workspace", str(db)), "-wal", "symbolic link")
    assert not target.exists()


# --- F-10: the TUI's first save follows a dangling backup symlink -----------------------------


def _edit_and_save(case_path: Path, person: str = "n9") -> tuple[Session, str | None]:
    """Open the case as the TUI does, add a person (which saves at once); the save's message."""
    session = Session.from_file(case_path, load_knowledge())
    assert session.case is not None and not session.read_only
    assert session.apply("people", None, {"id": person, "role": "member", "age": 40}) == []
    return session, session.save_error


def test_f10_the_first_save_never_writes_through_a_dangling_backup_link(
    tmp_path, base_case, monkeypatch
):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    leak = tmp_path / "somewhere" / "leak.txt"
    leak.parent.mkdir()
    backup = tmp_path / f".{base_case.name}.before-achilles"
    backup.symlink_to(leak)
    original = base_case.read_bytes()
    _, message = _edit_and_save(base_case)
    assert message is not None and "symbolic link" in message, message
    assert not leak.exists()  # the case text went nowhere
    assert backup.is_symlink()  # and the link is left for the user to look at
    assert base_case.read_bytes() == original  # not saved without its backup
    kept = list((tmp_path / "data").rglob("unsaved/*.yaml"))
    assert len(kept) == 1 and "id: n9" in kept[0].read_text()  # nothing typed is lost
    assert mode(kept[0]) == 0o600 and mode(kept[0].parent) == 0o700


def test_f10_the_backup_is_owner_only_from_its_first_byte_and_kept(tmp_path, base_case):
    base_case.chmod(0o644)
    original = base_case.read_bytes()
    old = os.umask(0)
    try:
        _, message = _edit_and_save(base_case)
    finally:
        os.umask(old)
    assert message is None, message
    backup = tmp_path / f".{base_case.name}.before-achilles"
    assert backup.read_bytes() == original and mode(backup) == 0o600
    assert "id: n9" in base_case.read_text()
    # A second session keeps the first backup: it is the file as it was before Achilles.
    assert _edit_and_save(base_case, "n10")[1] is None
    assert backup.read_bytes() == original


def test_the_backup_is_never_a_pipe_a_device_or_someone_elses(tmp_path):
    source = tmp_path / "case.yaml"
    source.write_text("case: {}\n")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="named pipe"):
        keep_first_copy(source, fifo)
    with pytest.raises(OutputError, match="device"):
        keep_first_copy(source, Path("/dev/null"))
    theirs = tmp_path / "theirs"
    theirs.write_text("x")
    _give_away(theirs)
    with pytest.raises(OutputError, match="another user"):
        keep_first_copy(source, theirs)


def test_the_demo_is_a_private_copy_in_a_private_folder(tmp_path):
    achilles_folder = tmp_path / "data" / "achilles"
    achilles_folder.mkdir(parents=True, mode=0o755)
    achilles_folder.chmod(0o755)  # made loose by someone else: Achilles's own, so tightened
    folder = achilles_folder / "demo"
    old = os.umask(0)
    try:
        session = Session.demo(load_knowledge(), "contract-example.yaml", folder)
    finally:
        os.umask(old)
    assert session.path is not None and session.path.parent == folder
    assert mode(session.path) == 0o600
    assert mode(folder) == 0o700 and mode(achilles_folder) == 0o700
    assert mode(tmp_path / "data") == 0o755  # above Achilles's own folders: left alone


# --- F-22: --out replaces a FIFO, a device or a link ------------------------------------------


WRITERS = ("plan", "recommend", "review", "batch", "case new", "case export")
TARGETS = ("fifo", "device", "dangling link", "link to a file", "link to stdout")


def _writer(name: str, tmp_path: Path, base_case: Path) -> list[str]:
    """A command with --out, ready but for the target."""
    if name == "case export":
        db = tmp_path / "ws.db"
        assert achilles("case", "import", str(base_case), "--workspace", str(db)).code == 0
        return ["case", "export", "probe-case", "--workspace", str(db)]
    return {
        "plan": ["plan", str(base_case)],
        "recommend": ["recommend", str(base_case), "--format", "json"],
        "review": ["review", str(base_case)],
        "batch": ["batch", str(base_case), "--serial"],
        "case new": ["case", "new"],
    }[name]


def _make_target(tmp_path: Path, kind: str) -> tuple[Path, object]:
    """The target and what must still be there afterwards."""
    path = tmp_path / f"out-{kind.replace(' ', '-')}"
    if kind == "fifo":
        os.mkfifo(path)
        return path, "fifo"
    if kind == "device":
        return Path("/dev/null"), "device"
    if kind == "dangling link":
        path.symlink_to(tmp_path / "leak.md")
        return path, tmp_path / "leak.md"
    if kind == "link to a file":
        real = tmp_path / "real.md"
        real.write_text("the user's own text\n")
        path.symlink_to(real)
        return path, real
    path.symlink_to("/proc/self/fd/1")
    return path, "/proc/self/fd/1"


def _unchanged(path: Path, kind: str, expect: object) -> None:
    st = os.lstat(path)
    if kind == "fifo":
        assert stat.S_ISFIFO(st.st_mode)
    elif kind == "device":
        assert stat.S_ISCHR(st.st_mode)
    else:
        assert stat.S_ISLNK(st.st_mode)
        if kind == "dangling link":
            assert not Path(str(expect)).exists()  # nothing written where it pointed
        elif kind == "link to a file":
            assert Path(str(expect)).read_text() == "the user's own text\n"
        else:
            assert os.readlink(path) == expect


WORDS = {
    "fifo": "named pipe",
    "device": "a device",
    "dangling link": "symbolic link that points nowhere",
    "link to a file": "symbolic link",
    "link to stdout": "symbolic link",
}


@pytest.mark.parametrize("name", WRITERS)
def test_f22_every_out_refuses_pipes_devices_and_links_even_with_force(tmp_path, base_case, name):
    command = _writer(name, tmp_path, base_case)
    for kind in TARGETS:
        folder = tmp_path / kind.replace(" ", "-")
        folder.mkdir()
        target, expect = _make_target(folder, kind)
        # Without --force too for the link that points nowhere: it does not "exist".
        for force in ([], ["--force"]) if kind == "dangling link" else (["--force"],):
            r = achilles(*command, "--out", str(target), *force)
            bad_input(r, str(target), WORDS[kind])
            _unchanged(target, kind, expect)


def test_write_new_never_opens_a_pipe_it_was_told_to_replace(tmp_path):
    fifo = tmp_path / "group-0001.yaml"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="named pipe"):
        write_new(fifo, "x", force=True)  # would block forever if it opened the pipe
    link = tmp_path / "group-0002.yaml"
    link.symlink_to(tmp_path / "leak")
    with pytest.raises(OutputError, match="symbolic link"):
        write_new(link, "x", force=True)
    assert not (tmp_path / "leak").exists()


def test_synth_force_refuses_a_pipe_in_the_corpus_folder(tmp_path):
    out = tmp_path / "corpus"
    assert achilles("synth", "--groups", "2", "--seed", "1", "--out", str(out)).code == 0
    first = sorted(out.iterdir())[0]
    first.unlink()
    os.mkfifo(first)
    r = achilles("synth", "--groups", "2", "--seed", "1", "--out", str(out), "--force")
    bad_input(r, str(first), "named pipe")


# --- F-23: created parent folders are 0700 whatever the umask ---------------------------------


def test_f23_cache_parents_created_under_umask_000_are_owner_only(tmp_path, base_case):
    cache = tmp_path / "x" / "cache"
    r = achilles(
        "recommend",
        str(base_case),
        "--format",
        "json",
        env={"XDG_CACHE_HOME": str(cache), "ACHILLES_NO_CACHE": ""},
        umask=0,
    )
    assert r.code == 0, r.err
    pickles = list(cache.rglob("knowledge-*.pickle"))
    assert len(pickles) == 1 and mode(pickles[0]) == 0o600
    for folder in (tmp_path / "x", cache, pickles[0].parent):
        assert mode(folder) == 0o700, folder


def test_f23_workspace_and_synth_folders_under_umask_000(tmp_path, base_case):
    db = tmp_path / "a" / "b" / "ws.db"
    assert achilles("case", "import", str(base_case), "--workspace", str(db), umask=0).code == 0
    for folder in (tmp_path / "a", tmp_path / "a" / "b"):
        assert mode(folder) == 0o700, folder
    assert mode(db) == 0o600
    out = tmp_path / "c" / "d" / "corpus"
    assert achilles("synth", "--groups", "1", "--out", str(out), umask=0).code == 0
    for folder in (tmp_path / "c", tmp_path / "c" / "d", out):
        assert mode(folder) == 0o700, folder
    assert {mode(f) for f in out.iterdir()} == {0o600}


def test_check_private_file_tightens_refuses_and_says_why(tmp_path):
    f = tmp_path / "ws.db"
    assert check_private_file(f, "the workspace") is False  # not there yet: nothing to vet
    f.write_text("")
    f.chmod(0o664)
    assert check_private_file(f, "the workspace") is True
    assert mode(f) == 0o600
    with pytest.raises(OutputError, match="is a device"):
        check_private_file(Path("/dev/null"), "the workspace")
    _give_away(f)
    with pytest.raises(OutputError, match="belongs to another user"):
        check_private_file(f, "the workspace")
