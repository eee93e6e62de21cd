"""Achilles benchmarks: `run.py` is the entry point; `measure/` takes the figures into the
typed records of `results.py`, and `report/` writes them as RESULTS.md."""
