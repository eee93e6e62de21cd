"""An action's procedure as dated steps: the latest date the law allows for each."""

from __future__ import annotations

import datetime as dt

from achilles.model.power import Power, duration_hours, step_lasts
from achilles.plan.model import Step


def procedure_dates(power: Power, start: dt.date, jurisdiction: str | None = None) -> list[Step]:
    """Each procedure step with the latest date the law allows, counted from `start`."""
    steps = []
    begin = dt.datetime.combine(start, dt.time(9, 0))
    at = begin
    ends: list[dt.datetime] = []
    for s in power.procedure:
        if s.within:
            base = at
            if s.from_step is not None:
                base = (
                    begin if s.from_step == 0 or s.from_step > len(ends) else ends[s.from_step - 1]
                )
            at = base + dt.timedelta(hours=duration_hours(s.within))
        ends.append(at)
        notes = []
        if s.within:
            notes.append(f"within {human(s.within)}")
        lasts = step_lasts(s, jurisdiction)
        if lasts:
            notes.append(
                f"lasts up to {human(lasts)}"
                + (f", extendable to {human(s.extendable_to)}" if s.extendable_to else "")
            )
        if s.cite:
            notes.append(s.cite)
        if s.note:
            notes.append(s.note)
        steps.append(Step(at.date(), s.step, "; ".join(notes)))
    return steps


def human(duration: str) -> str:
    """`48h` -> '48 hours', `1mo` -> '1 month'."""
    units = {"h": "hours", "d": "days", "w": "weeks", "mo": "months", "y": "years"}
    n = "".join(ch for ch in duration if ch.isdigit())
    unit = duration[len(n) :]
    return f"{n} {units[unit] if n != '1' else units[unit].rstrip('s')}"
