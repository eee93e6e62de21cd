"""The durable_rules engine, wrapped. The only module that imports durable_rules.

durable_rules is correct only inside a narrow usage pattern (docs/ARCHITECTURE.md, "The engine");
this module is that pattern:
- one Host per process and rulebook, its background timer threads switched off (they steal
  actions and give wrong results);
- rules split across several rulesets, so no alpha node nears the C core's limits;
- one fresh session per evaluation, a sentinel fact first so the session always exists, facts
  used by negated patterns asserted before the others, every session deleted afterwards;
- the low-level batch assert, so one unhandled fact does not abort the batch;
- lists padded so "none of" tests see no empty list; ids are our own `f<n>`, joins use `key`;
- matches with negated patterns re-checked in Python (durable negation depends on fact order);
- the C core's action loop driven here, so no Python action runs inside durable (which would
  swallow its errors), and engine failures never quote fact values;
- rules packed into rulesets by a static check of the core's limits, facts sent with only the
  fields rules look at, and alternatives as "$or" (a "$mt" regex costs megabytes each).
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import logging
from typing import Any

import durable_rules_engine
from durable import engine as durable_engine

from achilles.errors import EngineError
from achilles.facts import FactSet
from achilles.matches import JoinIndex, Match, blocked, canonical
from achilles.rulebook.compile import (
    ALIAS_PREFIX,
    LIST_PAD,
    CompiledRule,
    durable_rule,
    durable_ruleset,
)

# durable's own logger prints tracebacks with fact values when an action fails: keep it quiet.
logging.getLogger("durable").setLevel(logging.CRITICAL)
logging.getLogger("durable.engine").setLevel(logging.CRITICAL)

# How many rules share one ruleset. Fewer rulesets mean fewer sessions per case, but the C core
# corrupts its heap when one ruleset grows too big (at about 410 alpha nodes with the shipped
# rules, benchmarks/RESULTS.md), so rules are packed to half of that, and to well under the 64
# tests under one node that a single fact may satisfy at once (docs/ARCHITECTURE.md, the traps).
MAX_ALPHA_NODES = 200
MAX_FAN_OUT = 48
_hosts: dict[str, Engine] = {}


class _Host(durable_engine.Host):
    """A Host that only builds rulesets: no background dispatch threads, no Python actions."""

    def get_action(self, action_name: str):  # durable asks once per rule at registration
        def action(_c: Any) -> None:
            # Never called: Engine._run reads the matches from the C core itself.
            raise EngineError(f"durable_rules dispatched '{action_name}' on its own")

        return action

    def _run(self) -> None:  # the default starts self-re-arming timers that race with us
        return None


class Engine:
    """Evaluates cases against one compiled rulebook. Build once per process; reuse."""

    def __init__(self, compiled: list[CompiledRule]) -> None:
        self.rules = {r.name: r for r in compiled}
        entries = {r.name: durable_rule(r) for r in compiled}
        digest = hashlib.sha256(json.dumps(entries, sort_keys=True).encode()).hexdigest()[:10]
        self._chunks: list[tuple[str, list[CompiledRule], set[str]]] = []
        definitions: dict[str, Any] = {}
        for n, chunk in enumerate(pack(compiled, entries)):
            name = f"achilles_{digest}_{n}"
            types = {p.fact for r in chunk for p in r.patterns}
            self._chunks.append((name, chunk, types))
            definitions[name] = durable_ruleset(chunk)  # fresh dicts: durable edits what it gets
        self._negated_types = {p.fact for r in compiled for p in r.negated}
        self._fields = fields_used(compiled)
        self._host = _Host()
        try:
            self._host.set_rulesets(definitions)
        except durable_rules_engine.error as exc:
            raise EngineError(f"the rules engine refused the compiled rulebook: {exc}") from None
        self._sessions = itertools.count(1)
        self._found: list[tuple[str, dict[str, str]]] = []

    def _collect(self, message: str) -> None:
        """One action's matches, as the C core hands them over: {rule: [{alias: fact}, ...]}."""
        for rule_name, matches in json.loads(message).items():
            if rule_name == "sentinel":
                continue
            if isinstance(matches, dict):  # a rule without `cap` gets one match, not a list
                matches = [matches]
            cut = len(ALIAS_PREFIX)
            found = self._found
            for match in matches:
                found.append((rule_name, {k[cut:]: v["id"] for k, v in match.items()}))

    def evaluate(self, facts: FactSet) -> list[Match]:
        sid = f"s{next(self._sessions)}"
        encoded = self._encode(facts, sid)
        sentinel = json.dumps({"id": "f_sentinel", "sid": sid, "type": "__sentinel__"})
        self._found = []
        for name, _chunk, types in self._chunks:
            payload = [sentinel, *(text for kind, text in encoded if kind in types)]
            self._run(name, sid, "[" + ",".join(payload) + "]")
        by_fid = {f["fid"]: f for f in facts.facts}
        index = JoinIndex(facts)
        out: list[Match] = []
        for rule_name, ids in self._found:
            rule = self.rules[rule_name]
            if rule.negated:
                real = {alias: by_fid[fid] for alias, fid in ids.items()}
                if blocked(rule.negated, real, set(ids.values()), index):
                    continue  # a blocking fact arrived after the match: durable cannot see that
            out.append(Match(rule_name, tuple(sorted(ids.items()))))
        return canonical(out)

    def _encode(self, facts: FactSet, sid: str) -> list[tuple[str, str]]:
        """Each fact as JSON once per case, holding only the fields some rule looks at.

        Facts of the types negated patterns use go first (durable negation depends on order)."""
        dumps, fields = json.dumps, self._fields
        ordered = sorted(facts.facts, key=lambda f: f["type"] not in self._negated_types)
        out: list[tuple[str, str]] = []
        for fact in ordered:
            wanted = fields.get(fact["type"])
            if wanted is None:
                continue  # no rule looks at this type
            record: dict[str, Any] = {"id": fact["fid"], "sid": sid, "type": fact["type"]}
            for name in wanted:
                value = fact[name]
                record[name] = [LIST_PAD, *value] if isinstance(value, list) else value
            out.append((fact["type"], dumps(record, ensure_ascii=False)))
        return out

    def _run(self, ruleset_name: str, sid: str, payload: str) -> None:
        ruleset = self._host.get_ruleset(ruleset_name)
        handle = ruleset._handle
        try:
            code, state = durable_rules_engine.assert_facts(handle, payload)
            if code == 2:
                raise EngineError("the engine saw a fact twice (duplicate fact id)")
            # The C core's action loop, without durable's per-action Python objects (a Closure,
            # a Content per match, the state written back): all we need is who matched.
            result = durable_rules_engine.start_action_for_state(handle, state)
            while result:
                self._collect(result[1] if isinstance(result, tuple) else result)
                result = durable_rules_engine.complete_and_start_action(handle, state)
        except durable_rules_engine.error as exc:
            raise EngineError(f"the rules engine failed ({_code(exc)})") from None
        finally:
            with contextlib.suppress(durable_rules_engine.error):
                ruleset.delete_state(sid)


