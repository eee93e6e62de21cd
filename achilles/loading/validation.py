"""Turning pydantic's validation errors into Problems a non-programmer can act on."""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from achilles.loading.problems import Problems, did_you_mean


def add_validation_errors(
    problems: Problems, exc: ValidationError, root: type[BaseModel], prefix: tuple = ()
) -> None:
    for error in exc.errors():
        _one(problems, dict(error), root, prefix)


def _one(problems: Problems, error: dict[str, Any], root: type[BaseModel], prefix: tuple) -> None:
    loc = (*prefix, *error["loc"])
    model_loc = tuple(error["loc"])
    kind = error["type"]
    field = loc[-1] if loc else ""
    if kind == "missing":
        problems.add(loc, "is required", f"add '{field}'")
    elif kind == "extra_forbidden":
        allowed = fields_at(root, model_loc[:-1])
        hint = did_you_mean(field, allowed) or (
            f"allowed here: {', '.join(sorted(allowed))}" if allowed else "remove it"
        )
        if isinstance(field, str) and " " in field:
            hint = (
                "a comma inside {...} ends a value, so the text after it became a field name: "
                "put the whole value in quotes"
            )
        problems.add(loc, f"unknown field '{field}'", hint)
    elif kind == "string_pattern_mismatch" and field == "id" and loc[:1] == ("case",):
        problems.add(
            loc,
            "case id must be lower-case letters, digits and '-', starting with a letter or digit",
            "e.g. 'beds-transformation'",
        )
    elif kind == "string_pattern_mismatch" and field == "id":
        problems.add(loc, "ids may hold only letters, digits and _ . : -", "e.g. 'n1' or 'p-crown'")
    elif kind == "string_pattern_mismatch":
        pattern = (error.get("ctx") or {}).get("pattern", "")
        hint = (
            "write a duration like 24h, 14d, 3mo or 2y"
            if "mo|y" in pattern
            else f"must match {pattern}"
        )
        problems.add(loc, f"'{error.get('input')}' is not in the expected form", hint)
    elif kind.startswith("date") or kind.startswith("datetime"):
        problems.add(loc, "is not a date", "write it as YYYY-MM-DD, e.g. 2015-06-01")
    elif kind == "literal_error":
        expected = (error.get("ctx") or {}).get("expected", "")
        options = [
            o.strip().strip("'") for o in expected.replace(" or ", ",").split(",") if o.strip()
        ]
        hint = did_you_mean(error.get("input"), options) or f"use one of: {expected}"
        problems.add(loc, f"'{error.get('input')}' is not allowed here", hint)
    elif kind == "list_type":
        problems.add(loc, "must be a list", "write it as [a, b] or one '- item' per line")
    elif kind in {"model_type", "model_attributes_type", "dict_type"}:
        problems.add(loc, "must be a mapping of fields", "check the indentation of this entry")
    elif kind == "string_too_short":
        problems.add(loc, "must not be empty", f"write a value for '{field}'")
    elif kind.startswith("string_too_long"):
        problems.add(loc, "is too long", "shorten it; move long text into notes")
    elif kind == "too_short":
        problems.add(loc, "must not be empty", "give at least one entry")
    elif kind == "string_type" and error.get("input") is None:
        problems.add(loc, "has no value", f"write a value after '{field}:'")
    elif kind == "string_type":
        problems.add(loc, "must be text", "quote it, e.g. '123'")
    elif kind == "bool_type" or kind == "bool_parsing":
        problems.add(loc, "must be true or false", "write true or false")
    elif kind.startswith("int") or kind in {"greater_than_equal", "less_than_equal"}:
        problems.add(loc, f"must be a whole number in range ({error['msg']})", "e.g. 17")
    elif kind == "value_error":
        problems.add(loc, str(error.get("msg", "")).removeprefix("Value error, "), None)
    else:
        problems.add(loc, error["msg"], None)


def fields_at(root: type[BaseModel], loc: tuple) -> list[str]:
    """The field names allowed at a location in a model, for 'did you mean'."""
    model: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return []
        info = model.model_fields.get(part)
        if info is None:
            info = next((f for f in model.model_fields.values() if f.alias == part), None)
        if info is None:
            return []
        model = _inner_model(info.annotation)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [f.alias or name for name, f in model.model_fields.items()]
    return []


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
