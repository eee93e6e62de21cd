"""The review and retention rule: when a stored case is due for review, and how long it is kept.

A case is due for review on its `case.review_on`, or REVIEW_EVERY_DAYS after its last save when
it has none; it is kept until `retention_days` (a workspace setting) after its last save. This is
policy, kept apart from the SQL that lists the cases; Achilles never deletes by itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# A case with no case.review_on is due for review 90 days after its last save.
REVIEW_EVERY_DAYS = 90


@dataclass(frozen=True)
class CaseRow:
    """One stored case at its latest version, with its review and retention dates."""

    case_id: str
    title: str
    version: int  # the latest
    as_of: dt.date
    saved_at: str
    saved_by: str
    review_on: dt.date  # case.review_on, else the last save + REVIEW_EVERY_DAYS
    review_set_in_case: bool
    retain_until: dt.date  # the last save + the retention_days setting
    due_review: bool
    past_retention: bool

    @property
    def due(self) -> bool:
        return self.due_review or self.past_retention


def case_row(
    stored: tuple[str, str, int, str, str, str, str | None],
    retention_days: int,
    today: dt.date,
) -> CaseRow:
    """The row for one case from its latest version's stored columns (case_id, title, version,
    as_of, saved_at, saved_by, review_on), with the dates worked out on `today`."""
    case_id, title, version, as_of, saved_at, saved_by, review_on = stored
    saved = dt.datetime.fromisoformat(saved_at.replace("Z", "+00:00")).date()
    review = (
        dt.date.fromisoformat(review_on)
        if review_on
        else saved + dt.timedelta(days=REVIEW_EVERY_DAYS)
    )
    retain = saved + dt.timedelta(days=retention_days)
    return CaseRow(
        case_id,
        title,
        version,
        dt.date.fromisoformat(as_of),
        saved_at,
        saved_by,
        review,
        review_on is not None,
        retain,
        review <= today,
        retain <= today,
    )
