"""`achilles case validate | show | new`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table
from rich.text import Text

from achilles.cli import case_app, err, out, report_error
from achilles.errors import AchillesError, InputError
from achilles.files import write_private
from achilles.render.clean import one_line

TEMPLATE = """\
# An Achilles case file: one organised crime group as known on one date.
# The format: docs/CASE-FORMAT.md in Achilles' source; the terms: vocabulary/vocabulary.yaml.
# Check it with `achilles case validate FILE`; see options with `achilles recommend FILE`.
case:
  id: my-operation              # lower-case letters, digits and '-'
  title: Operation Example
  as_of: {today}                # the date this picture describes
  jurisdiction: england         # england or wales
  marking: OFFICIAL-SENSITIVE
  lro: {{name: Lead Responsible Officer, agency: Anytown Police}}
  partners: [police, council_licensing, trading_standards, council_housing]
ocg:
  name: Example group
  reference: URN-0000           # the OCG mapping reference, if any
  crime_types: [drug_supply]
  threat: medium                # high, medium, low or unknown
people:
  - {{id: n1, name: Principal A, role: principal}}
  - {{id: n2, name: Member B, role: member, benefits: [universal_credit]}}
  - {{id: v1, role: vulnerable, vulnerabilities: [cuckooed, drug_dependent]}}
premises:
  - id: p1
    label: Flat used as a dealing base
    use: flat
    tenure: council_tenancy
    landlord: council
    occupants: [{{person: v1, as: tenant}}, {{person: n2, as: occupier}}]
businesses: []
vehicles: []
activities:
  - {{kind: drug_supply, at: [p1], by: [n2], status: intelligence, grade: B2}}
  - {{kind: cuckooing, at: [p1], by: [n2], status: corroborated}}
