"""Every table of the portfolio report, defined once: its name (the CSV `--table`), title,
columns (each with the sentence that explains it) and rows. Markdown, HTML and CSV all write
these, so the formats cannot disagree. Names come first; ids sit in their own columns."""

from __future__ import annotations

from dataclasses import dataclass, field

from achilles.model.portfolio import CaseSummary, PortfolioReport, TopOption


@dataclass(frozen=True)
class Column:
    key: str  # the CSV header: lower case, no spaces
    title: str  # the header a reader sees
    meaning: str  # one sentence, printed under the table


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    columns: tuple[Column, ...]
    rows: list[list[object]]
    empty: str
    intro: str = ""
    annex: bool = False  # detail for the back of the report, not the board's pages
    board: bool = False  # on the one-page summary
    notes: list[str] = field(default_factory=list)


def _case_name(c: CaseSummary) -> str:
    return c.title or c.case_id


def _target(t: TopOption) -> str:
    return t.target_name or f"{t.target_type} {t.target}"


def _score(value: float | None) -> object:
    return "none" if value is None else round(value, 1)


CASES = Column("cases", "Cases", "Groups (case files) where the power applies at least once.")
OPTIONS = Column("options", "Options", "Options across all groups: one per power per target.")


def _in_top(r: PortfolioReport, whose: str) -> Column:
    return Column(
        "in_top",
        f"In a top {r.top}",
        f"Places {whose} takes among each group's {r.top} best-ranked options, added up.",
    )


def summary_rows(r: PortfolioReport) -> list[list[object]]:
    return [
        ["Case files", r.files],
        ["Analysed", r.analysed],
        ["Skipped (problems)", len(r.skipped)],
        ["Facts", r.facts],
        ["Options", r.options],
        ["Actions in the partnership's plans", r.actions],
        [f"Cases with no option scoring {r.threshold:g} or more", len(r.weak)],
        ["Rules version", r.rules_version],
        ["Generated on", r.generated_on.isoformat()],
        ["Near misses", "looked for" if r.near_misses else "not looked for (--no-near-misses)"],
        ["Names", "redacted (--redact)" if r.redacted else "shown"],
    ]


