"""The benchmark's functions run end to end on a tiny synthetic corpus (the benchmark itself is
run by hand: `.venv/bin/python benchmarks/run.py`)."""

from __future__ import annotations

import importlib.util
import json
import sys

from tests.samples import ROOT


def _bench():
    spec = importlib.util.spec_from_file_location(
        "achilles_benchmarks_run", ROOT / "benchmarks" / "run.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_benchmark_functions_on_five_groups(tmp_path):
    bench = _bench()
    cfg = bench.Config.make(smoke=True)
    res = bench.run_all(cfg, tmp_path, log=lambda _message: None)
    shipped = res.books["shipped"]
    assert shipped.batch.analysed == 5 and shipped.batch.peak_mb > 0
    assert shipped.inprocess("typical").facts == 40
    assert shipped.tui.rows >= 1
    text = bench.results_markdown(res, "smoke")
    for heading in ("## Machine", "## Summary against the targets", "## Details"):
        assert heading in text
    assert "`achilles batch`, 5 groups" in text
    assert str(tmp_path) not in text  # temporary paths are shown as $TMP
    again = bench.Results.from_json(json.loads(json.dumps(res.to_json())))
    assert bench.results_markdown(again, "smoke") == text  # what `run.py --render` writes


def test_the_code_the_findings_name_still_exists():
    """RESULTS.md names functions and files; each is read from the code, so a rename or a
    deletion fails here instead of leaving the findings pointing at nothing."""
    _bench()
    from benchmarks.report.code import code

    refs = vars(code())
    assert refs and all(
        r.path.startswith("achilles/") and (ROOT / r.path).is_file() for r in refs.values()
    )
