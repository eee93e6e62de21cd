"""JSON: the stable machine interface of `recommend`, and the plan as data."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from achilles.analysis import Analysis
from achilles.explain import explain
from achilles.model.case import Case
from achilles.model.power import Power
from achilles.model.vocabulary import Vocabulary, load_vocabulary
from achilles.options import Option
from achilles.presumptions import Presumed
from achilles.questions import partner_name, questions
from achilles.ranking import RankedOption, Ranking, Safeguarding, Tactic
from achilles.render.clean import clean
from achilles.rulebook.english import fill
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
    e = explain(r.option, r.power, rulebook, analysis.case, redact=redact, memo=memo)
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
        "because": list(e.why),
        "matched_facts": list(e.facts),
        "rules": list(e.rules),
        "evidence_standard": r.power.evidence_standard,
        "speed_days": r.power.speed_days,
        "coercive": r.power.coercive,
        "exempt": list(e.exempt),
        "evidence_needed": list(e.evidence),
        "cautions": list(e.cautions),
        "confirmed": r.power.provenance.confirmed,
    }


def conditional_record(
    option: Option, power: Power, analysis: Analysis, rulebook: Rulebook, *, redact: bool
) -> dict:
    """A next step that waits on a legal event: listed apart, never ranked."""
    e = explain(option, power, rulebook, analysis.case, redact=redact)
    return {
        "key": option.key,
        "power_id": power.id,
        "power": power.name,
        "legislation": power.citation(),
        "target": option.target,
        "target_type": option.target_type,
        "target_label": analysis.case.label(option.target, redact=redact),
        "opens_when": list(e.opens_when),
        "because": list(e.why),
        "rules": list(e.rules),
        "lead_agency": power.lead_agency,
        "coercive": power.coercive,
    }


def presumption_record(p: Presumed, case: Case, *, redact: bool) -> dict:
    pr = p.presumption
    return {
        "person": p.person,
        "presumption": pr.id,
        "kind": pr.kind,
        "title": pr.title,
        "presumes": list(pr.presumes),
        "citation": pr.citation,
        "because": fill(pr.because, dict(p.bound), case, redact=redact),
        "holds": p.holds,
        "lifted_by": list(p.lifted_by),
        "lift": pr.lift,
    }


def safeguarding_record(s: Safeguarding, case: Case, *, redact: bool) -> dict:
    """A person the group exploits and the protective options that fired for them."""
    return {
        "person": s.person,
        "label": case.label(s.person, redact=redact),
        "actions": s.actions,
        "why": "; ".join(s.why),
    }


def tactic_record(t: Tactic, case: Case, *, redact: bool) -> dict:
    """One power on all its targets, in the variety order of the list the meeting reads."""
    return {
        "rank": t.rank,
        "power_id": t.power_id,
        "power": t.power.name,
        "lead_agency": t.power.lead_agency,
        "area": t.power.area,
        "four_p": list(t.power.four_p),
        "targets": t.targets,
        "target_labels": [case.label(x, redact=redact) for x in t.targets],
        "best_score": t.best_score,
        "score": t.score,
        "variety": {"points": -t.deducted, "reason": t.reason},
        "heel": sorted(t.heel),
        "options": t.keys,
    }


def recommend_data(
    analysis: Analysis,
    ranking: Ranking,
    options: list[RankedOption],
    rulebook: Rulebook,
    *,
    redact: bool = False,
    tactics: list[Tactic] | None = None,
    vocab: Vocabulary | None = None,
) -> dict:
    """`options` are the options to show (filtered, cut to --top); `tactics` the tactics to show
    (default: every tactic). The safeguarding lane is always shown whole: it comes first."""
    case = analysis.case
    shown = {r.key for r in options}
    tactics = ranking.tactics if tactics is None else tactics
    vocab = vocab or load_vocabulary()
    memo: dict = {}  # matched-fact lines, shared by every option of this case
    return _text(
        {
            "marking": case.case.marking,
            "schema_version": SCHEMA_VERSION,
            "case": case.case.id,
            "as_of": analysis.as_of,
            "jurisdiction": case.case.jurisdiction,
            "rules_version": rulebook.version,
            "presumptions": [
                presumption_record(p, case, redact=redact) for p in analysis.presumptions.found
            ],
            "safeguarding": [
                safeguarding_record(s, case, redact=redact) for s in ranking.safeguarding
            ],
            "tactics": [tactic_record(t, case, redact=redact) for t in tactics],
            "options": [
                option_record(r, analysis, rulebook, redact=redact, memo=memo) for r in options
            ],
            "conditional": [
                conditional_record(w.option, w.power, analysis, rulebook, redact=redact)
                for w in ranking.waiting
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
            "questions": [
                {
                    "partner": g.partner,
                    "partner_name": partner_name(g.partner, vocab),
                    "questions": [
                        {"question": q.text, "about": list(q.about), "opens": q.opens}
                        for q in g.questions
                    ],
                }
                for g in questions(analysis, vocab, redact=redact)
            ],
            "blocked": [
                {
                    "power_id": b.power_id,
                    "target": b.target,
                    "person": b.person,
                    "reason": b.reason,
                    "presumptions": list(b.presumptions),
                    "citation": b.citation,
                    "lift": b.lift,
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
