"""From a case to explained options: facts -> engine -> firings -> victim guard -> options.

Also finds near misses: rules that fail on one establishable fact or on evidential status alone,
so the LRO can task partners ("establish X and power Y opens").
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from achilles.catalogue import Catalogue
from achilles.facts import Fact, FactSet, case_facts, is_exploited
from achilles.matches import MaskPlan, Match, PatternIndex
from achilles.memo import IdentityMemo
from achilles.model.case import Activity, Case
from achilles.model.fact_types import FACT_TYPES
from achilles.model.rule import Rule
from achilles.model.vocabulary import Vocabulary
from achilles.reference import bindings
from achilles.rulebook.compile import CompiledRule, CPattern, Test
from achilles.rulebook.english import condition_text, pattern_text, words
from achilles.rulebook.load import PLACEHOLDER, Rulebook

EngineName = Literal["durable", "reference"]
# Fields never relaxed into a near miss: relaxing them would suggest re-labelling a victim.
_GUARDED_FIELDS = {"exploited", "child", "role", "actor_type", "thing_type", "key"}
# Fields that describe what a thing is rather than what is known about it: not a gap to close.
_FIXED_FIELDS = {
    "use",
    "kind",
    "trade",
    "as",
    "jurisdiction",
    "licences",
    "flags",
    "registrations",
    "vulnerabilities",
    "company",
    "graded",
    "weak_grade",
}


@dataclass(frozen=True)
class Firing:
    """One rule firing on one combination of facts."""

    rule_id: str
    power_id: str
    target: str
    facts: tuple[tuple[str, Fact], ...]  # (alias, fact), in the rule's order
    variant: int = 0  # which `any_of` alternative matched (0 when the rule has none)

    def bound(self) -> dict[str, Fact]:
        return dict(self.facts)


@dataclass
class Option:
    """One power against one target, with every firing that supports it."""

    power_id: str
    target: str
    target_type: str
    firings: list[Firing] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.power_id}@{self.target}"

    @property
    def rule_ids(self) -> list[str]:
        return sorted({f.rule_id for f in self.firings})


@dataclass(frozen=True)
class NearMiss:
    rule_id: str
    power_id: str
    target: str
    missing: str  # what to establish, in words
    kind: Literal["fact", "evidence"]

    @property
    def key(self) -> str:
        return f"{self.power_id}@{self.target}"


@dataclass(frozen=True)
class Blocked:
    """An option the victim guard refused: kept on record so the LRO sees why it is absent."""

    rule_id: str
    power_id: str
    target: str
    person: str
    reason: str


@dataclass
class Analysis:
    case: Case
    as_of: dt.date
    options: list[Option]
    near_misses: list[NearMiss]
    blocked: list[Blocked]
    warnings: list[str]
    facts: FactSet


def analyse(
    case: Case,
    catalogue: Catalogue,
    rulebook: Rulebook,
    vocab: Vocabulary,
    *,
    as_of: dt.date | None = None,
    engine: EngineName = "durable",
    disabled: frozenset[str] = frozenset(),
    near_misses: bool = True,
) -> Analysis:
    as_of = as_of or case.case.as_of
    jurisdiction = case.case.jurisdiction
    facts = case_facts(case, vocab, disabled=disabled)
    rules = rulebook.by_id()
    live = live_rules(rulebook, catalogue, as_of, jurisdiction)
    matches = _run(engine, rulebook.compiled, facts)
    warnings: list[str] = []
    blocked: list[Blocked] = []
    options: dict[tuple[str, str], Option] = {}
    by_fid = {f["fid"]: f for f in facts.facts}
    seen_firings: dict[tuple[str, str], set] = {}
    for match in matches:
        compiled = live.get(match.rule)
        if compiled is None:
            continue
        firing = _firing(compiled, rules[compiled.rule_id].rule, match, by_fid)
        refusal = victim_guard(firing, compiled, catalogue, case, facts, vocab)
        if refusal:
            blocked.append(refusal)
            continue
        target_fact = firing.bound()[compiled.target]
        key = (firing.power_id, firing.target)
        option = options.setdefault(
            key, Option(firing.power_id, firing.target, target_fact["type"])
        )
        seen = seen_firings.setdefault(key, set())
        marker = (firing.rule_id, firing.variant, tuple((a, f["fid"]) for a, f in firing.facts))
        if marker not in seen:  # a set: an option can gather thousands of firings in a big case
            seen.add(marker)
            option.firings.append(firing)
    for person in _exploited_without_support(case, options, catalogue, vocab):
        warnings.append(
            f"person {person} is someone the group exploits, but no safeguarding option fired: "
            "add a safeguarding action by hand"
        )
    misses = (
        find_near_misses(live, rules, facts, options, catalogue, case, vocab) if near_misses else []
    )
    ordered = sorted(options.values(), key=lambda o: (o.power_id, o.target))
    blocked = sorted(set(blocked), key=lambda b: (b.power_id, b.target, b.rule_id, b.person))
    return Analysis(case, as_of, ordered, misses, blocked, warnings, facts)


_live: IdentityMemo[dict[str, CompiledRule]] = IdentityMemo(256)
_bounds: IdentityMemo[list[dt.date]] = IdentityMemo(16)


def live_rules(
    rulebook: Rulebook, catalogue: Catalogue, as_of: dt.date, jurisdiction: str
) -> dict[str, CompiledRule]:
    """The compiled rules in force on that date in that jurisdiction, by name.

    Remembered per rulebook, catalogue, jurisdiction and period between two dates on which some
    rule or power starts or ends: a batch asks the same question for thousands of cases, each
    with its own date."""
    period = bisect.bisect_right(_boundaries(rulebook, catalogue), as_of)

    def build() -> dict[str, CompiledRule]:
        rules = rulebook.by_id()
        return {
            c.name: c
            for c in rulebook.compiled
            if _applies(rules[c.rule_id].rule, catalogue, as_of, jurisdiction)
        }

    return _live.get((rulebook, catalogue), build, period, jurisdiction)


def _boundaries(rulebook: Rulebook, catalogue: Catalogue) -> list[dt.date]:
    """Every date on which a rule or a power comes into force or ends, in order."""

    def build() -> list[dt.date]:
        dates = set()
        for loaded in rulebook.by_id().values():
            dates |= {loaded.rule.valid_from, loaded.rule.valid_to}
            power = catalogue.get(loaded.rule.power)
            dates |= {power.in_force_from, power.in_force_to}
        dates.discard(None)
        return sorted(dates)

    return _bounds.get((rulebook, catalogue), build)


def _applies(rule: Rule, catalogue: Catalogue, as_of: dt.date, jurisdiction: str) -> bool:
    power = catalogue.get(rule.power)
    return (
        rule.in_force(as_of)
        and jurisdiction in rule.jurisdiction
        and power.in_force(as_of)
        and jurisdiction in power.jurisdiction
    )


def _run(engine: EngineName, compiled: list[CompiledRule], facts: FactSet) -> list[Match]:
    if engine == "reference":
        from achilles.reference import evaluate
    else:
        from achilles.engine import evaluate
    return evaluate(compiled, facts)


def _firing(compiled: CompiledRule, rule: Rule, match: Match, by_fid: dict[str, Fact]) -> Firing:
    ids = match.fact_ids()
    order = [p.alias for p in compiled.positive]
    bound = tuple((alias, by_fid[ids[alias]]) for alias in order)
    target = dict(bound)[compiled.target]["key"]
    return Firing(rule.id, rule.power, target, bound, compiled.variant)


def victim_guard(
    firing: Firing,
    compiled: CompiledRule,
    catalogue: Catalogue,
    case: Case,
    facts: FactSet,
    vocab: Vocabulary,
) -> Blocked | None:
    """No coercive power is ever aimed at a person the group exploits, whatever a rule says."""
    power = catalogue.get(firing.power_id)
    if not power.coercive:
        return None
    bound = firing.bound()
    for alias in (compiled.target, compiled.subject):
        fact = bound.get(alias) if alias else None
        if fact is not None and fact["type"] == "person" and fact["exploited"]:
            return Blocked(
                firing.rule_id,
                firing.power_id,
                firing.target,
                fact["key"],
                "the person is someone the group exploits",
            )
    if "tenancy" in power.targets and bound[compiled.target]["type"] == "premises":
        exploited = {f["key"] for f in facts.of("person") if f["exploited"]}
        for occ in facts.of("occupancy"):
            if (
                occ["premises"] == firing.target
                and occ["as"] == "tenant"
                and occ["person"] in exploited
            ):
                return Blocked(
                    firing.rule_id,
                    firing.power_id,
                    firing.target,
                    occ["person"],
                    "the tenant is someone the group exploits",
                )
    return None


def _exploited_without_support(
    case: Case, options: dict, catalogue: Catalogue, vocab: Vocabulary
) -> list[str]:
    supported = {
        target
        for (power_id, target) in options
        if catalogue.get(power_id).kind == "safeguarding"
        or "victims" in catalogue.get(power_id).impact.hits
    }
    return [p.id for p in case.people if is_exploited(p, vocab) and p.id not in supported]


# --- near misses ------------------------------------------------------------------------------


def find_near_misses(
    live: dict[str, CompiledRule],
    rules: dict,
    facts: FactSet,
    options: dict[tuple[str, str], Option],
    catalogue: Catalogue,
    case: Case,
    vocab: Vocabulary,
) -> list[NearMiss]:
    index = PatternIndex(facts)
    plan, slots = _mask_plan(live)
    masks = index.prime(plan)
    found: dict[tuple[str, str, str], NearMiss] = {}
    guarded: dict[tuple[str, str, str], bool] = {}
    for compiled, positive_slots in slots:
        rule: Rule = rules[compiled.rule_id].rule
        # One relaxation changes one pattern: if two patterns have no fact at all, nothing is
        # one step away; if one has none, only relaxing that one can help.
        empty = [
            p for p, slot in zip(compiled.positive, positive_slots, strict=True) if not masks[slot]
        ]
        if len(empty) > 1:
            continue
        for relaxation in relaxations(compiled):
            relaxed = relaxation.rule
            if empty and relaxation.original is not empty[0]:
                continue
            if relaxation.removed is not None and not _only_failing(index, relaxation):
                continue  # no fact fails this test alone
            texts: dict[tuple[str, ...], str] = {}
            for bound in bindings(relaxed, facts, index):
                target = bound[compiled.target]["key"]
                if (rule.power, target) in options:
                    continue
                subject = bound.get(compiled.subject) if compiled.subject else None
                key = (
                    compiled.name,
                    bound[compiled.target]["fid"],
                    subject["fid"] if subject else "",
                )
                if key not in guarded:
                    firing = Firing(
                        rule.id, rule.power, target, tuple(bound.items()), compiled.variant
                    )
                    guarded[key] = (
                        victim_guard(firing, compiled, catalogue, case, facts, vocab) is not None
                    )
                if guarded[key]:
                    continue
                words_key = tuple(bound[a]["fid"] for a in relaxation.words_from if a in bound)
                text = texts.get(words_key)
                if text is None:
                    text = texts[words_key] = relaxation.describe(bound, case)
                if (rule.power, target, text) not in found:
                    found[(rule.power, target, text)] = NearMiss(
                        rule.id, rule.power, target, text, relaxation.kind
                    )
    return sorted(found.values(), key=lambda n: (n.power_id, n.target, n.missing))


_plans: IdentityMemo[tuple[MaskPlan, list[tuple[CompiledRule, list[int]]]]] = IdentityMemo(64)


def _mask_plan(
    live: dict[str, CompiledRule],
) -> tuple[MaskPlan, list[tuple[CompiledRule, list[int]]]]:
    """The distinct tests of the rules in force, and where each rule's patterns find theirs.

    Made once per set of live rules (live_rules hands out the same dict each time)."""

    def build() -> tuple[MaskPlan, list[tuple[CompiledRule, list[int]]]]:
        plan = MaskPlan(p for c in live.values() for p in c.positive)
        return plan, [(c, [plan.slot(p) for p in c.positive]) for c in live.values()]

    return _plans.get((live,), build)


@dataclass(frozen=True)
class Relaxation:
    """A rule with one establishable condition taken away, and how to word what is missing."""

    rule: CompiledRule
    describe: Callable[[dict[str, Fact], Case], str]
    kind: Literal["fact", "evidence"]
    words_from: tuple[str, ...]  # the aliases whose facts the wording depends on
    original: CPattern  # the pattern that lost a test (or was dropped),
    relaxed: CPattern | None = None  # what is left of it,
    removed: Test | None = None  # and the test it lost


def _only_failing(index: PatternIndex, relaxation: Relaxation) -> bool:
    """Narrow the relaxed pattern to the facts that fail the removed test and pass the rest.

    A fact that passes it would make the binding a full match, already an option (or refused
    by the victim guard): searching those is wasted work, and skipping them changes nothing.
    False when no fact is left."""
    original, relaxed, removed = relaxation.original, relaxation.relaxed, relaxation.removed
    if relaxed is None or removed is None:
        return True  # a dropped pattern: nothing to narrow
    mask = index.failing_one(original)[id(removed)]
    index.set_mask(relaxed, mask)
    return bool(mask)


_MEMO_LIMIT = 20_000  # entries in a per-rule memo: many times the shipped rulebook
_relaxed: IdentityMemo[tuple[Relaxation, ...]] = IdentityMemo(_MEMO_LIMIT)


def relaxations(compiled: CompiledRule) -> tuple[Relaxation, ...]:
    """The rule's relaxations, built once per compiled rule (the search asks on every case)."""
    return _relaxed.get((compiled,), lambda: tuple(_relaxations(compiled)))


