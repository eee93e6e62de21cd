"""The meeting's questions: each near miss as a question in plain words and names, for the
partner who can answer it, with the options an answer would open.

"Establish that person n1 has benefits known" becomes "Is Member B claiming benefits?" for the
DWP, opening a benefit fraud referral. Which partner answers what, and how the question is put,
is data the partnership reads (vocabulary/questions.yaml). A question also knows how its answer
is recorded, so the TUI can take it in place: the field to fill on which entity, or the kind of
fact to add.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from achilles.analysis import Analysis
from achilles.errors import InputError
from achilles.loading.paths import env_override, shipped
from achilles.loading.validation import add_validation_errors
from achilles.loading.yaml_reader import load_yaml
from achilles.model.case import Case
from achilles.model.vocabulary import Vocabulary
from achilles.near_misses import Gap, NearMiss
from achilles.rulebook.english import words

# Which section of the case holds each entity fact, for recording an answer.
_SECTION = {
    "person": "people",
    "premises": "premises",
    "business": "businesses",
    "vehicle": "vehicles",
}
_LINK_WORD = {
    "activity_at": "at",
    "activity_by": "by",
    "activity_using": "using",
    "activity_affecting": "affecting",
}
_UNKNOWN: tuple[object, ...] = (None, "", "unknown", -1, [])


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class When(_Model):
    fact: str | None = None
    field: str | None = None
    values: list[str] = Field(default_factory=list)
    """Only when the rule wanted one of these terms (for evidence or a missing fact: kinds)."""
    unknown: bool = False
    """Only while the case does not know the field yet."""
    about: str | None = None
    """Only when the gap is about this kind of entity (person, premises, business, vehicle)."""


class Asking(_Model):
    when: When
    partner: str
    """An agency term from the vocabulary: who can answer."""
    ask: str


class QuestionsFile(_Model):
    questions: list[Asking] = Field(min_length=1)


@dataclass(frozen=True)
class Answer:
    """Where an answer goes in the case: a field of an entity, or a new fact of these kinds."""

    section: str  # people, premises, businesses, vehicles, activities
    entity: str | None  # the id of the entity to edit; None to add a new one
    field: str  # the field to fill (status, benefits...); "" to add a whole entity
    choices: tuple[str, ...] = ()  # the terms the rule wanted, offered first
    about: tuple[str, ...] = ()  # the entities a new fact links to


@dataclass
class Question:
    partner: str
    text: str
    about: tuple[str, ...]
    opens: list[str] = field(default_factory=list)  # option keys an answer would open
    answer: Answer | None = None
    gaps: list[str] = field(default_factory=list)  # the near misses' own words, for the record


@dataclass(frozen=True)
class PartnerQuestions:
    partner: str
    questions: list[Question]


def load_questions(path: Path | None = None) -> QuestionsFile:
    folder = path or env_override("vocabulary") or shipped("vocabulary")
    file = folder / "questions.yaml" if folder.is_dir() else folder
    return _load(file.resolve())


@lru_cache(maxsize=4)
def _load(file: Path) -> QuestionsFile:
    doc = load_yaml(file, what="questions file")
    try:
        return QuestionsFile.model_validate(doc.data)
    except ValidationError as exc:
        add_validation_errors(doc.problems, exc, QuestionsFile)
        raise InputError(f"{file}: the questions are not valid", doc.problems.items) from None


def questions(
    analysis: Analysis,
    vocab: Vocabulary,
    *,
    redact: bool = False,
    asking: QuestionsFile | None = None,
) -> list[PartnerQuestions]:
    """Every near miss as a question, merged and grouped by partner; the questions that open the
    most options first, and the partners with the most to answer first."""
    asking = asking or load_questions()
    found: dict[tuple[str, str], Question] = {}
    case = analysis.case
    for miss in analysis.near_misses:
        asked = _ask(miss, analysis.case, vocab, asking, redact)
        if asked is None:
            continue
        partner, text = asked
        q = found.get((partner, text))
        if q is None:
            q = found[(partner, text)] = Question(
                partner, text, miss.gap.about if miss.gap else (), answer=_answer(miss.gap, case)
            )
        if miss.key not in q.opens:
            q.opens.append(miss.key)
        if miss.missing not in q.gaps:
            q.gaps.append(miss.missing)
    by_partner: dict[str, list[Question]] = {}
    for q in found.values():
        q.opens.sort()
        by_partner.setdefault(q.partner, []).append(q)
    groups = [
        PartnerQuestions(p, sorted(qs, key=lambda q: (-len(q.opens), q.text)))
        for p, qs in by_partner.items()
    ]
    return sorted(groups, key=lambda g: (-sum(len(q.opens) for q in g.questions), g.partner))


def _ask(
    miss: NearMiss, case: Case, vocab: Vocabulary, asking: QuestionsFile, redact: bool
) -> tuple[str, str] | None:
    gap = miss.gap
    if gap is None:
        return None
    known = gap.op != "present" and gap.current not in _UNKNOWN
    if gap.field not in ("", "status") and gap.op not in ("has", "has_any", "has_all") and known:
        return None  # the case knows this field, with another value: not a gap to fill
    kind = _kind_of(gap, case)
    for entry in asking.questions:
        if _fits(entry.when, gap, kind):
            text = entry.ask.format(**_words(gap, miss, case, vocab, redact))
            return entry.partner, text[:1].upper() + text[1:]
    return None


def _kind_of(gap: Gap, case: Case) -> str:
    """What the gap is about: person, premises, business or vehicle (its first entity)."""
    item = case.entity(gap.about[0]) if gap.about else None
    return {"Person": "person", "Premises": "premises", "Business": "business"}.get(
        type(item).__name__, "vehicle" if item is not None else ""
    )


def _fits(when: When, gap: Gap, kind: str) -> bool:
    if when.fact and when.fact != gap.fact and not (gap.field == "status" and when.fact is None):
        return False
    if when.field is not None and when.field != gap.field:
        return False
    if when.field is None and when.fact and not gap.dropped:
        return False
    if when.unknown and gap.current not in _UNKNOWN:
        return False
    if when.about and when.about != kind:
        return False
    if when.values:
        wanted = set(gap.kinds) | set(_values(gap.value))
        if not wanted & set(when.values):
            return False
    return True


def _values(value: object) -> tuple[str, ...]:
    if isinstance(value, tuple | list):
        return tuple(str(v) for v in value)
    if isinstance(value, str) and value not in ("list", "scalar", "number"):
        return (value,)
    return ()


def _words(gap: Gap, miss: NearMiss, case: Case, vocab: Vocabulary, redact: bool) -> dict:
    names = [case.label(a, redact=redact) for a in gap.about]
    about = " and ".join(names) or "the group"
    link = _LINK_WORD.get(gap.fact)
    if link and not gap.dropped:
        about = f"{link} {about}"
    values = _values(gap.value)
    statuses = list(vocab.terms("status"))
    wanted = ""
    if gap.field == "status" and isinstance(gap.value, int) and 0 <= gap.value < len(statuses):
        wanted = statuses[gap.value] if gap.op == "eq" else f"at least {statuses[gap.value]}"
    elif gap.field == "status":
        wanted = words(gap.value)
    return {
        "about": about,
        "values": f" ({' or '.join(words(v) for v in values)})" if values else "",
        "kinds": _either(gap.kinds) or "activity",
        "current": words(gap.current) if gap.current not in _UNKNOWN else "not known",
        "wanted": wanted,
        "missing": miss.missing,
    }


def _either(kinds: tuple[str, ...]) -> str:
    if len(kinds) > _SAY_AT_MOST:  # a rule may accept many kinds: name a few
        return f"{', '.join(words(k) for k in kinds[:3])} or other crime ({len(kinds) - 3} more)"
    return " or ".join(words(k) for k in kinds)


_SAY_AT_MOST = 4


def _answer(gap: Gap | None, case: Case) -> Answer | None:
    """Where the answer to a gap is recorded: the field to fill, or the fact to add."""
    if gap is None:
        return None
    if gap.dropped and gap.about and _kind_of(gap, case) == "person":
        # the person is known, the place or business or vehicle is not: pick it, add the link
        section = {"occupancy": "premises", "business_role": "businesses"}.get(gap.fact)
        if section or gap.fact == "vehicle_use":
            return Answer(section or "vehicles", None, _LINKS[gap.fact], (), gap.about)
    if gap.field == "status" and gap.activity:
        return Answer("activities", gap.activity, "status", _values(gap.value))
    if not gap.dropped and gap.fact in _SECTION and gap.about:
        return Answer(_SECTION[gap.fact], gap.about[0], gap.field, _values(gap.value))
    if gap.dropped and gap.fact in _LINK_WORD:
        return Answer("activities", None, "", gap.kinds, gap.about)
    if gap.dropped and gap.fact in _LINKS and gap.about:
        section = {"occupancy": "premises", "business_role": "businesses"}.get(gap.fact, "vehicles")
        return Answer(section, gap.about[-1], _LINKS[gap.fact], (), gap.about)
    return None


# the field of a premises, business or vehicle that holds each kind of link to a person
_LINKS = {"occupancy": "occupants", "business_role": "people", "vehicle_use": "users"}


def partner_name(partner: str, vocab: Vocabulary) -> str:
    """The partner as the meeting calls it: the agency's meaning in the vocabulary."""
    return vocab.describe("agency", partner).rstrip(".") or words(partner)


__all__: Sequence[str] = (
    "Answer",
    "PartnerQuestions",
    "Question",
    "load_questions",
    "partner_name",
    "questions",
)
