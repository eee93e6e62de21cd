"""`achilles rules check`: everything a legal team needs to hold before rules are relied on.

Collects every problem (never stops at the first): schema and references with file and line,
rule tests through both evaluators, coverage of the catalogue, review currency and conflicts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from achilles.catalogue import Catalogue, check_catalogue
from achilles.checks.rule_tests import RuleTestResult, run_presumption_tests, run_rule_tests
from achilles.loading.problems import Problem
from achilles.model.vocabulary import Vocabulary, load_vocabulary
from achilles.rulebook.codes import CheckCode
from achilles.rulebook.load import Rulebook, check_rulebook, conflicts, untested

REVIEW_DAYS = 365


@dataclass
class LintReport:
    problems: list[Problem] = field(default_factory=list)
    tests: list[RuleTestResult] = field(default_factory=list)
    rules: int = 0
    powers: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level != "error"]


def check_all(
    extra_rules: list[Path] | None = None,
    catalogue_folder: Path | None = None,
    *,
    today: dt.date | None = None,
    run_tests: bool = True,
    vocab: Vocabulary | None = None,
    rule_folders: list[Path] | None = None,
) -> LintReport:
    today = today or dt.date.today()
    vocab = vocab or load_vocabulary()
    catalogue, cat_problems = check_catalogue(catalogue_folder, vocab)
    report = LintReport(problems=list(cat_problems), powers=len(catalogue))
    report.problems += catalogue_reviews(catalogue, today)
    rulebook, rule_problems = check_rulebook(catalogue, extra_rules, vocab, folders=rule_folders)
    report.problems += rule_problems
    report.rules = len(rulebook.rules)
    # a council layer's untested or conflicting rules were refused by check_rulebook itself;
    # these find the shipped (base) layer's, which the gate must catch before they ship
    report.problems += untested(rulebook.rules, rulebook.presumptions).values()
    report.problems += conflicts(rulebook.rules).values()
    report.problems += rule_reviews(rulebook, today)
    report.problems += coverage(rulebook, catalogue)
    if run_tests:
        report.tests = run_rule_tests(rulebook, catalogue, vocab)
        report.tests += run_presumption_tests(rulebook, catalogue, vocab)
        report.problems += failing_tests(report.tests, rulebook)
    return report


def failing_tests(results: list[RuleTestResult], rulebook: Rulebook) -> list[Problem]:
    out = []
    by_rule: dict[str, list[RuleTestResult]] = {}
    for r in results:
        by_rule.setdefault(r.rule_id, []).append(r)
        if not r.passed:
            out.append(
                Problem(
                    r.file,
                    r.line,
                    f"rule {r.rule_id}",
                    f"test '{r.test}' fails: {r.detail}",
                    "fix the rule or the test",
                    code=CheckCode.AR007,
                )
            )
    rule_ids = {lr.rule.id for lr in rulebook.rules}
    for rule_id, results_ in by_rule.items():
        if rule_id not in rule_ids:
            continue  # a presumption: its tests say whom it holds for, not whom it fires on
        lr = rulebook.get(rule_id)
        must_fire = [t for t in lr.rule.tests if t.fires_on]
        fired_any = any(r.fired and any(r.fired.values()) for r in results_)
        if must_fire and not fired_any:
            out.append(
                Problem(
                    lr.file,
                    lr.line,
                    f"rule {rule_id}",
                    "never fires on any of its tests: as written it can never fire",
                    "check its conditions",
                    code=CheckCode.AR017,
                )
            )
    return out


def rule_reviews(rulebook: Rulebook, today: dt.date) -> list[Problem]:
    return [
        Problem(
            lr.file,
            lr.line,
            f"rule {lr.rule.id}",
            f"review is due: last reviewed {lr.rule.reviewed_on}",
            "review the rule and update reviewed_on",
            level="warning",
            code=CheckCode.AR009,
        )
        for lr in rulebook.rules
        if (today - lr.rule.reviewed_on).days > REVIEW_DAYS
    ]


def stale_facts(catalogue: Catalogue, today: dt.date) -> list[Problem]:
    """Entries whose facts were last checked against the statute more than a year ago: the
    law moves (the Renters' Rights Act 2025, the Crime and Policing Act 2026), so a fact read
    in 2025 may be wrong now."""
    out = []
    for p in catalogue:
        checked = p.provenance.facts_checked_on or p.provenance.reviewed_on
        if (today - checked).days > REVIEW_DAYS:
            out.append(
                Problem(
                    catalogue.files[p.id],
                    catalogue.lines.get(p.id),
                    f"power {p.id}",
                    f"facts last checked against the statute on {checked}, over a year ago",
                    "re-read its section, test, time limits, penalties and dates on the statute "
                    "text and update provenance.facts_checked_on",
                    level="warning",
                    code=CheckCode.PC009,
                )
            )
    return out


def confirmed_count(catalogue: Catalogue, files: set[str] | None = None) -> tuple[int, int]:
    """(confirmed, total) entries, optionally only those from the named files (stem names)."""
    chosen = [p for p in catalogue if files is None or Path(catalogue.files[p.id]).stem in files]
    return sum(1 for p in chosen if p.provenance.confirmed), len(chosen)


def catalogue_reviews(catalogue: Catalogue, today: dt.date) -> list[Problem]:
    out = []
    for p in catalogue:
        if (today - p.provenance.reviewed_on).days > REVIEW_DAYS:
            out.append(
                Problem(
                    catalogue.files[p.id],
                    catalogue.lines.get(p.id),
                    f"power {p.id}",
                    f"review is due: last reviewed {p.provenance.reviewed_on}",
                    "check the entry against the legislation and update provenance",
                    level="warning",
                    code=CheckCode.PC009,
                )
            )
        if not p.provenance.confirmed:
            out.append(
                Problem(
                    catalogue.files[p.id],
                    catalogue.lines.get(p.id),
                    f"power {p.id}",
                    "not fully confirmed against the statute: "
                    + ("; ".join(p.provenance.unconfirmed) or "see provenance"),
                    "a lawyer should confirm it",
                    level="info",
                    code=CheckCode.PC010,
                )
            )
    return out


def coverage(rulebook: Rulebook, catalogue: Catalogue) -> list[Problem]:
    """A power no rule reaches is an error in the catalogue, unless a council's layer switched
    its rules off: then it is manual only in this council, a warning on the council's own
    `disable` line (the shipped catalogue is not the council's to edit)."""
    reached = {lr.rule.power for lr in rulebook.rules}
    off_by_power: dict[str, list[str]] = {}
    for rule_id, (power, _line) in rulebook.switched_off.items():
        off_by_power.setdefault(power, []).append(rule_id)
    found = []
    for p in catalogue:
        if p.id in reached or p.manual_only:
            continue
        off = sorted(off_by_power.get(p.id, []))
        if off:
            _reason, file = rulebook.disabled[off[0]]
            found.append(
                Problem(
                    file,
                    rulebook.switched_off[off[0]][1] or None,
                    "disable",
                    f"power {p.id} is manual only in this council: no rule offers it once "
                    f"{', '.join(off)} {'is' if len(off) == 1 else 'are'} switched off",
                    "nothing to fix if that is intended (the LRO can still plan it by hand); "
                    "to have Achilles offer it, add a council rule for it",
                    level="warning",
                    code=CheckCode.AR008,
                )
            )
            continue
        found.append(
            Problem(
                catalogue.files[p.id],
                catalogue.lines.get(p.id),
                f"power {p.id}",
                "no rule reaches this power",
                "write a rule for it, or mark it manual_only: true",
                code=CheckCode.AR008,
            )
        )
    return found
