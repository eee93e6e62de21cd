"""Where the time and memory go, worked out from a run's own figures, in numbered findings."""

from __future__ import annotations

import re

from benchmarks.report.code import code
from benchmarks.report.style import TARGETS, ms
from benchmarks.report.summary import repeated_run
from benchmarks.results import ColdStages, Results, StageTimes


def near_share(cpu: StageTimes) -> str:
    """The near-miss share: analysis with near misses less analysis without (medians)."""
    diff = cpu.analyse - cpu.analyse_no_near
    return ms(diff) if diff > 0 else "too little to tell from the noise"


def findings(res: Results) -> list[str]:
    """Where the time and memory go, worked out from this run's own figures."""
    c0 = code()
    name = "projected" if "projected" in res.books else "shipped"
    book = res.books[name]
    t, lg = book.inprocess("typical"), book.inprocess("large")
    out = [
        "## Where the time and memory go, and what is left",
        "",
        f"Figures for the {name} rulebook ({book.rules} rules) unless said otherwise, in CPU time; the "
        "profiles and the stage tables are under Details.",
        "",
    ]
    if t:
        c, lc = t.cpu, (lg.cpu if lg else None)
        out.append(
            f"1. **Near misses** ({c0.find_near_misses.named}, {c0.find_near_misses.path}) cost "
            f"{near_share(c)} of the typical case's {ms(c.total)} "
            f"({t.near_misses} near misses)"
            + (f" and {near_share(lc)} of the large case's {ms(lc.total)}" if lc else "")
            + ". The search no longer runs the reference evaluator over every relaxation of every rule: "
            f"each distinct test is run once per fact and kept as a bit mask ({c0.prime.named}, "
            f"{c0.prime.path}; equal tests are one object since compile), a rule with two conditions that "
            "no fact meets is skipped, a relaxed condition is narrowed to the facts that fail only the test "
            "taken away, and each near miss is worded once. tests/test_near_misses.py checks the result "
            "against the plain definition. What is left is Python's cost of visiting every rule in force "
            "for every case."
        )
        ratio = c.engine / c.reference
        text = (
            f"2. **The engine against the reference evaluator.** Matching the typical case costs "
            f"{ms(c.engine)} in durable_rules against {ms(c.reference)} in the reference evaluator "
            f"({ratio:.2f}x)"
        )
        if lc:
            text += (
                f"; the large case {ms(lc.engine)} against {ms(lc.reference)} "
                f"({lc.engine / lc.reference:.2f}x)"
            )
        text += (
            ". What made the engine faster: each fact is encoded to JSON once per case, with only "
            "the fields some rule tests or joins on (so durable_rules also hands back less JSON per "
            "match); rules are packed into a few large rulesets by a static check of the C core's "
            f"limits ({c0.pack.named} in {c0.pack.path}), so a case opens a few sessions instead of ten; and "
            "alternatives are compiled to `$or`, never to `$mt` regexes (see Memory); and the engine "
            "drives the C core's action loop itself, so a match costs a JSON decoding and a dict, not "
            "durable_rules' Closure and wrapper objects and a state write-back. What is left is the C "
            "assert and decoding the matches the C core hands back as JSON (see the engine profiles "
            "under Details)."
        )
        out.append(text)
    if lg:
        lc = lg.cpu
        out.append(
            f"3. **The large case** ({lg.facts} facts, {lg.options} options, {lg.matches} matches) "
            f"splits into the engine ({ms(lc.engine)}), near misses "
            f"({near_share(lc)}), the explanations ({c0.recommend_data.named}: "
            f"{ms(lc.explain)}: {c0.because.named} and {c0.matched_facts.named} for every firing of "
            f"every option) and loading the file ({ms(lc.load)}). The explanations word each rule's "
            f"conditions once ({c0.condition_words.named}) and gather an option's lines in ordered sets."
        )
    if t:
        out.append(
            f"4. **Loading a case** (YAML with line numbers, pydantic, vocabulary and reference checks) costs "
            f"{ms(t.cpu.load)} for a typical case"
            + (f" and {ms(lg.cpu.load)} for a large one" if lg else "")
            + "; the YAML is parsed by libyaml, and walking its nodes for line numbers is most of the rest."
        )
    shipped = res.books["shipped"]
    if shipped.cli_stages:
        out.append(_cold_start(res, shipped.cli_stages))
    bt = book.batch
    if bt and t and t.cpu.batch_path is not None:
        c = t.cpu
        budget = TARGETS["batch_s"] * bt.workers / max(bt.groups, 1) * 1000
        floor = c.load + c.engine
        text = (
            f"6. **Batch.** `achilles batch` does per case what the items above describe, minus the "
            f"explanations: {ms(c.batch_path)} of CPU for the typical case; the synthetic corpus "
            f"averages more ({bt.cpu_s / bt.groups * 1000:.1f} ms of CPU per group over the whole run, "
            f"start-up and the parent included). {bt.groups:,} groups on {bt.workers} workers took "
            f"{bt.wall_s:.1f} s; under {TARGETS['batch_s']:g} s needs at most {budget:.1f} ms per case per "
            f"core. Loading the file and the durable_rules match alone take {ms(floor)} of the typical "
            "case"
        )
        if book.batch_no_near:
            text += f"; without near misses the batch took {book.batch_no_near.wall_s:.1f} s"
        text += (
            ". So the target is out of reach on two cores while every case is parsed from YAML and "
            "matched in its own durable_rules session: it would take several cases per session (every "
            "pattern joined on a case key, which the C core's join limits make risky) or a compiled "
            "matcher instead of durable_rules, against the architecture this project chose. The batch "
            "uses every core it is given, and its cost grows linearly (see the summary)."
        )
        out.append(text)
    if book.engine_memory and bt:
        out.append(_memory(res))
    series = book.growth
    repeated = repeated_run(series)
    if len(series) >= 2 and repeated:
        runs = repeated.runs
        out.append(
            "8. **Growth.** CPU per group at "
            + ", ".join(f"{x.groups:,} groups: {x.cpu_s / x.groups * 1000:.1f} ms" for x in series)
            + f". The same {repeated.groups:,}-group batch, run {len(runs)} times in this run, took "
            f"{min(runs):.1f} to {max(runs):.1f} s ({max(runs) / min(runs) - 1:.0%} apart): differences of "
            "that size between corpus sizes are this machine's speed drifting, not the code. Nothing in a "
            "worker grows with the number of cases (it keeps the knowledge and the engine; each case's "
            "objects go when it is done); the parent keeps each case's summary for the report (see Memory)."
        )
    if res.parser_nodes_kept:
        out.append(
            f"8. **A leak in the YAML reader.** {c0.case_reader.path} builds scalars with one "
            f"module-level `SafeConstructor`, whose `constructed_objects` cache keeps every node it has seen "
            f"({res.parser_nodes_kept:,} after loading the contract example once). `{c0.portfolio.name}` "
            "clears that cache after each case; the TUI and the workspace load cases in long-lived processes too."
        )
    out.append("")
    n = 0
    for i, line in enumerate(out):  # number the findings in the order they are shown
        if re.match(r"^\d+\. \*\*", line):
            n += 1
            out[i] = re.sub(r"^\d+\.", f"{n}.", line)
    return out


