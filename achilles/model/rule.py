"""A rule, as a council lawyer writes it: in these circumstances, this power is open to us.

A rule names its power, the facts that must exist (`when`, optionally with alternatives in
`any_of`), the facts that must not (`unless`), which matched fact the option targets, its
provenance and dates in force, the sentence that explains it, and its own tests.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, PrivateAttr, StringConstraints, model_validator

from achilles.model.base import FrozenModel

RuleId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=80)]
Alias = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
Scalar = str | int | bool

OPERATORS = (
    "equals",
    "not",
    "in",
    "not_in",
    "has",
    "has_any",
    "has_all",
    "has_none",
    "at_least",
    "at_most",
    "present",
    "same_as",
)


class Condition(FrozenModel):
    """One test on one field. Write a bare value for `equals`."""

    equals: Scalar | None = None
    not_: Scalar | None = Field(default=None, alias="not")
    in_: list[Scalar] | None = Field(default=None, alias="in")
    not_in: list[Scalar] | None = None
    has: str | None = None
    """The list field contains this term."""
    has_any: list[str] | None = None
    has_all: list[str] | None = None
    has_none: list[str] | None = None
    at_least: Scalar | None = None
    """For ordered terms (status, threat) or numbers (age)."""
    at_most: Scalar | None = None
    present: bool | None = None
    same_as: str | None = None
    """A join: this field equals the key of another alias (`premises`) or one of its fields
    (`supply.premises`)."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, use_attribute_docstrings=True
    )
    _op: str = PrivateAttr(default="")  # found once: explanations ask for it on every firing

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if isinstance(value, (str, int, bool)):
            return {"equals": value}
        return value

    @model_validator(mode="after")
    def _exactly_one(self) -> Condition:
        set_ = [name for name in OPERATORS if self.get(name) is not None]
        if len(set_) != 1:
            raise ValueError(
                f"a condition needs exactly one operator ({', '.join(OPERATORS)}); found "
                f"{', '.join(set_) or 'none'}"
            )
        self._op = set_[0]
        return self

    def get(self, op: str) -> Any:
        return getattr(self, {"not": "not_", "in": "in_"}.get(op, op))

    @property
    def op(self) -> str:
        return self._op

    @property
    def value(self) -> Any:
        return self.get(self.op)


class Pattern(FrozenModel):
    """A fact that must (or, under `unless`, must not) exist."""

    fact: str
    """The fact type: person, premises, business, vehicle, activity, activity_at, activity_by,
    activity_using, occupancy, business_role, vehicle_use, ocg."""
    where: dict[str, Condition] = Field(default_factory=dict)


class RuleTest(FrozenModel):
    """A small case fragment and what the rule must do on it."""

    name: str
    as_of: dt.date | None = None
    jurisdiction: Literal["england", "wales"] | None = None
    case: dict[str, Any]
    """people, premises, businesses, vehicles, activities as in a case file; `case` and `ocg`
    headers are filled in when absent."""
    fires_on: list[str]
    """Target ids the rule must fire on; [] means it must not fire at all."""
    not_on: list[str] = Field(default_factory=list)
    """Ids it must not target even when it fires on others."""
    waits_on: list[str] | None = None
    """For a rule with a `trigger`: the targets where it waits on that legal event (a
    conditional next step). Checked only when given."""


class Rule(FrozenModel):
    id: RuleId
    power: str
    """A power id from powers_catalogue/."""
    title: str
    citation: str
    """The statute and section that found this judgement."""
    jurisdiction: list[Literal["england", "wales"]] = Field(min_length=1)
    valid_from: dt.date
    valid_to: dt.date | None = None
    """The rule applies to cases whose date is on or after valid_from and before valid_to."""
    author: str
    reviewed_by: str
    reviewed_on: dt.date
    target: Alias
    """The alias whose fact the option acts on: one option per distinct target."""
    subject: Alias | None = None
    """The alias of the person who bears the action when it is not the target (the tenant of a
    possession claim): the victim guard checks that person too."""
    when: dict[Alias, Pattern] = Field(min_length=1)
    any_of: list[dict[Alias, Pattern]] = Field(default_factory=list)
    """Alternatives: the rule fires when `when` and any one of these hold."""
    unless: dict[Alias, Pattern] = Field(default_factory=dict)
    trigger: Alias | None = None
    """The alias in `when` of the legal event the power waits for (a conviction, a closure
    order). Until such an event is recorded the option is a conditional next step ("opens on
    conviction"), listed apart and never ranked as ready."""
    because: str
    """The reason, filled from matched facts: {alias} names the entity, {alias.field} a value."""
    evidence_needed: list[str] = Field(default_factory=list)
    cautions: list[str] = Field(default_factory=list)
    tests: list[RuleTest] = Field(default_factory=list)

    def variants(self) -> list[dict[str, Pattern]]:
        """`when` merged with each `any_of` alternative (or alone)."""
        if not self.any_of:
            return [dict(self.when)]
        return [{**self.when, **alt} for alt in self.any_of]

    def in_force(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on < self.valid_to)


