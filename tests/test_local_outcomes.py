"""The partnership's own outcomes as a ranking factor: off by default, visible in every score
breakdown when on, and fed from the plans of the cases kept in the workspace."""

from __future__ import annotations

import json
import subprocess
import sys

import yaml

from achilles.analysis import analyse
from achilles.catalogue import load_catalogue
from achilles.model.case_file import load_case
from achilles.model.vocabulary import load_vocabulary
from achilles.ranking import LOCAL_OUTCOMES, Weights, load_weights, rank, with_local_outcomes
from achilles.rulebook.load import load_rulebook
from achilles.store import Workspace
from achilles.store.outcomes import outcome_record
from tests.samples import EXAMPLE, ROOT

VOCAB = load_vocabulary()
CATALOGUE = load_catalogue()
RULES = load_rulebook(CATALOGUE)
DONE = "    - {{key: {key}, status: done, outcome: {{level: {level}, date: 2026-01-10}}}}\n"


def on(weight: float) -> Weights:
    data = load_weights().model_dump()
    data["outcomes"]["weight"] = weight
    return Weights.model_validate(data)


def base_ranking():
    case = load_case(EXAMPLE, VOCAB)
    analysis = analyse(case, CATALOGUE, RULES, VOCAB)
    return case, rank(analysis, CATALOGUE, VOCAB)


def test_off_by_default():
    case, ranking = base_ranking()
    assert load_weights().outcomes.weight == 0
    same = with_local_outcomes(ranking, {"hmrc_referral": {"major": 9}}, case)
    assert same is ranking
    assert all(c.name != LOCAL_OUTCOMES for r in ranking.options for c in r.breakdown)


def test_on_it_is_one_more_visible_criterion_and_scores_stay_out_of_100():
    case, ranking = base_ranking()
    record = {"hmrc_referral": {"major": 2, "moderate": 1}, "civil_injunction": {"none": 1}}
    ranked = with_local_outcomes(ranking, record, case, on(0.25))
    by_key = {r.key: r for r in ranked.options}
    hmrc = by_key["hmrc_referral@b1"]
    local = next(c for c in hmrc.breakdown if c.name == LOCAL_OUTCOMES)
    assert local.value == round((1.0 * 2 + 0.6) / 3, 3)
    assert local.reason == "done 3 times in the partnership's plans: 2 major, 1 moderate"
    assert abs(sum(c.weight for c in hmrc.breakdown) - 1) < 1e-9
    assert hmrc.score == round(sum(c.value * c.weight for c in hmrc.breakdown) * 100, 1)
    closure = next(c for c in by_key["civil_injunction@n1"].breakdown if c.name == LOCAL_OUTCOMES)
    assert closure.value == 0 and "counts from 3" in closure.reason  # too few to count
    before = {r.key: r.rank for r in ranking.options}
    assert by_key["hmrc_referral@b1"].rank < before["hmrc_referral@b1"]  # moved up
    assert [r.rank for r in ranked.options] == list(range(1, len(ranked.options) + 1))


def test_the_record_comes_from_the_workspace_plans_and_reaches_recommend(tmp_path):
    db = tmp_path / "ws.db"
    text = EXAMPLE.read_text()
    with Workspace.open(db) as ws:
        for n in range(3):
            plan = "plan:\n  actions:\n" + DONE.format(key="hmrc_referral@b1", level="major")
            ws.import_case(
                text.replace("id: beds-transformation", f"id: done-{n}") + plan, "x", "t"
            )
        assert outcome_record(ws) == {"hmrc_referral": {"major": 3}}
    weights = tmp_path / "ranking"
    weights.mkdir()
    data = yaml.safe_load((ROOT / "ranking" / "weights.yaml").read_text())
    data["outcomes"]["weight"] = 0.2
    (weights / "weights.yaml").write_text(yaml.safe_dump(data))
    env = {"ACHILLES_RANKING": str(weights), "ACHILLES_WORKSPACE": str(db), "PATH": "/usr/bin"}
    out = subprocess.run(
        [sys.executable, "-m", "achilles", "recommend", str(EXAMPLE), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    options = {o["key"]: o for o in json.loads(out.stdout)["options"]}
    assert options["hmrc_referral@b1"]["score_breakdown"][LOCAL_OUTCOMES]["value"] == 1.0
    assert options["civil_injunction@n1"]["score_breakdown"][LOCAL_OUTCOMES]["value"] == 0.0
