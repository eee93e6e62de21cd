"""The vocabulary as data: every term a case, rule or power may use, with its meaning."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from achilles.errors import InputError
from achilles.loading.paths import env_override, shipped
from achilles.loading.yaml_reader import load_yaml

_LISTS = {"protected_roles", "exploitation_markers", "weak_grades"}
EVENT_FIELDS = ("of", "at", "until", "offence", "power", "outcome", "by", "court", "reference")


@dataclass(frozen=True)
class EventSpec:
    """What one kind of legal event must and may say (vocabulary `event_fields`)."""

    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    outcomes: str | None = None  # the vocabulary section its outcome comes from

    def allows(self, name: str) -> bool:
        return name in self.required or name in self.optional


@dataclass(frozen=True)
class Vocabulary:
    sections: dict[str, dict[str, str]]
    ordered: frozenset[str] = frozenset()
    protected_roles: frozenset[str] = frozenset()
    exploitation_markers: frozenset[str] = frozenset()
    weak_grades: tuple[str, ...] = ()
    event_fields: dict[str, EventSpec] = field(default_factory=dict)
    source: str = ""
    _rank: dict[str, dict[str, int]] = field(default_factory=dict, compare=False)

    def terms(self, section: str) -> dict[str, str]:
        return self.sections[section]

    def has(self, section: str, term: object) -> bool:
        return isinstance(term, str) and term in self.sections.get(section, {})

    def rank(self, section: str, term: str) -> int:
        """Position of a term in an ordered section (0 = weakest); -1 when unknown."""
        return self._rank.get(section, {}).get(term, -1)

    def weak_grade(self, grade: str | None) -> bool:
        """An intelligence grade too weak to count as more than suspicion (see weak_grades)."""
        import re

        if not grade:
            return False
        return any(re.fullmatch(p, grade.strip().upper()) for p in self.weak_grades)

    def label(self, term: str) -> str:
        """A readable form of a term for sentences: drug_supply -> drug supply."""
        return term.replace("_", " ")

    def describe(self, section: str, term: str) -> str:
        return self.sections.get(section, {}).get(term, "")


def parse_vocabulary(data: dict, source: str) -> Vocabulary:
    if not isinstance(data, dict):
        raise InputError(f"{source}: the vocabulary must be a mapping of sections")
    sections: dict[str, dict[str, str]] = {}
    ordered: set[str] = set()
    lists: dict[str, frozenset[str]] = {}
    events: dict[str, EventSpec] = {}
    for name, body in data.items():
        if name in _LISTS:
            lists[name] = frozenset(body or [])
            continue
        if name == "event_fields":
            events = _event_fields(body, source)
            continue
        if not isinstance(body, dict):
            continue  # flags such as trade_includes_premises_uses
        terms = {}
        for term, meaning in body.items():
            if term == "ordered":
                if meaning:
                    ordered.add(name)
                continue
            terms[str(term)] = str(meaning or "")
        sections[name] = terms
    if data.get("trade_includes_premises_uses"):
        sections["trade"] = {**sections.get("premises_use", {}), **sections.get("trade", {})}
    rank = {name: {t: i for i, t in enumerate(sections[name])} for name in ordered}
    return Vocabulary(
        sections=sections,
        ordered=frozenset(ordered),
        protected_roles=lists.get("protected_roles", frozenset()),
        exploitation_markers=lists.get("exploitation_markers", frozenset()),
        weak_grades=tuple(sorted(lists.get("weak_grades", frozenset()))),
        event_fields=events,
        source=source,
        _rank=rank,
    )


def _event_fields(body: object, source: str) -> dict[str, EventSpec]:
    if not isinstance(body, dict):
        raise InputError(f"{source}: event_fields must map each event kind to its fields")
    out = {}
    for kind, spec in body.items():
        spec = spec or {}
        if not isinstance(spec, dict):
            raise InputError(f"{source}: event_fields.{kind} must be a mapping")
        names = [*spec.get("required", []), *spec.get("optional", [])]
        unknown = [n for n in names if n not in EVENT_FIELDS]
        if unknown:
            raise InputError(
                f"{source}: event_fields.{kind} names unknown fields {unknown}; "
                f"an event may hold {', '.join(EVENT_FIELDS)}"
            )
        out[str(kind)] = EventSpec(
            tuple(spec.get("required", [])), tuple(spec.get("optional", [])), spec.get("outcomes")
        )
    return out


@lru_cache(maxsize=8)
def _load(path: Path) -> Vocabulary:
    doc = load_yaml(path, what="vocabulary file")
    return parse_vocabulary(doc.data or {}, str(path))


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    folder = path or env_override("vocabulary") or shipped("vocabulary")
    file = folder / "vocabulary.yaml" if folder.is_dir() else folder
    return _load(file.resolve())
