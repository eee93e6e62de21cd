"""The committed JSON Schemas match the models (regenerate: python -m achilles.model.schemas)."""

from __future__ import annotations

import pytest

from achilles.model.schemas import SCHEMAS, render
from tests.samples import ROOT


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_has_not_drifted(name):
    committed = (ROOT / "schemas" / name).read_text()
    assert committed == render(name), (
        f"schemas/{name} is stale: run python -m achilles.model.schemas"
    )
