"""Running the tests that lawyers write beside their rules, through both evaluators."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import ValidationError

from achilles.analysis import analyse
from achilles.catalogue import Catalogue
from achilles.loading.problems import Problems
from achilles.loading.validation import add_validation_errors
from achilles.model.case import Case
from achilles.model.case_file import check_case
from achilles.model.rule import Rule, RuleTest
from achilles.model.vocabulary import Vocabulary
from achilles.rulebook.load import LoadedRule, Rulebook


@dataclass
class RuleTestResult:
    """How one of a rule's (or presumption's) own tests came out on the real engine."""

    rule_id: str
    test: str
    file: str
    line: int
    passed: bool
    detail: str = ""
    fired: dict[str, list[str]] = field(default_factory=dict)  # engine -> targets


def case_for_test(rule: Rule, test: RuleTest, catalogue: Catalogue) -> dict[str, Any]:
    """The test's fragment completed into a whole case file."""
    data = dict(test.case)
    data.setdefault(
        "case",
        {
            "id": "rule-test",
            "title": f"Test of {rule.id}",
            "as_of": str(test.as_of or default_as_of(rule, catalogue)),
            "jurisdiction": test.jurisdiction or rule.jurisdiction[0],
            "lro": {"name": "Test LRO", "agency": "Test"},
        },
    )
    data.setdefault("ocg", {"name": "Test group", "crime_types": []})
    return data


def default_as_of(rule: Rule, catalogue: Catalogue) -> dt.date:
    """A date on which the rule and its power are both in force."""
    power = catalogue.get(rule.power)
    begins, power_end = power.dates(rule.jurisdiction[0])
    start = max(rule.valid_from, begins or rule.valid_from)
    ends = [d for d in (rule.valid_to, power_end) if d]
    if ends:
        return start
    return max(start, dt.date.today())


_COMMENCED = dt.date(1900, 1, 1)


def as_if_commenced(catalogue: Catalogue) -> Catalogue:
    """The catalogue with every power not yet in force treated as in force.

    A rule for a power awaiting commencement is tested now, so it is right on the day the power
    starts; analysis (recommend, plan, the TUI) uses the real catalogue and never offers it."""
    pending = [p for p in catalogue if p.pending]
    if not pending:
        return catalogue
    powers = dict(catalogue.powers)
    for p in pending:
        powers[p.id] = p.model_copy(
            update={
                "in_force_from": _COMMENCED,
                "expected_from": None,
                "not_in_force_yet": False,
                "by_nation": [],
            }
        )
    return replace(catalogue, powers=powers)


def run_rule_tests(
    rulebook: Rulebook,
    catalogue: Catalogue,
    vocab: Vocabulary,
    *,
    only: str | None = None,
    engines: tuple[str, ...] = ("durable", "reference"),
) -> list[RuleTestResult]:
    results = []
    catalogue = as_if_commenced(catalogue)
    for lr in rulebook.rules:
        if only and only not in lr.rule.id:
            continue
        for i, test in enumerate(lr.rule.tests):
            results.append(_run_one(lr, i, test, rulebook, catalogue, vocab, engines))
    return results