def _relaxations(compiled: CompiledRule):
    """Each version of the rule with one establishable condition removed, with its wording."""
    positive = list(compiled.positive)
    joined_to = {j.alias for p in positive for j in p.joins} | {
        j.alias for p in compiled.negated for j in p.joins
    }
    for p in positive:
        for t in p.tests:
            if t.field.removesuffix("_rank") in _GUARDED_FIELDS | _FIXED_FIELDS:
                continue
            relaxed_p = CPattern(
                p.alias, p.fact, tuple(x for x in p.tests if x != t), p.joins, p.negated, p.source
            )
            patterns = tuple(relaxed_p if q is p else q for q in compiled.patterns)
            kind = "evidence" if t.field == "status_rank" else "fact"
            yield Relaxation(
                _with(compiled, patterns), _describe_test(p, t), kind, (p.alias,), p, relaxed_p, t
            )
        if p.alias in (compiled.target, compiled.subject) or p.alias in joined_to:
            continue
        if any(t.field in _GUARDED_FIELDS for t in p.tests):
            continue
        others = [
            q for q in positive if q is not p and q.alias not in (compiled.target, compiled.subject)
        ]
        if not others:
            continue  # dropping the only evidence would make every entity a near miss
        patterns = tuple(q for q in compiled.patterns if q is not p)
        yield Relaxation(
            _with(compiled, patterns),
            _describe_pattern(p),
            "fact",
            tuple(j.alias for j in p.joins),
            p,
        )


