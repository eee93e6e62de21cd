"""The knowledge cache: reused when nothing changed, rebuilt when a rule file changes, never trusted
when another user could have written it."""

from __future__ import annotations

import os

from achilles.rulebook import cache


def test_cache_reuses_and_invalidates(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "a.yaml").write_text("theme: a\n")
    calls = []

    def build():
        calls.append(1)
        return {"n": len(calls)}

    assert cache.cached([rules], build) == {"n": 1}
    assert cache.cached([rules], build) == {"n": 1}  # from the cache
    (rules / "a.yaml").write_text("theme: a changed\n")
    os.utime(rules / "a.yaml", ns=(1, 1))
    assert cache.cached([rules], build) == {"n": 2}  # a rule changed: rebuilt
    files = list((tmp_path / "cache").rglob("*.pickle"))
    assert len(files) == 1
    assert oct(files[0].stat().st_mode & 0o777) == "0o600"
    files[0].chmod(0o644)  # someone loosened it: do not trust it
    assert cache.cached([rules], build) == {"n": 3}
