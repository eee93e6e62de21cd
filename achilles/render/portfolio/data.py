"""The portfolio report as plain data (the JSON format): every table's rows under its id-based
keys as before, plus the board's findings, threats, 4Ps and names."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from achilles.model.portfolio import PortfolioReport
from achilles.render.clean import clean

SCHEMA_VERSION = 1  # fields are only ever added within a version


def report_data(r: PortfolioReport) -> dict[str, Any]:
    """The report as plain data; every string cleaned of control characters."""
    c = clean
    return {
        "marking": r.marking,
        "schema_version": SCHEMA_VERSION,
        "kind": "portfolio",
        "generated_on": r.generated_on.isoformat(),
        "rules_version": r.rules_version,
        "settings": {
            "top": r.top,
            "strong_score": r.threshold,
            "near_misses": r.near_misses,
            "redacted": r.redacted,
        },
        "totals": {
            "files": r.files,
            "analysed": r.analysed,
            "skipped": len(r.skipped),
            "facts": r.facts,
            "options": r.options,
            "weak_cases": len(r.weak),
            "actions": r.actions,
        },
        "findings": r.findings,
        "threats": [dataclasses.asdict(t) for t in r.threats],
        "four_p": [dataclasses.asdict(p) for p in r.four_ps],
        "powers": [
            {**dataclasses.asdict(p), "lead_agency_name": r.agency_name(p.lead_agency)}
            for p in r.powers
        ],
        "agencies": [dataclasses.asdict(a) for a in r.agencies],
        "recurring_near_misses": [
            {**dataclasses.asdict(n), "missing": c(n.missing)} for n in r.recurring
        ],
        "recurring_near_miss_groups": r.near_groups,
        "due_dates_judged_on": r.on.isoformat() if r.on else None,
        "tactics": [
            {
                "power_id": t.power_id,
                "power": t.power,
                "chosen": t.chosen,
                "done": t.done,
                "abandoned": t.abandoned,
                "rejected": t.rejected,
                "outcomes": dict(t.outcomes),
            }
            for t in r.tactics
        ],
        "agency_actions": [
            {**dataclasses.asdict(a), "name": r.agency_name(a.agency)} for a in r.agency_work
        ],
        "weak_cases": [
            {
                "file": c(w.file),
                "case": w.case_id,
                "title": c(w.title),
                "threat": w.threat,
                "best_score": w.best,
                "options": w.options,
            }
            for w in r.weak
        ],
        "cases": [
            {
                "file": c(s.file),
                "case": s.case_id,
                "title": c(s.title),
                "threat": s.threat,
                "as_of": s.as_of,
                "jurisdiction": s.jurisdiction,
                "facts": s.facts,
                "options": s.options,
                "best_score": s.best,
                "near_misses": s.near_misses,
                "blocked": s.blocked,
                "warnings": s.warnings,
                "top": [
                    {
                        "rank": t.rank,
                        "power_id": t.power_id,
                        "target": t.target,
                        "target_type": t.target_type,
                        "target_name": c(t.target_name),
                        "four_p": list(t.four_p),
                        "score": t.score,
                    }
                    for t in s.top
                ],
            }
            for s in r.cases
        ],
        "skipped": [
            {"file": c(f.file), "problem": c(f.problem), "kind": f.kind} for f in r.skipped
        ],
        "marking_footer": r.marking,
    }


def report_json(r: PortfolioReport) -> str:
    return json.dumps(report_data(r), indent=2, ensure_ascii=False) + "\n"
