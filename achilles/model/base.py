"""The two kinds of model every data file is read into: frozen (rules, powers, cases: read, never
edited in place) and editable (the plan the LRO keeps, changed field by field). Both refuse an
unknown field, so a misspelt key is an error with its line, never silently dropped."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class FrozenModel(BaseModel):
    """Read from a file and never changed; attribute docstrings become the JSON Schema's
    descriptions, so the field documentation reaches editors."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class EditableModel(BaseModel):
    """Changed in place by the tracker; fields may be given by name or by their alias."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=False)
