"""The session keeps the last plan it built: asked again with nothing changed it gives the same
plan; a plan edit, a new analysis, redaction or another start date build a new one."""

from __future__ import annotations

import datetime as dt
import shutil

from achilles.knowledge import load_knowledge
from achilles.meeting.session import Session
from tests.samples import EXAMPLE


def _session(tmp_path) -> Session:
    case = tmp_path / EXAMPLE.name
    shutil.copy(EXAMPLE, case)
    s = Session.from_file(case, load_knowledge())
    s.today = dt.date(2026, 1, 5)
    s.analyse()
    return s


def test_the_same_plan_until_something_it_depends_on_changes(tmp_path):
    s = _session(tmp_path)
    first = s.plan()
    assert first is not None and s.plan() is first
    assert s.plan(redact=True) is not first
    assert s.plan(start=dt.date(2026, 2, 1)) is not first

    key = first.actions()[0].key
    s.change_plan(lambda t: t.add(key, owner="PS Patel"))
    edited = s.plan()
    assert edited is not first
    assert next(a for a in edited.actions() if a.key == key).owner == "PS Patel"

    s.analyse()  # a new run of the rules: a new plan, even when the picture is the same
    again = s.plan()
    assert again is not edited
    assert next(a for a in again.actions() if a.key == key).owner == "PS Patel"