def fields_used(compiled: list[CompiledRule]) -> dict[str, tuple[str, ...]]:
    """Fact type -> the fields some rule tests or joins on: all that the engine is sent."""
    used: dict[str, set[str]] = {}
    for rule in compiled:
        types = {p.alias: p.fact for p in rule.patterns}
        for p in rule.patterns:
            used.setdefault(p.fact, set()).update(t.field for t in p.tests)
            for j in p.joins:
                used[p.fact].add(j.field)
                used.setdefault(types[j.alias], set()).add(j.other_field)
    return {kind: tuple(sorted(names)) for kind, names in used.items()}


def pack(
    compiled: list[CompiledRule], entries: dict[str, dict[str, Any]] | None = None
) -> list[list[CompiledRule]]:
    """Rules in order, cut into rulesets that stay inside the C core's safe limits.

    The core shares alpha nodes between patterns with the same leading tests, so the network is
    modelled as a prefix tree of each pattern's terms: its size is the node count, and the
    number of distinct terms under one prefix is the fan-out. A rule too big on its own still
    gets a ruleset of its own."""
    chunks: list[list[CompiledRule]] = []
    nodes: set[tuple[str, ...]] = set()
    fan: dict[tuple[str, ...], set[str]] = {}
    entries = entries or {r.name: durable_rule(r) for r in compiled}
    for rule in compiled:
        paths = _paths(entries[rule.name])
        new = paths - nodes
        widest = max(
            (
                len(fan.get(parent, set()) | {p[-1] for p in new if p[:-1] == parent})
                for parent in {p[:-1] for p in new}
            ),
            default=0,
        )
        if not chunks or (
            chunks[-1] and (len(nodes) + len(new) > MAX_ALPHA_NODES or widest > MAX_FAN_OUT)
        ):
            chunks.append([])
            nodes, fan, new = set(), {}, paths
        chunks[-1].append(rule)
        nodes |= new
        for path in new:
            fan.setdefault(path[:-1], set()).add(path[-1])
    return chunks


def _paths(entry: dict[str, Any]) -> set[tuple[str, ...]]:
    """Every prefix of every pattern's terms: the alpha nodes this rule needs."""
    out: set[tuple[str, ...]] = set()
    for pattern in entry["all"]:
        (terms,) = pattern.values()
        prefix: tuple[str, ...] = ()
        for term in terms["$and"]:
            prefix = (*prefix, repr(term))  # terms are built in one fixed order: repr is stable
            out.add(prefix)
    return out


def _code(exc: Exception) -> str:
    text = str(exc)
    return text[text.rfind("error code") :] if "error code" in text else type(exc).__name__


_by_identity: dict[int, tuple[list[CompiledRule], Engine]] = {}


def engine_for(compiled: list[CompiledRule]) -> Engine:
    """The process's engine for this rulebook (a Host cannot be freed, so build each once).

    Looked up first by the identity of the compiled list (free), then by its content (so two
    loads of the same rules share one engine)."""
    hit = _by_identity.get(id(compiled))
    if hit is not None and hit[0] is compiled:
        return hit[1]
    key = hashlib.sha256(repr([(r.name, r.patterns) for r in compiled]).encode()).hexdigest()
    found = _hosts.get(key)
    if found is None:
        found = _hosts[key] = Engine(compiled)
    _by_identity[id(compiled)] = (compiled, found)  # holds the list, so its id is never reused
    return found


def evaluate(compiled: list[CompiledRule], facts: FactSet) -> list[Match]:
    return engine_for(compiled).evaluate(facts)
