"""What changed between two versions of a case, in words safe for any log.

Entities are matched by id (activities without an id by kind and position); the plan by option
key. A line names only ids, field names, vocabulary terms, references and dates, e.g.
"changed activity act-2.status intelligence -> corroborated" or
"plan: updated closure_notice@p1 (status agreed -> in_progress)". Free-text fields (names, labels,
notes, titles, addresses, VRMs, ages, grades) are reported as changed, never with their values.
"""

from __future__ import annotations

from typing import Any

from achilles.loading.yaml_reader import parse_yaml
from achilles.model.case import Case
from achilles.model.plan_state import plan_of
from achilles.tracker import plan_changes

# Fields whose values may be shown: vocabulary terms, ids, references, dates, the marking.
_SHOWN = {
    "id",
    "as_of",
    "review_on",
    "jurisdiction",
    "marking",
    "threat",
    "role",
    "immigration",
    "use",
    "tenure",
    "landlord",
    "trade",
    "premises",
    "kind",
    "keeper",
    "status",
    "since",
}
_SHOWN_LISTS = {
    "partners",
    "crime_types",
    "benefits",
    "licences",
    "designations",
    "flags",
    "vulnerabilities",
    "registrations",
    "users",
    "at",
    "by",
    "using",
}
_LINKS = {"occupants", "people"}  # lists of {person, as}

_SECTIONS = (
    ("people", "person"),
    ("premises", "premises"),
    ("businesses", "business"),
    ("vehicles", "vehicle"),
)

MAX_STORED_LINES = 20


def read_case(text: str) -> Case | None:
    """The case's structure without the vocabulary check (stored versions were checked when
    saved; a later vocabulary must not stop us describing them). None when unreadable."""
    try:
        doc = parse_yaml(text, "<version>")
        return Case.model_validate(doc.data)
    except Exception:  # noqa: BLE001 - any failure means "cannot describe", never a crash
        return None


def describe_changes(old: Case | None, new: Case | None) -> list[str]:
    if old is None or new is None:
        return ["changed the text (a version could not be read as a case)"]
    a, b = old.to_data(), new.to_data()
    lines: list[str] = []
    for section in ("case", "ocg"):
        _fields(section, a.get(section) or {}, b.get(section) or {}, lines)
    for section, noun in _SECTIONS:
        _entities(noun, _by_id(a.get(section)), _by_id(b.get(section)), lines)
    _activities(a.get("activities") or [], b.get("activities") or [], lines)
    for change in plan_changes(plan_of(old), plan_of(new)):
        lines.append(
            f"plan: {change.kind} {change.key or 'the plan'}"
            + (f" ({change.detail})" if change.detail else "")
        )
    return lines or ["no change to the data (layout or comments only)"]


def join_summary(lines: list[str]) -> str:
    if len(lines) > MAX_STORED_LINES:
        rest = len(lines) - MAX_STORED_LINES
        lines = [*lines[:MAX_STORED_LINES], f"and {rest} more change{'s' if rest != 1 else ''}"]
    return "; ".join(lines)


def _by_id(items: Any) -> dict[str, dict]:
    return {item["id"]: item for item in items or [] if isinstance(item, dict) and "id" in item}


def _entities(noun: str, old: dict[str, dict], new: dict[str, dict], lines: list[str]) -> None:
    for key in new:
        if key not in old:
            lines.append(f"added {noun} {key}")
    for key in old:
        if key not in new:
            lines.append(f"removed {noun} {key}")
    for key in new:
        if key in old:
            _fields(f"{noun} {key}", old[key], new[key], lines)


def _activities(old: list[dict], new: list[dict], lines: list[str]) -> None:
    """Activities with an id match by id; the rest first by equal content, then by kind in order."""

    def label(item: dict, index: int) -> str:
        return f"activity {item['id']}" if "id" in item else f"activities[{index}]"

    old_left = list(enumerate(old))
    pairs: list[tuple[int, int]] = []
    unmatched_new: list[int] = []
    for j, item in enumerate(new):
        hit = next(
            (k for k, (_, o) in enumerate(old_left) if "id" in item and o.get("id") == item["id"]),
            None,
        )
        if hit is None and "id" not in item:
            hit = next(
                (k for k, (_, o) in enumerate(old_left) if "id" not in o and o == item), None
            )
        if hit is None:
            unmatched_new.append(j)
        else:
            pairs.append((old_left.pop(hit)[0], j))
    still_new = []
    for j in unmatched_new:
        item = new[j]
        hit = (
            None
            if "id" in item
            else next(
                (
                    k
                    for k, (_, o) in enumerate(old_left)
                    if "id" not in o and o.get("kind") == item.get("kind")
                ),
                None,
            )
        )
        if hit is None:
            still_new.append(j)
        else:
            pairs.append((old_left.pop(hit)[0], j))
    for j in still_new:
        lines.append(f"added {label(new[j], j)} ({_safe_term(new[j].get('kind'))})")
    for i, item in old_left:
        lines.append(f"removed {label(item, i)} ({_safe_term(item.get('kind'))})")
    for i, j in sorted(pairs, key=lambda p: p[1]):
        _fields(label(new[j], j), old[i], new[j], lines)


def _fields(where: str, old: dict, new: dict, lines: list[str]) -> None:
    for field in [*old.keys(), *[k for k in new if k not in old]]:
        a, b = old.get(field), new.get(field)
        if a == b:
            continue
        path = f"{where}.{field}"
        if isinstance(a, dict) or isinstance(b, dict):
            _fields(path, a if isinstance(a, dict) else {}, b if isinstance(b, dict) else {}, lines)
        elif field in _SHOWN:
            lines.append(f"changed {path} {_value(a)} -> {_value(b)}")
        elif field in _SHOWN_LISTS:
            lines.append(_list_change(path, [str(x) for x in a or []], [str(x) for x in b or []]))
        elif field in _LINKS and all(isinstance(x, dict) for x in [*(a or []), *(b or [])]):
            lines.append(
                _list_change(path, [_link(x) for x in a or []], [_link(x) for x in b or []])
            )
        else:
            lines.append(f"changed {path}")


def _list_change(path: str, a: list[str], b: list[str]) -> str:
    added = [x for x in b if x not in a]
    removed = [x for x in a if x not in b]
    parts = []
    if added:
        parts.append("added " + ", ".join(_safe_term(x) for x in added))
    if removed:
        parts.append("removed " + ", ".join(_safe_term(x) for x in removed))
    return f"changed {path}: {' and '.join(parts)}" if parts else f"reordered {path}"


def _link(item: dict) -> str:
    return f"{_safe_term(item.get('person'))} as {_safe_term(item.get('as'))}"


def _value(value: Any) -> str:
    return "(none)" if value is None else _safe_term(value)


def _safe_term(value: Any) -> str:
    """Terms, ids and dates are short tokens; anything else is not shown."""
    text = str(value)
    if (
        len(text) <= 80
        and text.replace("-", "").replace("_", "").replace(".", "").replace(":", "").isalnum()
    ):
        return text
    return "(a value)"
