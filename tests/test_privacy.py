"""Privacy: no network, no personal data in logs or errors, owner-only files."""

from __future__ import annotations

import ast
import logging
import os
import socket
import stat

import pytest

from achilles.errors import InputError
from achilles.files import OutputError, write_new, write_private
from tests.samples import ROOT

NETWORK_MODULES = {
    "socket",
    "urllib",
    "http",
    "requests",
    "httpx",
    "aiohttp",
    "ftplib",
    "smtplib",
    "telnetlib",
    "xmlrpc",
    "ssl",
    "websockets",
}


def test_sockets_are_blocked_for_the_whole_test_run():
    """pytest-socket is on for every test (pyproject addopts): any network use would fail loudly."""
    with pytest.raises(Exception, match="(?i)socket"):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)


def test_no_module_imports_a_network_library():
    offenders = []
    for path in (ROOT / "achilles").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in NETWORK_MODULES]
    assert offenders == []


def test_write_private_is_owner_only_and_atomic(tmp_path):
    target = tmp_path / "out.md"
    write_private(target, "one")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    write_private(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]  # no temporary file left behind


def test_write_new_is_owner_only_and_never_clobbers_without_force(tmp_path):
    target = tmp_path / "group-00001.yaml"
    write_new(target, "one")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with pytest.raises(OutputError, match="already exists") as refused:
        write_new(target, "two", exists_hint="choose another --out")
    assert refused.value.hint == "choose another --out" and target.read_text() == "one"
    target.chmod(0o644)
    write_new(target, "two", force=True)
    assert target.read_text() == "two" and stat.S_IMODE(target.stat().st_mode) == 0o600


def test_failed_write_keeps_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "plan.md"
    write_private(target, "good")

    def full_disk(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(Exception, match="No space left"):
        write_private(target, "new")
    assert target.read_text() == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.md"]


def test_read_only_folder_is_a_clear_error(tmp_path, monkeypatch):
    """Simulated, because tests may run as root, who can write anywhere."""
    import tempfile

    target = tmp_path / "x.md"
    write_private(target, "kept")

    def read_only(*_a, **_k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    with pytest.raises(Exception, match="permission denied"):
        write_private(target, "x")
    assert target.read_text() == "kept"


def test_logs_and_errors_carry_no_names_or_notes(tmp_path, caplog):
    from achilles.analysis import analyse
    from achilles.catalogue import load_catalogue
    from achilles.model.case_file import load_case, parse_case
    from achilles.model.vocabulary import load_vocabulary
    from achilles.plan import build_plan
    from achilles.ranking import rank
    from achilles.rulebook.load import load_rulebook

    text = (ROOT / "examples/cases/contract-example.yaml").read_text()
    text = text.replace("name: Principal A", "name: Zebedee Secretname, notes: 'informant says X'")
    caplog.set_level(logging.DEBUG)
    vocab = load_vocabulary()
    catalogue = load_catalogue()
    rules = load_rulebook(catalogue)
    case = parse_case(text, "x.yaml", vocab)
    analysis = analyse(case, catalogue, rules, vocab)
    build_plan(analysis, rank(analysis, catalogue, vocab), catalogue, rules, vocab)
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace("role: principal", "role: principle"))
    with pytest.raises(InputError) as info:
        load_case(broken)
    messages = " ".join(p.render() for p in info.value.problems) + caplog.text
    assert "Secretname" not in messages and "informant" not in messages