class PresumptionTest(FrozenModel):
    """A small case fragment and who the presumption must (and must not) hold for."""

    name: str
    as_of: dt.date | None = None
    jurisdiction: Literal["england", "wales"] | None = None
    case: dict[str, Any]
    presumed: list[str]
    """Person ids it must hold for (not lifted); [] means for nobody."""
    lifted: list[str] = Field(default_factory=list)
    """Person ids it must find, but lifted by a recorded assessment."""
    not_on: list[str] = Field(default_factory=list)


class Presumption(FrozenModel):
    """The law's own presumption about who is a victim: it holds until a record lifts it.

    Legal content, like a rule: the legal team owns it (rules/presumptions.yaml). A person it
    holds for is treated as exploited (and, for `possible_child`, as a child): no coercive
    power may reach them or, for tenancy and possession powers, their home."""

    id: RuleId
    kind: str
    """A `presumption` term from the vocabulary (possible_child, cuckooing...)."""
    title: str
    presumes: list[Literal["exploited", "child"]] = Field(min_length=1)
    citation: str
    jurisdiction: list[Literal["england", "wales"]] = Field(min_length=1)
    valid_from: dt.date | None = None
    """None: it applies to a case of any date. Treating a possible victim as one is older than
    every statute cited for it (Children Act 1989 s47, the NRM since 2009, the Care Act 2014),
    so a presumption is dated only when the law that founds it has a start that matters."""
    valid_to: dt.date | None = None
    author: str
    reviewed_by: str
    reviewed_on: dt.date
    person: Alias
    """The alias of the person it holds for."""
    when: dict[Alias, Pattern] = Field(min_length=1)
    any_of: list[dict[Alias, Pattern]] = Field(default_factory=list)
    unless: dict[Alias, Pattern] = Field(default_factory=dict)
    """Facts that mean it never arises (an age recorded)."""
    lifted_by: dict[Alias, Pattern] = Field(default_factory=dict)
    """The record that lifts it (an assessment with outcome not_exploited): its patterns join
    to the person; when they match, the presumption is lifted and the options return with a
    caution naming the record."""
    because: str
    """Why it holds, filled from matched facts like a rule's `because`."""
    warning: str
    """What `case validate`, `recommend` and the TUI say while it holds, with ids only: "{runner}
    is a runner with no age: treated as a possible child (MSA 2015 s51)"."""
    lift: str = ""
    """How to lift it, in words for the LRO (empty when no record can: a positive NRM decision)."""
    tests: list[PresumptionTest] = Field(default_factory=list)

    def variants(self) -> list[dict[str, Pattern]]:
        if not self.any_of:
            return [dict(self.when)]
        return [{**self.when, **alt} for alt in self.any_of]

    def in_force(self, on: dt.date) -> bool:
        starts = self.valid_from is None or self.valid_from <= on
        return starts and (self.valid_to is None or on < self.valid_to)


class Disable(FrozenModel):
    """A council's layer switches a shipped rule off by id, with its reason on record."""

    id: RuleId
    reason: str


class RuleFile(FrozenModel):
    theme: str
    description: str | None = None
    rules: list[Rule] = Field(default_factory=list)
    presumptions: list[Presumption] = Field(default_factory=list)
    """Who the law treats as a victim until assessed. A layer may add presumptions; it can
    never switch a shipped one off."""
    disable: list[Disable] = Field(default_factory=list)