def _with(compiled: CompiledRule, patterns: tuple[CPattern, ...]) -> CompiledRule:
    return CompiledRule(
        compiled.name,
        compiled.rule_id,
        compiled.variant,
        patterns,
        compiled.target,
        compiled.subject,
    )


def _describe_test(p: CPattern, t: Test):
    def describe(bound: dict[str, Fact], case: Case) -> str:
        fact = bound[p.alias]
        subject = _fact_phrase(fact, case)
        if t.field == "status_rank":
            if fact.get("weak_grade"):
                return (
                    f"corroborate the weakly graded report of {subject} (it counts as suspicion) "
                    f"to at least {_rank_word(t.value)}"
                )
            return (
                f"raise the evidence of {subject} from {words(fact['status'])} "
                f"to at least {_rank_word(t.value)}"
            )
        return f"establish that {subject} has {_test_words(t)}"

    return describe


_LINKS = {
    "activity_at": ("premises", "at"),
    "activity_by": ("actor", "by"),
    "activity_using": ("thing", "using"),
}


def _describe_pattern(p: CPattern):
    """'establish drug supply or county lines at p2 (at least corroborated)': ids only."""

    def describe(bound: dict[str, Fact], case: Case) -> str:
        def named(alias: str, field: str) -> str:
            fact = bound.get(alias, {})
            return str(fact.get(field) or alias)

        joins = {j.field: named(j.alias, j.other_field) for j in p.joins}
        kinds = next((t.value for t in p.tests if t.field == "kind"), None)
        status = next(
            (t.value for t in p.tests if t.field == "status_rank" and t.op == "gte"), None
        )
        rest = [t for t in p.tests if t.field not in ("kind", "status_rank")]
        if p.fact in _LINKS:
            slot, word = _LINKS[p.fact]
            what = (
                " or ".join(words(k) for k in kinds)
                if isinstance(kinds, tuple)
                else words(kinds or "activity")
            )
            text = f"establish {what} {word} {joins.get(slot, 'the target')}"
            if status is not None:
                text += f" (at least {_rank_word(status)})"
        else:
            detail = "; ".join(
                [*(f"{words(f)} {v}" for f, v in joins.items()), *(_test_words(t) for t in rest)]
            )
            return f"establish a {words(p.fact)}" + (f" with {detail}" if detail else "")
        if rest:
            text += " with " + "; ".join(_test_words(t) for t in rest)
        return text

    return describe


