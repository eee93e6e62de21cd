"""The `app` fixture: the real app on a private copy of the sample case.

The Pilot helpers live in tests/tui/helpers.py; they are re-exported here so that older imports
(`from tests.tui.conftest import settle`) keep working.
"""

from __future__ import annotations

import pytest

from tests.tui.helpers import ROOT, SAMPLE, TODAY, make_app, row_keys, settle, show_option

__all__ = [
    "ROOT",
    "SAMPLE",
    "TODAY",
    "app",
    "make_app",
    "row_keys",
    "settle",
    "show_option",
]


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path)
