"""The rules engine's limits, measured: where the durable_rules C core crashes, hangs or drops a
rule, what our model of it (achilles/rulebook/limits.py) says of each probe, and what the
shipped rules cost on the largest real cases (the evaluation budget, achilles/matches.py).

    .venv/bin/python benchmarks/limits.py               # every probe; writes benchmarks/LIMITS.md
    .venv/bin/python benchmarks/limits.py --no-write    # print only
    .venv/bin/python benchmarks/limits.py --probe fan 65 1   # one probe, in this process
    .venv/bin/python benchmarks/limits.py --only budgets    # the case budgets only, printed

Each probe runs in a fresh process (a crash corrupts the heap of the process it happens in),
with a 20 s timeout and a 4 GB address-space cap. Every case here is synthetic.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: the repo root holds the achilles package
    sys.path.insert(0, str(ROOT))

from benchmarks.case_budgets import CaseCost, FileRun, budget_runs, shipped_costs  # noqa: E402
from benchmarks.engine_probes import (  # noqa: E402
    MEMORY,
    PROBES,
    SHAPES,
    TIMEOUT_S,
    ProbeOutcome,
    probe,
    run_probe,
)

OUT = ROOT / "benchmarks" / "LIMITS.md"
COMMAND = ".venv/bin/python benchmarks/limits.py"

# --- the report -----------------------------------------------------------------------------------


def report(
    outcomes: list[ProbeOutcome], costs: list[CaseCost], files: list[FileRun], large: int, seed: int
) -> str:
    from achilles.loading.budget import MAX_ENTRIES, MAX_LINKS
    from achilles.loading.yaml_reader import MAX_ALIAS_CHARS, MAX_FILE_BYTES, MAX_VALUES
    from achilles.matches import MATCH_BUDGET, SECONDS_BUDGET
    from achilles.rulebook import limits

    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# The rules engine's limits, measured",
        "",
        f"Written by `{COMMAND}` on {now} ({platform.platform()}, CPython "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, durable_rules 2.0.28). Each probe "
        f"builds its rules straight into the C core, past every check of ours, in a fresh "
        f"process with a {TIMEOUT_S} s timeout and a {MEMORY >> 30} GB address-space cap. "
        "`model` is what achilles/rulebook/limits.py says of the same rules; `refused` is what "
        "Achilles does with them (a check code at load, or packing into several rulesets).",
        "",
        "| probe | n | people | C core | time (s) | matches | model: stack / children / "
        "betas | refused |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for o in outcomes:
        got = "" if o.matches is None else f"{o.matches:,}"
        if o.expected is not None and o.matches is not None and o.matches != o.expected:
            got += f" (**{o.expected:,} expected**)"
        m = o.model
        lines.append(
            f"| {o.shape} | {o.n} | {o.people} | {o.result} | {o.seconds} | {got} | "
            f"{m['stack']} / {m['children']} / {m['betas']} | {', '.join(o.refused) or '-'} |"
        )
    lines += ["", "What each probe is:", ""]
    lines += [f"- **{name}**: {what}." for name, (what, _) in SHAPES.items()]
    lines += [
        "",
        "## The limits chosen (achilles/rulebook/limits.py)",
        "",
        "| what | the C core | we allow | code |",
        "| --- | --- | --- | --- |",
        f"| nodes one fact can put on the alpha stack, per ruleset | {limits.CORE_STACK} | "
        f"{limits.MAX_STACK} | AR022 (one rule), packing |",
        f"| children of one alpha node | {limits.CORE_CHILDREN} | {limits.MAX_CHILDREN} | "
        "AR022, packing |",
        f"| 'one of' forward nodes in one node's list | {limits.CORE_NEXT_LIST} | "
        f"{limits.MAX_NEXT_LIST} | AR022, packing |",
        f"| patterns ending on one alpha node | {limits.CORE_BETA_LIST} (257 refused with "
        f"error 108, or one rule silently lost) | {limits.MAX_BETAS} | AR022, packing |",
        f"| aliases in one rule | 64 joined ones crash | {limits.MAX_ALIASES} | AR021 |",
        f"| `unless` aliases in one rule | 64 joined ones crash | {limits.MAX_NEGATED} | AR023 |",
        f"| aliases joined to nothing (the group aside) | 4 on 30 people: minutes | "
        f"{limits.MAX_UNJOINED} | AR024 |",
        "",
        "## The evaluation budget (achilles/matches.py)",
        "",
        f"A case may cost the rules {MATCH_BUDGET:,} combinations (partial and whole matches, "
        f"over the engine, the presumptions and the near-miss search) and {SECONDS_BUDGET:g} s; "
        "past either it is refused with exit status 2. The shipped rules on the examples, the "
        f"scenarios and {large} `achilles synth --size large` groups (seed {seed}):",
        "",
        "| | cases | largest facts | largest engine matches | largest budget spent | "
        "slowest analysis (s) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    groups = {
        "examples and scenarios": [c for c in costs if not c.name.startswith("synth")],
        "synth large": [c for c in costs if c.name.startswith("synth")],
    }
    for label, rows in groups.items():
        if not rows:
            continue
        lines.append(
            f"| {label} | {len(rows)} | {max(c.facts for c in rows):,} | "
            f"{max(c.matches for c in rows):,} | {max(c.spent for c in rows):,} | "
            f"{max(c.seconds for c in rows)} |"
        )
    worst = max(costs, key=lambda c: c.spent)
    lines += [
        "",
        f"The most any case spent is {worst.spent:,} ({worst.name}): the budget is "
        f"{MATCH_BUDGET / worst.spent:.1f} times that. Median spent: "
        f"{statistics.median(c.spent for c in costs):,.0f}.",
        "",
        "## Case budgets (achilles/loading/yaml_reader.py, achilles/loading/budget.py)",
        "",
        f"A file holds at most {MAX_FILE_BYTES:,} bytes and {MAX_VALUES:,} values (counting what "
        f"aliases repeat); aliases repeat at most {MAX_ALIAS_CHARS:,} characters; a case holds "
        "at most "
        + ", ".join(f"{n:,} {s}" for s, n in MAX_ENTRIES.items())
        + f" and {MAX_LINKS:,} links between them. `achilles recommend FILE --format json`, "
        "a cold process each:",
        "",
        "| file | what | bytes | exit | wall (s) | output bytes | first line on stderr |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *(
            f"| {f.name} | {f.what} | {f.size:,} | {f.status} | {f.seconds} | {f.out_bytes:,} | "
            f"{f.said.replace('|', '/')} |"
            for f in files
        ),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--probe", nargs=3, metavar=("SHAPE", "N", "PEOPLE"))
    parser.add_argument("--no-write", action="store_true", help="print, do not write LIMITS.md")
    parser.add_argument("--large", type=int, default=200, help="synthetic large groups")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", choices=["budgets"], help="print one part only")
    args = parser.parse_args(argv)
    if args.only == "budgets":
        for f in budget_runs():
            print(f)
        return 0
    if args.probe:
        shape, n, people = args.probe
        print(json.dumps(probe(shape, int(n), int(people))))
        return 0
    outcomes = []
    for shape, n, people in PROBES:
        o = run_probe(shape, n, people)
        print(f"{shape} n={n} people={people}: {o.result} in {o.seconds} s", flush=True)
        outcomes.append(o)
    costs = shipped_costs(args.large, args.seed)
    files = budget_runs()
    text = report(outcomes, costs, files, args.large, args.seed)
    if args.no_write:
        print(text)
    else:
        OUT.write_text(text, encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
