"""What the shipped rules cost on real cases (the evaluation budget), and the largest case files
that fit inside every input budget. Every case here is synthetic."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# --- the budget: what the shipped rules cost on real cases ----------------------------------------


@dataclass
class CaseCost:
    name: str
    facts: int
    matches: int  # the engine's matches
    spent: int  # the case's budget spent: engine, presumptions, near misses
    seconds: float


def shipped_costs(large_groups: int, seed: int) -> list[CaseCost]:
    from achilles.analysis import analyse
    from achilles.catalogue import load_catalogue
    from achilles.engine import evaluate
    from achilles.loading.paths import examples_dir
    from achilles.matches import budget_for
    from achilles.model.case_file import load_case
    from achilles.model.vocabulary import load_vocabulary
    from achilles.rulebook.load import load_rulebook
    from achilles.synth import write_corpus

    vocab = load_vocabulary()
    catalogue = load_catalogue(None, vocab)
    book = load_rulebook(catalogue, [], vocab)
    files = sorted(examples_dir().glob("*.yaml"))
    files += sorted((ROOT / "tests" / "scenarios" / "cases").glob("*.yaml"))
    out: list[CaseCost] = []
    with tempfile.TemporaryDirectory() as tmp:
        write_corpus(Path(tmp), large_groups, seed, size="large")
        files += sorted(Path(tmp).glob("*.yaml"))
        for path in files:
            case = load_case(path, vocab)
            started = time.perf_counter()
            analysis = analyse(case, catalogue, book, vocab)
            took = time.perf_counter() - started
            found = evaluate(book.compiled, analysis.facts)
            name = path.name if tmp not in str(path) else f"synth large {path.stem}"
            out.append(
                CaseCost(
                    name,
                    len(analysis.facts.facts),
                    len(found),
                    budget_for(analysis.facts).spent,
                    round(took, 3),
                )
            )
    return out


# --- the case budgets: the review's files, and the largest files inside every budget -------------

_HEAD = (
    "case: {id: c, title: T, as_of: 2024-06-01, jurisdiction: england, "
    "lro: {name: L, agency: A}}\nocg: {name: G}\n"
)


def budget_files(folder: Path) -> dict[str, tuple[str, Path]]:
    """name -> (what it is, file): the review's F-6/F-7 files and each budget at its edge."""
    from achilles.loading.budget import MAX_ENTRIES

    def write(name: str, text: str) -> Path:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return path

    people = MAX_ENTRIES["people"]
    acts = MAX_ENTRIES["activities"]
    flat = "premises:\n  - {id: p1, label: X, use: flat, tenure: council_tenancy}\n"
    note = "x" * 19_990
    return {
        "b10": (
            "75,000 short people (review: 8.2 MB, 16.8 s to refuse)",
            write(
                "b10.yaml",
                _HEAD
                + "people:\n"
                + "".join(
                    f"  - {{id: m{i}, role: member, flags: [], benefits: []}}\n"
                    for i in range(75_000)
                ),
            ),
        ),
        "b11": (
            "20,000 people (review: 28.5 s, 596 MB)",
            write(
                "b11.yaml",
                _HEAD
                + "people:\n"
                + "".join(
                    f"  - {{id: m{i}, name: P {i}, role: member, age: {20 + i % 60}}}\n"
                    for i in range(20_000)
                ),
            ),
        ),
        "b12": (
            "5,000 identical activities (review: 30.8 s)",
            write(
                "b12.yaml",
                _HEAD
                + "people:\n  - {id: n1, role: principal}\n"
                + flat
                + "activities:\n"
                + "  - {kind: drug_supply, at: [p1], by: [n1], status: evidenced}\n" * 5_000,
            ),
        ),
        "b03": (
            "a 19,990-character note aliased by 20,000 people (review: 38.7 s, 75 MB out)",
            write(
                "b03.yaml",
                _HEAD
                + "people:\n"
                + f"  - {{id: m0, role: member, notes: &n '{note}'}}\n"
                + "".join(f"  - {{id: m{i}, role: member, notes: *n}}\n" for i in range(1, 20_000)),
            ),
        ),
        "people": (
            f"{people:,} people, the most a case may hold",
            write(
                "people.yaml",
                _HEAD
                + "people:\n"
                + "".join(
                    f"  - {{id: m{i}, role: member, age: {20 + i % 60}}}\n" for i in range(people)
                ),
            ),
        ),
        "both": (
            f"{people:,} people and {acts:,} activities: inside the case budgets, past the "
            "match budget",
            write(
                "both.yaml",
                _HEAD
                + "people:\n"
                + "".join(
                    f"  - {{id: m{i}, role: member, age: {20 + i % 60}}}\n" for i in range(people)
                )
                + flat
                + "activities:\n"
                + "  - {kind: drug_supply, at: [p1], by: [m1], status: evidenced}\n" * acts,
            ),
        ),
        "activities": (
            f"{acts:,} activities on one flat by one person, the most a case may hold",
            write(
                "activities.yaml",
                _HEAD
                + "people:\n  - {id: m1, role: principal}\n"
                + flat
                + "activities:\n"
                + "  - {kind: drug_supply, at: [p1], by: [m1], status: evidenced}\n" * acts,
            ),
        ),
    }


@dataclass
class FileRun:
    name: str
    what: str
    size: int
    status: int
    seconds: float
    out_bytes: int
    said: str


def budget_runs() -> list[FileRun]:
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, (what, path) in budget_files(Path(tmp)).items():
            started = time.monotonic()
            r = subprocess.run(
                [sys.executable, "-m", "achilles", "recommend", str(path), "--format", "json"],
                capture_output=True,
                text=True,
                timeout=300,
                cwd=ROOT,
            )
            said = (r.stderr.strip().splitlines() or [""])[0].replace(str(path), path.name)
            out.append(
                FileRun(
                    name,
                    what,
                    path.stat().st_size,
                    r.returncode,
                    round(time.monotonic() - started, 2),
                    len(r.stdout.encode()),
                    said[:160],
                )
            )
    return out
