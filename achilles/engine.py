"""The durable_rules engine, wrapped. The only module that imports durable_rules.

durable_rules is correct only inside a narrow usage pattern (shared/research/durable-rules-notes.md);
this module is that pattern:
- one Host per process and rulebook, its background timer threads switched off (they steal
  actions and give wrong results);
- rules split across several rulesets, so no alpha node nears the C core's limits;
- one fresh session per evaluation, a sentinel fact first so the session always exists, facts
  used by negated patterns asserted before the others, every session deleted afterwards;
- the low-level batch assert, so one unhandled fact does not abort the batch;
- lists padded so "none of" tests see no empty list; ids are our own `f<n>`, joins use `key`;
- matches with negated patterns re-checked in Python (durable negation depends on fact order);
- errors raised in actions are surfaced, and engine failures never quote fact values.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import itertools
import json
import logging
from typing import Any

import durable_rules_engine
from durable import engine as durable_engine

from achilles.errors import EngineError
from achilles.facts import Fact, FactSet
from achilles.matches import JoinIndex, Match, blocked, canonical
from achilles.rulebook.compile import ALIAS_PREFIX, LIST_PAD, CompiledRule, durable_ruleset

# durable's own logger prints tracebacks with fact values when an action fails: keep it quiet.
logging.getLogger("durable").setLevel(logging.CRITICAL)
logging.getLogger("durable.engine").setLevel(logging.CRITICAL)

RULES_PER_RULESET = 24
_hosts: dict[str, Engine] = {}


class _Host(durable_engine.Host):
    """A Host whose background dispatch threads never start."""

    def __init__(self, sink: Engine) -> None:
        self._sink = sink
        super().__init__()

    def get_action(self, action_name: str):  # called once per rule at registration
        sink = self._sink

        def action(c: Any) -> None:
            sink._record(action_name, c)

        return action

    def _run(self) -> None:  # the default starts self-re-arming timers that race with us
        return None


class Engine:
    """Evaluates cases against one compiled rulebook. Build once per process; reuse."""

    def __init__(self, compiled: list[CompiledRule]) -> None:
        self.rules = {r.name: r for r in compiled}
        digest = hashlib.sha256(
            json.dumps([durable_ruleset([r]) for r in compiled], sort_keys=True).encode()
        ).hexdigest()[:10]
        self._chunks: list[tuple[str, list[CompiledRule], set[str]]] = []
        definitions: dict[str, Any] = {}
        for n in range(0, len(compiled), RULES_PER_RULESET):
            chunk = compiled[n : n + RULES_PER_RULESET]
            name = f"achilles_{digest}_{n // RULES_PER_RULESET}"
            types = {p.fact for r in chunk for p in r.patterns} | {"__sentinel__"}
            self._chunks.append((name, chunk, types))
            definitions[name] = durable_ruleset(chunk)
        self._negated_types = {p.fact for r in compiled for p in r.negated}
        self._host = _Host(self)
        try:
            # durable deletes keys from what it is given: hand it a copy
            self._host.set_rulesets(copy.deepcopy(definitions))
        except durable_rules_engine.error as exc:
            raise EngineError(f"the rules engine refused the compiled rulebook: {exc}") from None
        self._sessions = itertools.count(1)
        self._found: list[tuple[str, dict[str, Fact]]] = []
        self._failure: str | None = None

    def _record(self, rule_name: str, c: Any) -> None:
        # Only record: durable swallows exceptions raised here, so do nothing that can fail.
        if rule_name == "sentinel":
            return
        try:
            for item in c.m:
                bound = {k[len(ALIAS_PREFIX) :]: v for k, v in item._d.items()}
                self._found.append((rule_name, bound))
        except Exception as exc:  # pragma: no cover - surfaced after the run
            self._failure = type(exc).__name__

    def evaluate(self, facts: FactSet) -> list[Match]:
        sid = f"s{next(self._sessions)}"
        by_fid = {f["fid"]: f for f in facts.facts}
        ordered = sorted(facts.facts, key=lambda f: f["type"] not in self._negated_types)
        self._found, self._failure = [], None
        for name, _chunk, types in self._chunks:
            payload = [{"id": "f_sentinel", "sid": sid, "type": "__sentinel__"}]
            payload += [_engine_fact(f, sid) for f in ordered if f["type"] in types]
            self._run(name, sid, payload)
        if self._failure:
            raise EngineError(f"a rule action failed ({self._failure})")
        index = JoinIndex(facts)
        out: list[Match] = []
        for rule_name, bound in self._found:
            real = {alias: by_fid[fact["fid"]] for alias, fact in bound.items()}
            rule = self.rules[rule_name]
            used = {f["fid"] for f in real.values()}
            if rule.negated and blocked(rule.negated, real, used, facts, index):
                continue  # a blocking fact arrived after the match: durable cannot see that
            out.append(Match(rule_name, tuple(sorted((a, f["fid"]) for a, f in real.items()))))
        return canonical(out)

    def _run(self, ruleset_name: str, sid: str, payload: list[Fact]) -> None:
        ruleset = self._host.get_ruleset(ruleset_name)
        errors: list[Any] = []
        try:
            code, offset = durable_rules_engine.assert_facts(
                ruleset._handle, json.dumps(payload, ensure_ascii=False)
            )
            if code == 2:
                raise EngineError("the engine saw a fact twice (duplicate fact id)")
            ruleset.do_actions(offset, lambda e, _state: errors.append(e) if e else None)
            state = ruleset.get_state(sid)
            if errors or "exception" in state:
                raise EngineError("a rule action failed inside the engine")
        except durable_rules_engine.error as exc:
            raise EngineError(f"the rules engine failed ({_code(exc)})") from None
        finally:
            with contextlib.suppress(durable_rules_engine.error):
                ruleset.delete_state(sid)


def _engine_fact(fact: Fact, sid: str) -> Fact:
    out = {k: ([LIST_PAD, *v] if isinstance(v, list) else v) for k, v in fact.items()}
    out["id"] = fact["fid"]
    out["sid"] = sid
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
