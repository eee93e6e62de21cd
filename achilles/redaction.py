"""What a redacted output (for circulation beyond the core partnership) may show.

People, premises, businesses and vehicles are named by id, and the case by its id rather than
its title. Text the LRO typed into the plan
(owners, reasons, updates, notes) is withheld unless the LRO marked it shareable; shareable text
still has every name and label in the case replaced by its id, in case one slipped in.
"""

from __future__ import annotations

import re
from functools import cached_property

from achilles.model.case import Case

WITHHELD = "(withheld)"
MIN_NAME = 3  # shorter strings (initials) would replace parts of ordinary words


def case_title(case: Case, redact: bool) -> str:
    """The case's title, or "case ID" when redacted: a title is free text, and operation names
    often carry a person's, a street's or a business's name that is not in the case."""
    return f"case {case.case.id}" if redact else case.case.title


class Redactor:
    """Names or ids, typed text or "(withheld)": one object passed where output is written."""

    def __init__(self, case: Case, redact: bool) -> None:
        self.case = case
        self.redact = redact

    def label(self, key: str) -> str:
        return self.case.label(key, redact=self.redact)

    def text(self, value: str | None, shareable: bool = False, *, empty: str = "") -> str:
        """Typed text as this output may show it."""
        if not value:
            return empty
        if not self.redact:
            return value
        return self.scrub(value) if shareable else WITHHELD

    def scrub(self, value: str) -> str:
        """Every name and label in the case replaced by its id."""
        if not self._names:
            return value
        return self._pattern.sub(lambda m: self._names.get(m.group(0).casefold(), WITHHELD), value)

    @cached_property
    def _names(self) -> dict[str, str]:
        case = self.case
        found: dict[str, str] = {}

        def add(text: str | None, key: str) -> None:
            if text and len(text.strip()) >= MIN_NAME:
                found.setdefault(text.strip().casefold(), key)

        for p in case.people:
            add(p.name, p.id)
        for pr in case.premises:
            add(pr.label, f"premises {pr.id}")
        for b in case.businesses:
            add(b.name, f"business {b.id}")
            add(b.company_number, f"business {b.id}")
        for v in case.vehicles:
            add(v.vrm, f"vehicle {v.id}")
        add(case.ocg.name, "the group")
        add(case.case.lro.name, "the LRO")
        add(case.case.lro.contact, "the LRO")
        return found

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        # longest first, so "Principal A Smith" goes before "Principal A"
        names = sorted(self._names, key=len, reverse=True)
        return re.compile("|".join(re.escape(n) for n in names), re.IGNORECASE)
