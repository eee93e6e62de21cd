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
- rules packed into rulesets by a model of the core's alpha network (rulebook/limits.py), facts
  sent with only the fields rules look at, and alternatives as "$or" (a "$mt" regex costs
  megabytes each);
- what a case will cost the core worked out before it is sent (the core cannot be stopped once
  it starts): past the case's budget (matches.Budget) the case is refused, never run for minutes;
- a council's rules, which no one has vetted against the core, run in a child process of their
  own: a crash or a hang there ends that process and names the layer, never ends ours.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import itertools
import json
import logging
import multiprocessing
import os
import sys
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

import durable_rules_engine
from durable import engine as durable_engine

from achilles.errors import AchillesError, BudgetError, EngineError, RulebookError
from achilles.facts import FactSet
from achilles.loading.problems import Problem
from achilles.matches import (
    SECONDS_BUDGET,
    Budget,
    JoinIndex,
    Match,
    PatternIndex,
    blocked,
    budget_for,
    canonical,
    combinations,
)
from achilles.rulebook.compile import (
    ALIAS_PREFIX,
    LIST_PAD,
    CompiledRule,
    durable_rule,
    durable_ruleset,
)
from achilles.rulebook.limits import AlphaNetwork

SENTINEL: dict[str, Any] = {"all": [{"m": {"type": "__sentinel__"}}]}  # durable_ruleset adds it

# durable's own logger prints tracebacks with fact values when an action fails: keep it quiet.
logging.getLogger("durable").setLevel(logging.CRITICAL)
logging.getLogger("durable.engine").setLevel(logging.CRITICAL)

# Below this many combinations a rule's estimate from the counts of facts alone is taken as it
# is; above it the combinations are counted (the estimate of the shipped rules reaches millions
# on a large case whose rules build a few thousand).
_COUNT_ABOVE = 500
# A council layer's child process may use this much memory (the shipped rules need under 100 MB),
# and this long to start and build its engine, on top of the case's time budget.
CONTAINED_MEMORY = 2 << 30
CONTAINED_START_S = 5.0
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
    """Evaluates cases against one compiled rulebook. Build once per process; reuse.

    The shipped rules run here; each council layer's rules run in a child process of their own
    (`Contained`)."""

    def __init__(self, compiled: list[CompiledRule]) -> None:
        self.rules = {r.name: r for r in compiled}
        inside = [r for r in compiled if r.layer is None]
        layers: dict[str, list[CompiledRule]] = {}
        for r in compiled:
            if r.layer is not None:
                layers.setdefault(r.layer, []).append(r)
        self._contained = [Contained(layer, rules) for layer, rules in layers.items()]
        entries = {r.name: durable_rule(r) for r in inside}
        digest = hashlib.sha256(json.dumps(entries, sort_keys=True).encode()).hexdigest()[:10]
        self._chunks: list[tuple[str, list[CompiledRule], set[str]]] = []
        definitions: dict[str, Any] = {}
        for n, chunk in enumerate(pack(inside, entries)):
            name = f"achilles_{digest}_{n}"
            types = {p.fact for r in chunk for p in r.patterns}
            self._chunks.append((name, chunk, types))
            definitions[name] = durable_ruleset(chunk)  # fresh dicts: durable edits what it gets
        self._negated_types = {p.fact for r in inside for p in r.negated}
        self._fields = fields_used(inside)
        # Per positive pattern: its fact type, and the field of its first join (None: unjoined).
        self._shapes = [
            (r, tuple((p.fact, p.joins[0].field if p.joins else None) for p in r.positive))
            for r in inside
        ]
        self._host = _Host()
        try:
            if definitions:
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
        budget = budget_for(facts)
        self._found = []
        if self._chunks:
            self._preflight(facts, budget)
            sid = f"s{next(self._sessions)}"
            encoded = self._encode(facts, sid)
            sentinel = json.dumps({"id": "f_sentinel", "sid": sid, "type": "__sentinel__"})
            for name, _chunk, types in self._chunks:
                payload = [sentinel, *(text for kind, text in encoded if kind in types)]
                self._run(name, sid, "[" + ",".join(payload) + "]", budget)
                budget.check_time()
            self._charge(budget)
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
        for contained in self._contained:
            out += contained.evaluate(facts, budget)
        return canonical(out)

    def _preflight(self, facts: FactSet, budget: Budget) -> None:
        """Refuse the case, before the C core starts (it cannot be stopped once it has), when
        what it would build is past what is left of the case's budget: an estimate from the
        counts of facts, and where that is large, the combinations counted."""
        counts = {kind: len(of) for kind, of in facts.by_type.items()}
        widest: dict[tuple[str, str], int] = {}
        index: PatternIndex | None = None
        left = budget.left()
        work: list[tuple[int, CompiledRule]] = []  # a list: hashing a rule hashes its patterns
        for rule, shape in self._shapes:
            estimate, partial = 0, 1
            for kind, field in shape:
                if field is None:
                    partial *= counts.get(kind, 0)
                else:
                    group = widest.get((kind, field))
                    if group is None:
                        sizes: dict[object, int] = {}
                        for fact in facts.of(kind):
                            sizes[fact[field]] = sizes.get(fact[field], 0) + 1
                        group = widest[(kind, field)] = max(sizes.values(), default=0)
                    partial *= group
                if not partial:
                    break
                estimate += partial
            if estimate > _COUNT_ABOVE:
                index = index or PatternIndex(facts)
                estimate = combinations(rule, index, left)
            work.append((estimate, rule))
            left -= estimate
            if left < 0:
                most, worst = max(work, key=lambda w: w[0])
                budget.by_rule[worst.rule_id] += most
                raise budget.refusal(worst)

    def _charge(self, budget: Budget) -> None:
        """The matches the C core handed back, on the case's budget, rule by rule."""
        by_name: dict[str, int] = {}
        for rule_name, _ids in self._found:
            by_name[rule_name] = by_name.get(rule_name, 0) + 1
        for rule_name, n in by_name.items():
            budget.spend(n, self.rules[rule_name])

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

    def _run(self, ruleset_name: str, sid: str, payload: str, budget: Budget) -> None:
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
                if len(self._found) > budget.left():  # past the estimate: never run on
                    self._charge(budget)
                result = durable_rules_engine.complete_and_start_action(handle, state)
        except durable_rules_engine.error as exc:
            raise EngineError(f"the rules engine failed ({_code(exc)})") from None
        finally:
            with contextlib.suppress(durable_rules_engine.error):
                ruleset.delete_state(sid)


