"""What one rule may ask of the rules engine's C core, checked before any rule is used.

durable_rules 2.0.28 keeps its alpha network in fixed-size tables whose overflow it does not
always catch: past a limit it corrupts its heap (SIGSEGV, SIGABRT), loops for ever, or refuses
the ruleset. None of that may reach a user, so every rule and presumption is checked here when
it is loaded (codes AR021 to AR024; `achilles rules check` reports them with file and line), and
the engine packs rules into rulesets with the same model (achilles/engine.py, `pack`).

Measured on this machine (2 cores, durable_rules 2.0.28, CPython 3.11), each probe in a fresh
process, by `.venv/bin/python benchmarks/limits.py` (the table is benchmarks/LIMITS.md):

- The C core walks the alpha network depth first with a stack of 64 nodes (events.c,
  handleAlpha). A node pushes every child one fact may satisfy: each join (always: joins are
  never shared, so 64 copies of a two-alias joined rule make 64 of them), each list test, each
  "one of" forward node, each comparison that holds; equality tests on one field push at most
  one. A fact that fills the stack past 64 corrupts the heap: 65 `age >= i` aliases under one
  parent crash and 64 pass; so it goes for 65 chained joins, 64 joined `unless` aliases and 500
  narrow unjoined aliases (model: 70), while 450 (model: 64) pass. `AlphaNetwork.stack` is that
  model: every probe with a model stack of 65 or more crashed, none at 64 or less. Limit: 48.
- A node's children live in a 512-slot hash table: an `in` test with 512 values, or 600 equality
  tests under one node, loop for ever at the first fact (511 and 400 pass). Limit: 256.
- A rule ending on an alpha node takes a slot of its 256-slot list: 257 copies of one rule in a
  ruleset are refused (error 108), or in one earlier run, one of them silently never fired.
  Limit: 128. A "one of" forward node takes a slot of a 128-slot list. Limit: 64.
- Aliases: 100 unjoined aliases on a narrow network run; 64 joined ones crash (the stack).
  Limit: 32 per rule (the shipped rules use at most 7). `unless`: limit 8 (they use 1).
- Unjoined aliases multiply: each match of one is tried with every fact of the next, at about 20
  microseconds a combination in the C core: 2 unjoined aliases on 1,000 people, 3 on 100 or 4 on
  30 run past 20 s and gigabytes. Limit: 2 aliases per rule that join to nothing before them,
  the group itself (one fact per case) aside; the evaluation budget (achilles/matches.py,
  `Budget`) refuses a case whose joined or unjoined aliases would multiply past it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from achilles.rulebook.codes import CheckCode
from achilles.rulebook.compile import CompiledRule, durable_rule

# The C core's own sizes (durable_rules 2.0.28, src/rules), for reference and for the probes.
CORE_STACK = 64  # events.c MAX_STACK_SIZE
CORE_CHILDREN = 511  # rules.h NEXT_BUCKET_LENGTH 512, one slot always empty
CORE_NEXT_LIST = 128  # rules.h NEXT_LIST_LENGTH
CORE_BETA_LIST = 256  # rules.h BETA_LIST_LENGTH

# What we allow: about half of each, so no ruleset comes near an edge we measured.
MAX_STACK = 48
MAX_CHILDREN = 256
MAX_NEXT_LIST = 64
MAX_BETAS = 128
MAX_ALIASES = 32
MAX_NEGATED = 8
MAX_UNJOINED = 2
SINGLE_FACT_TYPES = frozenset({"ocg"})  # one fact per case: an unjoined alias costs nothing


# --- the alpha network, as the C core builds it ---------------------------------------------------


class AlphaNetwork:
    """The alpha network the C core builds for one ruleset (rete.c, createAlpha and findAlpha).

    A pattern is a chain of tests from the root. Tests with a plain value are shared between
    patterns with the same chain so far; a join, a list test (`$iany`, `$iall`) and the forward
    node of a "one of" are created afresh every time. Every change is logged, so `undo` can take
    back a rule that would push the ruleset over a limit, and the stack each node can reach is
    kept, so adding a rule re-works only the nodes it passed through."""

    def __init__(self) -> None:
        self.shared: list[dict[tuple[str, str, str], int]] = [{}]  # node -> keyed children
        self.unique: list[list[int]] = [[]]  # node -> children never shared (joins, list tests)
        self.forward: list[list[int]] = [[]]  # node -> "one of" forward nodes (its next list)
        self.betas: list[int] = [0]  # node -> patterns that end on it
        # node -> how many children one fact may push on the C core's stack when it reaches
        # the node: equality tests on one field push at most one of them
        self.pushes: list[int] = [0]
        self._equal: list[Counter[str]] = [Counter()]  # node -> equality children per field
        self._log: list[tuple[str, int, Any]] = []
        self._deepest: dict[int, int] = {}  # node -> the stack it can reach (see `stack`)
        self._touched: set[int] = {0}  # nodes passed through since the last `breach`

    @property
    def size(self) -> int:
        return len(self.betas) - 1  # the root is not a test

    def mark(self) -> int:
        return len(self._log)

    def undo(self, mark: int) -> None:
        while len(self._log) > mark:
            kind, node, key = self._log.pop()
            self._deepest.pop(node, None)
            self._touched.discard(node)
            if kind == "new":
                for column in self._columns():
                    column.pop()
            elif kind == "shared":
                del self.shared[node][key]
                field, op, _ = key
                if op != "$eq":
                    self.pushes[node] -= 1
                else:
                    self._equal[node][field] -= 1
                    if not self._equal[node][field]:
                        self.pushes[node] -= 1
            elif kind == "unique":
                self.unique[node].pop()
                self.pushes[node] -= 1
            elif kind == "forward":
                self.forward[node].pop()
                self.pushes[node] -= 1
            elif kind == "beta":
                self.betas[node] -= 1

    def add(self, entry: dict[str, Any]) -> None:
        """One rule's durable_rules entry (compile.durable_rule)."""
        for pattern in entry["all"]:
            ((_, terms),) = pattern.items()
            end = self._term(0, terms)
            self.betas[end] += 1
            self._log.append(("beta", end, None))

    def _columns(self) -> tuple[list[Any], ...]:
        return self.shared, self.unique, self.forward, self.betas, self.pushes, self._equal

    def _new(self) -> int:
        self.shared.append({})
        self.unique.append([])
        self.forward.append([])
        self.betas.append(0)
        self.pushes.append(0)
        self._equal.append(Counter())
        node = len(self.betas) - 1
        self._log.append(("new", node, None))
        self._touched.add(node)
        return node

    def _pass(self, node: int) -> int:
        self._log.append(("pass", node, None))
        self._deepest.pop(node, None)
        self._touched.add(node)
        return node

    def _term(self, parent: int, term: dict[str, Any]) -> int:
        self._pass(parent)
        ((key, value),) = term.items()
        if key == "$and":
            for inner in value:
                parent = self._term(parent, inner)
            return parent
        if key == "$or":
            node = self._new()
            for alternative in value:
                end = self._pass(self._term(parent, alternative))
                self.forward[end].append(node)
                self.pushes[end] += 1
                self._log.append(("forward", end, None))
            return node
        if key in ("$iany", "$iall") or isinstance(value, dict) and not key.startswith("$"):
            node = self._new()  # a list test or a join: never shared
            self.unique[parent].append(node)
            self.pushes[parent] += 1
            self._log.append(("unique", parent, None))
            return node
        if key.startswith("$"):  # a comparison: {"$gte": {field: value}}
            ((field, operand),) = value.items()
            shared = (field, key, repr(operand))
        else:
            shared = (key, "$eq", repr(value))
        found = self.shared[parent].get(shared)
        if found is None:
            found = self._new()
            self.shared[parent][shared] = found
            if shared[1] != "$eq":
                self.pushes[parent] += 1
            else:
                self._equal[parent][shared[0]] += 1
                if self._equal[parent][shared[0]] == 1:
                    self.pushes[parent] += 1
            self._log.append(("shared", parent, shared))
        return self._pass(found)

    def _children(self, node: int) -> list[int]:
        return [*self.shared[node].values(), *self.unique[node], *self.forward[node]]

    def stack(self) -> int:
        """The most nodes one fact can put on the C core's stack (it holds 64).

        Popping a node pushes its children; each is then popped in turn while its siblings wait
        below it. Worked out leaves first, without recursion (a long "has_none" list is a chain
        thousands of nodes deep), and kept for the nodes no later rule passes through."""
        deepest = self._deepest
        todo: list[tuple[int, bool]] = [(0, False)]
        while todo:
            node, expanded = todo.pop()
            if node in deepest:
                continue
            children = self._children(node)  # any equal-test child may be the one pushed
            if not expanded:
                todo.append((node, True))
                todo.extend((c, False) for c in children if c not in deepest)
                continue
            pushed = self.pushes[node]
            deepest[node] = max([pushed, *(pushed - 1 + deepest[c] for c in children)])
        return deepest[0]

    def breach(self) -> str | None:
        """Which of our limits this network goes past, in words, or None. Only the nodes passed
        through since the last call are looked at: the rest were within the limits then."""
        touched, self._touched = self._touched, set()
        checks = (
            (self.stack(), MAX_STACK, "tests one fact can meet at once"),
            (
                max(len(self.shared[n]) + len(self.unique[n]) for n in touched),
                MAX_CHILDREN,
                "tests under one node",
            ),
            (
                max(len(self.forward[n]) for n in touched),
                MAX_NEXT_LIST,
                "'one of' tests sharing one value",
            ),
            (max(self.betas[n] for n in touched), MAX_BETAS, "conditions ending on one test"),
        )
        for value, limit, what in checks:
            if value > limit:
                return f"{value} {what} (at most {limit})"
        return None

    def measures(self) -> dict[str, int]:
        """Every measure over the whole network, for the record (benchmarks/limits.py)."""
        nodes = range(len(self.betas))
        return {
            "alpha nodes": self.size,
            "stack": self.stack(),
            "children": max(len(self.shared[n]) + len(self.unique[n]) for n in nodes),
            "next list": max(len(self.forward[n]) for n in nodes),
            "betas": max(self.betas),
        }


