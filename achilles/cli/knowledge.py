"""`achilles powers ...` and `achilles rules ...`: the legal content, for lawyers and LROs."""

from __future__ import annotations

import json
import time
from pathlib import Path

import typer

from achilles.cli import (
    CatalogueOpt,
    RulesOpt,
    examples,
    output,
    powers_app,
    rules_app,
    split_list,
)
from achilles.errors import AchillesError
from achilles.render.clean import md

LIST_FORMATS = ("table", "tsv", "json", "markdown")


def _catalogue(folder: Path | None):
    from achilles.catalogue import load_catalogue

    return load_catalogue(folder)


def _check_format(fmt: str, allowed: tuple[str, ...]) -> None:
    if fmt not in allowed:
        from achilles.loading.problems import did_you_mean

        raise AchillesError(
            f"--format '{fmt}' is not one of {', '.join(allowed)}",
            hint=did_you_mean(fmt, allowed) or f"use one of {', '.join(allowed)}",
        )


@powers_app.command(
    "list",
    epilog=examples(
        "achilles powers list --four-p protect",
        "achilles powers list --agency police | cut -f1",
        "achilles powers list --format json | jq '.[].id'",
    ),
)
def powers_list(
    four_p: list[str] = typer.Option(
        None,
        "--four-p",
        metavar="STRAND",
        help="pursue, prevent, protect, prepare (comma-separated).",
    ),
    area: list[str] = typer.Option(
        None,
        "--area",
        metavar="AREA",
        help="lifestyle, behaviour, vehicles, travel, business, crime.",
    ),
    agency: list[str] = typer.Option(
        None,
        "--agency",
        metavar="AGENCY",
        help="Lead or exercising agency, e.g. police, trading_standards.",
    ),
    fmt: str = typer.Option(
        "table",
        "--format",
        metavar="{table,tsv,json,markdown}",
        help="table: a table on a terminal, one power per line when piped; tsv: with a header.",
    ),
    pending: bool = typer.Option(
        False, "--pending", help="Only powers enacted but not yet in force (never offered)."
    ),
    catalogue: Path = CatalogueOpt,
) -> None:
    """List the powers, filtered by 4P strand, menu-of-tactics area or agency."""
    _check_format(fmt, LIST_FORMATS)
    cat = _catalogue(catalogue)
    fp, ar, ag = split_list(four_p), split_list(area), split_list(agency)
    powers = [
        p
        for p in cat
        if (not fp or set(fp) & set(p.four_p))
        and (not ar or p.area in ar)
        and (not ag or p.lead_agency in ag or any(a.agency in ag for a in p.exercised_by))
        and (not pending or p.pending)
    ]
    if fmt == "json":
        rows = [
            {
                "id": p.id,
                "name": p.name,
                "legislation": p.citation(),
                "url": next((leg.url for leg in p.legislation if leg.url), None),
                "four_p": list(p.four_p),
                "area": p.area,
                "targets": list(p.targets),
                "lead_agency": p.lead_agency,
                "coercive": p.coercive,
                "evidence_standard": p.evidence_standard,
                "speed_days": p.speed_days,
                "in_force_from": p.in_force_from.isoformat() if p.in_force_from else None,
                "expected_from": p.expected_from.isoformat() if p.expected_from else None,
                "pending": p.pending,
                "in_force_to": p.in_force_to.isoformat() if p.in_force_to else None,
                "in_force": p.in_force_text(),
                "not_in_force_yet": p.not_in_force_yet,
                "confirmed": p.provenance.confirmed,
            }
            for p in powers
        ]
        output.document(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", json=True)
    elif fmt == "markdown":
        lines = [
            "| id | power | legislation | 4P | area | lead | confirmed |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| {md(p.id)} | {md(p.name)} | {md(p.citation())} | {md(', '.join(p.four_p))} | {p.area} | "
            f"{md(p.lead_agency)} | {'yes' if p.provenance.confirmed else 'no'} |"
            for p in powers
        ]
        output.document("\n".join(lines) + "\n")
    else:
        output.table(
            ("id", "power", "legislation", "4P", "area", "lead", "confirmed"),
            [
                [
                    p.id,
                    p.name,
                    p.citation(),
                    ", ".join(p.four_p),
                    p.area,
                    p.lead_agency,
                    "not yet in force"
                    if p.not_in_force_yet
                    else ("yes" if p.provenance.confirmed else "unconfirmed"),
                ]
                for p in powers
            ],
            title=f"{len(powers)} powers",
            fmt=fmt,
        )


@powers_app.command(
    "show",
    epilog=examples("achilles powers show closure_notice", "achilles powers show gang_injunction"),
)
def powers_show(
    power_id: str = typer.Argument(..., metavar="POWER", help="A power id."),
    catalogue: Path = CatalogueOpt,
) -> None:
    """The full profile of a power, with its procedure as a timeline."""
    from achilles.loading.problems import did_you_mean
    from achilles.plan import _human

    cat = _catalogue(catalogue)
    if power_id not in cat:
        raise AchillesError(
            f"no power '{power_id}' in the catalogue",
            hint=did_you_mean(power_id, cat.powers) or "see `achilles powers list`",
        )
    p = cat.get(power_id)
    output.say(p.name, bold=True)
    t = _Lines()
    t.append(
        f"{p.id} · {', '.join(p.four_p)} · area {p.area} · targets {', '.join(p.targets)}"
        f" · {'coercive' if p.coercive else 'not coercive'}\n\n"
    )
    t.append(f"{p.summary.strip()}\n\n")
    for leg in p.legislation:
        t.append(f"Law: {leg.cite()}" + (f"  {leg.url}" if leg.url else "") + "\n")
    t.append(f"In force: {p.in_force_text()}; {', '.join(p.jurisdiction)}\n")
    t.append(
        f"Lead agency: {p.lead_agency}. Exercised by: "
        + "; ".join(f"{a.agency}" + (f" ({a.role})" if a.role else "") for a in p.exercised_by)
        + "\n"
    )
    if p.authorised_by:
        t.append(
            "Authorised by: "
            + "; ".join(f"{a.agency}" + (f" ({a.role})" if a.role else "") for a in p.authorised_by)
            + "\n"
        )
    t.append(f"\nLegal test: {p.legal_test.strip()}\n")
    t.append(f"Evidence standard: {p.evidence_standard.replace('_', ' ')}\n\nProcedure:\n")
    elapsed = 0
    from achilles.model.power import duration_hours

    for i, s in enumerate(p.procedure, 1):
        if s.within:
            elapsed += duration_hours(s.within)
        clock = f"T+{_human(str(elapsed) + 'h')}" if elapsed else "T"
        t.append(f"  {i}. [{clock}] {s.step}")
        extra = [
            x
            for x in (
                f"within {_human(s.within)}" if s.within else "",
                f"lasts up to {_human(s.lasts)}" if s.lasts and not s.lasts_in else "",
                "lasts up to "
                + ", ".join(f"{_human(v)} in {k.title()}" for k, v in sorted(s.lasts_in.items()))
                if s.lasts_in
                else "",
                f"extendable to {_human(s.extendable_to)}" if s.extendable_to else "",
                s.cite or "",
                s.note or "",
            )
            if x
        ]
        t.append(f" ({'; '.join(extra)})\n" if extra else "\n")
    t.append(f"\nDuration: {p.duration}\nAppeal: {p.appeal}\n")
    t.append(f"Impact: {p.impact.level} on {', '.join(p.impact.hits)}: {p.impact.text}\n")
    t.append(
        f"Speed: about {p.speed_days} days · cost {p.cost} · legal risk {p.legal_risk} · collateral risk {p.collateral_risk}\n"
    )
    t.append("\nCautions:\n" + "".join(f"  - {c}\n" for c in p.cautions))
    if p.partners:
        t.append(f"Partners: {', '.join(p.partners)}\n")
    pv = p.provenance
    t.append(
        f"\nProvenance: {'confirmed' if pv.confirmed else 'NOT fully confirmed'}; reviewed by {pv.reviewed_by} on {pv.reviewed_on}\n"
    )
    for u in pv.unconfirmed:
        t.append(f"  unconfirmed: {u}\n")
    for s in pv.source:
        t.append(f"  source: {s}\n")
    output.say(t.text().rstrip("\n"))


class _Lines:
    """Text gathered piece by piece, printed at once through the output path."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def append(self, text: str) -> None:
        self.parts.append(text)

    def text(self) -> str:
        return "".join(self.parts)


@powers_app.command(
    "search",
    epilog=examples("achilles powers search closure", "achilles powers search licensing act"),
)
def powers_search(
    text: list[str] = typer.Argument(..., metavar="WORD...", help="Words to look for."),
    catalogue: Path = CatalogueOpt,
) -> None:
    """Find powers by name, statute or purpose. Exit 1 when none matches (as grep does)."""
    cat = _catalogue(catalogue)
    found = cat.search(" ".join(text))
    if not found:
        output.note("no power matches; try fewer words")
        raise typer.Exit(1)
    for p in found:
        output.say(f"{p.id}: {p.name} ({p.citation()})")


@powers_app.command(
    "check",
    epilog=examples(
        "achilles powers check", "achilles powers check --catalogue my-catalogue --strict"
    ),
)
def powers_check(
    catalogue: Path = CatalogueOpt,
    strict: bool = typer.Option(
        False, "--strict", help="Treat warnings (reviews due) as failures."
    ),
    verbose: bool = typer.Option(
        False, "--verbose", "-v", help="Also list entries not fully confirmed."
    ),
    currency: bool = typer.Option(
        False,
        "--currency",
        help="List entries whose facts were last checked over a year ago, and overdue rule reviews.",
    ),
    files: list[str] = typer.Option(
        None, "--file", help="Count confirmed entries only in these catalogue files (stem names)."
    ),
    rules: list[Path] = RulesOpt,
    as_of: str = typer.Option(
        None, "--as-of", help="Judge currency on this date (YYYY-MM-DD) instead of today."
    ),
) -> None:
    """Check every power is complete and well formed; list reviews that are due."""

    from achilles.catalogue import check_catalogue
    from achilles.checks.lint import catalogue_reviews, confirmed_count, rule_reviews, stale_facts

    today = _date_option(as_of)
    cat, problems = check_catalogue(catalogue)
    problems = list(problems) + catalogue_reviews(cat, today)
    if currency:
        problems += stale_facts(cat, today)
        if not any(p.level == "error" for p in problems):
            from achilles.rulebook.load import check_rulebook

            rulebook, _ = check_rulebook(cat, split_paths(rules))
            problems += rule_reviews(rulebook, today)
    _print_problems([p for p in problems if verbose or p.level != "info"])
    errors = [p for p in problems if p.level == "error" or (strict and p.level == "warning")]
    confirmed, total = confirmed_count(cat, set(split_list(files)) or None)
    output.say(
        f"{len(cat)} powers; {len(errors)} error(s), "
        f"{sum(1 for p in problems if p.level == 'warning')} warning(s); "
        f"{sum(1 for p in problems if p.level == 'info')} not fully confirmed (--verbose lists them); "
        f"confirmed: {confirmed} of {total}"
        + (f" in {', '.join(sorted(split_list(files)))}" if files else "")
        + f"; not yet in force: {sum(1 for p in cat if p.not_in_force_yet)}",
    )
    if errors:
        raise typer.Exit(2)


def _date_option(text: str | None):
    import datetime as dt

    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise AchillesError(f"--as-of '{text}' is not a date", hint="write YYYY-MM-DD") from None


def _print_problems(problems: list) -> None:
    output.problems(problems)


@rules_app.command(
    "check",
    epilog=examples(
        "achilles rules check --strict",
        "achilles rules check --rules council-rules",
    ),
)
def rules_check(
    rules: list[Path] = RulesOpt,
    catalogue: Path = CatalogueOpt,
    strict: bool = typer.Option(
        False, "--strict", help="Treat warnings (e.g. reviews due) as failures."
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Also list unconfirmed powers."),
) -> None:
    """Schema, references, rule tests (both evaluators), coverage, reviews, conflicts. Exit 0 when all hold."""
    from achilles.checks.lint import check_all

    started = time.perf_counter()
    report = check_all(split_paths(rules), catalogue)
    shown = [p for p in report.problems if verbose or p.level != "info"]
    _print_problems(shown)
    passed = sum(1 for t in report.tests if t.passed)
    failing = [
        p for p in report.problems if p.level == "error" or (strict and p.level == "warning")
    ]
    output.say(
        f"{report.rules} rules, {report.powers} powers; rule tests: {passed} of {len(report.tests)} passed "
        f"in both evaluators; {len(report.errors)} error(s), {len(report.warnings) - sum(1 for p in report.problems if p.level == 'info')} "
        f"warning(s); {sum(1 for p in report.problems if p.level == 'info')} power(s) not fully confirmed "
        f"({time.perf_counter() - started:.2f} s)"
    )
    if failing:
        raise typer.Exit(2)


def split_paths(values: list[Path] | None) -> list[Path]:
    return list(values or [])


@rules_app.command(
    "list",
    epilog=examples(
        "achilles rules list --power closure_notice",
        "achilles rules list --rules council-rules | grep council",
    ),
)
def rules_list(
    rules: list[Path] = RulesOpt,
    catalogue: Path = CatalogueOpt,
    power: str = typer.Option(None, "--power", metavar="POWER", help="Only rules for this power."),
    fmt: str = typer.Option(
        "table",
        "--format",
        metavar="{table,tsv}",
        help="table: a table on a terminal, one rule per line when piped; tsv: with a header.",
    ),
) -> None:
    """Every active rule, its power and where it came from (shipped or a council layer)."""
    from achilles.knowledge import load_knowledge

    _check_format(fmt, output.TABLE_FORMATS)
    k = load_knowledge(rules, catalogue)
    output.table(
        ("rule", "power", "layer", "file:line", "reviewed"),
        [
            [
                lr.rule.id,
                lr.rule.power,
                lr.layer,
                f"{Path(lr.file).name}:{lr.line}",
                str(lr.rule.reviewed_on),
            ]
            for lr in k.rulebook.rules
            if not power or lr.rule.power == power
        ],
        fmt=fmt,
    )
    for rid, (reason, file) in sorted(k.rulebook.disabled.items()):
        output.note(f"switched off: {rid} by {file}: {reason}")


@rules_app.command(
    "explain",
    epilog=examples("achilles rules explain closure-notice-drug-premises"),
)
def rules_explain(
    rule_id: str = typer.Argument(..., metavar="RULE", help="A rule or presumption id."),
    rules: list[Path] = RulesOpt,
    catalogue: Path = CatalogueOpt,
) -> None:
    """A rule or a presumption in plain English, for a reviewing lawyer."""
    from achilles.knowledge import load_knowledge
    from achilles.loading.problems import did_you_mean
    from achilles.rulebook.english import presumption_text, rule_text

    k = load_knowledge(rules, catalogue)
    found = k.rulebook.by_id().get(rule_id)
    presumed = {lp.presumption.id: lp for lp in k.rulebook.presumptions}
    if found is not None:
        output.say(rule_text(found.rule))
        power = k.catalogue.get(found.rule.power)
        if power.pending:
            output.say(
                f"Its power is {power.in_force_text()}: the rule is tested but never "
                "offered until the catalogue gives the commencement date."
            )
        output.say(f"\nFrom {found.file}:{found.line} ({found.layer}).")
    elif rule_id in presumed:
        lp = presumed[rule_id]
        output.say(presumption_text(lp.presumption))
        output.say(f"\nFrom {lp.file}:{lp.line} ({lp.layer}).")
    else:
        raise AchillesError(
            f"no active rule or presumption '{rule_id}'",
            hint=did_you_mean(rule_id, [*k.rulebook.by_id(), *presumed])
            or "see `achilles rules list`",
        )


@rules_app.command(
    "test",
    epilog=examples(
        "achilles rules test", "achilles rules test --name closure --rules council-rules"
    ),
)
def rules_test(
    name: str = typer.Option(
        None, "--name", metavar="PART", help="Only rules whose id contains this."
    ),
    rules: list[Path] = RulesOpt,
    catalogue: Path = CatalogueOpt,
) -> None:
    """Run the rules' own tests through durable_rules and the reference evaluator."""
    from achilles.checks.rule_tests import run_rule_tests
    from achilles.knowledge import load_knowledge

    k = load_knowledge(rules, catalogue)
    results = run_rule_tests(k.rulebook, k.catalogue, k.vocab, only=name)
    bad = [r for r in results if not r.passed]
    for r in bad:
        output.error(f"{r.file}:{r.line}: {r.rule_id}: test {r.test} failed: {r.detail}")
    output.say(f"{len(results) - len(bad)} passed, {len(bad)} failed")
    if bad:
        raise typer.Exit(2)
