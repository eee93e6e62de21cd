"""Safeguarding first, tactics not rows, the group's heel, and what is still missing: the ranking's
shape for the meeting, through the real chain and the real `recommend --format json`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from achilles.analysis import analyse
from achilles.catalogue import load_catalogue
from achilles.errors import InputError
from achilles.explain import explain
from achilles.model.case_file import load_case
from achilles.model.vocabulary import load_vocabulary
from achilles.plan import exploited_people
from achilles.ranking import Missing, load_weights, rank, still_missing
from achilles.ranking.missing import merged
from achilles.rulebook.load import load_rulebook

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "examples" / "cases").glob("*.yaml"))
OWN = ROOT / "tests" / "scenarios" / "cases"
VOCAB = load_vocabulary()
CATALOGUE = load_catalogue()
RULES = load_rulebook(CATALOGUE)


def ranked(path: Path):
    analysis = analyse(load_case(path), CATALOGUE, RULES, VOCAB)
    return analysis, rank(analysis, CATALOGUE, VOCAB)


def recommend_json(path: Path, *args: str, env: dict | None = None) -> dict:
    r = subprocess.run(
        [sys.executable, "-m", "achilles", "recommend", str(path), "--format", "json", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


# --- 1. the safeguarding lane ----------------------------------------------------------------


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_every_victim_has_a_place_in_the_lane_and_it_never_competes(path):
    analysis, ranking = ranked(path)
    lane = {s.person: s for s in ranking.safeguarding}
    assert set(lane) == exploited_people(analysis)
    in_lane = {k for s in ranking.safeguarding for k in s.actions}
    in_tactics = {k for t in ranking.tactics for k in t.keys}
    assert not in_lane & in_tactics
    # every option is in one of the two, once; conditional options are in neither
    assert in_lane | in_tactics == {r.key for r in ranking.options}
    assert not {w.key for w in ranking.waiting} & (in_lane | in_tactics)
    for s in ranking.safeguarding:
        assert s.why, f"{s.person} is in the lane with no reason"
        for r in s.options:
            assert not r.power.coercive


def test_a_reception_centre_for_the_workplace_is_the_workers_safeguarding():
    _a, ranking = ranked(ROOT / "examples" / "cases" / "derbyshire-trafficking-reception.yaml")
    lane = {s.person: s.actions for s in ranking.safeguarding}
    # the workers at the car wash (w1-w3) and at the nail bar (w4, w5)
    for person in ("w1", "w2", "w3"):
        assert "victim_reception_centre@cw" in lane[person]
    for person in ("w4", "w5"):
        assert "victim_reception_centre@nb" in lane[person]
    assert "victim_reception_centre@cw" not in {k for t in ranking.tactics for k in t.keys}


def test_recommend_json_puts_safeguarding_first_with_person_actions_and_why():
    data = recommend_json(ROOT / "examples" / "cases" / "bedford-county-lines.yaml", "--top", "3")
    keys = list(data)
    assert keys.index("safeguarding") < keys.index("tactics") < keys.index("options")
    lane = {s["person"]: s for s in data["safeguarding"]}
    assert set(lane) == {"r1", "v1", "v2", "v3"}
    assert lane["r1"]["actions"][:2] == ["child_safeguarding_referral@r1", "nrm_referral@r1"]
    assert "recorded as criminally exploited" in lane["r1"]["why"]
    assert "presumed: A runner is a potential victim" in lane["r1"]["why"]
    # --top cuts the tactics, never the lane
    assert len(data["tactics"]) == 3
    assert all(set(s) >= {"person", "actions", "why"} for s in data["safeguarding"])


# --- 2. tactics, not rows ----------------------------------------------------------------------


def test_recommend_json_tactics_group_each_power_with_its_targets_in_rank_order():
    path = ROOT / "examples" / "cases" / "derbyshire-illicit-tobacco.yaml"
    data = recommend_json(path)
    tactics = data["tactics"]
    assert [t["rank"] for t in tactics] == list(range(1, len(tactics) + 1))
    powers = [t["power_id"] for t in tactics]
    assert len(powers) == len(set(powers))  # one row a power
    lease = next(t for t in tactics if t["power_id"] == "landlord_lease_action")
    assert set(lease["targets"]) == {"s1", "s2", "s3", "s4", "s5"}
    assert lease["options"] == [f"landlord_lease_action@{x}" for x in lease["targets"]]
    options = {o["key"]: o for o in data["options"]}
    # the targets in score order, the best score the first's
    scores = [options[k]["score"] for k in lease["options"]]
    assert scores == sorted(scores, reverse=True) and lease["best_score"] == scores[0]
    # `options` stays as it was: every option, best score first
    assert [o["score"] for o in data["options"]] == sorted(
        (o["score"] for o in data["options"]), reverse=True
    )
    assert {k for t in tactics for k in t["options"]} == set(options)


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_the_top_is_a_varied_menu_and_says_why_each_tactic_sits_where_it_does(path):
    _a, ranking = ranked(path)
    variety = load_weights().tactics.variety
    for above, below in zip(ranking.tactics, ranking.tactics[1:], strict=False):
        assert above.score >= below.score  # placed greedily on the score after variety
    for t in ranking.tactics:
        assert t.reason
        assert 0 <= t.deducted <= variety.most
        assert t.score == round(t.best_score - t.deducted, 1)
    top = ranking.tactics[:10]
    assert len({t.power.lead_agency for t in top}) >= min(3, len(top))


def test_a_repeat_loses_its_points_and_says_so():
    _a, ranking = ranked(ROOT / "examples" / "cases" / "beds-transformation.yaml")
    order = [t.power_id for t in ranking.tactics]
    closure_order = ranking.tactics[order.index("closure_order")]
    # a closure order follows the closure notice on the same pub and flat: it says so
    assert "closure_notice" in closure_order.repeats["same_target"]
    assert "on the same targets" in closure_order.reason
    assert closure_order.score < closure_order.best_score


# --- 4. the group's heel -----------------------------------------------------------------------


def breakdown(ranking, key: str) -> str:
    r = next(r for r in ranking.options if r.key == key)
    return next(c.reason for c in r.breakdown if c.name == "impact")


def test_the_heel_is_said_in_the_breakdown_and_counts():
    _a, ranking = ranked(OWN / "criminal-landlord.yaml")
    # the unlicensed HMOs are the landlord's revenue and base, and reach the principal owner
    why = breakdown(ranking, "hmo_licensing_enforcement@h1")
    assert "hits the group's base" in why and "hits a revenue-earning business" in why
    assert "reaches a principal or core member" in why
    r = next(r for r in ranking.options if r.key == "hmo_licensing_enforcement@h1")
    assert set(r.heel) >= {"base", "revenue", "principals"}
    # protective work counts by its level alone
    lane = next(s for s in ranking.safeguarding if s.person == "t1")
    assert all(not r.heel for r in lane.options)


def test_the_heel_reaches_people_through_what_they_run_not_where_they_drink():
    _a, ranking = ranked(OWN / "licensed-premises-group.yaml")
    # the club reaches Principal A, who manages it, and the front company's revenue
    closure = next(r for r in ranking.options if r.key == "closure_notice@p1")
    assert "principals" in closure.heel and "revenue" in closure.heel
    # the principal's own house is the group's base (an owner who lives there)
    analysis, _r = ranked(OWN / "licensed-premises-group.yaml")
    from achilles.ranking import heel_of

    weights = load_weights()
    heel = heel_of(analysis.case, weights.impact.heel, weights.impact.reached_through)
    assert "p3" in heel.members["base"]
    # a dealer who only visits the club is not reached through it
    assert "n4" not in heel.reach("p1") and "n1" in heel.reach("p1")
    # a driver reaches the car he drives (a licence action takes it off the road)
    assert "c1" in heel.reach("n1")


def test_a_bad_reached_through_term_is_refused_naming_the_field(tmp_path):
    folder = tmp_path / "ranking"
    shutil.copytree(ROOT / "ranking", folder)
    file = folder / "weights.yaml"
    file.write_text(file.read_text().replace("reached_through: [owner,", "reached_through: [ownr,"))
    with pytest.raises(InputError) as err:
        load_weights(folder)
    text = str(err.value) + " ".join(str(p) for p in err.value.problems)
    assert "reached_through" in text and "ownr" in text and "owner" in text


# --- 7. what is still missing ------------------------------------------------------------------


def missing_of(path: Path, key: str) -> list[Missing]:
    analysis, ranking = ranked(path)
    r = next(r for r in ranking.options if r.key == key)
    e = explain(r.option, r.power, RULES, analysis.case)
    return still_missing(r, e, analysis.case, RULES, CATALOGUE, VOCAB, load_weights())


def test_still_missing_says_each_point_once():
    path = ROOT / "examples" / "cases" / "beds-transformation.yaml"
    items = missing_of(path, "closure_notice@p1")
    texts = [m.text for m in items]
    assert len(texts) == len(set(texts))
    # the review found s76(4) three times, Article 8 twice, the licensing authority twice and
    # "why closure is necessary" twice: once each now
    assert sum("s76(4)" in t for t in texts) == 1
    assert sum(t.startswith("Article 8") for t in texts) == 1
    assert sum("licensing authority" in t for t in texts) == 1
    assert sum(t.startswith("Why closure is necessary") for t in texts) == 1
    # evidence to gather first, then cautions
    kinds = [m.kind for m in items]
    assert kinds == sorted(kinds, key=lambda k: k != "evidence")


def test_still_missing_names_rules_and_powers_never_ids():
    path = ROOT / "examples" / "cases" / "beds-transformation.yaml"
    texts = [m.text for m in missing_of(path, "closure_notice@p1")]
    assert not any("closure-notice-drug-home" in t for t in texts)
    assert any('the rule "Closure notice on a home used for drug supply' in t for t in texts)
    rule_ids = set(RULES.by_id())
    power_ids = {p.id for p in CATALOGUE}
    for t in texts:
        words = set(t.replace("(", " ").replace(")", " ").split())
        assert not words & (rule_ids | power_ids), t


def test_still_missing_says_how_far_the_evidence_is_from_the_standard():
    path = OWN / "licensed-premises-group.yaml"
    texts = [m.text for m in missing_of(path, "hmrc_referral@b1")]
    assert texts  # a referral on intelligence: ready, with evidence to gather
    analysis, ranking = ranked(path)
    # the options whose activity's evidence is below what their power's standard needs
    waiting = [
        r
        for r in ranking.options
        if next(c.reason for c in r.breakdown if c.name == "readiness")
        .split(":")[0]
        .count(", needs ")
    ]
    assert waiting
    for r in waiting:
        e = explain(r.option, r.power, RULES, analysis.case)
        first = still_missing(r, e, analysis.case, RULES, CATALOGUE, VOCAB, load_weights())[0]
        assert first.kind == "evidence" and " needs it " in first.text, r.key
        assert r.power.name in first.text


def test_merged_keeps_the_fullest_wording_and_distinct_points():
    items = merged(
        [
            Missing("evidence", "Why closure is necessary to stop it (s76(1))."),
            Missing("evidence", "Why closure is necessary to stop it continuing (s76(1)(b))."),
            Missing("caution", "Breach is an offence (s86)."),
            Missing("caution", "Article 8 ECHR; record proportionality."),
            Missing("caution", "Article 8 and Article 1 Protocol 1 ECHR; record proportionality."),
        ]
    )
    assert [m.text for m in items] == [
        "Why closure is necessary to stop it continuing (s76(1)(b)).",
        "Breach is an offence (s86).",
        "Article 8 and Article 1 Protocol 1 ECHR; record proportionality.",
    ]


def test_a_case_id_that_looks_like_a_section_is_left_in_the_statute():
    # the tobacco shops are s1, s2, s3: a caution citing s1(3) keeps its section
    from achilles.ranking.missing import _named

    names = {"s1": "Mini-market on the high street", "n1": "Principal A"}
    said = _named("n1 was presumed a victim; see s1(3) and s2(4).", names)
    assert said == "Principal A was presumed a victim; see s1(3) and s2(4)."


def test_the_plan_takes_the_whole_lane_as_automatic_safeguarding():
    from achilles.model.plan_state import PlanState
    from achilles.plan import selection

    analysis, ranking = ranked(
        ROOT / "examples" / "cases" / "derbyshire-trafficking-reception.yaml"
    )
    picked = dict(selection(ranking, PlanState(), None, load_weights(), analysis))
    for s in ranking.safeguarding:
        for key in s.actions:
            assert picked.get(key) in ("automatic", "suggested"), key
    assert picked["victim_reception_centre@cw"] == "automatic"