class Contained:
    """One council layer's rules, evaluated in a child process of its own.

    The static checks (rulebook/limits.py) keep every rule inside the C core's limits as we
    measured them, but nobody has run a council's rules against the core on real cases: if the
    core crashes or hangs on them, the child dies or is killed, and the user is told which layer
    to check, with exit status 2. The child is started on first use and kept for the next case.
    """

    def __init__(self, layer: str, compiled: list[CompiledRule]) -> None:
        self.layer = layer
        self.compiled = [dataclasses.replace(r, layer=None) for r in compiled]  # vetted there
        self._process: Any = None
        self._conn: Connection | None = None

    def evaluate(self, facts: FactSet, budget: Budget) -> list[Match]:
        conn = self._start()
        try:
            conn.send(facts)
            waited = time.monotonic() - budget.started
            if not conn.poll(max(1.0, SECONDS_BUDGET - waited) + CONTAINED_START_S):
                self.stop()
                raise BudgetError(
                    f"the rules in {self.layer} took more than {SECONDS_BUDGET:g} s on this case",
                    hint=f"check them with `achilles rules check --rules {self.layer}`; a rule "
                    "whose aliases are not joined to each other tries every combination of "
                    "the case's facts",
                )
            reply = conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            raise self._died() from None
        kind, body = reply
        if kind == "ok":
            matches, spent = body
            if spent:
                budget.merge(spent, self.compiled[0])
            return matches
        message, hint = body
        if kind == "budget":
            raise BudgetError(message, hint=hint)
        if kind == "refused":
            raise AchillesError(message, hint=hint)
        raise RulebookError(
            f"{self.layer}: the rules engine could not run these rules",
            [
                Problem(
                    self.layer,
                    None,
                    "(rules)",
                    f"the rules engine failed on these rules ({message})",
                    f"check them with `achilles rules check --rules {self.layer}`, and report "
                    "it with the rule file (see SECURITY.md)",
                )
            ],
        )

    def _start(self) -> Connection:
        if self._conn is not None and self._process is not None and self._process.is_alive():
            return self._conn
        self.stop()
        # A fork starts in milliseconds; a spawned interpreter takes most of a second to import
        # the engine, but forking a process with other threads running (the TUI) is unsafe.
        forkable = sys.platform.startswith("linux") and threading.active_count() == 1
        context = (
            multiprocessing.get_context("fork")
            if forkable
            else multiprocessing.get_context("spawn")
        )
        here, there = context.Pipe()
        self._process = context.Process(
            target=serve, args=(there, self.compiled), name="achilles-rules", daemon=True
        )
        self._process.start()
        there.close()
        self._conn = here
        return here

    def _died(self) -> RulebookError:
        code = self.stop()
        how = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
        return RulebookError(
            f"{self.layer}: the rules engine crashed on these rules",
            [
                Problem(
                    self.layer,
                    None,
                    "(rules)",
                    f"the rules engine crashed on this case while running these rules ({how}); "
                    "no rule in this folder was used",
                    f"run without --rules {self.layer} (or ACHILLES_RULES), and check the "
                    f"folder with `achilles rules check --rules {self.layer}`",
                )
            ],
        )

    def stop(self) -> int | None:
        """End the child, if any; its exit code (negative: the signal that ended it)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        process, self._process = self._process, None
        if process is None:
            return None
        if process.is_alive():
            process.kill()
        process.join(5)
        return process.exitcode


def serve(conn: Connection, compiled: list[CompiledRule]) -> None:
    """The child's side of `Contained`: evaluate each fact set it is sent, until the pipe ends."""
    import resource

    with contextlib.suppress(ValueError, OSError):  # a cap is protection, not a requirement
        resource.setrlimit(resource.RLIMIT_AS, (CONTAINED_MEMORY, CONTAINED_MEMORY))
    engine: Engine | None = None
    while True:
        try:
            facts = conn.recv()
        except (EOFError, OSError):
            return
        try:
            engine = engine or Engine(compiled)
            matches = engine.evaluate(facts)
            reply: tuple[str, Any] = ("ok", (matches, dict(budget_for(facts).by_rule)))
        except BudgetError as exc:
            reply = ("budget", (exc.message, exc.hint))
        except AchillesError as exc:
            reply = ("refused", (exc.message, exc.hint))
        except EngineError as exc:
            reply = ("engine", (str(exc), None))
        except Exception as exc:  # noqa: BLE001 - reported to the parent, never a traceback
            reply = ("engine", (type(exc).__name__, None))
        try:
            conn.send(reply)
        except (OSError, ValueError):
            os._exit(0)


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

    Each ruleset's alpha network is modelled as the C core builds it (rulebook/limits.py): a rule
    joins the current ruleset unless that takes the network past a limit. A rule past the limits
    on its own was refused when it was loaded (AR021 to AR024), so no ruleset here is over."""
    chunks: list[list[CompiledRule]] = []
    entries = entries or {r.name: durable_rule(r) for r in compiled}
    net = AlphaNetwork()
    for rule in compiled:
        if chunks:
            mark = net.mark()
            net.add(entries[rule.name])
            if net.breach() is None:
                chunks[-1].append(rule)
                continue
            net.undo(mark)
        net = AlphaNetwork()
        net.add(SENTINEL)
        net.add(entries[rule.name])
        over = net.breach()
        if over is not None:  # the loader refuses such a rule (AR022); never send it to the core
            raise RulebookError(
                f"rule {rule.rule_id} is too wide for the rules engine: {over}",
                hint="run `achilles rules check` to see the rule's file and line",
            )
        chunks.append([rule])
    return chunks


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
    key = hashlib.sha256(
        repr([(r.name, r.patterns, r.layer) for r in compiled]).encode()
    ).hexdigest()
    found = _hosts.get(key)
    if found is None:
        found = _hosts[key] = Engine(compiled)
    _by_identity[id(compiled)] = (compiled, found)  # holds the list, so its id is never reused
    return found


def evaluate(compiled: list[CompiledRule], facts: FactSet) -> list[Match]:
    return engine_for(compiled).evaluate(facts)