# The plan the LRO keeps. Optional: the TUI and `achilles actions` write it for you. Keys are
# options as `achilles recommend` shows them (POWER@TARGET). Owners, reasons and notes are left
# out of redacted exports unless marked shareable (owner_shareable: true, shareable: true).
# plan:
#   actions:
#     - key: closure_notice@p1
#       owner: PS Patel
#       agency: police                # only when not the power's usual lead
#       due: {today}
#       status: done                  # proposed, agreed, in_progress, done, abandoned
#       rag: amber                    # red, amber, green
#       updates: [{{date: {today}, text: Notice drafted}}]
#       outcome: {{level: moderate, date: {today}}}  # once done: major, moderate, minor, none
#   decisions:
#     - {{key: civil_injunction@n2, decision: deferred, reason: After the test purchase,
#        date: {today}, until: {today}}}
#   reviews:                          # `achilles review CASE --record` adds one
#     - {{date: {today}, options: [closure_notice@p1, civil_injunction@n2]}}
"""


@case_app.command("validate")
def validate(files: list[Path] = typer.Argument(..., help="Case files to check.")) -> None:
    """Check case files; every problem is reported with its line. Exit 0 when all are valid."""
    from achilles.knowledge import load_knowledge
    from achilles.loading.yaml_reader import load_yaml
    from achilles.model.case_file import case_from_document

    bad = 0
    for f in files:
        try:
            doc = load_yaml(f, what="case file")
            case = case_from_document(doc)
            k = load_knowledge()
            wrong = _power_problems(case, doc, k)
            if wrong:
                raise InputError(f"{f}: events name unknown powers", wrong)
        except InputError as exc:
            bad += 1
            report_error(exc)
            continue
        out.print(
            f"{f}: valid (case {case.case.id}, {len(case.people)} people, "
            f"{len(case.premises)} premises, {len(case.activities)} activities"
            + (f", {len(case.events)} events" if case.events else "")
            + ")",
            markup=False,
        )
        earlier = [p for p in doc.problems.items if p.level != "error"]
        for problem in [*earlier, *_presumption_problems(case, doc, k)]:
            out.print(problem.render(), markup=False, highlight=False)
    if bad:
        err.print(f"{bad} of {len(files)} file(s) have problems.", markup=False)
        raise typer.Exit(2)


def _power_problems(case, doc, k) -> list:
    """An event naming a power the catalogue does not hold (the loader cannot see the catalogue)."""
    from achilles.loading.problems import Problems, did_you_mean

    problems = Problems(doc.file, doc.lines)
    for i, event in enumerate(case.events):
        if event.power and event.power not in k.catalogue:
            problems.add(
                ("events", i, "power"),
                f"'{event.power}' is not a power in the catalogue",
                did_you_mean(event.power, k.catalogue.powers) or "see `achilles powers list`",
            )
    return problems.items


def _presumption_problems(case, doc, k) -> list:
    """The law's presumptions that hold in this case, as warnings on each person's line."""
    from achilles.facts import case_facts
    from achilles.loading.problems import Problems
    from achilles.presumptions import presume, warnings

    found = presume(case_facts(case, k.vocab), k.rulebook, case.case.as_of, case.case.jurisdiction)
    index = {p.id: i for i, p in enumerate(case.people)}
    problems = Problems(doc.file, doc.lines)
    for w in warnings(found, case):
        lift = (w.lift[:1].lower() + w.lift[1:]).rstrip(".")
        problems.add(("people", index[w.person]), w.text, f"to lift it, {lift}", level="warning")
    return problems.items


@case_app.command("show")
def show(file: Path = typer.Argument(..., help="The case file.")) -> None:
    """A readable summary: people by role, premises, businesses, vehicles, activities."""
    from achilles.model.case_file import load_case

    case = load_case(file)
    out.print(Text(f"{case.case.marking}", style="bold"))
    out.print(
        Text(
            f"{one_line(case.case.title)}: {one_line(case.ocg.name)} "
            f"(threat {case.ocg.threat or 'not assessed'}; as of {case.case.as_of}; "
            f"{case.case.jurisdiction})"
        )
    )
    out.print(Text(f"LRO: {one_line(case.case.lro.name)}, {one_line(case.case.lro.agency)}"))
    _table(
        "People",
        ["id", "name", "role", "age", "vulnerabilities", "flags"],
        [
            [
                p.id,
                p.name or "",
                p.role,
                "" if p.age is None else str(p.age),
                ", ".join(p.vulnerabilities),
                ", ".join(p.flags),
            ]
            for p in sorted(case.people, key=lambda p: (_ROLE_ORDER.get(p.role, 99), p.id))
        ],
    )
    _table(
        "Premises",
        ["id", "label", "use", "tenure", "licences", "occupants"],
        [
            [
                p.id,
                p.label,
                p.use,
                p.tenure,
                ", ".join(p.licences),
                ", ".join(f"{o.person} ({o.as_})" for o in p.occupants),
            ]
            for p in case.premises
        ],
    )
    _table(
        "Businesses",
        ["id", "name", "trade", "premises", "people", "flags"],
        [
            [
                b.id,
                b.name,
                b.trade,
                b.premises or "",
                ", ".join(f"{x.person} ({x.as_})" for x in b.people),
                ", ".join(b.flags),
            ]
            for b in case.businesses
        ],
    )
    _table(
        "Vehicles",
        ["id", "vrm", "kind", "keeper", "users", "flags"],
        [
            [v.id, v.vrm or "", v.kind, v.keeper or "", ", ".join(v.users), ", ".join(v.flags)]
            for v in case.vehicles
        ],
    )
    _table(
        "Activities",
        ["id", "kind", "status", "grade", "at", "by", "using"],
        [
            [
                case.activity_id(i),
                a.kind,
                a.status,
                a.grade or "",
                ", ".join(a.at),
                ", ".join(a.by),
                ", ".join(a.using),
            ]
            for i, a in enumerate(case.activities)
        ],
    )
    out.print(Text(case.case.marking, style="bold"))


_ROLE_ORDER = {
    r: i
    for i, r in enumerate(
        [
            "principal",
            "core_member",
            "member",
            "associate",
            "enabler",
            "runner",
            "vulnerable",
            "victim",
        ]
    )
}


def _table(title: str, headers: list[str], rows: list[list[str]]) -> None:
    if not rows:
        return
    table = Table(title=title, title_justify="left", show_lines=False)
    for h in headers:
        table.add_column(h)
    for row in rows:
        table.add_row(*[Text(one_line(c)) for c in row])  # Text: user data is never markup
    out.print(table)


@case_app.command("new")
def new(
    out_file: Path = typer.Option(
        None, "--out", help="Write the template here instead of standard output."
    ),
    force: bool = typer.Option(False, "--force", help="Replace an existing file."),
) -> None:
    """Write a commented case-file template to start from."""
    import datetime as dt

    text = TEMPLATE.format(today=dt.date.today().isoformat())
    if out_file is None:
        out.file.write(text)
        return
    write_private(out_file, text, force=force)
    err.print(f"wrote {out_file}", markup=False)


__all__ = ["AchillesError"]
