"""What one case file may ask of Achilles: entries per section and links between them.

The YAML reader bounds a file's size, its values and what its aliases repeat; this bounds the
work the case causes once read. Every entry becomes facts, every link between entries a fact
more, and the rules, the presumptions and the near-miss search look at each. A group of a
thousand nominals with their places, firms and vehicles is well inside (the largest synthetic
group has about 1,000 facts); a file past a budget is refused before any of that work starts,
at the first entry past it, with its line. Measured with `.venv/bin/python benchmarks/limits.py`
(benchmarks/LIMITS.md, "Case budgets"): the slowest file inside every budget takes a few seconds.
"""

from __future__ import annotations

from typing import Any

from achilles.loading.problems import Problems

# Entries per section. The largest of 200 `synth --size large` groups has 210 people and 140
# activities; these are ten times that.
MAX_ENTRIES = {
    "people": 2_000,
    "premises": 2_000,
    "businesses": 1_000,
    "vehicles": 1_000,
    "activities": 2_000,
    "events": 2_000,
}
MAX_LINKS = 10_000  # ids named by entries: occupants, at, by, using, affecting, of, users...

# The fields of each section that name other entries (a list, or one id).
_LINK_FIELDS = {
    "premises": ("occupants",),
    "businesses": ("premises", "people"),
    "vehicles": ("keeper", "users"),
    "activities": ("at", "by", "using", "affecting"),
    "events": ("of", "at"),
}
_SPLIT = "split the group into several case files (one per sub-group or area), each within it"


def within_budget(data: dict[str, Any], problems: Problems) -> bool:
    """Add a problem for each budget the case goes past; True when it is within all of them."""
    ok = True
    links = 0
    for section, most in MAX_ENTRIES.items():
        entries = data.get(section)
        if not isinstance(entries, list):
            continue
        if len(entries) > most:
            ok = False
            problems.add(
                (section, most),
                f"more than {most:,} {section} in one case file (the most Achilles reads "
                "in one case, so every command answers in seconds)",
                _SPLIT,
            )
        for i, entry in enumerate(entries[: most + 1]):
            if not isinstance(entry, dict):
                continue
            for field in _LINK_FIELDS.get(section, ()):
                value = entry.get(field)
                links += len(value) if isinstance(value, list) else value is not None
                if links > MAX_LINKS and ok:
                    ok = False
                    problems.add(
                        (section, i, field),
                        f"the entries of this case name each other more than {MAX_LINKS:,} "
                        "times (occupants, at, by, using, affecting, of, users, ...)",
                        _SPLIT,
                    )
    return ok
