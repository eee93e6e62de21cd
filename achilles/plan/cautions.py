"""What a plan says once: each action's cautions and evidence without repeats, and the cautions
true of a whole family of powers (Article 8, say) lifted into one general annex.

Items merge when they say the same thing in the same words: where a rule and its power say it
differently, the YAML is reworded so they merge (rules/README.md). Case and punctuation at the
ends do not keep two items apart.
"""

from __future__ import annotations

from achilles.catalogue import Catalogue
from achilles.plan.model import Action, GeneralCaution


def merged(items: list[str] | tuple[str, ...]) -> list[str]:
    """Each item once, in first-seen order; items differing only in case, spacing or a final
    full stop are one."""
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(_norm(item), item)
    return list(seen.values())


def general_cautions(actions: list[Action], catalogue: Catalogue) -> list[GeneralCaution]:
    """Take each family's general cautions off the actions; return them once, each with the
    actions it applies to."""
    out: dict[str, GeneralCaution] = {}
    for a in actions:
        general = {_norm(c): c for c in catalogue.general_cautions(a.power_id)}
        if not general:
            continue
        a.cautions = [c for c in a.cautions if _norm(c) not in general]
        for norm, text in general.items():
            entry = out.setdefault(norm, GeneralCaution(text, []))
            if a.title not in entry.applies_to:
                entry.applies_to.append(a.title)
    return list(out.values())


def _norm(text: str) -> str:
    return " ".join(text.split()).rstrip(".").casefold()
