"""The Details section of RESULTS.md: every stage, profile, cold run and batch, per rulebook."""

from __future__ import annotations

from benchmarks.report.code import code
from benchmarks.report.style import ms
from benchmarks.results import CASE_KINDS, BookResults, ColdStages, ProfileRow, Results


def stage_labels() -> dict[str, str]:
    """What each field of StageTimes measures, in the order the table shows them."""
    c0 = code()
    return {
        "load": "load and check the file",
        "facts": "facts",
        "engine": f"engine: durable_rules matching ({c0.evaluate.named}, with the "
        f"{c0.engine_for.named} lookup)",
        "engine_only": f"engine: of which {c0.engine_evaluate.named} alone",
        "reference": "matching with the reference evaluator instead",
        "analyse_no_near": "analyse without near misses (facts, engine, victim guard, options)",
        "analyse": "analyse with near misses",
        "rank": "rank",
        "explain": "explanations (JSON record of every option)",
        "total": "**end to end** (load, analyse with near misses, rank, explain)",
        "total_no_near": "end to end without near misses",
        "total_reference": "end to end with the reference evaluator",
        "batch_path": "what `batch` does per case (load, analyse, rank, summarise)",
    }


COLD_STAGE_LABELS = {
    "import_cli": "import the CLI and register the commands",
    "import_models": "import the catalogue and rule models (pydantic)",
    "load_knowledge": "load the vocabulary, catalogue and rules",
    "build_engine": "build the engine",
    "case": "load the case, analyse, rank, explain (JSON)",
    "create_ruleset": "of the engine: durable_rules' C create_ruleset",
}


def details(res: Results) -> list[str]:
    out: list[str] = ["## Details", ""]
    for b in res.books.values():
        out += _inprocess(b)
    for b in res.books.values():
        out += _cold(b)
    for b in res.books.values():
        r = b.tui
        if r:
            out += [
                f"### TUI, {b.name} rulebook",
                "",
                f"Launch to options table with {r.rows} rows: median {r.cold_s:.3f} s wall, {r.cpu_s:.3f} s CPU "
                f"(runs: {', '.join(f'{x:.3f}' for x in r.times)}); of which {r.in_app_s:.3f} s after "
                "the imports (knowledge, session, app start, analysis worker, first paint). Headless "
                "(`App.run_test`, 160x48), on the contract example. "
                f"Then key 3 to the Plan screen's table with rows: median {r.plan_s * 1000:.0f} ms.",
                "",
            ]
    if res.corpora:
        out += _batch(res)
    return out


def _profile_table(title: str, rows: list[ProfileRow]) -> list[str]:
    out = [
        title,
        "",
        "| function | own ms | cumulative ms | calls |",
        "| --- | --- | --- | --- |",
    ]
    out += [
        f"| `{r.function}` | {r.own_ms:.2f} | {r.cumulative_ms:.2f} | {r.calls:,} |" for r in rows
    ]
    out.append("")
    return out


def _inprocess(b: BookResults) -> list[str]:
    if b.inprocess("typical") is None:
        return []
    out = [
        f"### In-process, {b.name} rulebook ({b.rules} rules)",
        "",
        f"Engine build (compile the rulebook into durable_rules rulesets, once per process): "
        f"{ms(b.build_ms or 0.0)}.",
        "",
    ]
    cols = [b.inprocess(kind) for kind in CASE_KINDS]
    out += [
        "| stage (median; the stages take turns, round after round) | typical: wall | CPU | "
        "large: wall | CPU |",
        "| --- | --- | --- | --- | --- |",
    ]
    for key, label in stage_labels().items():
        values = [(getattr(r.wall, key), getattr(r.cpu, key)) if r else None for r in cols]
        if all(v is None or v[0] is None for v in values):
            continue
        cells = []
        for v in values:
            cells += [ms(v[0]), ms(v[1])] if v and v[0] is not None else ["", ""]
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    info = []
    for r in cols:
        info += (
            [f"{r.facts} / {r.people} / {r.matches} / {r.options} / {r.near_misses}", ""]
            if r
            else ["", ""]
        )
    out.append("| facts / people / matches / options / near misses | " + " | ".join(info) + " |")
    out.append(
        "| rounds | "
        + " | ".join(x for r in cols for x in ([str(r.repeats), ""] if r else ["", ""]))
        + " |"
    )
    out.append("")
    for kind in CASE_KINDS:
        figures = b.cases.get(kind)
        if figures and figures.engine_profile:
            out += _profile_table(
                f"Profile of {code().engine_evaluate.named} alone, {kind} case, {b.name} rulebook "
                "(ms per case, inflated by the profiler):",
                figures.engine_profile,
            )
        if figures and figures.profile:
            out += _profile_table(
                f"Profile, {kind} case, {b.name} rulebook (cProfile; ms per case, inflated by the "
                "profiler; highest own time first):",
                figures.profile,
            )
    return out