def tables(r: PortfolioReport) -> list[Table]:
    in_top = _in_top(r, "the power")
    power = Column("power", "Power", "The legal power or tactic, as the catalogue names it.")
    power_id = Column("power_id", "Power id", "The catalogue's id for the power.")
    agency = Column("lead_agency", "Lead agency", "The agency that leads on the power.")
    agency_id = Column("agency_id", "Agency id", "The vocabulary's id for the agency.")
    case = Column("case", "Case", "The operation's name (the case id when redacted).")
    case_id = Column("case_id", "Case id", "The case file's id.")
    file = Column("file", "File", "The case file it was read from.")
    tactic_levels = [
        Column(
            f"outcome_{level}",
            f"Outcome: {level.replace('_', ' ')}",
            f"Actions done with a recorded disruption of {level.replace('_', ' ')}.",
        )
        for level in r.levels
    ]
    return [
        Table(
            "summary",
            "Summary",
            (
                Column("measure", "Measure", "What is counted."),
                Column("value", "Value", "Its value in this report."),
            ),
            summary_rows(r),
            "",
        ),
        Table(
            "threats",
            "Groups by threat",
            (
                Column("threat", "Threat", "The group's assessed threat, as its case records it."),
                Column("cases", "Groups", "Groups analysed at that threat."),
                Column(
                    "weak",
                    "Without a strong option",
                    f"Of them, groups with no option scoring {r.threshold:g} or more.",
                ),
            ),
            [[t.threat.replace("_", " ").capitalize(), t.cases, t.weak] for t in r.threats],
            "No cases analysed.",
            board=True,
        ),
        Table(
            "four_p",
            "Options by 4P",
            (
                Column("four_p", "4P", "Pursue, Prevent, Protect or Prepare."),
                Column("meaning", "Meaning", "What the P is for."),
                Column("cases", "Cases", "Groups with at least one option serving this P."),
                Column("options", "Options", "Options serving this P (an option may serve two)."),
                _in_top(r, "an option serving this P"),
            ),
            [[p.four_p.capitalize(), p.meaning, p.cases, p.options, p.in_top] for p in r.four_ps],
            "No options in any case.",
            board=True,
        ),
        Table(
            "agencies",
            "Demand per lead agency",
            (
                agency,
                Column("cases", "Cases", "Groups where the agency leads at least one option."),
                Column("options", "Options", "Options the agency leads, across all groups."),
                _in_top(r, "an option it leads"),
                agency_id,
            ),
            [[a.name or a.agency, a.cases, a.options, a.in_top, a.agency] for a in r.agencies],
            "No options in any case.",
            board=True,
        ),
        Table(
            "powers",
            "Most applicable powers",
            (power, agency, CASES, OPTIONS, in_top, power_id),
            [
                [p.power, r.agency_name(p.lead_agency), p.cases, p.options, p.in_top, p.power_id]
                for p in r.powers
            ],
            "No options in any case.",
        ),
        Table(
            "tactics",
            "What works: the partnership's actions and outcomes per tactic",
            (
                power,
                Column("chosen", "Chosen", "Actions in the plans with this power, any status."),
                Column("done", "Done", "Of them, done."),
                Column("abandoned", "Abandoned", "Of them, abandoned."),
                Column("rejected", "Rejected", "Options with this power the partnership rejected."),
                *tactic_levels,
                power_id,
            ),
            [
                [t.power, t.chosen, t.done, t.abandoned, t.rejected]
                + [dict(t.outcomes).get(level, 0) for level in r.levels]
                + [t.power_id]
                for t in r.tactics
            ],
            "No plan records an action yet.",
        ),
        Table(
            "agency_actions",
            f"Actions per lead agency (overdue as on {r.on or r.generated_on})",
            (
                agency,
                Column("open", "Open", "Actions not yet done or abandoned."),
                Column("overdue", "Overdue", "Open actions past their due date."),
                Column("done", "Done", "Actions done."),
                agency_id,
            ),
            [[r.agency_name(a.agency), a.open, a.overdue, a.done, a.agency] for a in r.agency_work],
            "No plan records an action yet.",
        ),
        Table(
            "near_misses",
            "Recurring intelligence requirements (near misses)",
            (
                power,
                Column("missing", "What to establish", "The fact that would open the power."),
                Column("cases", "Cases", "Groups where it is missing."),
                Column("times", "Times", "Times it is missing across those groups."),
                power_id,
            ),
            [[n.power, n.missing, n.cases, n.times, n.power_id] for n in r.recurring],
            "None recur in two or more cases." if r.near_misses else "Not looked for.",
            intro=(
                f"The {len(r.recurring)} most frequent of {r.near_groups}."
                if r.near_groups > len(r.recurring)
                else ""
            ),
        ),
        Table(
            "weak_cases",
            f"Cases with no strong option (best score under {r.threshold:g})",
            (
                case,
                Column("threat", "Threat", "The group's assessed threat."),
                Column("best_score", "Best score", "The best option's score (0-100)."),
                Column("options", "Options", "Options found for the group."),
                case_id,
                file,
            ),
            [
                [_case_name(w), w.threat, _score(w.best), w.options, w.case_id, w.file]
                for w in r.weak
            ],
            "Every case has a strong option.",
        ),
        Table(
            "case_options",
            f"Top {r.top} options per case",
            (
                case,
                Column("rank", "Rank", "The option's place in the case's ranking."),
                power,
                Column("target", "Target", "Who or what the option acts on."),
                agency,
                Column("score", "Score", "The option's score (0-100)."),
                power_id,
                Column("target_id", "Target id", "The target's id in the case file."),
                case_id,
                file,
            ),
            _case_rows(r),
            "No cases analysed.",
            annex=True,
        ),
        Table(
            "skipped",
            "Files skipped",
            (file, Column("problem", "First problem", "Why the file could not be analysed.")),
            [[f.file, f.problem] for f in r.skipped],
            "None.",
            annex=True,
        ),
    ]


def _case_rows(r: PortfolioReport) -> list[list[object]]:
    names = {p.power_id: p.power for p in r.powers}
    leads = {p.power_id: p.lead_agency for p in r.powers}
    rows: list[list[object]] = []
    for s in r.cases:
        if not s.top:
            rows.append([_case_name(s), "", "no options", "", "", "", "", "", s.case_id, s.file])
        for t in s.top:
            rows.append(
                [
                    _case_name(s),
                    t.rank,
                    names.get(t.power_id, t.power_id),
                    _target(t),
                    r.agency_name(leads.get(t.power_id, "")),
                    round(t.score, 1),
                    t.power_id,
                    f"{t.target_type} {t.target}",
                    s.case_id,
                    s.file,
                ]
            )
    return rows


TABLE_NAMES = (
    "summary",
    "threats",
    "four_p",
    "agencies",
    "powers",
    "tactics",
    "agency_actions",
    "near_misses",
    "weak_cases",
    "case_options",
    "skipped",
)  # the order of tables(); a test holds them together
