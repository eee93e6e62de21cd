"""Changing the plan an LRO keeps, and saying what changed.

Every edit goes through a Tracker, so the TUI and `achilles actions` follow the same rules: a
key must be an option of the case now (or already be in the plan), terms must be in the
vocabulary, and an option is in the plan, rejected or deferred, never two at once. Work already
recorded on an action (updates, an outcome) is never thrown away by an edit: such an action is
abandoned, not removed or rejected.

`plan_changes` compares two plan states and gives the decision-log entries for the difference,
so a save from the TUI, an undo and a command-line edit are logged alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from achilles.errors import AchillesError
from achilles.loading.problems import choices_hint
from achilles.model.plan_state import (
    ABANDONED,
    DONE,
    STARTED,
    Outcome,
    PlanDecision,
    PlanState,
    Review,
    TrackedAction,
    Update,
    closest_keys,
)
from achilles.model.vocabulary import Vocabulary

LOG_KINDS = (
    "accepted",  # added to the plan
    "removed",  # taken out of the plan (a mistake, not a decision)
    "rejected",
    "deferred",
    "reopened",  # a rejection or deferral withdrawn
    "updated",  # owner, agency, due date, status, RAG or a dated note
    "done",  # an outcome recorded
    "reviewed",  # a review meeting held
)


@dataclass(frozen=True)
class Change:
    """One decision-log entry."""

    key: str  # the option key; "" for the plan as a whole (a review)
    kind: str  # one of LOG_KINDS
    reason: str = ""  # what the LRO typed: a reason or a note
    detail: str = ""  # field names, terms and dates only: safe for any log

    @property
    def power_id(self) -> str:
        return self.key.partition("@")[0]

    @property
    def target(self) -> str:
        return self.key.partition("@")[2]


class Tracker:
    """Edits to one plan state (changed in place), checked against the vocabulary and the
    case's current options (`options`: their keys, best first)."""

    def __init__(
        self,
        state: PlanState,
        vocab: Vocabulary,
        options: Iterable[str],
        *,
        today: dt.date,
        who: str | None = None,
    ) -> None:
        self.state = state
        self.vocab = vocab
        self.options = list(options)
        self.today = today
        self.who = who or None

    # --- keys --------------------------------------------------------------------------------

    def known(self, key: str) -> str:
        """A key that is an option now, or already in the plan or on the record; else exit 2
        naming the closest keys."""
        if key in self.options or self.state.action(key) or self.state.decision(key):
            return key
        pool = list(dict.fromkeys([*(a.key for a in self.state.actions), *self.options]))
        close = closest_keys(key, pool)
        raise AchillesError(
            f"'{key}' is not an option for this case",
            hint=(f"did you mean {_or(close)}? " if close else "")
            + "(keys are POWER@TARGET; `achilles actions CASE` lists the plan, "
            "`achilles recommend CASE` every option)",
        )

    def in_plan(self, key: str) -> TrackedAction:
        self.known(key)
        action = self.state.action(key)
        if action is None:
            close = closest_keys(key, [a.key for a in self.state.actions])
            raise AchillesError(
                f"'{key}' is not in the plan",
                hint=(f"did you mean {_or(close)}? " if close else "")
                + "add it first (`achilles actions add`)",
            )
        return action

    def term(self, value: str, section: str, what: str) -> str:
        if self.vocab.has(section, value):
            return value
        terms = list(self.vocab.sections.get(section, {}))
        raise AchillesError(
            f"{what} '{value}' is not a known {section.replace('_', ' ')} term",
            hint=choices_hint(value, terms),
        )

    # --- edits -------------------------------------------------------------------------------

    def add(
        self,
        key: str,
        *,
        owner: str | None = None,
        agency: str | None = None,
        due: dt.date | None = None,
        owner_shareable: bool | None = None,
    ) -> bool:
        """Put an option in the plan (withdrawing a rejection or deferral of it); with an owner,
        agency or due date, set those too. True when it was not in the plan before."""
        self.known(key)
        action = self.state.action(key)
        new = action is None
        if action is None:
            self.state.decisions = [d for d in self.state.decisions if d.key != key]
            action = TrackedAction(key=key, added=self.today)
            self.state.actions.append(action)
        self._details(action, owner, agency, due, owner_shareable)
        return new

    def remove(self, key: str) -> None:
        action = self.in_plan(key)
        self._keep_work(action, "take it out of the plan")
        self.state.actions.remove(action)

    def update(
        self,
        key: str,
        *,
        status: str | None = None,
        rag: str | None = None,
        note: str | None = None,
        outcome: str | None = None,
        on: dt.date | None = None,
        owner: str | None = None,
        agency: str | None = None,
        due: dt.date | None = None,
        shareable: bool = False,
        owner_shareable: bool | None = None,
    ) -> None:
        action = self.in_plan(key)
        when = on or self.today
        if status is not None:
            status = self.term(status, "action_status", "status")
        if rag is not None:
            action.rag = self.term(rag, "rag", "RAG")
        if outcome is not None:
            level = self.term(outcome, "disruption_level", "outcome")
            if status not in (None, DONE):
                raise AchillesError(
                    f"an outcome is recorded when the action is done, not {status}",
                    hint="drop --status, or drop --outcome",
                )
            action.status = DONE
            action.outcome = Outcome(
                level=level, date=when, note=_text(note), shareable=shareable if note else False
            )
            note = None  # the note is the outcome's
        if status is not None and status != action.status:
            if action.outcome is not None and status != DONE:
                # Nothing typed is lost: a withdrawn outcome stays as a dated note.
                was = action.outcome
                action.updates.append(
                    Update(
                        date=when,
                        by=self.who,
                        text=f"outcome withdrawn (was {was.level} on {was.date})"
                        + (f": {was.note}" if was.note else ""),
                        shareable=was.shareable,
                    )
                )
                action.outcome = None
            action.status = status
        if _text(note):
            action.updates.append(
                Update(date=when, by=self.who, text=_text(note) or "", shareable=shareable)
            )
        self._details(action, owner, agency, due, owner_shareable)

    def reject(self, key: str, reason: str, *, shareable: bool = False) -> None:
        self._decide(key, "rejected", reason, None, shareable)

    def defer(
        self, key: str, reason: str, *, until: dt.date | None = None, shareable: bool = False
    ) -> None:
        self._decide(key, "deferred", reason, until, shareable)

    def reopen(self, key: str) -> None:
        """Withdraw a rejection or deferral (the option goes back to being merely considered)."""
        self.known(key)
        if self.state.decision(key) is None:
            raise AchillesError(f"'{key}' is not rejected or deferred", hint="nothing to withdraw")
        self.state.decisions = [d for d in self.state.decisions if d.key != key]

    def record_review(self, on: dt.date, options: Iterable[str]) -> None:
        self.state.reviews = [r for r in self.state.reviews if r.date != on]
        self.state.reviews.append(Review(date=on, by=self.who, options=list(options)))
        self.state.reviews.sort(key=lambda r: r.date)

    # --- helpers -----------------------------------------------------------------------------

    def _decide(
        self, key: str, decision: str, reason: str, until: dt.date | None, shareable: bool
    ) -> None:
        self.known(key)
        reason = _text(reason) or ""
        if not reason:
            raise AchillesError(
                f"a {decision[:-1]}al needs a reason for the record"
                if decision == "deferred"
                else "a rejection needs a reason for the record",
                hint="add --reason TEXT",
            )
        action = self.state.action(key)
        if action is not None:
            self._keep_work(action, f"record it as {decision}")
            self.state.actions.remove(action)
        self.state.decisions = [d for d in self.state.decisions if d.key != key]
        self.state.decisions.append(
            PlanDecision(
                key=key,
                decision=decision,  # type: ignore[arg-type]
                reason=reason,
                by=self.who,
                date=self.today,
                until=until if decision == "deferred" else None,
                shareable=shareable,
            )
        )

    def _keep_work(self, action: TrackedAction, doing: str) -> None:
        if action.updates or action.outcome:
            raise AchillesError(
                f"'{action.key}' has work recorded on it (dated updates or an outcome), "
                f"so it cannot {doing}",
                hint=f"set its status to {ABANDONED} with a note saying why; its record stays",
            )

    def _details(
        self,
        action: TrackedAction,
        owner: str | None,
        agency: str | None,
        due: dt.date | None,
        owner_shareable: bool | None,
    ) -> None:
        if owner is not None:
            action.owner = _text(owner)
        if agency is not None:
            action.agency = self.term(agency, "agency", "agency") if agency else None
        if due is not None:
            action.due = due
        if owner_shareable is not None:
            action.owner_shareable = owner_shareable