def network_of(rules: Iterable[CompiledRule]) -> AlphaNetwork:
    net = AlphaNetwork()
    for rule in rules:
        net.add(durable_rule(rule))
    return net


# --- the static checks ------------------------------------------------------------------------


@dataclass(frozen=True)
class Breach:
    """One limit a rule goes past, with how to bring it back inside."""

    code: CheckCode
    message: str
    hint: str
    alias: str | None = None  # the alias to point at, when one is to blame


def breaches(variants: list[CompiledRule]) -> list[Breach]:
    """What is wrong with one rule or presumption (all its compiled variants), at most one
    breach per code."""
    found: dict[CheckCode, Breach] = {}
    for rule in variants:
        for b in _breaches(rule):
            found.setdefault(b.code, b)
    return list(found.values())


def _breaches(rule: CompiledRule) -> Iterator[Breach]:
    if len(rule.patterns) > MAX_ALIASES:
        yield Breach(
            CheckCode.AR021,
            f"{len(rule.patterns)} aliases in one rule; the rules engine handles at most "
            f"{MAX_ALIASES} safely",
            "split it into several rules, each with the aliases one power needs",
        )
    if len(rule.negated) > MAX_NEGATED:
        yield Breach(
            CheckCode.AR023,
            f"{len(rule.negated)} 'unless' conditions; at most {MAX_NEGATED}",
            "merge them into fewer conditions (an 'in' list tests several values at once)",
        )
    unjoined = [p.alias for p in unjoined_aliases(rule)]
    if len(unjoined) > MAX_UNJOINED:
        yield Breach(
            CheckCode.AR024,
            f"{len(unjoined)} aliases ({_some(unjoined)}) join to nothing before them, so "
            "every combination of their facts is tried (a cartesian product); at most "
            f"{MAX_UNJOINED}",
            "link each alias to an earlier one with same_as (e.g. person: {same_as: tenant})",
            unjoined[MAX_UNJOINED],
        )
    if len(rule.patterns) <= MAX_ALIASES:  # past that the network says the same again
        over = network_of([rule]).breach()
        if over is not None:
            yield Breach(
                CheckCode.AR022,
                f"its tests fan out too wide for the rules engine: {over}",
                "use fewer aliases with the same fact type, fewer joins under one type, and "
                "shorter 'in' / 'has_any' lists; or split the rule",
            )


def _some(names: list[str], shown: int = 4) -> str:
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {more} more" if more > 0 else "")


def unjoined_aliases(rule: CompiledRule) -> list[Any]:
    """The positive patterns that join to no alias before them, the group itself aside."""
    return [p for p in rule.positive if not p.joins and p.fact not in SINGLE_FACT_TYPES]
