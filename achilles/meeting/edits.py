"""An edit to one entity, checked before it is applied: the problems it would cause (shown inline
in the form), what the law presumes about the people it touches, and the references a deletion
would leave dangling. Pure functions of the case data: the session applies what passes."""

from __future__ import annotations

import copy
from typing import Any

from pydantic import ValidationError

from achilles.knowledge import Knowledge
from achilles.loading.problems import Problem, Problems
from achilles.loading.validation import add_validation_errors
from achilles.model.case import Case
from achilles.model.case_file import check_case
from achilles.model.vocabulary import Vocabulary


def with_entity(
    data: dict[str, Any], section: str, index: int | None, entity: dict[str, Any]
) -> tuple[dict[str, Any], int]:
    """A copy of the case data with the entity added (index None) or replaced; and its index."""
    trial = copy.deepcopy(data)
    items = trial.setdefault(section, [])
    if index is None:
        items.append(entity)
        index = len(items) - 1
    else:
        items[index] = entity
    return trial, index


def entity_problems(
    data: dict[str, Any],
    vocab: Vocabulary,
    section: str,
    index: int | None,
    entity: dict[str, Any],
) -> list[Problem]:
    """The problems this edit would cause: those on the entity itself, else all of them."""
    trial, index = with_entity(data, section, index, entity)
    problems = Problems("edit")
    try:
        case = Case.model_validate(trial)
    except ValidationError as exc:
        add_validation_errors(problems, exc, Case)
        return [
            p for p in problems.items if p.path.startswith(f"{section}[{index}]")
        ] or problems.items
    check_case(case, vocab, problems)
    return [
        p for p in problems.errors if p.path.startswith(f"{section}[{index}]")
    ] or problems.errors


def presumption_advice(
    data: dict[str, Any],
    knowledge: Knowledge,
    section: str,
    index: int | None,
    entity: dict[str, Any],
) -> list[str]:
    """What the law presumes about the people this edit touches (a runner with no age is
    treated as a possible child): shown in the form while the LRO types, never blocking."""
    from achilles.facts import case_facts
    from achilles.presumptions import presume, warnings

    trial, _ = with_entity(data, section, index, entity)
    try:
        case = Case.model_validate(trial)
    except ValidationError:
        return []
    found = presume(
        case_facts(case, knowledge.vocab),
        knowledge.rulebook,
        case.case.as_of,
        case.case.jurisdiction,
    )
    mentioned = {entity.get("id")} | {str(v) for v in _flat_values(entity) if isinstance(v, str)}
    return [str(w) for w in warnings(found, case) if w.person in mentioned]


def deletion_problems(
    data: dict[str, Any], vocab: Vocabulary, section: str, index: int
) -> list[Problem]:
    """Deleting an entity others refer to would leave dangling references: say which."""
    trial = copy.deepcopy(data)
    trial[section].pop(index)
    problems = Problems("edit")
    try:
        check_case(Case.model_validate(trial), vocab, problems)
    except ValidationError:
        return []
    return problems.errors


def _flat_values(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [x for v in value.values() for x in _flat_values(v)]
    if isinstance(value, list):
        return [x for v in value for x in _flat_values(v)]
    return [value]


def header_problems(
    data: dict[str, Any], vocab: Vocabulary, info: dict[str, Any], ocg: dict[str, Any]
) -> list[Problem]:
    """The problems a new case header (`case:` and `ocg:`) would cause: those in the header
    itself, else all of them."""
    trial = copy.deepcopy(data)
    trial["case"], trial["ocg"] = info, ocg
    problems = Problems("edit")
    try:
        case = Case.model_validate(trial)
    except ValidationError as exc:
        add_validation_errors(problems, exc, Case)
        return _in_header(problems.items)
    check_case(case, vocab, problems)
    return _in_header(problems.errors)


def _in_header(found: list[Problem]) -> list[Problem]:
    return [p for p in found if p.path.split(".")[0] in ("case", "ocg")] or found
