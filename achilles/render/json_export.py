"""JSON: the stable machine interface of `recommend`, and the plan as data."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from achilles.analysis import Analysis
from achilles.explain import because, matched_facts
from achilles.ranking import RankedOption, Ranking
from achilles.render.clean import clean
from achilles.rulebook.load import Rulebook

# The plan module is not needed to write `recommend` JSON: keep it out of start-up.
if TYPE_CHECKING:
    from achilles.plan import Plan

SCHEMA_VERSION = 1


def _text(value: Any) -> Any:
    kind = type(value)  # exact types first: a big case's record holds tens of thousands of strings
    if kind is str:
        return value if value.isprintable() else clean(value)
    if kind is dict:
        return {k: _text(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [_text(v) for v in value]
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _text(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_text(v) for v in value]
    return value


def option_record(
    r: RankedOption,
    analysis: Analysis,
    rulebook: Rulebook,
    *,
    redact: bool,
    memo: dict | None = None,
) -> dict:
    rules = rulebook.by_id()
    # dicts as ordered sets: a big case gives one option thousands of firings
    reasons: dict[str, None] = {}
    facts: dict[str, None] = {}
    evidence: dict[str, None] = {}
    cautions: dict[str, None] = dict.fromkeys(r.power.cautions)
    for f in r.option.firings:
        rule = rules[f.rule_id].rule
        reasons[because(f, rule, analysis.case, redact=redact)] = None
        facts.update(dict.fromkeys(matched_facts(f, rule, analysis.case, redact=redact, memo=memo)))
        evidence.update(dict.fromkeys(rule.evidence_needed))
        cautions.update(dict.fromkeys(rule.cautions))
    return {
        "rank": r.rank,
        "key": r.key,
        "power_id": r.power.id,
        "power": r.power.name,
        "legislation": r.power.citation(),
        "urls": [leg.url for leg in r.power.legislation if leg.url],
        "four_p": list(r.power.four_p),
        "area": r.power.area,
        "lead_agency": r.power.lead_agency,
        "targets": [r.option.target],
        "target_type": r.option.target_type,
        "target_label": analysis.case.label(r.option.target, redact=redact),
        "score": r.score,
        "score_breakdown": {
            c.name: {
                "value": c.value,
                "weight": round(c.weight, 4),
                "points": c.points,
                "reason": c.reason,
            }
            for c in r.breakdown
        },
        "because": list(reasons),
        "matched_facts": list(facts),
        "rules": r.option.rule_ids,
        "evidence_standard": r.power.evidence_standard,
        "speed_days": r.power.speed_days,
        "coercive": r.power.coercive,
        "evidence_needed": list(evidence),
        "cautions": list(cautions),
        "confirmed": r.power.provenance.confirmed,
    }


def recommend_data(
    analysis: Analysis,
    ranking: Ranking,
    options: list[RankedOption],
    rulebook: Rulebook,
    *,
    redact: bool = False,
) -> dict:
    case = analysis.case
    shown = {r.key for r in options}
    memo: dict = {}  # matched-fact lines, shared by every option of this case
    return _text(
        {
            "marking": case.case.marking,
            "schema_version": SCHEMA_VERSION,
            "case": case.case.id,
            "as_of": analysis.as_of,
            "jurisdiction": case.case.jurisdiction,
            "rules_version": rulebook.version,
            "options": [
                option_record(r, analysis, rulebook, redact=redact, memo=memo) for r in options
            ],
            "packages": [
                {
                    "place": p.place,
                    "label": case.label(p.place, redact=redact),
                    "agencies": p.agencies,
                    "score": p.score,
                    "options": [o.key for o in p.options if o.key in shown],
                }
                for p in ranking.packages
            ],
            "near_misses": [
                {
                    "power_id": n.power_id,
                    "target": n.target,
                    "missing": n.missing,
                    "kind": n.kind,
                    "rule": n.rule_id,
                }
                for n in analysis.near_misses
            ],
            "blocked": [
                {
                    "power_id": b.power_id,
                    "target": b.target,
                    "person": b.person,
                    "reason": b.reason,
                    "rule": b.rule_id,
                }
                for b in analysis.blocked
            ],
            "warnings": analysis.warnings,
            "marking_footer": case.case.marking,
        }
    )


def recommend_json(*args: Any, **kwargs: Any) -> str:
    return json.dumps(recommend_data(*args, **kwargs), indent=2, ensure_ascii=False) + "\n"


def plan_json(plan: Plan) -> str:
    data = dataclasses.asdict(plan)
    data = {
        "marking": plan.marking,
        "schema_version": SCHEMA_VERSION,
        **data,
        "marking_footer": plan.marking,
    }
    return json.dumps(_text(data), indent=2, ensure_ascii=False) + "\n"
