"""What all advice is worked out from: the vocabulary, the powers catalogue, the rulebook and the
ranking weights. One bundle, loaded two ways:

- `load_knowledge`: strict. A broken rule or catalogue file stops the command with its file and
  line (the CLI and `batch`). The checked catalogue and rulebook come from a private cache
  (rulebook/cache.py) when no file behind them has changed.
- `load_knowledge_lenient`: for a meeting. What is sound loads; a broken file has its rules
  switched off and is named in a banner, and the meeting goes on (the TUI).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from achilles.catalogue import Catalogue, catalogue_folder, check_catalogue, load_catalogue
from achilles.loading.paths import env_override, shipped
from achilles.loading.problems import Problem
from achilles.model.vocabulary import Vocabulary, load_vocabulary
from achilles.ranking import Weights, load_weights
from achilles.rulebook.cache import cached
from achilles.rulebook.load import Rulebook, check_rulebook, load_rulebook, rule_folders


@dataclass
class Knowledge:
    vocab: Vocabulary
    catalogue: Catalogue
    rulebook: Rulebook
    weights: Weights
    banners: list[str] = field(default_factory=list)
    """Broken rule or catalogue files, by name, when loaded leniently (never when strict)."""


def load_knowledge(
    rules: Sequence[Path | str] | None = None, catalogue: Path | str | None = None
) -> Knowledge:
    """Everything checked; any broken file is an error naming its file and line. `rules` are a
    council's folders layered over the shipped rules; `catalogue` replaces the shipped one."""
    extra = [Path(r) for r in rules or ()]
    catalogue = Path(catalogue) if catalogue else None

    def build() -> tuple[Vocabulary, Catalogue, Rulebook]:
        vocab = load_vocabulary()
        cat = load_catalogue(catalogue, vocab)
        return vocab, cat, load_rulebook(cat, extra, vocab)

    vocabulary = env_override("vocabulary") or shipped("vocabulary")
    vocab, cat, book = cached(
        [catalogue_folder(catalogue), *rule_folders(extra), vocabulary], build
    )
    return Knowledge(vocab, cat, book, load_weights())


def load_knowledge_lenient(
    rules: Sequence[Path | str] | None = None, catalogue: Path | str | None = None
) -> Knowledge:
    """Load what is sound; name every broken file in a banner instead of failing."""
    vocab = load_vocabulary()
    cat, cat_problems = check_catalogue(Path(catalogue) if catalogue else None, vocab)
    book, rule_problems = check_rulebook(cat, [Path(r) for r in rules or ()], vocab)
    banners = _banners([p for p in cat_problems + rule_problems if p.level == "error"])
    return Knowledge(vocab, cat, book, load_weights(), banners)


def _banners(problems: list[Problem]) -> list[str]:
    by_file: dict[str, list[Problem]] = {}
    for p in problems:
        by_file.setdefault(p.file, []).append(p)
    return [
        f"{Path(f).name}: {len(ps)} problem(s), its broken rules are switched off "
        f"(first: line {ps[0].line or '?'}: {ps[0].path}: {ps[0].message})"
        for f, ps in by_file.items()
    ]
