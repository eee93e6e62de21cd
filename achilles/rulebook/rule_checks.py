"""Checking one rule or presumption on its own: its conditions against the fact types and the
vocabulary, its power against the catalogue, its victim guard, its trigger and its `because`.

Every problem names its file, line and field, with a stable check code (rulebook/codes.py).
"""

from __future__ import annotations

from achilles.catalogue import Catalogue
from achilles.loading.problems import Problems, choices_hint, did_you_mean
from achilles.model.fact_types import ENTITY_TYPES, EVENT_TYPES, FACT_TYPES
from achilles.model.power import Power
from achilles.model.rule import Pattern, Presumption, Rule
from achilles.model.vocabulary import Vocabulary
from achilles.rulebook.codes import CheckCode
from achilles.rulebook.english import PLACEHOLDER, stray_braces

LIST_OPS = {"has", "has_any", "has_all", "has_none"}
SCALAR_OPS = {"equals", "not", "in", "not_in"}


def check_rule(
    rule: Rule, where: tuple, problems: Problems, catalogue: Catalogue, vocab: Vocabulary
) -> None:
    """The checks that make a rule safe to compile: each is an error with a stable code."""
    if rule.power not in catalogue:
        problems.add(
            (*where, "power"),
            f"unknown power '{rule.power}'",
            did_you_mean(rule.power, catalogue.powers) or "see `achilles powers list`",
            code=CheckCode.AR002,
        )
        return
    power = catalogue.get(rule.power)
    if rule.valid_to and rule.valid_to <= rule.valid_from:
        problems.add(
            (*where, "valid_to"),
            "the rule ends before it starts",
            "check the dates",
            code=CheckCode.AR003,
        )
    # A rule on a power enacted but not yet in force is allowed and tested as if it were in
    # force, so it is right on the day the power starts; analysis never offers the power.
    if _outside_power_dates(rule, power):
        problems.add(
            (*where, "valid_from"),
            f"the rule's dates reach outside the dates '{power.id}' is in force "
            f"({power.in_force_text()})",
            "set valid_from / valid_to within the power's dates",
            code=CheckCode.AR003,
        )
    for j in rule.jurisdiction:
        if j not in power.jurisdiction:
            problems.add(
                (*where, "jurisdiction"),
                f"'{power.id}' does not apply in {j}",
                "remove it from the rule's jurisdiction",
                code=CheckCode.AR003,
            )

    for v, variant in enumerate(rule.variants()):
        aliases: dict[str, str] = {}
        base = (*where, "when") if v == 0 or not rule.any_of else (*where, "any_of", v)
        for alias, pattern in variant.items():
            section = (*where, "when", alias) if alias in rule.when else (*base, alias)
            _check_pattern(pattern, section, aliases, problems, vocab)
            if pattern.fact in FACT_TYPES:  # an unknown type was reported; do not check through it
                aliases[alias] = pattern.fact
        for alias, pattern in rule.unless.items():
            _check_pattern(pattern, (*where, "unless", alias), aliases, problems, vocab)
            _check_unless_self(pattern, (*where, "unless", alias), aliases, problems)
        for name, attr in (("target", rule.target), ("subject", rule.subject)):
            if attr is None:
                continue
            if attr not in aliases:
                problems.add(
                    (*where, name),
                    f"'{attr}' is not an alias in 'when'",
                    did_you_mean(attr, aliases) or "name one of the aliases under 'when'",
                    code=CheckCode.AR015,
                )
            elif aliases[attr] not in ENTITY_TYPES:
                problems.add(
                    (*where, name),
                    f"'{attr}' is a {aliases[attr]} fact, which cannot be a target",
                    "target a person, premises, business or vehicle",
                    code=CheckCode.AR015,
                )
        _check_victim_guard(rule, variant, where, problems, power.coercive)
        if rule.trigger:
            _check_trigger(rule, variant, where, problems)
        _check_because(rule.because, aliases, where, problems)


