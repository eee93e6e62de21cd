"""The vocabulary, catalogue and rulebook for a meeting, loaded leniently: a broken rule or
catalogue file switches its rules off and is named in a banner, and the meeting goes on."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from achilles.catalogue import Catalogue, check_catalogue
from achilles.loading.problems import Problem
from achilles.model.vocabulary import Vocabulary, load_vocabulary
from achilles.rulebook.load import Rulebook, check_rulebook


@dataclass
class Knowledge:
    vocab: Vocabulary
    catalogue: Catalogue
    rulebook: Rulebook
    banners: list[str] = field(default_factory=list)  # broken rule or catalogue files, by name


def load_knowledge_lenient(rules: list[Path], catalogue: Path | None) -> Knowledge:
    """Load what is sound; name every broken file in a banner instead of failing."""
    vocab = load_vocabulary()
    cat, cat_problems = check_catalogue(catalogue, vocab)
    book, rule_problems = check_rulebook(cat, rules, vocab)
    banners = _banners([p for p in cat_problems + rule_problems if p.level == "error"])
    return Knowledge(vocab, cat, book, banners)


def _banners(problems: list[Problem]) -> list[str]:
    by_file: dict[str, list[Problem]] = {}
    for p in problems:
        by_file.setdefault(p.file, []).append(p)
    return [
        f"{Path(f).name}: {len(ps)} problem(s), its broken rules are switched off "
        f"(first: line {ps[0].line or '?'}: {ps[0].path}: {ps[0].message})"
        for f, ps in by_file.items()
    ]
