"""Realistic cases judged as an experienced LRO would: what must be offered, what must never be.

Each tests/scenarios/*.expect.yaml names a case and the expectations, with why. The whole chain
runs: loader, facts, the durable_rules engine, the victim guard, ranking and the plan.
"""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from achilles.analysis import analyse
from achilles.catalogue import load_catalogue
from achilles.model.case_file import load_case
from achilles.model.vocabulary import load_vocabulary
from achilles.plan import build_plan, exploited_people
from achilles.ranking import rank
from achilles.rulebook.load import load_rulebook
from tests.samples import ROOT

EXPECTATIONS = sorted((ROOT / "tests" / "scenarios").glob("*.expect.yaml"))
VOCAB = load_vocabulary()
CATALOGUE = load_catalogue()
RULES = load_rulebook(CATALOGUE)


def victims_reached(analysis, victims: set[str]) -> list[str]:
    """Coercive options on a victim, and home-taking options on a victim's own home."""
    homes = {
        pr.id
        for pr in analysis.case.premises
        for link in pr.occupants
        if link.person in victims and link.as_ in ("tenant", "owner", "absent_tenant")
    }
    out = []
    for o in analysis.options:
        power = CATALOGUE.get(o.power_id)
        if power.coercive and o.target in victims:
            out.append(f"coercive {o.power_id} aimed at {o.target}, whom the group exploits")
        places = {
            f.get("premises") or f.get("key")
            for firing in o.firings
            for _a, f in firing.facts
            if f["type"] in ("premises", "occupancy", "activity_at")
        }
        if power.victims_home == "block" and places & homes:
            out.append(f"{o.power_id} on {o.target} rests on a victim's home {places & homes}")
    return out


# The tactics an experienced LRO would lead with must be among the first this many.
LEAD = 10


def lead_failures(expect: dict, analysis, ranking) -> list[str]:
    """`must_lead` (a power, with a target when given, among the first LEAD tactics),
    `must_lead_any` (one of several powers there), `must_safeguard` (a person's protective action,
    aimed at them or at `target`, in their place in the safeguarding lane); and, for every case: each person the group exploits has a place in
    the lane, the lane's options compete for no tactic's place, and conditional options wait
    apart from both."""
    failures = []
    top = {t.power_id: t for t in ranking.tactics[:LEAD]}
    order = [t.power_id for t in ranking.tactics]
    for item in expect.get("must_lead") or []:
        tactic = top.get(item["power"])
        where = f"tactic {order.index(item['power']) + 1}" if item["power"] in order else "absent"
        if tactic is None:
            failures.append(f"{item['power']} should be in the first {LEAD} tactics ({where})")
        elif "target" in item and item["target"] not in tactic.targets:
            failures.append(f"{item['power']} leads without its target {item['target']}")
    for item in expect.get("must_lead_any") or []:
        if not set(item["powers"]) & set(top):
            failures.append(f"none of {item['powers']} in the first {LEAD} tactics")
    lane = {s.person: s for s in ranking.safeguarding}
    for item in expect.get("must_safeguard") or []:
        s = lane.get(item["person"])
        key = f"{item['power']}@{item.get('target', item['person'])}"
        if s is None or key not in s.actions:
            failures.append(f"{item['power']} for {item['person']} should lead, in the lane")
    missing = exploited_people(analysis) - set(lane)
    if missing:
        failures.append(f"no safeguarding lane for {sorted(missing)}")
    in_lane = {k for s in ranking.safeguarding for k in s.actions}
    in_tactics = {k for t in ranking.tactics for k in t.keys}
    waiting = {w.key for w in ranking.waiting}
    if in_lane & in_tactics:
        failures.append(f"safeguarding ranked as tactics: {sorted(in_lane & in_tactics)}")
    if waiting & (in_lane | in_tactics):
        failures.append(f"conditional options ranked: {sorted(waiting & (in_lane | in_tactics))}")
    return failures


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
    readiness = {
        (r.option.power_id, r.option.target): next(
            c.value for c in r.breakdown if c.name == "readiness"
        )
        for r in ranking.options
    }
    for item in expect.get("ready") or []:
        if readiness.get((item["power"], item["target"]), 0) < 1:
            failures.append(f"{item['power']} on {item['target']} should be ready to start")
    waiting = {(o.power_id, o.target) for o in analysis.conditional}
    for item in expect.get("must_wait") or []:
        if (item["power"], item["target"]) not in waiting:
            failures.append(f"{item['power']} on {item['target']} should wait on its trigger")
        if (item["power"], item["target"]) in offered:
            failures.append(f"{item['power']} on {item['target']} is ranked as ready")
    refused = {(b.power_id, b.target) for b in analysis.blocked}
    for item in expect.get("must_block") or []:
        if (item["power"], item["target"]) not in refused:
            failures.append(f"{item['power']} on {item['target']} should be listed as blocked")
    exempt = {(o.power_id, o.target): set(o.exempt) for o in analysis.options}
    for item in expect.get("must_exempt") or []:
        got = exempt.get((item["power"], item["target"]))
        if got is None or not set(item["people"]) <= got:
            failures.append(f"{item['power']} on {item['target']} must exempt {item['people']}")
    holding = {(p.person, p.presumption.kind) for p in analysis.presumptions.found if p.holds}
    for item in expect.get("presumed") or []:
        if (item["person"], item["kind"]) not in holding:
            failures.append(f"{item['person']} should be presumed {item['kind']}")
    # Every scenario, whatever it lists: no coercive option on anyone the group exploits (by
    # label or presumption), and nothing that takes a home whose tenant or owner they are.
    victims = exploited_people(analysis)
    protected = set(expect.get("must_not_target") or [])
    if not protected <= victims:
        failures.append(f"not treated as exploited: {sorted(protected - victims)}")
    failures += victims_reached(analysis, victims)
    failures += lead_failures(expect, analysis, ranking)
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
    covered = {s.person_id for s in plan.safeguarding}
    assert exploited_people(analysis) <= covered
    for action in plan.actions():
        assert action.legal_basis
        assert all(step.due for step in action.steps)
