"""JSON Schemas generated from the models, for editors that complete and check YAML as you type."""

from __future__ import annotations

import json

from pydantic import BaseModel

from achilles.model.case import Case
from achilles.model.power import CatalogueFile
from achilles.model.rule import RuleFile

SCHEMAS: dict[str, type[BaseModel]] = {
    "case.schema.json": Case,
    "rule.schema.json": RuleFile,
    "power.schema.json": CatalogueFile,
}


def render(name: str) -> str:
    schema = SCHEMAS[name].model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":  # python -m achilles.model.schemas: rewrite schemas/ from the models
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "schemas"
    for name in SCHEMAS:
        (folder / name).write_text(render(name))
        print(f"wrote schemas/{name}")