def _cold_start(res: Results, stages: ColdStages) -> str:
    c0 = code()
    tui = res.books["shipped"].tui
    v = [
        x * 1000
        for x in (
            stages.import_cli,
            stages.import_models,
            stages.load_knowledge,
            stages.build_engine,
            stages.case,
            stages.create_ruleset,
        )
    ]
    return (
        f"5. **Cold start.** A cold `achilles recommend` (shipped rules) spends {v[0]:.0f} ms importing the CLI, "
        f"{v[1]:.0f} ms importing the catalogue and rule models (pydantic builds every model's validators "
        f"when its class is defined), {v[2]:.0f} ms loading the vocabulary, catalogue and "
        f"{res.books['shipped'].rules} rules"
        + (f" (from the private cache, {c0.knowledge_cache.path})" if res.knowledge_cache else "")
        + f", {v[3]:.0f} ms building the engine ({stages.rulesets:.0f} rulesets; {v[5]:.0f} ms of it in "
        f"durable_rules' C `create_ruleset`), and {v[4]:.0f} ms on the case itself ({sum(v[:5]):.0f} ms in "
        "all, plus the interpreter and the output). The imports are now the largest part: pydantic and "
        "typer with rich. Pydantic's `defer_build` was tried by hand: it moves most of the model cost to "
        "first use, which a `recommend` reaches anyway (about 20 ms saved in all)."
        + (
            f" The TUI pays the same before its first paint ({tui.cold_s:.2f} s to the options table, "
            f"{tui.in_app_s:.2f} s of it after the imports)."
            if tui
            else ""
        )
    )


def _memory(res: Results) -> str:
    c0 = code()
    name = "projected" if "projected" in res.books else "shipped"
    book = res.books[name]
    mem, bt = book.engine_memory, book.batch
    assert mem and bt
    text = (
        f"7. **Memory.** Building the engine adds {mem.mb:.0f} MB to a process ({mem.rulesets} "
        f"durable_rules rulesets of up to {mem.rules_per_ruleset} rules, for {book.rules} rules). It was "
        '155 MB: every `$mt` regex, which the compiler used for "one of" tests, costs the C core a '
        "fixed automaton of megabytes. A batch's peak is the parent plus each worker's knowledge, engine "
        f"and current case: {bt.peak_mb} MB with {bt.workers} workers"
    )
    series = book.growth
    if len(series) >= 2 and series[-1].groups > series[0].groups:
        per = (
            (series[-1].peak_mb - series[0].peak_mb) / (series[-1].groups - series[0].groups) * 1000
        )
        text += (
            f", growing slowly with the number of cases: {per:.1f} KB per group from "
            f"{series[0].groups:,} to {series[-1].groups:,} groups ({series[0].peak_mb} -> "
            f"{series[-1].peak_mb} MB), the parent's summary of each case and the report"
        )
    text += "."
    if book.packing:
        parts = []
        for trial in book.packing:
            label = "no limit (one ruleset)" if trial.stack >= 10_000 else f"stack {trial.stack}"
            if trial.error is not None:
                parts.append(f"{label}: fails ({trial.error[:120]})")
            else:
                parts.append(
                    f"{label}: {trial.rulesets} ruleset(s) of up to {trial.largest} rules, "
                    f"{trial.mb:.0f} MB, {c0.engine_evaluate.named} "
                    f"{' / '.join(ms(x) for x in trial.ms)} (typical / large), "
                    f"{'same matches as the reference' if trial.same else '**different matches**'}"
                )
        text += (
            " How the packing budget was chosen, measured in fresh processes with "
            f"{c0.max_stack.named} patched ({c0.max_stack.path}): "
            + "; ".join(parts)
            + ". The C core corrupts its heap once one fact can fill the 64-node stack it walks "
            "its alpha network with (137 of these rules in one ruleset); the engine packs to a "
            "stack of 48 (benchmarks/LIMITS.md)."
        )
    return text