def _run_one(
    lr: LoadedRule,
    index: int,
    test: RuleTest,
    rulebook: Rulebook,
    catalogue: Catalogue,
    vocab: Vocabulary,
    engines: tuple[str, ...],
) -> RuleTestResult:
    rule = lr.rule
    result = RuleTestResult(rule.id, test.name, lr.file, lr.line, False)
    data = case_for_test(rule, test, catalogue)
    problems = Problems(lr.file)
    try:
        case = Case.model_validate(data)
    except ValidationError as exc:
        add_validation_errors(problems, exc, Case, prefix=("tests", index, "case"))
        result.detail = "the test case is not a valid case: " + "; ".join(
            f"{p.path}: {p.message}" for p in problems.items[:3]
        )
        return result
    check_case(case, vocab, problems)
    if problems.errors:
        result.detail = "the test case is not a valid case: " + "; ".join(
            f"{p.path}: {p.message}" for p in problems.errors[:3]
        )
        return result
    waiting: dict[str, list[str]] = {}
    for engine in engines:
        analysis = analyse(case, catalogue, rulebook, vocab, engine=engine, near_misses=False)  # type: ignore[arg-type]
        fired = sorted(
            {o.target for o in analysis.options for f in o.firings if f.rule_id == rule.id}
        )
        result.fired[engine] = fired
        waiting[engine] = sorted(
            {o.target for o in analysis.conditional for f in o.firings if f.rule_id == rule.id}
        )
    views = list(result.fired.values())
    if any(v != views[0] for v in views):
        result.detail = f"the evaluators disagree: {result.fired}"
        return result
    fired = views[0] if views else []
    expected = sorted(set(test.fires_on))
    wrong = sorted(set(fired) & set(test.not_on))
    if fired != expected:
        result.detail = (
            f"expected to fire on {expected or 'nothing'}, fired on {fired or 'nothing'}"
        )
    elif wrong:
        result.detail = f"must not target {wrong}"
    elif test.waits_on is not None and waiting[engines[0]] != sorted(set(test.waits_on)):
        result.detail = (
            f"expected to wait on its trigger for {sorted(set(test.waits_on)) or 'nothing'}, "
            f"waits for {waiting[engines[0]] or 'nothing'}"
        )
    else:
        result.passed = True
    return result


def run_presumption_tests(
    rulebook: Rulebook, catalogue: Catalogue, vocab: Vocabulary, *, only: str | None = None
) -> list[RuleTestResult]:
    """The tests beside each presumption: who it must hold for, and whom a record lifts it for."""
    results = []
    for lp in rulebook.presumptions:
        pr = lp.presumption
        if only and only not in pr.id:
            continue
        for test in pr.tests:
            result = RuleTestResult(pr.id, test.name, lp.file, lp.line, False)
            data = dict(test.case)
            data.setdefault(
                "case",
                {
                    "id": "presumption-test",
                    "title": f"Test of {pr.id}",
                    "as_of": str(test.as_of or max(pr.valid_from or dt.date.min, dt.date.today())),
                    "jurisdiction": test.jurisdiction or pr.jurisdiction[0],
                    "lro": {"name": "Test LRO", "agency": "Test"},
                },
            )
            data.setdefault("ocg", {"name": "Test group", "crime_types": []})
            problems = Problems(lp.file)
            try:
                case = Case.model_validate(data)
            except ValidationError as exc:
                add_validation_errors(problems, exc, Case)
                case = None
            if case is not None:
                check_case(case, vocab, problems)
            if case is None or problems.errors:
                result.detail = "the test case is not a valid case: " + "; ".join(
                    f"{p.path}: {p.message}" for p in problems.errors[:3]
                )
                results.append(result)
                continue
            analysis = analyse(case, catalogue, rulebook, vocab, near_misses=False)
            mine = [p for p in analysis.presumptions.found if p.presumption.id == pr.id]
            held = sorted({p.person for p in mine if p.holds})
            lifted = sorted({p.person for p in mine if not p.holds})
            result.fired["presumed"] = held
            wrong = sorted(set(held) & set(test.not_on))
            if held != sorted(set(test.presumed)):
                result.detail = (
                    f"expected to hold for {sorted(set(test.presumed)) or 'nobody'}, "
                    f"holds for {held or 'nobody'}"
                )
            elif lifted != sorted(set(test.lifted)):
                result.detail = (
                    f"expected to be lifted for {sorted(set(test.lifted)) or 'nobody'}, "
                    f"lifted for {lifted or 'nobody'}"
                )
            elif wrong:
                result.detail = f"must not hold for {wrong}"
            else:
                result.passed = True
            results.append(result)
    return results
