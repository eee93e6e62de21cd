"""The entity form's fields, read from the case model so that a new field is never missed."""

from __future__ import annotations

import datetime as dt
import typing

from achilles.model.case import Case
from achilles.model.case_file import _TERMS, REFERENCES, SECTIONS


def form_fields(section: str) -> list[tuple[str, str]]:
    """The form of one section, read from the case model, so a new field is never missed.

    Each field's kind: text | int | date | term:<section> | terms:<section> | ref:<sections> |
    refs:<sections> | links | outcome. Vocabulary sections come from the loader's own map
    (`case_file._TERMS`), references from `case_file.REFERENCES`."""
    return _FORM_FIELDS[section]


def _derive(section: str) -> list[tuple[str, str]]:
    model = typing.get_args(Case.model_fields[section].annotation)[0]
    terms = _TERMS.get(section, {})
    refs = REFERENCES.get(section, {})
    out = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        many = typing.get_origin(info.annotation) is list
        inner = typing.get_args(info.annotation)[0] if many else info.annotation
        if f"{key}.person" in refs:
            kind = "links"
        elif key in refs:
            kind = f"{'refs' if many else 'ref'}:{','.join(refs[key])}"
        elif key in terms:
            kind = f"{'terms' if many else 'term'}:{terms[key]}"
        elif key == "outcome":
            kind = "outcome"
        elif _is(inner, int):
            kind = "int"
        elif _is(inner, dt.date):
            kind = "date"
        else:
            kind = "text"
        out.append((key, kind))
    # the id first, then what the thing is, then the rest in the model's order
    return sorted(out, key=lambda f: (f[0] != "id", f[0] not in ("kind", "role", "label", "name")))


def _is(annotation: object, kind: type) -> bool:
    options = typing.get_args(annotation) or (annotation,)
    return any(
        o is kind or (isinstance(o, type) and issubclass(o, kind) and o is not bool)
        for o in (
            typing.get_args(x)[0] if typing.get_origin(x) is typing.Annotated else x
            for x in options
        )
    )


_FORM_FIELDS = {section: _derive(section) for section in SECTIONS}


# The field a picker shows beside each entity's id, so people and places are chosen by name.
_NAME_FIELD = {"people": "name", "premises": "label", "businesses": "name", "vehicles": "vrm"}


def entity_names(data: dict) -> dict[str, str]:
    """id -> how a picker shows it: "Principal A (n1)"; the bare id when it has no name."""
    out = {}
    for section, field in _NAME_FIELD.items():
        for item in data.get(section, []):
            key = item.get("id")
            if key:
                name = item.get(field)
                out[str(key)] = f"{name} ({key})" if name else str(key)
    return out