def _cold(b: BookResults) -> list[str]:
    c1, c2 = b.cli_sample, b.cli_typical
    if not c1:
        return []
    out = [
        f"### Cold CLI, {b.name} rulebook",
        "",
        f"- `recommend` on the contract example: median {c1.median_s:.3f} s wall, {c1.cpu_s:.3f} s CPU "
        f"(runs: {', '.join(f'{x:.3f}' for x in c1.times)}).",
    ]
    if c2:
        out.append(f"- `recommend` on the typical synthetic case: median {c2.median_s:.3f} s.")
    if c1.python_s is not None and c1.imports_s is not None:
        out.append(
            f"- Start-up alone: a bare `python -c pass` {c1.python_s:.3f} s; importing "
            f"`achilles.cli` and registering every command {c1.imports_s:.3f} s (cold "
            "processes, median)."
        )
    if b.cli_stages:
        out.append(
            "- Stages of a cold `recommend` on the contract example (timed inside the process, "
            "median): " + "; ".join(_cold_stages(b.cli_stages)) + "."
        )
    out.append("")
    return out


def _cold_stages(stages: ColdStages) -> list[str]:
    return [
        f"{label} {getattr(stages, key) * 1000:.0f} ms" for key, label in COLD_STAGE_LABELS.items()
    ]


def _batch(res: Results) -> list[str]:
    corpus = res.corpora[0]
    out = [
        "### Batch",
        "",
        f"Corpus: {corpus.groups:,} typical synthetic groups written in {corpus.seconds:.1f} s "
        f"({res.workers} processes). Every batch is a cold `achilles batch ... --format json --out FILE` "
        "process; the wall time includes start-up, the knowledge load in the parent and in each "
        "worker, and writing the report. Peak memory is the parent's peak RSS plus each worker's peak "
        "RSS (VmHWM, reported by the workers): an upper bound, as pages shared with the fork server are "
        "counted in each. CPU is the user and system time of the parent and every worker.",
        "",
        "| rulebook | run | groups | wall | cases/s | workers | peak memory | CPU, all processes |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for b in res.books.values():
        for r, label in (
            (b.batch, "default"),
            (b.batch_no_near, "--no-near-misses"),
            (b.batch_serial, "--serial"),
        ):
            if r:
                runs = (
                    (" (median of " + ", ".join(f"{x:.2f}" for x in r.runs) + ")")
                    if len(r.runs) > 1
                    else ""
                )
                out.append(
                    f"| {b.name} | {label} | {r.groups:,} | {r.wall_s:.2f} s{runs} | {r.cases_per_s:.0f} | "
                    f"{r.workers} | {r.peak_mb} MB | {r.cpu_s:.1f} s |"
                )
        for r in b.growth:
            out.append(
                f"| {b.name} | growth | {r.groups:,} | {r.wall_s:.2f} s | {r.cases_per_s:.0f} | "
                f"{r.workers} | {r.peak_mb} MB | {r.cpu_s:.1f} s |"
            )
    out.append("")
    for b in res.books.values():
        if b.batch_profile:
            out += _profile_table(
                f"Where a batch spends its time per case, {b.name} rulebook (cProfile of a serial run "
                "over 100 groups; ms per case, inflated by the profiler; highest cumulative first):",
                b.batch_profile,
            )
    return out
