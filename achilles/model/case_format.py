"""docs/CASE-FORMAT.md's field tables, written from the models and the vocabulary so they cannot
drift: each field, whether it is required, and what it holds (the field's docstring in
`achilles/model/case.py`, after the vocabulary section and terms a term field takes).

The prose around the tables is written by hand; each table sits between
`<!-- fields: SECTION -->` and `<!-- /fields -->`. Regenerate with
`python -m achilles.model.case_format` (`make case-format`); tests/test_docs.py fails when the
committed page differs from what this writes.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from pydantic import BaseModel

from achilles.model.case import Activity, Business, CaseInfo, Event, Ocg, Person, Premises, Vehicle
from achilles.model.case_file import _TERMS
from achilles.model.vocabulary import Vocabulary, load_vocabulary

DOC = Path(__file__).resolve().parent.parent.parent / "docs" / "CASE-FORMAT.md"
MODELS: dict[str, type[BaseModel]] = {
    "case": CaseInfo,
    "ocg": Ocg,
    "people": Person,
    "premises": Premises,
    "businesses": Business,
    "vehicles": Vehicle,
    "activities": Activity,
    "events": Event,
}
LIST_TERMS_UP_TO = 16  # longer term lists are left to vocabulary.yaml
_BLOCK = re.compile(r"(<!-- fields: (\w+) -->\n)(.*?)(<!-- /fields -->)", re.S)


def render(text: str, vocab: Vocabulary | None = None) -> str:
    """The page with every field table written afresh."""
    vocab = vocab or load_vocabulary()
    return _BLOCK.sub(lambda m: m.group(1) + table(m.group(2), vocab) + m.group(4), text)


def table(section: str, vocab: Vocabulary) -> str:
    model = MODELS[section]
    rows = ["| field | required | what it holds |", "| --- | --- | --- |"]
    for name, info in model.model_fields.items():
        key = info.alias or name
        holds = "; ".join(x for x in (_term(section, key, info, vocab), _words(info)) if x)
        rows.append(f"| `{key}` | {_required(section, key, info.is_required(), vocab)} | {holds} |")
    return "\n".join(rows) + "\n"


def _required(section: str, key: str, required: bool, vocab: Vocabulary) -> str:
    if required:
        return "yes"
    if section == "events" and any(spec.allows(key) for spec in vocab.event_fields.values()):
        return "by kind"  # which kinds need it is vocabulary data (event_fields)
    return "no"


def _term(section: str, key: str, info, vocab: Vocabulary) -> str:
    vsection = _TERMS.get(section, {}).get(key)
    if vsection is None:
        return ""
    many = "list" in str(info.annotation)
    label = f"{'terms' if many else 'term'} (`{vsection}`)"
    terms = list(vocab.terms(vsection))
    if terms and len(terms) <= LIST_TERMS_UP_TO:
        label += ": " + ", ".join(f"`{t}`" for t in terms)
    return label


def _words(info) -> str:
    return " ".join((info.description or "").split())


def missing_words() -> list[str]:
    """Fields the page cannot describe: no docstring and no vocabulary section."""
    return [
        f"{model.__name__}.{name}"
        for section, model in MODELS.items()
        for name, info in model.model_fields.items()
        if not info.description and (info.alias or name) not in _TERMS.get(section, {})
    ]


def main() -> None:
    DOC.write_text(render(DOC.read_text(encoding="utf-8")), encoding="utf-8")
    sys.stdout.write(f"wrote {DOC}\n")


if __name__ == "__main__":
    main()
