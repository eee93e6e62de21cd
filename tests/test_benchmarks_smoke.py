"""The benchmark's functions run end to end on a tiny synthetic corpus (the benchmark itself is
run by hand: `.venv/bin/python benchmarks/run.py`)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bench():
    spec = importlib.util.spec_from_file_location(
        "achilles_benchmarks_run", ROOT / "benchmarks" / "run.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_benchmark_functions_on_five_groups(tmp_path):
    bench = _bench()
    cfg = bench.Config.make(smoke=True)
    res = bench.run_all(cfg, tmp_path, log=lambda _message: None)
    assert res["batch_shipped"]["analysed"] == 5 and res["batch_shipped"]["peak_mb"] > 0
    assert res["inprocess_shipped_typical"]["facts"] == 40
    assert res["tui_shipped"]["rows"] >= 1
    text = bench.results_markdown(res, "smoke")
    for heading in ("## Machine", "## Summary against the targets", "## Details"):
        assert heading in text
    assert "`achilles batch`, 5 groups" in text
    assert str(tmp_path) not in text  # temporary paths are shown as $TMP
