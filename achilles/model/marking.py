"""The protective marking: a Government Security Classifications term, never empty or free text.

Every export prints the case's marking at top and bottom, so a marking that is empty, carries a
line break, or reads "UNCLASSIFIED" would let OFFICIAL-SENSITIVE data leave unmarked or
mismarked. The allowed classifications and descriptors are vocabulary data (`marking` and
`marking_descriptor` in vocabulary.yaml), so a council extends them without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass

from achilles.loading.problems import did_you_mean
from achilles.model.vocabulary import Vocabulary

DEFAULT = "OFFICIAL-SENSITIVE"


@dataclass(frozen=True)
class MarkingProblem:
    message: str
    hint: str


def _choices(vocab: Vocabulary) -> str:
    classes = list(vocab.sections.get("marking", {}))
    if not classes:
        return "add the `marking` section to vocabulary.yaml"
    descriptors = list(vocab.sections.get("marking_descriptor", {}))
    text = "markings are " + ", ".join(classes[:-1]) + f" or {classes[-1]}"
    if descriptors:
        text += f", optionally with a descriptor after a space ({', '.join(descriptors)})"
    return text


def split_marking(value: str, vocab: Vocabulary) -> tuple[str, str] | None:
    """(classification, descriptor or "") when `value` is a valid marking, else None.

    The longest classification that starts the marking wins, so "TOP SECRET" is not read as
    "TOP" plus a descriptor."""
    classes = sorted(vocab.sections.get("marking", {}), key=len, reverse=True)
    descriptors = vocab.sections.get("marking_descriptor", {})
    for cls in classes:
        if value == cls:
            return cls, ""
        if value.startswith(cls + " ") and value[len(cls) + 1 :] in descriptors:
            return cls, value[len(cls) + 1 :]
    return None


def marking_problem(value: object, vocab: Vocabulary) -> MarkingProblem | None:
    """What is wrong with a case's `marking`, or None when it is a known marking."""
    if not isinstance(value, str):
        return None  # the structure check reports a marking that is not text
    if not value.strip():
        return MarkingProblem(
            "the protective marking is empty, so exports would leave unmarked",
            f"write {DEFAULT}, or leave the field out for the default ({DEFAULT}); "
            + _choices(vocab),
        )
    if split_marking(value, vocab) is not None:
        return None
    shown = " ".join(value.split())[:60]  # one line, short: the message never spans lines
    tidy = " ".join(value.upper().replace("_", " ").split())
    if split_marking(tidy, vocab) is not None:
        hint = f"write it as {tidy}"
    else:
        guess = did_you_mean(tidy, list(vocab.sections.get("marking", {})))
        hint = (guess + " " if guess else "") + _choices(vocab)
    return MarkingProblem(
        f"'{shown}' is not a protective marking (Government Security Classifications)", hint
    )
