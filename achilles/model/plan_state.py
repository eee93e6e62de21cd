"""The plan an LRO keeps: the `plan` section of a case file.

It holds what the partnership decided, so that it lasts beyond one meeting: the actions chosen
(each with an owner, lead agency, due date, status, RAG, dated updates and, once done, an
outcome), the options rejected or deferred (with the reason, and for a deferral the date to look
again), and the reviews held (with the options open at each, so the next review can say what
opened or closed since).

Actions and decisions are keyed `power_id@target`, the key of an option. An action whose option
no longer appears (the picture changed) stays in the plan: the plan flags it for review rather
than dropping what the partnership agreed.

Statuses, RAG ratings and disruption levels are vocabulary terms (vocabulary.yaml sections
action_status, rag and disruption_level), checked by `check_plan` like every other term.
Free text (owners, reasons, updates, notes) is withheld from redacted exports unless the LRO
marked it `shareable`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    StringConstraints,
)

from achilles.loading.problems import Problems, choices_hint
from achilles.model.base import EditableModel
from achilles.model.vocabulary import Vocabulary

# The statuses the code gives a meaning to; the rest are the partnership's own open statuses.
STARTED = "proposed"
DONE = "done"
ABANDONED = "abandoned"
CLOSED = frozenset({DONE, ABANDONED})
DECISIONS = ("rejected", "deferred")

_KEY_SHAPE = "write it as POWER@TARGET, e.g. closure_notice@p1 (see `achilles recommend CASE`)"


def _option_key(value: str) -> str:
    power, at, target = value.partition("@")
    ok = (
        at
        and power[:1].isalpha()
        and power.islower()
        and all(c.isalnum() or c == "_" for c in power)
        and target
        and all(c.isalnum() or c in "_.:-" for c in target)
    )
    if not ok:
        raise ValueError(f"'{value}' is not an option key: {_KEY_SHAPE}")
    return value


def _not_a_number(value: object) -> object:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError("is not a date but a number: write it as YYYY-MM-DD, e.g. 2026-02-01")
    return value


OptionKey = Annotated[str, StringConstraints(max_length=160), AfterValidator(_option_key)]
Text = Annotated[str, StringConstraints(max_length=20_000)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Term = Annotated[str, StringConstraints(min_length=1, max_length=80)]
Date = Annotated[dt.date, BeforeValidator(_not_a_number)]


class Update(EditableModel):
    """A dated progress note on an action."""

    date: Date
    by: Name | None = None
    text: Text = Field(min_length=1)
    shareable: bool = False
    """True when the text may appear in redacted exports (it names no one)."""


class Outcome(EditableModel):
    """What a completed action achieved, as police record disruptions against mapped groups."""

    level: Term
    """A disruption_level term: major, moderate, minor or none."""
    date: Date
    note: Text | None = None
    shareable: bool = False


class TrackedAction(EditableModel):
    """An option the partnership chose to act on."""

    key: OptionKey
    owner: Name | None = None
    """Who does it: a post or a person. Withheld from redacted exports unless owner_shareable."""
    owner_shareable: bool = False
    agency: Term | None = None
    """The lead agency, when not the power's usual lead (an agency term)."""
    due: Date | None = None
    status: Term = STARTED
    """An action_status term: proposed, agreed, in_progress, done or abandoned."""
    rag: Term | None = None
    """A rag term: red, amber or green."""
    added: Date | None = None
    updates: list[Update] = Field(default_factory=list)
    outcome: Outcome | None = None

    @property
    def open(self) -> bool:
        return self.status not in CLOSED

    def overdue(self, on: dt.date) -> bool:
        return self.open and self.due is not None and self.due < on

    @property
    def last_update(self) -> Update | None:
        return max(self.updates, key=lambda u: u.date) if self.updates else None


class PlanDecision(EditableModel):
    """An option rejected or deferred, with the reason that goes on the record."""

    key: OptionKey
    decision: Literal["rejected", "deferred"]
    reason: Text = Field(min_length=1)
    by: Name | None = None
    date: Date
    until: Date | None = None
    """Deferrals only: when to look at the option again."""
    shareable: bool = False


class Review(EditableModel):
    """A review meeting held, with the options open then (to say what opened or closed since)."""

    date: Date
    by: Name | None = None
    options: list[OptionKey] = Field(default_factory=list)


