"""Realistic cases judged as an experienced LRO would: what must be offered, what must never be.

Each tests/scenarios/*.expect.yaml names a case and the expectations, with why. The whole chain
runs: loader, facts, the durable_rules engine, the victim guard, ranking and the plan.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from achilles.analysis import analyse
from achilles.catalogue import load_catalogue
from achilles.model.case_file import load_case
from achilles.model.vocabulary import load_vocabulary
from achilles.plan import build_plan
from achilles.ranking import rank
from achilles.rulebook.load import load_rulebook

ROOT = Path(__file__).resolve().parent.parent
EXPECTATIONS = sorted((ROOT / "tests" / "scenarios").glob("*.expect.yaml"))
VOCAB = load_vocabulary()
CATALOGUE = load_catalogue()
RULES = load_rulebook(CATALOGUE)


def run(expect: dict):
    case = load_case(ROOT / expect["case"])
    analysis = analyse(case, CATALOGUE, RULES, VOCAB)
    ranking = rank(analysis, CATALOGUE, VOCAB)
    return case, analysis, ranking


@pytest.mark.parametrize(
    "path", EXPECTATIONS, ids=[p.name.removesuffix(".expect.yaml") for p in EXPECTATIONS]
)
def test_scenario(path):
    expect = yaml.safe_load(path.read_text())
    case, analysis, ranking = run(expect)
    offered = {(o.power_id, o.target) for o in analysis.options}
    failures = []
    for item in expect.get("must_recommend") or []:
        if (item["power"], item["target"]) not in offered:
            failures.append(f"missing {item['power']} on {item['target']}")
    for item in expect.get("must_recommend_any") or []:
        if not any((p, item["target"]) in offered for p in item["powers"]):
            failures.append(f"none of {item['powers']} on {item['target']}")
    for item in expect.get("must_not_recommend") or []:
        if (item["power"], item["target"]) in offered:
            failures.append(f"must not offer {item['power']} on {item['target']}")
    protected = set(expect.get("must_not_target") or [])
    for o in analysis.options:
        power = CATALOGUE.get(o.power_id)
        if not power.coercive:
            continue
        bound = {
            f["key"] for firing in o.firings for _a, f in firing.facts if f["type"] == "person"
        }
        if o.target in protected:
            failures.append(f"coercive {o.power_id} aimed at protected {o.target}")
        if "tenancy" in power.targets and protected & bound:
            failures.append(
                f"tenancy action {o.power_id} on {o.target} bears on {protected & bound}"
            )
    allowed_top = expect.get("top_5_powers_from")
    if allowed_top:
        top = [r.power.id for r in ranking.options[:5]]
        odd = [p for p in top if p not in allowed_top]
        if odd:
            failures.append(f"top five include {odd}, which an LRO would not lead with")
    assert not failures, f"{path.name} ({expect.get('why', '').strip()[:200]}...): " + "; ".join(
        failures
    )


@pytest.mark.parametrize(
    "path", EXPECTATIONS, ids=[p.name.removesuffix(".expect.yaml") for p in EXPECTATIONS]
)
def test_scenario_plan_is_complete(path):
    """Every plan has the four strands, safeguarding for every exploited person, and dated steps."""
    expect = yaml.safe_load(path.read_text())
    case, analysis, ranking = run(expect)
    plan = build_plan(analysis, ranking, CATALOGUE, RULES, VOCAB, start=dt.date(2026, 1, 5))
    assert set(plan.sections) == {"pursue", "prevent", "protect", "prepare"}
    from achilles.facts import is_exploited

    exploited = {p.id for p in case.people if is_exploited(p, VOCAB)}
    covered = {s.person_id for s in plan.safeguarding}
    assert exploited <= covered
    for action in plan.actions():
        assert action.legal_basis
        assert all(step.due for step in action.steps)
