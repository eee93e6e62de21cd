"""Reading a case file: structure (pydantic), then vocabulary and references, every problem at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from achilles.errors import InputError
from achilles.loading.budget import within_budget
from achilles.loading.problems import Problems, choices_hint, did_you_mean
from achilles.loading.validation import add_validation_errors
from achilles.loading.yaml_reader import Document, load_yaml, parse_yaml
from achilles.model.case import Case
from achilles.model.marking import marking_problem
from achilles.model.plan_state import check_plan
from achilles.model.vocabulary import Vocabulary, load_vocabulary

# field name -> vocabulary section, per entity kind
_TERMS: dict[str, dict[str, str]] = {
    "case": {"jurisdiction": "jurisdiction", "partners": "agency"},
    "ocg": {"crime_types": "activity_kind", "threat": "threat"},
    "people": {
        "role": "role",
        "benefits": "benefit",
        "licences": "person_licence",
        "immigration": "immigration",
        "flags": "person_flag",
        "vulnerabilities": "vulnerability",
    },
    "premises": {
        "use": "premises_use",
        "tenure": "tenure",
        "landlord": "landlord",
        "licences": "premises_licence",
        "designations": "licensing_designation",
        # Premises flags are free-form in the contract's sense: the contract lists none; we
        # allow the activity kinds (e.g. fire_risk) so analysts can mark a property's problems.
        "flags": "activity_kind",
    },
    "businesses": {"trade": "trade", "registrations": "registration", "flags": "business_flag"},
    "vehicles": {"kind": "vehicle_kind", "flags": "vehicle_flag"},
    "activities": {"kind": "activity_kind", "status": "status"},
    "events": {"kind": "event_kind", "offence": "activity_kind", "by": "agency"},
}
# Which entities each reference field names, per section: the loader checks them and the TUI
# offers exactly these in its pickers. `occupants.person` is the person of each link.
REFERENCES: dict[str, dict[str, tuple[str, ...]]] = {
    "premises": {"occupants.person": ("people",)},
    "businesses": {"premises": ("premises",), "people.person": ("people",)},
    "vehicles": {"keeper": ("people", "businesses"), "users": ("people",)},
    "activities": {
        "at": ("premises",),
        "by": ("people", "businesses"),
        "using": ("vehicles", "businesses"),
        "affecting": ("people",),
    },
    "events": {"of": ("people", "businesses"), "at": ("premises",)},
}
SECTIONS = ("people", "premises", "businesses", "vehicles", "activities", "events")


def case_yaml(data: dict) -> str:
    """A case as YAML text that reads back to the same case, whatever characters it holds."""
    import yaml

    dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    if any(ch in dumped for ch in "\x85\u2028\u2029"):
        # PyYAML writes these line separators raw and they would come back as spaces: escape all
        dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=False, width=100)
    return dumped


def load_case(path: str | Path, vocab: Vocabulary | None = None) -> Case:
    """Load and check a case file; raise InputError listing every problem."""
    doc = load_yaml(path, what="case file")
    return case_from_document(doc, vocab)


def parse_case(text: str, file: str = "<case>", vocab: Vocabulary | None = None) -> Case:
    return case_from_document(parse_yaml(text, file), vocab)


def case_from_document(doc: Document, vocab: Vocabulary | None = None) -> Case:
    case, problems = check_document(doc, vocab)
    if problems.errors or case is None:
        count = len(problems.errors)
        raise InputError(
            f"{doc.file}: {count} problem{'s' if count != 1 else ''} in the case file",
            problems.items,
        )
    return case


def check_document(doc: Document, vocab: Vocabulary | None = None) -> tuple[Case | None, Problems]:
    """Every problem in the file, and the case when its structure is sound."""
    vocab = vocab or load_vocabulary()
    problems = doc.problems
    data = doc.data
    if data is None:
        problems.add((), "the file is empty", "start from `achilles case new`")
        return None, problems
    if not isinstance(data, dict):
        problems.add(
            (),
            "a case file must be a mapping with 'case' and 'ocg' sections",
            "start from `achilles case new`",
        )
        return None, problems
    if not within_budget(data, problems):
        return None, problems  # refused before any costly check
    try:
        case = Case.model_validate(data)
    except ValidationError as exc:
        add_validation_errors(problems, exc, Case)
        _check_terms_raw(data, vocab, problems)
        _check_marking(data, vocab, problems)
        _check_links_raw(data, vocab, problems)
        check_references(data, problems)
        check_plan(data, vocab, problems)
        return None, problems
    check_case(case, vocab, problems)
    return case, problems


def _check_marking(data: dict, vocab: Vocabulary, problems: Problems) -> None:
    """The protective marking is a Government Security Classifications term (model/marking.py)."""
    info = data.get("case")
    if isinstance(info, dict) and "marking" in info:
        found = marking_problem(info["marking"], vocab)
        if found is not None:
            problems.add(("case", "marking"), found.message, found.hint)


def _check_terms_raw(data: dict, vocab: Vocabulary, problems: Problems) -> None:
    """When the structure failed, still report misspelt terms so the user fixes all at once."""
    for section, fields in _TERMS.items():
        body = data.get(section)
        items = body if isinstance(body, list) else [body] if isinstance(body, dict) else []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            base = (section, i) if isinstance(body, list) else (section,)
            for field, vsection in fields.items():
                _check_value(item.get(field), (*base, field), vsection, vocab, problems)


def _check_value(
    value: Any, path: tuple, section: str, vocab: Vocabulary, problems: Problems
) -> None:
    values = value if isinstance(value, list) else [] if value is None else [value]
    for j, term in enumerate(values):
        if not isinstance(term, str) or not term or vocab.has(section, term):
            continue  # an empty term is reported once, as empty
        where = (*path, j) if isinstance(value, list) else path
        problems.add(
            where,
            f"'{term}' is not a known {section.replace('_', ' ')} term",
            choices_hint(term, list(vocab.terms(section))) + "; or add it to vocabulary.yaml",
        )


def check_case(case: Case, vocab: Vocabulary, problems: Problems) -> None:
    """Vocabulary terms, unique ids and references of the right kind."""
    data = case.model_dump(by_alias=True)
    _check_terms_raw(data, vocab, problems)
    _check_marking(data, vocab, problems)
    _check_links_raw(data, vocab, problems)
    check_references(data, problems)
    _check_events(data, case.case.as_of, vocab, problems)
    check_plan(data, vocab, problems)


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


def _items(data: dict, section: str) -> list[tuple[int, dict]]:
    body = data.get(section)
    if not isinstance(body, list):
        return []
    return [(i, item) for i, item in enumerate(body) if isinstance(item, dict)]


def _check_links_raw(data: dict, vocab: Vocabulary, problems: Problems) -> None:
    for i, p in _items(data, "premises"):
        for j, link in enumerate(_list(p.get("occupants"))):
            if isinstance(link, dict):
                _check_value(
                    link.get("as"),
                    ("premises", i, "occupants", j, "as"),
                    "link_as",
                    vocab,
                    problems,
                )
    for i, b in _items(data, "businesses"):
        for j, link in enumerate(_list(b.get("people"))):
            if isinstance(link, dict):
                _check_value(
                    link.get("as"), ("businesses", i, "people", j, "as"), "link_as", vocab, problems
                )


def check_references(data: dict, problems: Problems) -> None:
    """Unique ids and references of the right kind; works on raw data, so a file whose
    structure is broken still gets its references checked."""
    kinds: dict[str, str] = {}
    for section in SECTIONS:
        for i, item in _items(data, section):
            key = item.get("id")
            if not isinstance(key, str):
                continue
            if key in kinds:
                problems.add(
                    (section, i, "id"),
                    f"duplicate id '{key}' (already used in {kinds[key]})",
                    "give every person, premises, business, vehicle and activity its own id",
                )
            else:
                kinds[key] = section

    positional = {f"act-{i + 1}" for i, a in _items(data, "activities") if not a.get("id")}
    events = {f"ev-{i + 1}" for i, e in _items(data, "events") if not e.get("id")}
    positional |= events
    positional.add("ocg")  # the group itself is known by this key
    for section in SECTIONS:
        for i, item in _items(data, section):
            if isinstance(item.get("id"), str) and item["id"] in positional:
                what = (
                    "the group itself"
                    if item["id"] == "ocg"
                    else "an event without an id"
                    if item["id"] in events
                    else "an activity without an id"
                )
                problems.add(
                    (section, i, "id"),
                    f"'{item['id']}' is how {what} is known",
                    "choose another id here"
                    if item["id"] == "ocg"
                    else "give that one an id, or choose another id here",
                )

    def ref(path: tuple, key: object, allowed: tuple[str, ...]) -> None:
        if key is None or not isinstance(key, str):
            return
        kind = kinds.get(key)
        if kind is None:
            pool = [k for k, v in kinds.items() if v in allowed]
            hint = did_you_mean(key, pool) or f"define it under {' or '.join(allowed)}"
            problems.add(path, f"refers to '{key}', which is not defined", hint)
        elif kind not in allowed:
            problems.add(
                path,
                f"'{key}' is in {kind}, but this must name {' or '.join(allowed)}",
                "check the id",
            )

    def refs(path: tuple, values: object, allowed: tuple[str, ...]) -> None:
        for j, key in enumerate(values if isinstance(values, list) else []):
            ref((*path, j), key, allowed)

    for section, fields in REFERENCES.items():
        for i, item in _items(data, section):
            for name, allowed in fields.items():
                field, _, inner = name.partition(".")
                value = item.get(field)
                if inner:
                    for j, link in enumerate(_list(value)):
                        if isinstance(link, dict):
                            ref((section, i, field, j, inner), link.get(inner), allowed)
                elif isinstance(value, list):
                    refs((section, i, field), value, allowed)
                else:
                    ref((section, i, field), value, allowed)


def _check_events(data: dict, as_of: Any, vocab: Vocabulary, problems: Problems) -> None:
    """What each kind of event must and may say (vocabulary `event_fields`), and its dates."""
    import datetime as dt

    for i, e in _items(data, "events"):
        kind = e.get("kind")
        spec = vocab.event_fields.get(kind) if isinstance(kind, str) else None
        kind = str(kind)
        on, until = e.get("on"), e.get("until")
        if isinstance(on, dt.date) and isinstance(as_of, dt.date) and on > as_of:
            problems.add(
                ("events", i, "on"),
                f"the event is dated {on}, after the case's as_of date {as_of}",
                "a legal record holds what has happened: check the date, or move case.as_of on",
            )
        if isinstance(on, dt.date) and isinstance(until, dt.date) and until < on:
            problems.add(
                ("events", i, "until"),
                f"'until' ({until}) is before 'on' ({on})",
                "until is when it ends: check the two dates",
            )
        if spec is None:
            continue  # an unknown kind is reported with the other vocabulary terms
        for name in spec.required:
            if e.get(name) in (None, [], ""):
                problems.add(
                    ("events", i, name),
                    f"{_a(kind)} event needs '{name}'",
                    f"add {name}: {_EVENT_HINTS.get(name, '...')}",
                )
        for name in ("of", "at", "until", "offence", "power", "outcome", "by", "court"):
            if e.get(name) not in (None, [], "") and not spec.allows(name):
                allowed = ", ".join(("on", *spec.required, *spec.optional))
                problems.add(
                    ("events", i, name),
                    f"{_a(kind)} event has no '{name}'",
                    f"{_a(kind)} event may hold {allowed}",
                )
        outcome = e.get("outcome")
        if isinstance(outcome, str) and spec.outcomes and spec.allows("outcome"):
            _check_value(outcome, ("events", i, "outcome"), spec.outcomes, vocab, problems)


def _a(word: str) -> str:
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word.replace('_', ' ')}"


_EVENT_HINTS = {
    "of": "[person or business ids]",
    "at": "[premises ids]",
    "until": "YYYY-MM-DD",
    "offence": "an activity kind, e.g. drug_supply",
    "power": "a power id, e.g. illegal_working_civil_penalty",
    "outcome": "see the outcomes in vocabulary.yaml",
    "by": "an agency, e.g. childrens_services",
}