_STATUS = ["suspected", "intelligence", "corroborated", "evidenced", "proven"]


def _rank_word(rank: int) -> str:
    return _STATUS[rank] if 0 <= rank < len(_STATUS) else str(rank)


def _test_words(t: Test) -> str:
    f = words(t.field.removesuffix("_rank"))
    v = t.value
    ops = {
        "eq": f"{f} {words(v)}",
        "neq": f"{f} not {words(v)}",
        "in": f"{f} one of {', '.join(words(x) for x in v)}" if isinstance(v, tuple) else "",
        "not_in": f"{f} none of {', '.join(words(x) for x in v)}" if isinstance(v, tuple) else "",
        "has": f"{f} including {words(v)}",
        "has_any": f"{f} including any of {', '.join(words(x) for x in v)}"
        if isinstance(v, tuple)
        else "",
        "has_all": f"{f} including all of {', '.join(words(x) for x in v)}"
        if isinstance(v, tuple)
        else "",
        "has_none": f"no {f} of {', '.join(words(x) for x in v)}" if isinstance(v, tuple) else "",
        "gte": f"{f} at least {_rank_word(v) if t.field.endswith('_rank') else v}",
        "lte": f"{f} at most {_rank_word(v) if t.field.endswith('_rank') else v}",
        "present": f"{f} known",
        "absent": f"no {f} known",
    }
    return ops.get(t.op, f"{f} {t.op} {v}")


