"""The `app` fixture: the real app on a private copy of the sample case (tests/tui/helpers.py)."""

from __future__ import annotations

import pytest

from tests.tui.helpers import make_app


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path)
