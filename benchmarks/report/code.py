"""The code RESULTS.md names, with each name and file read from the code itself.

The findings say where the time goes in terms of functions and modules. Written as text, a
rename or a move would leave RESULTS.md pointing at code that is no longer there, silently. Read
from the objects, a move changes the text with it, and a rename or a deletion fails at import,
here, in the smoke test (tests/test_benchmarks_smoke.py calls `code()`).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from functools import cache
from types import ModuleType


@dataclass(frozen=True)
class Ref:
    """A function, class or module attribute: its name and the file a reader opens."""

    name: str
    path: str

    @property
    def named(self) -> str:
        return f"`{self.name}`"


def _module_path(module: ModuleType) -> str:
    tail = "/__init__.py" if (module.__file__ or "").endswith("__init__.py") else ".py"
    return module.__name__.replace(".", "/") + tail


def ref(obj: object) -> Ref:
    """A function or class (methods too: `PatternIndex.prime`)."""
    module = inspect.getmodule(inspect.unwrap(obj))  # type: ignore[arg-type]
    if module is None:
        raise LookupError(f"no module for {obj!r}")
    return Ref(obj.__qualname__, _module_path(module))  # type: ignore[attr-defined]


def module_ref(module: ModuleType, attr: str | None = None) -> Ref:
    """A module, or a module-level name in it (a constant): fails when the name is gone."""
    if attr is not None and not hasattr(module, attr):
        raise LookupError(f"{module.__name__} has no {attr}")
    return Ref(attr or module.__name__, _module_path(module))


@dataclass(frozen=True)
class Code:
    """Every piece of code the report names."""

    find_near_misses: Ref
    prime: Ref
    pack: Ref
    recommend_data: Ref
    because: Ref
    matched_facts: Ref
    condition_words: Ref
    knowledge_cache: Ref
    max_stack: Ref
    case_reader: Ref
    portfolio: Ref
    evaluate: Ref
    engine_for: Ref
    engine_evaluate: Ref


@cache
def code() -> Code:
    import achilles.engine
    import achilles.explain
    import achilles.loading.yaml_reader
    import achilles.portfolio
    import achilles.rulebook.cache
    import achilles.rulebook.limits
    from achilles.engine import Engine, engine_for, evaluate, pack
    from achilles.explain import because, matched_facts
    from achilles.matches import PatternIndex
    from achilles.near_misses import find_near_misses
    from achilles.render.json_export import recommend_data

    return Code(
        find_near_misses=ref(find_near_misses),
        prime=ref(PatternIndex.prime),
        pack=ref(pack),
        recommend_data=ref(recommend_data),
        because=ref(because),
        matched_facts=ref(matched_facts),
        condition_words=ref(achilles.explain._condition_words),
        knowledge_cache=module_ref(achilles.rulebook.cache),
        max_stack=module_ref(achilles.rulebook.limits, "MAX_STACK"),
        case_reader=module_ref(achilles.loading.yaml_reader, "_constructor"),
        portfolio=module_ref(achilles.portfolio),
        evaluate=ref(evaluate),
        engine_for=ref(engine_for),
        engine_evaluate=ref(Engine.evaluate),
    )