def _text(value: str | None) -> str | None:
    """Typed text on one line, or None when there is none."""
    if not value:
        return None
    return " ".join(value.split()) or None


def _or(keys: list[str]) -> str:
    quoted = [f"'{k}'" for k in keys]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


# --- what changed, for the decision log -------------------------------------------------------


def plan_changes(old: PlanState, new: PlanState) -> list[Change]:
    """The decision-log entries that take `old` to `new`."""
    out: list[Change] = []
    old_actions = {a.key: a for a in old.actions}
    new_actions = {a.key: a for a in new.actions}
    old_decisions = {d.key: d for d in old.decisions}
    new_decisions = {d.key: d for d in new.decisions}
    for key, a in new_actions.items():
        before = old_actions.get(key)
        if before is None:
            out.append(Change(key, "accepted", "", _details(None, a)))
            _progress(key, None, a, out)
        else:
            _progress(key, before, a, out)
    for key, d in new_decisions.items():
        before_d = old_decisions.get(key)
        if before_d is None or (before_d.decision, before_d.reason, before_d.until) != (
            d.decision,
            d.reason,
            d.until,
        ):
            out.append(Change(key, d.decision, d.reason, f"until {d.until}" if d.until else ""))
    for key in old_actions:
        if key not in new_actions and key not in new_decisions:
            out.append(Change(key, "removed"))
    for key in old_decisions:
        if key not in new_decisions and key not in new_actions:
            out.append(Change(key, "reopened"))
    held = {r.date for r in old.reviews}
    for r in new.reviews:
        if r.date not in held:
            out.append(
                Change("", "reviewed", "", f"review held {r.date}; {len(r.options)} options open")
            )
    return out


def _details(before: TrackedAction | None, a: TrackedAction) -> str:
    """What changed in an action's fields; the owner (free text) only as set or cleared."""
    parts = []
    if a.owner != (before.owner if before else None):
        parts.append("owner set" if a.owner else "owner cleared")
    for field in ("agency", "due", "status", "rag"):
        old = getattr(before, field) if before else None
        new = getattr(a, field)
        if old == new or (
            before is None and (new is None or (field == "status" and new == STARTED))
        ):
            continue
        parts.append(
            f"{field} {old or '(none)'} -> {new or '(none)'}" if before else f"{field} {new}"
        )
    return "; ".join(parts)


def _progress(key: str, before: TrackedAction | None, a: TrackedAction, out: list[Change]) -> None:
    if before is not None:
        detail = _details(before, a)
        if detail:
            out.append(Change(key, "updated", "", detail))
    seen = len(before.updates) if before else 0
    for u in a.updates[seen:]:
        out.append(Change(key, "updated", u.text, f"note dated {u.date}"))
    if a.outcome is not None and (before is None or before.outcome != a.outcome):
        o = a.outcome
        out.append(Change(key, "done", o.note or "", f"outcome {o.level} on {o.date}"))
