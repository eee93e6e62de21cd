"""The parts of a broken case file that are sound on their own, for opening it read-only.

Each entity is kept when it validates by itself; references to entities that did not survive
are dropped so that what loaded can be analysed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from achilles.errors import InputError
from achilles.loading.problems import Problems
from achilles.model.case import Case
from achilles.model.case_file import check_case
from achilles.model.vocabulary import Vocabulary


def salvage(data: Any, vocab: Vocabulary) -> dict[str, Any]:
    from achilles.model import case as m

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
    models = {
        "people": m.Person,
        "premises": m.Premises,
        "businesses": m.Business,
        "vehicles": m.Vehicle,
        "activities": m.Activity,
    }
    for section, model in models.items():
        items = data.get(section) if isinstance(data.get(section), list) else []
        kept = []
        for item in items:
            try:
                kept.append(
                    model.model_validate(item).model_dump(
                        mode="json", by_alias=True, exclude_none=True
                    )
                )
            except ValidationError:
                continue
        out[section] = kept
    # Drop references to entities that did not survive, so what loaded is usable.
    try:
        case = Case.model_validate(out)
        problems = Problems("salvage")
        check_case(case, vocab, problems)
        if problems.errors:
            bad = {p.path.split(".")[0] for p in problems.errors}
            for path in sorted(bad, reverse=True):
                section, _, rest = path.partition("[")
                if section in out and rest:
                    index = int(rest.split("]")[0])
                    if index < len(out[section]):
                        out[section].pop(index)
    except (ValidationError, InputError, ValueError):
        pass
    return out
