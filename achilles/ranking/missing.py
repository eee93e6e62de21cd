"""What is still missing before an option can go ahead, in one list and in names.

The option's explanation gathers each rule's evidence needed and cautions, and the power's own;
several rules behind one option often say the same thing in other words ("why closure is
necessary (s76(1)(b))" and "why closure is necessary to stop it (s76(1))"). The meeting needs
each point once: the evidence the activity still lacks for the power's standard, then what to
gather, then what to watch, each said once, with people, places, rules and powers by name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from achilles.catalogue import Catalogue
from achilles.explain import Explanation
from achilles.model.case import Case
from achilles.model.vocabulary import Vocabulary
from achilles.ranking.score import RankedOption
from achilles.ranking.weights import Weights
from achilles.rulebook.load import Rulebook

# Two points are one when this share of the shorter one's words is in the longer: less when
# both cite the very same provision (s76(4) and s76(4)), a little more when one cites a part of
# the other's (s76(1) and s76(1)(b)), most when they cite nothing in common.
SAME = 0.75
SAME_PROVISION = 0.35
SAME_PART = 0.5
# fmt: off
_STOP = frozenset({
    "a", "an", "and", "the", "of", "to", "or", "for", "by", "in", "on", "at", "be", "is", "are",
    "it", "its", "this", "that", "with", "as", "from", "any", "not", "no", "there", "their",
    "they", "them", "who", "which", "where", "when", "one", "so",
})
# fmt: on
_SECTION = re.compile(r"\b(s|ss|art|arts|article|reg|regs|para)\s?(\d+[a-z]?)((?:\(\w+\))*)", re.I)
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Missing:
    """One thing still to do or to watch for the option: `kind` is evidence (to raise or
    gather) or caution."""

    kind: str
    text: str


def still_missing(
    r: RankedOption,
    e: Explanation,
    case: Case,
    rulebook: Rulebook,
    catalogue: Catalogue,
    vocab: Vocabulary,
    weights: Weights,
) -> list[Missing]:
    """The evidence the activity lacks for the power's standard, then the evidence to gather,
    then the cautions: each point once, in names."""
    names = _names(rulebook, catalogue)
    out = [Missing("evidence", t) for t in _maturity(r, case, vocab, weights)]
    out += [Missing("evidence", _named(t, names)) for t in e.evidence]
    case_ids = {x: case.label(x) for x in _case_ids(case)}
    out += [Missing("caution", _named(_named(t, case_ids), names)) for t in e.cautions]
    return merged(out)


def merged(items: list[Missing]) -> list[Missing]:
    """Each point once, where it first comes, in its fullest wording; evidence wins over a
    caution that says the same."""
    kept: list[tuple[Missing, frozenset[str], frozenset[str]]] = []
    for item in items:
        words, cites = _words(item.text), _cites(item.text)
        for i, (seen, seen_words, seen_cites) in enumerate(kept):
            if _same(words, cites, seen_words, seen_cites):
                if len(item.text) > len(seen.text):
                    kept[i] = (Missing(seen.kind, item.text), words, cites)
                break
        else:
            kept.append((item, words, cites))
    return [m for m, _w, _c in kept]


def _same(a: frozenset[str], ca: frozenset[str], b: frozenset[str], cb: frozenset[str]) -> bool:
    if not a or not b:
        return a == b
    share = len(a & b) / min(len(a), len(b))
    if ca & cb:
        return share >= SAME_PROVISION
    if any(x.startswith(y) or y.startswith(x) for x in ca for y in cb):
        return share >= SAME_PART
    return share >= SAME


def _words(text: str) -> frozenset[str]:
    """The point's words, sections reduced to their number and endings cut, so that wording
    and citation style do not hide a repeat."""
    text = _SECTION.sub(lambda m: f" {m.group(1)[:1]}{m.group(2).lower()} ", text.lower())
    return frozenset(_stem(w) for w in _WORD.findall(text) if w not in _STOP)


def _cites(text: str) -> frozenset[str]:
    """The provisions the point cites, as `s76(4)`, `art8`."""
    return frozenset(
        f"{'art' if m.group(1).lower().startswith('art') else 's'}{m.group(2)}{m.group(3)}".lower()
        for m in _SECTION.finditer(text)
    )


def _stem(word: str) -> str:
    for end in ("ly", "ing", "ed", "es", "s"):
        if word.endswith(end) and len(word) - len(end) >= 4:
            return word[: -len(end)]
    return word


def _maturity(r: RankedOption, case: Case, vocab: Vocabulary, weights: Weights) -> list[str]:
    """Each activity the option rests on whose evidence is below what the power's standard
    needs, in names."""
    standard = weights.readiness.standards[r.power.evidence_standard]
    statuses = list(vocab.terms("status"))
    need = statuses.index(standard.needs)
    ranks: dict[str, int] = {}
    for firing in r.option.firings:
        for _alias, fact in firing.facts:
            key = fact.get("activity") or (fact["key"] if fact["type"] == "activity" else None)
            if key and "status_rank" in fact:
                ranks[key] = max(ranks.get(key, -1), fact["status_rank"])
    if ranks and max(ranks.values()) >= need:
        return []  # the strongest activity already meets the standard
    out = []
    for key, rank in ranks.items():
        activity = next((a for a in case.activities if a.id == key), None)
        if activity is None:
            continue
        where = [case.label(x) for x in [*activity.at, *activity.by]]
        out.append(
            f"Evidence of {activity.kind.replace('_', ' ')}"
            + (f" ({', '.join(where)})" if where else "")
            + f" is {statuses[rank]}; {r.power.name} needs it {standard.needs}: {standard.means}."
        )
    return out


def _names(rulebook: Rulebook, catalogue: Catalogue) -> dict[str, str]:
    """Rule and power ids as the meeting knows them: a rule by its title, a power by its name."""
    out = {c.rule.id: f'the rule "{c.rule.title}"' for c in rulebook.by_id().values()}
    out.update({p.id: p.name for p in catalogue})
    return out


def _case_ids(case: Case) -> list[str]:
    ids: list[str] = [p.id for p in case.people]
    ids += [p.id for p in case.premises]
    ids += [b.id for b in case.businesses]
    ids += [v.id for v in case.vehicles]
    return ids


def _named(text: str, names: dict[str, str]) -> str:
    """`text` with each id in `names` (a whole word, not a section such as s1(3)) replaced by
    its name."""
    if not names:
        return text
    pattern = _pattern(tuple(sorted(names, key=len, reverse=True)))
    return pattern.sub(lambda m: names[m.group(0)], text)


_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def _pattern(ids: tuple[str, ...]) -> re.Pattern[str]:
    if ids not in _PATTERNS:
        alternatives = "|".join(re.escape(i) for i in ids)
        _PATTERNS[ids] = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w(-])")
    return _PATTERNS[ids]
