"""What the Options screen's detail pane says of the highlighted row: an option in full, a
tactic with its targets and its place in the list, or the safeguarding lane."""

from __future__ import annotations

import datetime as dt

from rich.text import Text

from achilles.explain import explain
from achilles.meeting.session import Session
from achilles.plan import procedure_dates
from achilles.ranking import RankedOption, Tactic, still_missing
from achilles.render.clean import clean


class SafeText(Text):
    """Text whose appended strings lose escape sequences and control characters."""

    def append(self, text, style=None):
        return super().append(clean(text) if isinstance(text, str) else text, style)


def option_detail(s: Session, r: RankedOption, today: dt.date) -> Text:
    """An option in full: why, the facts, the score, the test, the dated steps, the cautions."""
    assert s.result is not None
    case = s.result.analysis.case
    p = r.power
    t = SafeText()
    t.append(f"{p.name}\n", style="bold")
    t.append(
        f"on {case.label(r.option.target)} ({r.option.target}) · {', '.join(p.four_p)} · "
        f"lead {p.lead_agency} · score {r.score}\n"
    )
    t.append(f"{p.citation()}\n\n")
    e = explain(r.option, p, s.knowledge.rulebook, case)
    if s.result.ranking.in_lane(r.key):
        t.append(
            "Safeguarding of a person the group exploits: it comes first, apart from the "
            "tactics, and is in the plan unless you reject it.\n\n",
            style="bold",
        )
    if e.exempt:
        names = ", ".join(_named(case, x) for x in e.exempt)
        t.append(f"Exempt residents: {names}\n\n", style="bold")
    t.append("Why\n", style="bold underline")
    for line in e.why:
        t.append(f"  - {line}\n")
    t.append(f"  [rules {', '.join(e.rules)}]\n")
    t.append("\nMatched facts\n", style="bold underline")
    for line in e.facts:
        t.append(f"  - {line}\n")
    t.append("\nScore breakdown\n", style="bold underline")
    for c in r.breakdown:
        t.append(f"  {c.name:<11} {c.points:5.1f}  {c.reason}\n")
    tactic = s.result.ranking.tactic_of(r.key)
    if tactic is not None:
        t.append(f"  {'place':<11} {tactic.rank:>5}  tactic {tactic.rank}: {tactic.reason}\n")
    t.append("\nLegal test\n", style="bold underline")
    t.append(f"  {p.legal_test.strip()}\n  Standard: {p.evidence_standard.replace('_', ' ')}\n")
    t.append(f"\nProcedure and deadlines (from {today})\n", style="bold underline")
    for step in procedure_dates(p, today):
        t.append(f"  {step.due}  {step.text}" + (f" ({step.note})" if step.note else "") + "\n")
    k = s.knowledge
    missing = still_missing(r, e, case, k.rulebook, k.catalogue, k.vocab, k.weights)
    if missing:
        t.append(
            "\nStill missing (evidence to gather, then cautions; each once)\n",
            style="bold underline",
        )
        for m in missing:
            t.append(f"  - {'gather' if m.kind == 'evidence' else 'caution'}: ", style="bold")
            t.append(f"{m.text}\n")
    if not p.provenance.confirmed:
        t.append(
            "\nThis catalogue entry is not fully confirmed against the statute.\n",
            style="italic",
        )
    return t


def tactic_detail(s: Session, tactic: Tactic, today: dt.date) -> Text:
    """A tactic: its targets with their scores and plan states, and why it sits where it does;
    then its best target in full."""
    assert s.result is not None
    case = s.result.analysis.case
    states = s.option_states()
    p = tactic.power
    t = SafeText()
    t.append(f"Tactic {tactic.rank}: {p.name}\n", style="bold")
    t.append(
        f"on {len(tactic.options)} targets · {', '.join(p.four_p)} · lead {p.lead_agency} · "
        f"best score {tactic.best_score}\n"
    )
    t.append(f"Place in the list: {tactic.reason}\n")
    if tactic.heel:
        t.append(f"Hits the group's heel: {', '.join(sorted(tactic.heel))}\n")
    t.append(
        "\nTargets (enter shows them; each is an option to add, reject or defer)\n",
        style="bold underline",
    )
    for r in tactic.options:
        state = states.get(r.key, "")
        t.append(
            f"  {r.score:5.1f}  {_named(case, r.option.target)}"
            + (f"  [{state}]" if state else "")
            + "\n"
        )
    t.append("\nIts best target\n\n", style="bold underline")
    t.append_text(option_detail(s, tactic.options[0], today))
    return t


def lane_detail(s: Session, first: str | None = None) -> Text:
    """The safeguarding lane: who the group exploits, why the law says so, what protects them;
    `first`, a person, is named first."""
    assert s.result is not None
    case = s.result.analysis.case
    lanes = sorted(s.result.ranking.safeguarding, key=lambda x: x.person != first)
    t = SafeText("Safeguarding first\n", style="bold")
    t.append(
        "Every person the group exploits, or the law presumes it may, with the protective "
        "options that fired for them. They come before the tactics and never compete with "
        "them; each is in the plan unless you reject it (you are asked to confirm).\n\n"
    )
    for lane in lanes:
        t.append(f"{_named(case, lane.person)}\n", style="bold")
        for why in lane.why:
            t.append(f"  {why}\n")
        for r in lane.options:
            t.append(f"  - {r.power.name}\n")
        if not lane.options:
            t.append("  - no protective option fired: refer to adult or children's services now\n")
        t.append("\n")
    return t


def tactics_heading(s: Session) -> Text:
    assert s.result is not None
    t = SafeText("Tactics\n", style="bold")
    t.append(
        "Each tactic is one power with all its targets (enter opens it; e opens them all). "
        "The list is a menu across the group's weak points: a tactic loses a few points for "
        "each tactic above it on the same targets, with the same agency or in the same area, "
        "so one power on three shops or four powers on one pub do not fill the top "
        "(ranking/weights.yaml, tactics). The score is its best target's.\n"
    )
    return t


def _named(case, key: str) -> str:
    label = case.label(key)
    return key if label == key else f"{label} ({key})"