def _fact_phrase(fact: Fact, case: Case) -> str:
    """A neutral phrase for a fact: ids only, so near misses carry no personal text."""
    kind = fact["type"]
    if kind in ("activity_at", "activity_by", "activity_using"):
        where = fact.get("premises") or fact.get("actor") or fact.get("thing")
        link = {"activity_at": "at", "activity_by": "by", "activity_using": "using"}[kind]
        return f"{words(fact['kind'])} {link} {where}"
    if kind == "activity":
        return f"{words(fact['kind'])} ({fact['key']})"
    return f"{kind} {fact.get('key') or ''}".strip()


# --- explanations -----------------------------------------------------------------------------


def because(firing: Firing, rule: Rule, case: Case, *, redact: bool = False) -> str:
    """The rule's reason sentence filled from the facts that fired it."""
    bound = firing.bound()

    def fill(m: re.Match[str]) -> str:
        alias, fld = m.group(1), m.group(2)
        fact = bound.get(alias)
        if fact is None:
            return m.group(0)
        if fld is None or fld in ("label", "name"):
            return _entity_name(fact, case, redact)
        if fld == "grade":
            grade = _activity(fact, case)
            return f", graded {grade.grade}" if grade and grade.grade else ""
        value = fact.get(fld)
        spec = FACT_TYPES[fact["type"]].get(fld)
        if spec is not None and spec.ref and isinstance(value, str) and value:
            return case.label(value, redact=redact)
        if isinstance(value, list):
            return ", ".join(words(v) for v in value) or "none"
        return words(value)

    return PLACEHOLDER.sub(fill, rule.because)


