"""`achilles case validate | show | new`."""

from __future__ import annotations

from pathlib import Path

import typer

from achilles.cli import case_app, examples, output, report_error
from achilles.errors import AchillesError, InputError
from achilles.files import write_private
from achilles.model.blank_case import TEMPLATE, blank_case
from achilles.render.clean import one_line


@case_app.command(
    "validate",
    epilog=examples(
        "achilles case validate op-kestrel.yaml",
        "achilles case validate cases/*.yaml | grep -c ': valid'",
    ),
)
def validate(
    files: list[Path] = typer.Argument(..., metavar="FILE...", help="Case files to check."),
) -> None:
    """Check case files; every problem is reported with its line, as an error or a warning (on
    standard error), and each valid file gets one line on standard output. Exit 0 when all
    are valid, 2 when any is not."""
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
        output.say(
            f"{f}: valid (case {case.case.id}, {len(case.people)} people, "
            f"{len(case.premises)} premises, {len(case.activities)} activities"
            + (f", {len(case.events)} events" if case.events else "")
            + ")"
        )
        earlier = [p for p in doc.problems.items if p.level != "error"]
        output.problems([*earlier, *_presumption_problems(case, doc, k)])
    if bad:
        output.note(f"{bad} of {len(files)} file{'s' if len(files) != 1 else ''} not valid")
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


@case_app.command(
    "show",
    epilog=examples(
        "achilles case show op-kestrel.yaml",
        "achilles case show op-kestrel.yaml | grep ^people",
    ),
)
def show(file: Path = typer.Argument(..., metavar="FILE", help="The case file.")) -> None:
    """A readable summary: people by role, premises, businesses, vehicles, activities. Piped,
    each entry is one line, tab-separated, starting with its kind (people, premises, ...)."""
    from achilles.model.case_file import load_case

    case = load_case(file)
    output.say(case.case.marking, bold=True)
    output.say(
        f"{one_line(case.case.title)}: {one_line(case.ocg.name)} "
        f"(threat {case.ocg.threat or 'not assessed'}; as of {case.case.as_of}; "
        f"{case.case.jurisdiction})"
    )
    output.say(f"LRO: {one_line(case.case.lro.name)}, {one_line(case.case.lro.agency)}")
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
    output.say(case.case.marking, bold=True)


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
    output.table(headers, rows, title=title, kind=title.lower())


@case_app.command(
    "new",
    epilog=examples(
        "achilles case new --out op-kestrel.yaml",
        "achilles case new > op-kestrel.yaml",
    ),
)
def new(
    out_file: Path = typer.Option(
        None,
        "--out",
        metavar="FILE",
        help="Write the template here (owner-only) instead of standard output.",
    ),
    force: bool = typer.Option(False, "--force", help="Replace an existing file."),
) -> None:
    """Write a blank, commented case-file template to start from. It validates as it is; fill
    in the header and add people, premises and activities (docs/CASE-FORMAT.md has every field)."""
    import datetime as dt

    text = blank_case(dt.date.today())
    if out_file is None:
        output.document(text)
        return
    write_private(out_file, text, force=force)
    output.note(f"wrote {out_file} (readable by you only)")


__all__ = ["TEMPLATE", "AchillesError"]