class PlanState(EditableModel):
    actions: list[TrackedAction] = Field(default_factory=list)
    decisions: list[PlanDecision] = Field(default_factory=list)
    reviews: list[Review] = Field(default_factory=list)

    def action(self, key: str) -> TrackedAction | None:
        return next((a for a in self.actions if a.key == key), None)

    def decision(self, key: str) -> PlanDecision | None:
        return next((d for d in self.decisions if d.key == key), None)

    @property
    def last_review(self) -> Review | None:
        return max(self.reviews, key=lambda r: r.date) if self.reviews else None

    def to_data(self) -> dict[str, Any]:
        """As it is written in the case file: no empty or default fields (dates stay dates,
        so YAML writes them unquoted)."""
        return self.model_dump(exclude_none=True, exclude_defaults=True)

    @property
    def empty(self) -> bool:
        return not (self.actions or self.decisions or self.reviews)


def plan_of(case: Any) -> PlanState:
    """A case's plan state (an empty one when the file has no `plan` section)."""
    return getattr(case, "plan", None) or PlanState()


# --- checking the section against the vocabulary ---------------------------------------------

_TERMS = (("status", "action_status"), ("rag", "rag"), ("agency", "agency"))


def check_plan(data: object, vocab: Vocabulary, problems: Problems) -> None:
    """Vocabulary terms, one entry per key and consistent fields, on raw data (so a file whose
    structure is broken elsewhere still gets its plan checked). Paths and lines as for the rest."""
    plan = data.get("plan") if isinstance(data, dict) else None
    if not isinstance(plan, dict):
        return
    actions = [(i, a) for i, a in enumerate(_list(plan.get("actions"))) if isinstance(a, dict)]
    decisions = [(i, d) for i, d in enumerate(_list(plan.get("decisions"))) if isinstance(d, dict)]
    seen: dict[str, str] = {}
    for i, a in actions:
        base = ("plan", "actions", i)
        for field, section in _TERMS:
            _term(a.get(field), (*base, field), section, vocab, problems)
        outcome = a.get("outcome")
        if isinstance(outcome, dict):
            _term(
                outcome.get("level"),
                (*base, "outcome", "level"),
                "disruption_level",
                vocab,
                problems,
            )
            if a.get("status", STARTED) != DONE:
                problems.add(
                    (*base, "outcome"),
                    "an outcome is recorded when the action is done",
                    "set status: done, or remove the outcome",
                )
        _unique(a.get("key"), (*base, "key"), "actions", seen, problems)
    for i, d in decisions:
        base = ("plan", "decisions", i)
        if d.get("until") is not None and d.get("decision") == "rejected":
            problems.add(
                (*base, "until"),
                "only a deferral has a date to look again",
                "remove 'until', or make the decision 'deferred'",
            )
        _unique(d.get("key"), (*base, "key"), "decisions", seen, problems)


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


def _term(value: object, path: tuple, section: str, vocab: Vocabulary, problems: Problems) -> None:
    if not isinstance(value, str) or not value or vocab.has(section, value):
        return
    terms = list(vocab.sections.get(section, {}))
    hint = (
        choices_hint(value, terms)
        if terms
        else f"the vocabulary has no '{section}' section: add it to vocabulary.yaml"
    )
    problems.add(path, f"'{value}' is not a known {section.replace('_', ' ')} term", hint)


def _unique(key: object, path: tuple, where: str, seen: dict[str, str], problems: Problems) -> None:
    if not isinstance(key, str):
        return
    if key in seen:
        first = seen[key]
        problems.add(
            path,
            f"'{key}' is already in plan.{first}",
            "an option is in the plan, rejected or deferred: keep one entry for it"
            if first != where
            else "keep one entry per option: merge the two",
        )
    else:
        seen[key] = where


def closest_keys(key: str, keys: list[str], n: int = 3) -> list[str]:
    """The keys nearest a mistyped one: same power or same target first, then by spelling."""
    import difflib

    close = difflib.get_close_matches(key, keys, n=n, cutoff=0.5)
    power, _, target = key.partition("@")
    for k in keys:
        if len(close) >= n:
            break
        if k not in close and (k.startswith(power + "@") or k.endswith("@" + target)):
            close.append(k)
    return close


__all__ = [
    "ABANDONED",
    "CLOSED",
    "DECISIONS",
    "DONE",
    "STARTED",
    "Outcome",
    "PlanDecision",
    "PlanState",
    "Review",
    "TrackedAction",
    "Update",
    "check_plan",
    "closest_keys",
    "plan_of",
]
