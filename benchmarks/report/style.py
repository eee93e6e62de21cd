"""How RESULTS.md writes a figure: the targets, milliseconds, verdicts and the commands quoted."""

from __future__ import annotations

from benchmarks.results import SAMPLES, SEED, CaseKind

PY = ".venv/bin/python"
INPROCESS_CMD = f"{PY} benchmarks/run.py --only inprocess"

TARGETS = {
    "typical_ms": 10.0,
    "large_ms": 150.0,
    "cli_s": 0.5,
    "tui_s": 1.5,
    "plan_screen_s": 0.3,
    "batch_s": 10.0,
    "batch_mb": 400.0,
}


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def ms(x: float) -> str:
    return f"{x:.1f} ms" if x >= 1 else f"{x:.2f} ms"


def synth_cmd(kind: CaseKind, folder: str) -> str:
    """The command that writes a sample case's corpus (the sample is one of its files)."""
    groups, size = SAMPLES[kind]
    return f".venv/bin/achilles synth --groups {groups} --seed {SEED} --size {size} --out {folder}"
