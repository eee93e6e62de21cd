"""How big a synthetic group is: its size class, the facts it aims at, and how to count them.

Sizes run from 10 to 1,000 facts: about 40 for a typical group (about 6.7 people, the national
ratio of 39,000 people to 5,800 groups), about 1,000 for a large one.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any, Literal

from achilles.errors import AchillesError

Size = Literal["typical", "large", "mixed"]
SIZES: tuple[str, ...] = ("typical", "large", "mixed")
MIN_FACTS, MAX_FACTS = 10, 1_000
MAX_GROUPS = 1_000_000


def check_size(size: str) -> None:
    """Refuse a size class that is not one of SIZES, in the words of the `--size` option."""
    if size not in SIZES:
        raise AchillesError(
            f"--size '{size}' is not one of {', '.join(SIZES)}", hint="use typical, large or mixed"
        )


def sized_target(rng: random.Random, size: str) -> int:
    """How many facts a group of this size class aims at."""
    if size == "typical":
        return max(15, min(80, round(rng.gauss(40, 9))))
    if size == "large":
        return rng.randint(900, MAX_FACTS)
    roll = rng.random()  # mixed: mostly typical, some small, a few big
    if roll < 0.15:
        return rng.randint(MIN_FACTS, 20)
    if roll < 0.90:
        return max(15, min(80, round(rng.gauss(40, 9))))
    if roll < 0.98:
        return rng.randint(80, 300)
    return rng.randint(600, MAX_FACTS)


def activity_facts(activity: Mapping[str, Any]) -> int:
    """The facts one activity makes: itself, and one link per place, actor and means."""
    return (
        1
        + len(activity.get("at", []))
        + len(activity.get("by", []))
        + len(activity.get("using", []))
    )


def count_facts(data: dict[str, Any]) -> int:
    """How many facts `achilles.facts.case_facts` makes of this case data (without building it)."""
    n = 1 + len(data.get("people", []))
    for p in data.get("premises", []):
        n += 1 + len(p.get("occupants", []))
    for b in data.get("businesses", []):
        n += 1 + len(b.get("people", []))
    for v in data.get("vehicles", []):
        keeper = v.get("keeper")
        n += 1 + (1 if keeper else 0) + sum(1 for u in v.get("users", []) if u != keeper)
    for a in data.get("activities", []):
        n += activity_facts(a)
    return n
