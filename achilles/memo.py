"""Values worked out once from long-lived objects (a rulebook, a catalogue, a compiled rule).

Such objects are not hashed by content (that would cost more than the work saved), so entries
are keyed by their ids; each entry holds the objects themselves, so an id is never taken for a
later object's, and a bounded size keeps long sessions that reload the rules from growing.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class IdentityMemo(Generic[T]):
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._entries: dict[tuple, tuple[tuple[Any, ...], T]] = {}

    def get(self, objects: tuple[Any, ...], build: Callable[[], T], *extra: Hashable) -> T:
        """The value for these objects (and plain hashable `extra` parts), built on first ask."""
        key = (*map(id, objects), *extra)
        hit = self._entries.get(key)
        if hit is None or any(a is not b for a, b in zip(hit[0], objects, strict=True)):
            if len(self._entries) >= self.limit:
                self._entries.clear()
            hit = self._entries[key] = (objects, build())
        return hit[1]