def _entity_name(fact: Fact, case: Case, redact: bool) -> str:
    kind = fact["type"]
    if kind in ("activity_at", "activity_by", "activity_using"):
        return words(fact["kind"])
    if kind == "ocg":
        return case.ocg.name if not redact else "the group"
    if kind in ("occupancy", "business_role", "vehicle_use"):
        return case.label(fact["person"], redact=redact)
    return case.label(fact["key"], redact=redact)


def _activity(fact: Fact, case: Case) -> Activity | None:
    key = fact.get("activity") or (fact.get("key") if fact["type"] == "activity" else None)
    item = case.entity(key) if key else None
    return item if isinstance(item, Activity) else None


def matched_facts(
    firing: Firing, rule: Rule, case: Case, *, redact: bool = False, memo: dict | None = None
) -> list[str]:
    """Each condition of the rule with the fact that met it: the option's audit trail.

    `memo`, shared by the calls for one case with one `redact`, keeps lines that many firings
    repeat (the same premises meeting the same conditions)."""
    out = []
    conditions, unless = _condition_words(rule, firing.variant)
    for alias, fact in firing.facts:
        conds = conditions.get(alias)
        if conds is None:
            continue
        key = (alias, conds, fact["fid"])
        line = memo.get(key) if memo is not None else None
        if line is None:
            shown = _fact_phrase(fact, case)
            if fact["type"] in ("person", "premises", "business", "vehicle"):
                shown = f"{fact['type']} {fact['key']} ({case.label(fact['key'], redact=redact)})"
            line = f"[{alias}] {shown}" + (f": {conds}" if conds else "")
            if memo is not None:
                memo[key] = line
        out.append(line)
    return out + unless


_worded: IdentityMemo[tuple[dict[str, str], list[str]]] = IdentityMemo(_MEMO_LIMIT)


def _condition_words(rule: Rule, variant: int) -> tuple[dict[str, str], list[str]]:
    """alias -> its conditions in words, and the `unless` lines: the same for every firing."""

    def build() -> tuple[dict[str, str], list[str]]:
        variants = rule.variants()
        patterns = variants[variant] if variant < len(variants) else variants[0]
        conditions = {
            alias: "; ".join(condition_text(f, c, lambda a: f"[{a}]") for f, c in p.where.items())
            for alias, p in patterns.items()
        }
        unless = [
            f"[{alias}] none known: {pattern_text(p, lambda a: f'[{a}]')}"
            for alias, p in rule.unless.items()
        ]
        return conditions, unless

    conditions, unless = _worded.get((rule,), build, variant)
    return conditions, list(unless)
