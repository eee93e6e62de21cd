"""The parts of a broken case file that are sound on their own, for opening it read-only.

Each entity, plan action and plan decision is kept when it validates by itself; references to
entities that did not survive are dropped so that what loaded can be analysed.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import BaseModel, ValidationError

from achilles.errors import InputError
from achilles.loading.problems import Problems
from achilles.model import case as m
from achilles.model import plan_state as ps
from achilles.model.case import Case
from achilles.model.case_file import check_case
from achilles.model.vocabulary import Vocabulary

_SECTIONS: dict[str, type[BaseModel]] = {
    "people": m.Person,
    "premises": m.Premises,
    "businesses": m.Business,
    "vehicles": m.Vehicle,
    "activities": m.Activity,
    "events": m.Event,
}


_ENTRY = re.compile(
    r"^(plan\.)?(people|premises|businesses|vehicles|activities|events|actions|decisions|reviews)\[(\d+)\]"
)


def salvage(data: Any, vocab: Vocabulary) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if not isinstance(data, dict):
        data = {}
    header = data.get("case") if isinstance(data.get("case"), dict) else {}
    try:
        out["case"] = m.CaseInfo.model_validate(header).model_dump(
            mode="json", by_alias=True, exclude_none=True
        )
    except ValidationError:
        out["case"] = {
            "id": "recovered-case",
            "title": "Recovered case (the file has errors)",
            "as_of": dt.date.today().isoformat(),
            "jurisdiction": "england",
            "lro": {"name": "unknown", "agency": "unknown"},
        }
    try:
        out["ocg"] = m.Ocg.model_validate(data.get("ocg")).model_dump(
            mode="json", exclude_none=True
        )
    except ValidationError:
        out["ocg"] = {"name": "unknown group"}
    for section, model in _SECTIONS.items():
        out[section] = _valid_items(data.get(section), model)
    plan = data.get("plan") if isinstance(data.get("plan"), dict) else {}
    kept = ps.PlanState(
        actions=[
            ps.TrackedAction.model_validate(a)
            for a in _valid_items(plan.get("actions"), ps.TrackedAction)
        ],
        decisions=[
            ps.PlanDecision.model_validate(d)
            for d in _valid_items(plan.get("decisions"), ps.PlanDecision)
        ],
        reviews=[ps.Review.model_validate(r) for r in _valid_items(plan.get("reviews"), ps.Review)],
    )
    if not kept.empty:
        out["plan"] = kept.to_data()
    # Drop what still fails (references to entities that did not survive, unknown plan
    # terms), so what loaded can be analysed.
    try:
        case = Case.model_validate(out)
        problems = Problems("salvage")
        check_case(case, vocab, problems)
        doomed = sorted(
            {hit.groups() for p in problems.errors if (hit := _ENTRY.match(p.path))},
            key=lambda g: (g[0] or "", g[1], -int(g[2])),
        )
        for _, section, index in doomed:
            items = out[section] if section in _SECTIONS else out["plan"][section]
            if int(index) < len(items):
                items.pop(int(index))
    except (ValidationError, InputError, ValueError, KeyError, TypeError):
        pass
    return out


def _valid_items(items: Any, model: type[BaseModel]) -> list[dict[str, Any]]:
    kept = []
    for item in items if isinstance(items, list) else []:
        try:
            kept.append(
                model.model_validate(item).model_dump(mode="json", by_alias=True, exclude_none=True)
            )
        except ValidationError:
            continue
    return kept
