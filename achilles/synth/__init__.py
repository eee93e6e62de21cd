"""A synthetic corpus of case files: one file per organised crime group, for tests and benchmarks.

The shapes follow what LROs record (docs/CASE-FORMAT.md): a few principals, members, runners
(some of them children), vulnerable people including cuckooed tenants, premises of plausible uses
and tenures with their occupants, businesses with their people and flags, vehicles with flags,
and activities that link them, at every evidential status. Sizes run from 10 to 1,000 facts
(`sizing`).

Nothing here is real. People are "Nominal 00042-3", companies have "SYN" numbers and vehicles
"SYN" registrations. The output is a function of the seed alone: the same seed gives the same
bytes. Terms come from the vocabulary, and every file passes `load_case`.

The modules, in the order a group is made: `terms` (the domain's shapes as term preferences),
`sizing` (how many facts a group aims at, and counting them), `builder` (the entity
factories), `group` (one group, phase by phase), `corpus` (many groups, and their files).
"""

from __future__ import annotations

from achilles.synth.corpus import generate, group_text, write_corpus
from achilles.synth.group import make_group
from achilles.synth.sizing import (
    MAX_FACTS,
    MAX_GROUPS,
    MIN_FACTS,
    SIZES,
    Size,
    count_facts,
    sized_target,
)

__all__ = [
    "MAX_FACTS",
    "MAX_GROUPS",
    "MIN_FACTS",
    "SIZES",
    "Size",
    "count_facts",
    "generate",
    "group_text",
    "make_group",
    "sized_target",
    "write_corpus",
]
