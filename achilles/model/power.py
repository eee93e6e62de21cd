"""A power or tactic in the catalogue: what it is, who uses it, its test, procedure and risks.

Written for the council lawyer who maintains powers_catalogue/ and the LRO who reads it in the
meeting. Time limits are data (`24h`, `48h`, `14d`, `3mo`), so plans can compute deadlines.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

PowerId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
Level = Literal["low", "medium", "high"]
DURATION = re.compile(r"^(\d+)\s*(h|d|w|mo|y)$")
_UNIT_HOURS = {"h": 1, "d": 24, "w": 24 * 7, "mo": 24 * 30, "y": 24 * 365}


def duration_hours(text: str) -> int:
    """`48h` -> 48, `14d` -> 336, `3mo` -> 2160 (a month counted as 30 days)."""
    m = DURATION.match(text.strip())
    if not m:
        raise ValueError(f"'{text}' is not a duration like 24h, 14d, 3mo or 2y")
    return int(m.group(1)) * _UNIT_HOURS[m.group(2)]


Duration = Annotated[str, StringConstraints(pattern=DURATION.pattern)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Legislation(_Strict):
    act: str
    """The Act or statutory instrument, with its year."""
    section: str
    """Section, regulation, article or schedule paragraph, e.g. 's76', 'Sch 2 ground 7A'."""
    url: str | None = None
    """The provision on legislation.gov.uk."""

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(
            r"^https://www\.legislation\.gov\.uk/[\w/.-]+$", value
        ):
            raise ValueError("must be a https://www.legislation.gov.uk/... link")
        return value

    def cite(self) -> str:
        return f"{self.act} {self.section}"


class Actor(_Strict):
    agency: str
    """An agency term from vocabulary.yaml."""
    role: str | None = None
    """Who within the agency, e.g. 'inspector or above'."""


class Step(_Strict):
    step: str
    """What is done, in plain words."""
    within: Duration | None = None
    """Statutory deadline from the previous step (or from the start, for the first)."""
    from_step: int | None = Field(default=None, ge=0)
    """Count `within` from the end of this earlier step (1 = the first step, 0 = the start)
    instead of from the previous step: for limits that run from the same event."""
    lasts: Duration | None = None
    """How long the effect of this step lasts at most."""
    extendable_to: Duration | None = None
    """The longest it can be extended to, and by whom (see note)."""
    note: str | None = None
    cite: str | None = None
    """The subsection that sets this step or limit."""


class Impact(_Strict):
    level: Level
    hits: list[str] = Field(min_length=1)
    """Parts of the group's operation: base, revenue, logistics, people, reputation, assets, status."""
    text: str


class Provenance(_Strict):
    source: list[str] = Field(min_length=1)
    """Pages read to write this entry (legislation.gov.uk, statutory guidance)."""
    confirmed: bool
    """True only when every fact in the entry was checked against the source."""
    unconfirmed: list[str] = Field(default_factory=list)
    """Fields or facts not confirmed, so a reviewer knows what to check."""
    reviewed_by: str
    reviewed_on: dt.date


class Amendment(_Strict):
    on: dt.date
    change: str
    source: str | None = None


class Power(_Strict):
    id: PowerId
    name: str
    summary: str
    legislation: list[Legislation] = Field(min_length=1)
    jurisdiction: list[Literal["england", "wales"]] = Field(min_length=1)
    in_force_from: dt.date | None
    """The day the power came into force; `null` for one enacted but not yet commenced (see
    `expected_from`): it is carried and tested, listed as not yet in force, never offered."""
    in_force_to: dt.date | None = None
    expected_from: dt.date | None = None
    """For a power not yet in force: the commencement date announced, where one is known."""
    four_p: list[Literal["pursue", "prevent", "protect", "prepare"]] = Field(min_length=1)
    area: Literal["lifestyle", "behaviour", "vehicles", "travel", "business", "crime"]
    targets: list[
        Literal[
            "premises", "business", "person", "vehicle", "licence", "tenancy", "finance", "group"
        ]
    ] = Field(min_length=1)
    coercive: bool
    """True when the power acts against someone's rights, liberty, home or property. Never
    aimed at a person the group exploits."""
    victims_home: Literal["block", "exempt"] | None = None
    """What the power may do to the home of a person the group exploits (or is presumed to):
    `block` (possession, tenancy fraud, MDA s8: never while they live there) or `exempt` (a
    closure order: only as a partial order that exempts them, ASBCPA 2014 s80(7)-(8))."""
    exemption: str | None = None
    """How the power leaves residents in their home, with its subsection: said beside the names
    of the people to exempt (`victims_home: exempt`)."""
    kind: Literal["power", "referral", "tactic", "safeguarding", "partnership"] = "power"
    lead_agency: str
    exercised_by: list[Actor] = Field(min_length=1)
    authorised_by: list[Actor] = Field(default_factory=list)
    legal_test: str
    evidence_standard: Literal[
        "intelligence",
        "administrative",
        "reasonable_grounds",
        "balance_of_probabilities",
        "beyond_reasonable_doubt",
    ]
    procedure: list[Step] = Field(min_length=1)
    duration: str
    max_duration: Duration | None = None
    appeal: str
    impact: Impact
    speed_days: int = Field(ge=0, le=3650)
    """Typical days from decision until it bites."""
    cost: Level
    """Partner effort: officer time, legal costs."""
    legal_risk: Level
    """Risk of challenge or failure in court."""
    collateral_risk: Level
    """Risk of harm to people who are not the target (families, tenants, victims)."""
    cautions: list[str] = Field(min_length=1)
    partners: list[str] = Field(default_factory=list)
    manual_only: bool = False
    """No rule recommends it; the LRO adds it by hand (rules check accepts it unreached)."""
    amendments: list[Amendment] = Field(default_factory=list)
    provenance: Provenance

    @property
    def pending(self) -> bool:
        """Enacted but not yet commenced: never offered until `in_force_from` is set."""
        return self.in_force_from is None

    def in_force(self, on: dt.date) -> bool:
        if self.in_force_from is None:
            return False
        return self.in_force_from <= on and (self.in_force_to is None or on < self.in_force_to)

    def in_force_text(self) -> str:
        """When it is in force, in words: 'from 2014-10-20', or 'not yet in force (expected ...)'."""
        if self.in_force_from is None:
            expected = f", expected {self.expected_from}" if self.expected_from else ""
            return f"not yet in force (awaiting commencement{expected})"
        return f"{self.in_force_from} to {self.in_force_to or 'now'}"

    def citation(self) -> str:
        return "; ".join(leg.cite() for leg in self.legislation)


class CatalogueFile(_Strict):
    """One file of powers_catalogue/: a family of related powers."""

    family: str
    description: str | None = None
    powers: list[Power] = Field(min_length=1)