def _check_pattern(
    pattern: Pattern, where: tuple, aliases: dict[str, str], problems: Problems, vocab: Vocabulary
) -> None:
    spec = FACT_TYPES.get(pattern.fact)
    if spec is None:
        problems.add(
            (*where, "fact"),
            f"unknown fact type '{pattern.fact}'",
            choices_hint(pattern.fact, list(FACT_TYPES)),
            code=CheckCode.AR010,
        )
        return
    for name, cond in pattern.where.items():
        at = (*where, "where", name)
        fs = spec.get(name)
        if fs is None:
            problems.add(
                at,
                f"a {pattern.fact} fact has no field '{name}'",
                choices_hint(name, list(spec)),
                code=CheckCode.AR011,
            )
            continue
        op, value = cond.op, cond.value
        if op == "same_as":
            other, _, other_field = str(value).partition(".")
            if other not in aliases:
                problems.add(
                    at,
                    f"joins to '{other}', which is not an earlier alias",
                    did_you_mean(other, aliases) or "list the joined alias first",
                    code=CheckCode.AR014,
                )
            elif other_field and other_field not in FACT_TYPES[aliases[other]]:
                problems.add(
                    at,
                    f"alias '{other}' ({aliases[other]}) has no field '{other_field}'",
                    choices_hint(other_field, list(FACT_TYPES[aliases[other]])),
                    code=CheckCode.AR014,
                )
            elif not other_field and fs.ref and aliases[other] not in fs.ref:
                problems.add(
                    at,
                    f"'{name}' names a {' or '.join(fs.ref)}, but '{other}' is a {aliases[other]}",
                    "join to an alias of the right kind",
                    code=CheckCode.AR014,
                )
            continue
        if op in LIST_OPS and not fs.many:
            problems.add(
                at,
                f"'{op}' needs a list field; '{name}' holds one value",
                "use equals / in",
                code=CheckCode.AR012,
            )
            continue
        if op in SCALAR_OPS and fs.many:
            problems.add(
                at,
                f"'{op}' tests one value; '{name}' is a list",
                "use has / has_any / has_none",
                code=CheckCode.AR012,
            )
            continue
        if op in ("at_least", "at_most") and not (fs.ordered or fs.number):
            problems.add(
                at,
                f"'{op}' needs an ordered field (status, threat, age)",
                "use equals / in",
                code=CheckCode.AR012,
            )
            continue
        if fs.boolean and op not in ("equals", "not"):
            problems.add(
                at, f"'{name}' is true or false", "write equals: true / false", code=CheckCode.AR012
            )
            continue
        if fs.boolean and not isinstance(value, bool):
            problems.add(
                at,
                f"'{name}' is true or false, not '{value}'",
                "write true or false",
                code=CheckCode.AR012,
            )
            continue
        if fs.number and op != "present" and not isinstance(value, int):
            problems.add(at, f"'{name}' is a number", "e.g. at_most: 17", code=CheckCode.AR012)
            continue
        if fs.vocab and op != "present":
            values = value if isinstance(value, list) else [value]
            for term in values:
                if not vocab.has(fs.vocab, term):
                    problems.add(
                        at,
                        f"'{term}' is not a known {fs.vocab.replace('_', ' ')} term",
                        choices_hint(term, list(vocab.terms(fs.vocab))),
                        code=CheckCode.AR013,
                    )


def _check_unless_self(
    pattern: Pattern, where: tuple, aliases: dict[str, str], problems: Problems
) -> None:
    """A fact fills one alias only, so `unless` can never re-test a fact `when` matched."""
    cond = pattern.where.get("key")
    if cond is None or cond.op != "same_as":
        return
    other = str(cond.value).partition(".")[0]
    if aliases.get(other) == pattern.fact and not str(cond.value).partition(".")[2]:
        problems.add(
            (*where, "where", "key"),
            f"this 'unless' re-tests the fact matched as '{other}', which can never block the rule",
            f"put the condition on '{other}' itself (e.g. with any_of alternatives)",
            code=CheckCode.AR018,
        )


def _check_victim_guard(
    rule: Rule, variant: dict[str, Pattern], where: tuple, problems: Problems, coercive: bool
) -> None:
    """A coercive power aimed at a person must exclude people the group exploits, in the rule."""
    if not coercive:
        return
    for name in (rule.target, rule.subject):
        if name is None:
            continue
        pattern = variant.get(name)
        if pattern is None or pattern.fact != "person":
            continue
        cond = pattern.where.get("exploited")
        if cond is None or cond.op != "equals" or cond.value is not False:
            problems.add(
                (*where, "when", name, "where"),
                f"coercive power '{rule.power}' is aimed at person alias '{name}' without "
                "'exploited: false'",
                "add `exploited: false` so it never reaches a victim",
                code=CheckCode.AR005,
            )


