"""Near misses: rules that fail on one establishable fact or on evidential status alone, so the
LRO can task partners ("establish X and power Y opens").

Every distinct test runs once per fact and is kept as a bit mask (`matches.PatternIndex`); a rule
is relaxed one condition at a time, narrowed to the facts that fail only the dropped test.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Literal

from achilles.explain import fact_phrase
from achilles.facts import Fact, FactSet
from achilles.matches import MaskPlan, PatternIndex
from achilles.memo import IdentityMemo
from achilles.model.case import Case
from achilles.model.rule import Rule
from achilles.model.vocabulary import Vocabulary
from achilles.options import Firing
from achilles.reference import bindings
from achilles.rulebook.compile import CompiledRule, CPattern, FieldTest
from achilles.rulebook.english import words
from achilles.victims import Guard

# Fields never relaxed into a near miss: relaxing them would suggest re-labelling a victim.
_GUARDED_FIELDS = {
    "exploited",
    "child",
    "presumed",
    "role",
    "actor_type",
    "thing_type",
    "subject_type",
    "key",
}
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
    # the legal record: what has happened in law is not a gap an officer can close
    "offence",
    "power",
    "outcome",
    "by",
    "days_since",
    "months_since",
    "lasted_days",
    "current",
}


@dataclass(frozen=True)
class Gap:
    """What a near miss lacks, as data, so it can become a question for the partner who knows.

    Either a fact is there but fails one test (`field`, `op`, `value`: a person's benefits, an
    activity's status), or a whole fact is missing (`dropped`: nobody recorded as occupying the
    flat, no supply recorded at the shop)."""

    fact: str  # the fact type: person, premises, activity_at, occupancy...
    about: tuple[str, ...]  # the entity or entities it is about (ids)
    field: str = ""  # the field a test failed on; "" when a whole fact is missing
    op: str = ""
    value: object = None  # what the rule wanted
    current: object = None  # what the case holds now
    activity: str = ""  # the activity whose evidence would be raised
    dropped: bool = False
    kinds: tuple[str, ...] = ()  # for a missing activity or link: the kinds (or links) wanted


@dataclass(frozen=True)
class NearMiss:
    rule_id: str
    power_id: str
    target: str
    missing: str  # what to establish, in words
    kind: Literal["fact", "evidence"]
    gap: Gap | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        return f"{self.power_id}@{self.target}"


def find_near_misses(
    live: dict[str, CompiledRule],
    rules: dict,
    facts: FactSet,
    options: Collection[tuple[str, str]],
    guard: Guard,
    case: Case,
) -> list[NearMiss]:
    """`options` holds the (power, target) pairs already open or waiting on a legal event."""
    index = PatternIndex(facts)
    plan, slots = _mask_plan(live)
    masks = index.prime(plan)
    found: dict[tuple[str, str, str], NearMiss] = {}
    guarded: dict[tuple[str, ...], bool] = {}
    for compiled, positive_slots in slots:
        rule: Rule = rules[compiled.rule_id].rule
        home_sensitive = guard.catalogue.get(rule.power).victims_home is not None
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
            if rule.trigger and relaxation.original.alias == rule.trigger:
                continue  # a missing legal event is a conditional next step, not a near miss
            if relaxation.removed is not None and not _only_failing(index, relaxation):
                continue  # no fact fails this test alone
            texts: dict[tuple[str, ...], str] = {}
            for bound in bindings(relaxed, facts, index):
                target = bound[compiled.target]["key"]
                if (rule.power, target) in options:
                    continue
                subject = bound.get(compiled.subject) if compiled.subject else None
                # The guard looks at the target and subject, and for a power that may not touch
                # a victim's home, at every place the binding rests on.
                key = (
                    compiled.name,
                    bound[compiled.target]["fid"],
                    subject["fid"] if subject else "",
                    *(f["fid"] for f in bound.values() if home_sensitive),
                )
                if key not in guarded:
                    firing = Firing(
                        rule.id, rule.power, target, tuple(bound.items()), compiled.variant
                    )
                    guarded[key] = guard.refuse(firing, compiled) is not None
                if guarded[key]:
                    continue
                words_key = tuple(bound[a]["fid"] for a in relaxation.words_from if a in bound)
                text = texts.get(words_key)
                if text is None:
                    text = texts[words_key] = relaxation.describe(bound, case, guard.vocab)
                if (rule.power, target, text) not in found:
                    found[(rule.power, target, text)] = NearMiss(
                        rule.id, rule.power, target, text, relaxation.kind, relaxation.gap(bound)
                    )
    return sorted(found.values(), key=lambda n: (n.power_id, n.target, n.missing))


_plans: IdentityMemo[tuple[MaskPlan, list[tuple[CompiledRule, list[int]]]]] = IdentityMemo(64)


def _mask_plan(
    live: dict[str, CompiledRule],
) -> tuple[MaskPlan, list[tuple[CompiledRule, list[int]]]]:
    """The distinct tests of the rules in force, and where each rule's patterns find theirs.

    Made once per set of live rules (live_rules hands out the same dict each time)."""

    def build() -> tuple[MaskPlan, list[tuple[CompiledRule, list[int]]]]:
        searched = [c for c in live.values() if not c.pending]
        plan = MaskPlan(p for c in searched for p in c.positive)
        return plan, [(c, [plan.slot(p) for p in c.positive]) for c in searched]

    return _plans.get((live,), build)


@dataclass(frozen=True)
class Relaxation:
    """A rule with one establishable condition taken away, and how to word what is missing."""

    rule: CompiledRule
    describe: Callable[[dict[str, Fact], Case, Vocabulary], str]
    kind: Literal["fact", "evidence"]
    words_from: tuple[str, ...]  # the aliases whose facts the wording depends on
    original: CPattern  # the pattern that lost a test (or was dropped),
    relaxed: CPattern | None = None  # what is left of it,
    removed: FieldTest | None = None  # and the test it lost

    def gap(self, bound: dict[str, Fact]) -> Gap:
        """What is missing, as data: the failing test on the matched fact, or the whole fact."""
        p, t = self.original, self.removed
        if t is None:
            about = tuple(
                str(bound[j.alias].get(j.other_field) or "") for j in p.joins if j.alias in bound
            )
            kinds = next((x.value for x in p.tests if x.field in ("kind", "as")), ())
            return Gap(
                p.fact,
                tuple(a for a in about if a),
                dropped=True,
                kinds=tuple(kinds) if isinstance(kinds, tuple) else (str(kinds),),
            )
        fact = bound[p.alias]
        name = t.field.removesuffix("_rank")
        return Gap(
            p.fact,
            _about(fact),
            name,
            t.op,
            t.value,
            fact.get(name),
            str(fact.get("activity") or (fact["key"] if p.fact == "activity" else "")),
            kinds=(str(fact["kind"]),) if fact.get("kind") and name == "status" else (),
        )


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
            kind: Literal["fact", "evidence"] = "evidence" if t.field == "status_rank" else "fact"
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


_LINKED = {
    "activity_at": ("premises",),
    "activity_by": ("actor",),
    "activity_using": ("thing",),
    "activity_affecting": ("person",),
    "occupancy": ("person", "premises"),
    "business_role": ("person", "business"),
    "vehicle_use": ("person", "vehicle"),
    "event_of": ("subject",),
    "event_at": ("premises",),
}


def _about(fact: Fact) -> tuple[str, ...]:
    """The entities a fact is about: its own key, or the ends of a link."""
    fields = _LINKED.get(fact["type"], ("key",))
    return tuple(str(fact[f]) for f in fields if fact.get(f))


def _with(compiled: CompiledRule, patterns: tuple[CPattern, ...]) -> CompiledRule:
    return CompiledRule(
        compiled.name,
        compiled.rule_id,
        compiled.variant,
        patterns,
        compiled.target,
        compiled.subject,
    )


def _describe_test(p: CPattern, t: FieldTest):
    def describe(bound: dict[str, Fact], case: Case, vocab: Vocabulary) -> str:
        fact = bound[p.alias]
        subject = fact_phrase(fact, case)
        if t.field == "status_rank":
            if fact.get("weak_grade"):
                return (
                    f"corroborate the weakly graded report of {subject} (it counts as suspicion) "
                    f"to at least {_rank_word(vocab, t.value)}"
                )
            return (
                f"raise the evidence of {subject} from {words(fact['status'])} "
                f"to at least {_rank_word(vocab, t.value)}"
            )
        return f"establish that {subject} has {_test_words(t, vocab)}"

    return describe


_LINKS = {
    "activity_at": ("premises", "at"),
    "activity_by": ("actor", "by"),
    "activity_using": ("thing", "using"),
}


def _describe_pattern(p: CPattern):
    """'establish drug supply or county lines at p2 (at least corroborated)': ids only."""

    def describe(bound: dict[str, Fact], case: Case, vocab: Vocabulary) -> str:
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
                text += f" (at least {_rank_word(vocab, status)})"
        else:
            detail = "; ".join(
                [
                    *(f"{words(f)} {v}" for f, v in joins.items()),
                    *(_test_words(t, vocab) for t in rest),
                ]
            )
            return f"establish a {words(p.fact)}" + (f" with {detail}" if detail else "")
        if rest:
            text += " with " + "; ".join(_test_words(t, vocab) for t in rest)
        return text

    return describe


def _rank_word(vocab: Vocabulary, rank: int) -> str:
    """The evidence status at this rank, in the vocabulary's order (status_rank counts in it)."""
    statuses = list(vocab.terms("status"))
    return statuses[rank] if 0 <= rank < len(statuses) else str(rank)


def _test_words(t: FieldTest, vocab: Vocabulary) -> str:
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
        "gte": f"{f} at least {_rank_word(vocab, v) if t.field.endswith('_rank') else v}",
        "lte": f"{f} at most {_rank_word(vocab, v) if t.field.endswith('_rank') else v}",
        "present": f"{f} known",
        "absent": f"no {f} known",
    }
    return ops.get(t.op, f"{f} {t.op} {v}")
