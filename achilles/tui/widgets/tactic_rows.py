"""The rows of the Options table: the safeguarding lane first, then the tactics, each one power
with its targets folded under it until the LRO opens it.

Row keys say what a row is: an option's own key (`POWER@TARGET`, the rows the LRO acts on), a
tactic (`tactic:POWER`), a section heading (`section:lane`, `section:tactics`) or a person the
group exploits for whom no protective option fired (`victim:PERSON`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from rich.text import Text

from achilles.model.case import Case
from achilles.ranking import RankedOption, Ranking, Tactic

LANE = "section:lane"
TACTICS = "section:tactics"
TACTIC = "tactic:"
VICTIM = "victim:"
HEADERS = ["#", "state", "score", "tactic", "target", "lead agency", "4P"]
STATE_STYLE = {
    "rejected": "italic",
    "deferred": "italic",
    "suggested": "dim",
    "auto": "dim",
    "done": "bold",
}
# States that mean the option is in the plan the partnership keeps (chosen, moving or done).
IN_PLAN = {"in plan", "proposed", "agreed", "in progress", "done"}


def is_option(key: str | None) -> bool:
    return bool(key) and "@" in str(key)


def tactic_key(power_id: str) -> str:
    return f"{TACTIC}{power_id}"


def victim_key(person: str) -> str:
    return f"{VICTIM}{person}"


def folds(key: str | None) -> bool:
    """A row that opens to show the options under it: a tactic, or a person's safeguarding."""
    return bool(key) and str(key).startswith((TACTIC, VICTIM))


@dataclass(frozen=True)
class Marks:
    """What the rows show beside each option: its plan state and whether it changed."""

    states: dict[str, str]
    changed: Collection[str]


def rows(
    ranking: Ranking,
    tactics: list[Tactic],
    case: Case,
    marks: Marks,
    opened: Collection[str],
) -> list[tuple[str, list[object]]]:
    """The table's rows: the lane (always whole: safeguarding comes first), one row a person,
    then `tactics` (already filtered), one row a tactic; `opened` holds the row keys of the
    people and tactics whose options are shown under them."""
    out: list[tuple[str, list[object]]] = []
    if ranking.safeguarding:
        n = len(ranking.safeguarding)
        out.append(
            _heading(LANE, f"Safeguarding first: {n} {'person' if n == 1 else 'people'}", "")
        )
        shown: set[str] = set()  # an action for a place (a reception centre) serves everyone
        # there: its row is under the first of them
        for s in ranking.safeguarding:
            person = case.label(s.person)
            options = [r for r in s.options if r.key not in shown]
            shown.update(r.key for r in options)
            if len(options) == 1 and len(s.options) == 1:
                r = options[0]
                out.append((r.key, _option_cells(r, "", r.power.name, person, marks)))
                continue
            key = victim_key(s.person)
            if not s.options:
                cells: list[object] = [
                    "",
                    Text("none", style="bold reverse"),
                    "",
                    Text("no protective option: refer now", style="bold"),
                    person,
                    "",
                    "",
                ]
                out.append((key, cells))
                continue
            is_open = key in opened
            state = tactic_state([marks.states.get(k, "") for k in s.actions])
            names = ", ".join(r.power.name for r in s.options)
            if len(options) < len(s.options):
                names += " (shared actions under the first person they serve)"
            out.append(
                (
                    key,
                    [
                        "",
                        Text(state, style=STATE_STYLE.get(state, "bold reverse" if state else "")),
                        f"{s.options[0].score:.1f}",
                        Text(f"{'▾' if is_open else '▸'} {len(s.options)} actions: {names}"),
                        person,
                        "",
                        "",
                    ],
                )
            )
            if is_open:
                for r in options:
                    out.append((r.key, _option_cells(r, "", f"  └ {r.power.name}", person, marks)))
    out.append(_heading(TACTICS, f"Tactics: {len(tactics)} (enter opens one)", ""))
    for t in tactics:
        best = t.options[0]
        if len(t.options) == 1:
            cells = _option_cells(
                best, str(t.rank), t.power.name, case.label(best.option.target), marks
            )
            cells[2] = _score(t)
            out.append((best.key, cells))
            continue
        is_open = tactic_key(t.power_id) in opened
        changed = any(k in marks.changed for k in t.keys)
        state = tactic_state([marks.states.get(k, "") for k in t.keys])
        names = ", ".join(case.label(x) for x in t.targets)
        out.append(
            (
                tactic_key(t.power_id),
                [
                    Text(f"{t.rank}{'*' if changed else ''}", style="bold" if changed else ""),
                    Text(state, style=STATE_STYLE.get(state, "bold reverse" if state else "")),
                    _score(t),
                    Text(
                        f"{'▾' if is_open else '▸'} {t.power.name}", style="bold" if changed else ""
                    ),
                    f"{len(t.options)} targets: {names}",
                    t.power.lead_agency,
                    ", ".join(t.power.four_p),
                ],
            )
        )
        if is_open:
            for r in t.options:
                out.append((r.key, _option_cells(r, "", "  └", case.label(r.option.target), marks)))
    return out


def _score(t: Tactic) -> str:
    """The tactic's best score, with the points its place took off for variety."""
    return f"{t.best_score:.1f}" + (f" -{t.deducted:g}" if t.deducted else "")


def tactic_state(states: list[str]) -> str:
    """A tactic's state in a word or two, from its targets' states."""
    chosen = sum(1 for s in states if s in IN_PLAN)
    if chosen:
        return f"{chosen} in plan"
    for word in ("suggested", "auto", "deferred"):
        if word in states:
            return word
    if states and all(s == "rejected" for s in states):
        return "rejected"
    return ""


def _option_cells(r: RankedOption, rank: str, name: str, target: str, marks: Marks) -> list[object]:
    mark = "*" if r.key in marks.changed else ""
    state = marks.states.get(r.key, "")
    style = "bold" if mark else ""
    return [
        Text(f"{rank}{mark}", style=style),
        Text(state, style=STATE_STYLE.get(state, "bold reverse")),
        f"{r.score:.1f}",
        Text(name, style=style),
        target,
        r.power.lead_agency,
        ", ".join(r.power.four_p),
    ]


def _heading(key: str, title: str, note: str) -> tuple[str, list[object]]:
    return (key, ["", "", "", Text(title, style="bold underline"), Text(note, style="dim"), "", ""])