def _check_trigger(
    rule: Rule, variant: dict[str, Pattern], where: tuple, problems: Problems
) -> None:
    """The trigger is a legal event the rest of the rule can be met without."""
    trigger = rule.trigger
    pattern = variant.get(trigger) if trigger else None
    if pattern is None:
        problems.add(
            (*where, "trigger"),
            f"'{trigger}' is not an alias in 'when'",
            "name the alias of the event the power waits for (a conviction, a closure order)",
            code=CheckCode.AR019,
        )
        return
    if pattern.fact not in EVENT_TYPES:
        problems.add(
            (*where, "trigger"),
            f"the trigger '{trigger}' is a {pattern.fact} fact, not a legal event",
            f"a trigger matches one of {', '.join(EVENT_TYPES)}",
            code=CheckCode.AR019,
        )
    if trigger in (rule.target, rule.subject):
        problems.add(
            (*where, "trigger"),
            "the trigger cannot be the target or subject",
            "target the person or place the power acts on",
            code=CheckCode.AR019,
        )
    for alias, other in variant.items():
        for name, cond in other.where.items():
            if (
                alias != trigger
                and cond.op == "same_as"
                and str(cond.value).partition(".")[0] == trigger
            ):
                problems.add(
                    (*where, "when", alias, "where", name),
                    f"'{alias}' joins to the trigger '{trigger}', so the rule cannot be "
                    "read without it",
                    "join the trigger to the other aliases instead (list it last)",
                    code=CheckCode.AR019,
                )


def check_presumption(pr: Presumption, where: tuple, problems: Problems, vocab: Vocabulary) -> None:
    """A presumption's conditions are checked as a rule's are; it must hold for a person."""
    if not vocab.has("presumption", pr.kind):
        problems.add(
            (*where, "kind"),
            f"'{pr.kind}' is not a known presumption term",
            choices_hint(pr.kind, list(vocab.terms("presumption"))),
            code=CheckCode.AR013,
        )
    if pr.valid_to and pr.valid_from and pr.valid_to <= pr.valid_from:
        problems.add(
            (*where, "valid_to"),
            "it ends before it starts",
            "check the dates",
            code=CheckCode.AR003,
        )
    for v, variant in enumerate(pr.variants()):
        aliases: dict[str, str] = {}
        base = (*where, "when") if v == 0 or not pr.any_of else (*where, "any_of", v)
        for alias, pattern in variant.items():
            section = (*where, "when", alias) if alias in pr.when else (*base, alias)
            _check_pattern(pattern, section, aliases, problems, vocab)
            if pattern.fact in FACT_TYPES:
                aliases[alias] = pattern.fact
        for alias, pattern in pr.unless.items():
            _check_pattern(pattern, (*where, "unless", alias), aliases, problems, vocab)
        lifting = dict(aliases)
        for alias, pattern in pr.lifted_by.items():
            _check_pattern(pattern, (*where, "lifted_by", alias), lifting, problems, vocab)
            if pattern.fact in FACT_TYPES:
                lifting[alias] = pattern.fact
        if aliases.get(pr.person) != "person":
            problems.add(
                (*where, "person"),
                f"'{pr.person}' is not a person alias in 'when'",
                did_you_mean(pr.person, aliases) or "name the alias of the person it holds for",
                code=CheckCode.AR015,
            )
        _check_because(pr.because, aliases, where, problems)
        _check_because(pr.warning, aliases, where, problems)


def _check_because(text: str, aliases: dict[str, str], where: tuple, problems: Problems) -> None:
    for token in stray_braces(text):
        problems.add(
            (*where, "because"),
            f"'{token[:40]}' is not a placeholder",
            "write {alias} or {alias.field} with an alias from 'when'; "
            "a brace that is not a placeholder is not allowed",
            code=CheckCode.AR016,
        )
    for alias, field_ in PLACEHOLDER.findall(text):
        if alias not in aliases:
            problems.add(
                (*where, "because"),
                f"'{{{alias}}}' names no alias",
                did_you_mean(alias, aliases) or "use an alias from 'when'",
                code=CheckCode.AR016,
            )
        elif (
            field_
            and field_ not in FACT_TYPES[aliases[alias]]
            and field_ not in ("label", "name", "grade")
        ):
            problems.add(
                (*where, "because"),
                f"'{{{alias}.{field_}}}': a {aliases[alias]} has no field '{field_}'",
                choices_hint(field_, list(FACT_TYPES[aliases[alias]])),
                code=CheckCode.AR016,
            )


def _outside_power_dates(rule: Rule, power: Power) -> bool:
    """The rule's dates must lie within the widest span its power is in force in the rule's
    nations (the dates may differ by nation)."""
    spans = [power.dates(j) for j in rule.jurisdiction if j in power.jurisdiction]
    starts = [s for s, _ in spans if s is not None]
    if not starts:
        return False  # a nation the power does not cover is reported on its own
    ends = [e for s, e in spans if s is not None]
    last = None if any(e is None for e in ends) else max(e for e in ends if e)
    return rule.valid_from < min(starts) or (
        last is not None and (rule.valid_to is None or rule.valid_to > last)
    )
