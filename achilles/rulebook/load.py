"""Loading rules/ in layers: the shipped base, then a council's own folders on top.

A later layer adds rules and may switch earlier ones off by id (with a reason); it never edits
the shipped files. Every rule is checked against the catalogue, the vocabulary and the fact
types, and every problem is reported with its file and line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pydantic import ValidationError

from achilles.catalogue import Catalogue
from achilles.errors import InputError, RulebookError
from achilles.loading.paths import env_override, shipped
from achilles.loading.problems import Problem, Problems, choices_hint, did_you_mean
from achilles.loading.validation import add_validation_errors
from achilles.loading.yaml_reader import load_yaml
from achilles.model.fact_types import ENTITY_TYPES, EVENT_TYPES, FACT_TYPES
from achilles.model.rule import Pattern, Presumption, Rule, RuleFile
from achilles.model.vocabulary import Vocabulary, load_vocabulary
from achilles.rulebook.codes import CheckCode
from achilles.rulebook.compile import CompiledRule, compile_presumptions, compile_rules
from achilles.rulebook.english import PLACEHOLDER
from achilles.rulebook.limits import breaches

LIST_OPS = {"has", "has_any", "has_all", "has_none"}
SCALAR_OPS = {"equals", "not", "in", "not_in"}


@dataclass(frozen=True)
class LoadedRule:
    rule: Rule
    file: str
    line: int
    layer: str  # "shipped" or the council folder it came from


@dataclass(frozen=True)
class LoadedPresumption:
    presumption: Presumption
    file: str
    line: int
    layer: str


@dataclass
class Rulebook:
    rules: list[LoadedRule]
    disabled: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (reason, file)
    compiled: list[CompiledRule] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # warnings, kept for `rules check`
    presumptions: list[LoadedPresumption] = field(default_factory=list)
    compiled_presumptions: list[tuple[CompiledRule, CompiledRule]] = field(default_factory=list)

    def active(self) -> list[Rule]:
        return [lr.rule for lr in self.rules]

    def get(self, rule_id: str) -> LoadedRule:
        return next(lr for lr in self.rules if lr.rule.id == rule_id)

    def by_id(self) -> dict[str, LoadedRule]:
        return self._index

    @cached_property
    def _index(self) -> dict[str, LoadedRule]:  # rules never change once loaded
        return {lr.rule.id: lr for lr in self.rules}

    @cached_property
    def version(self) -> str:
        """A short content hash of the active rules: recorded with every decision."""
        h = hashlib.sha256()
        for lr in self.rules:
            h.update(lr.rule.model_dump_json().encode())
        for lp in self.presumptions:
            h.update(lp.presumption.model_dump_json().encode())
        return h.hexdigest()[:12]

    def presumption(self, presumption_id: str) -> Presumption:
        return next(
            lp.presumption for lp in self.presumptions if lp.presumption.id == presumption_id
        )


def rule_folders(extra: list[Path] | None = None) -> list[Path]:
    folders = [shipped("rules")]
    env = env_override("rules")
    if env:
        folders.append(env)
    folders.extend(extra or [])
    return folders


def load_rulebook(
    catalogue: Catalogue,
    extra: list[Path] | None = None,
    vocab: Vocabulary | None = None,
    *,
    folders: list[Path] | None = None,
) -> Rulebook:
    rulebook, problems = check_rulebook(catalogue, extra, vocab, folders=folders)
    errors = [p for p in problems if p.level == "error"]
    if errors:
        raise RulebookError(f"the rules have {len(errors)} problem(s)", errors)
    return rulebook


def check_rulebook(
    catalogue: Catalogue,
    extra: list[Path] | None = None,
    vocab: Vocabulary | None = None,
    *,
    folders: list[Path] | None = None,
) -> tuple[Rulebook, list[Problem]]:
    vocab = vocab or load_vocabulary()
    folders = folders if folders is not None else rule_folders(extra)
    found: list[Problem] = []
    loaded: list[LoadedRule] = []
    presumed: list[LoadedPresumption] = []
    disabled: dict[str, tuple[str, str]] = {}
    seen: dict[str, str] = {}
    for layer_index, folder in enumerate(folders):
        layer = "shipped" if layer_index == 0 else str(folder)
        if not folder.is_dir():
            found.append(
                Problem(
                    str(folder),
                    None,
                    "(folder)",
                    "no such rules folder",
                    "point --rules at a folder of rule .yaml files",
                )
            )
            continue
        for path in sorted(folder.rglob("*.yaml")):
            if path.name.startswith("_"):
                continue
            rule_file, problems = _read(path)
            if rule_file is None:
                found.extend(problems.items)
                continue
            for j, off in enumerate(rule_file.disable):
                if any(lp.presumption.id == off.id for lp in presumed):
                    problems.add(
                        ("disable", j, "id"),
                        f"'{off.id}' is a presumption, which no layer can switch off",
                        "a presumption protects people the group may exploit; to change what "
                        "it covers, ask the legal team to amend rules/presumptions.yaml",
                        code=CheckCode.AR020,
                    )
                    continue
                if off.id not in seen and not any(lr.rule.id == off.id for lr in loaded):
                    problems.add(
                        ("disable", j, "id"),
                        f"no earlier rule has id '{off.id}'",
                        did_you_mean(off.id, seen) or "check the id with `achilles rules list`",
                    )
                disabled[off.id] = (off.reason, str(path))
            for i, rule in enumerate(rule_file.rules):
                where = ("rules", i)
                if rule.id in seen:
                    problems.add(
                        (*where, "id"),
                        f"rule id '{rule.id}' is already used in {seen[rule.id]}",
                        "rule ids are unique across all layers; pick a new id",
                        code=CheckCode.AR001,
                    )
                    continue
                seen[rule.id] = str(path)
                before = len(problems.items)
                check_rule(rule, where, problems, catalogue, vocab)
                if not any(p.level == "error" for p in problems.items[before:]):
                    check_limits(compile_rules([rule], vocab), rule.when, where, problems)
                if any(p.level == "error" for p in problems.items[before:]):
                    continue
                loaded.append(LoadedRule(rule, str(path), problems.line_for(where) or 0, layer))
            for i, pr in enumerate(rule_file.presumptions):
                where = ("presumptions", i)
                if pr.id in seen:
                    problems.add(
                        (*where, "id"),
                        f"id '{pr.id}' is already used in {seen[pr.id]}",
                        "rule and presumption ids are unique across all layers; pick a new id",
                        code=CheckCode.AR001,
                    )
                    continue
                seen[pr.id] = str(path)
                before = len(problems.items)
                check_presumption(pr, where, problems, vocab)
                if not any(p.level == "error" for p in problems.items[before:]):
                    pairs = compile_presumptions([pr], vocab)
                    variants = [c for pair in pairs for c in pair]
                    check_limits(variants, pr.when, where, problems)
                if any(p.level == "error" for p in problems.items[before:]):
                    continue
                line = problems.line_for(where) or 0
                presumed.append(LoadedPresumption(pr, str(path), line, layer))
            found.extend(problems.items)
    active = [lr for lr in loaded if lr.rule.id not in disabled]
    # What `rules check` holds without running anything is held here for a council's layers,
    # so no command ever uses a council rule the legal team's gate would refuse (one without
    # tests, a duplicate). The shipped rules pass that gate before they ship (`make check`).
    council = [lr for lr in active if lr.layer != "shipped"]
    council_presumed = [lp for lp in presumed if lp.layer != "shipped"]
    static = untested(council, council_presumed) | conflicts(active, only=council)
    found += static.values()
    active = [lr for lr in active if lr.rule.id not in static]
    presumed = [lp for lp in presumed if lp.presumption.id not in static]
    rulebook = Rulebook(
        rules=active,
        disabled=disabled,
        compiled=compile_rules(
            [lr.rule for lr in active],
            vocab,
            [None if lr.layer == "shipped" else lr.layer for lr in active],
        ),
        folders=[str(f) for f in folders],
    )
    rulebook.presumptions = presumed
    rulebook.compiled_presumptions = compile_presumptions(
        [lp.presumption for lp in presumed], vocab
    )
    rulebook.problems = [p for p in found if p.level != "error"]
    return rulebook, found


def check_limits(
    variants: list[CompiledRule], when: dict[str, Pattern], where: tuple, problems: Problems
) -> None:
    """The C core's limits (rulebook/limits.py): a rule past them is never compiled into the
    engine, where it could crash the process or run for minutes."""
    for b in breaches(variants):
        if b.code == CheckCode.AR023:
            at: tuple = (*where, "unless")
        elif b.alias is not None and b.alias in when:
            at = (*where, "when", b.alias)
        else:
            at = (*where, "when")
        problems.add(at, b.message, b.hint, code=b.code)


def untested(rules: list[LoadedRule], presumptions: list[LoadedPresumption]) -> dict[str, Problem]:
    """Rules without a must-fire and a must-not-fire test; presumptions without a test it holds
    on and one it does not (AR006). By id."""
    out: dict[str, Problem] = {}
    for lp in presumptions:
        tests = lp.presumption.tests
        if not (any(t.presumed for t in tests) and any(not t.presumed for t in tests)):
            out[lp.presumption.id] = Problem(
                lp.file,
                lp.line,
                f"presumption {lp.presumption.id}",
                "needs a test it holds on and a test it does not hold on",
                "add tests: presumed: [ids] and presumed: []",
                code=CheckCode.AR006,
            )
    for lr in rules:
        fires = any(t.fires_on for t in lr.rule.tests)
        silent = any(not t.fires_on for t in lr.rule.tests)
        if not (fires and silent):
            lacking = " and ".join(
                x
                for x, ok in (("a must-fire test", fires), ("a must-not-fire test", silent))
                if not ok
            )
            out[lr.rule.id] = Problem(
                lr.file,
                lr.line,
                f"rule {lr.rule.id}",
                f"needs {lacking}",
                "add tests: fires_on: [ids] and fires_on: []",
                code=CheckCode.AR006,
            )
    return out


def conflicts(rules: list[LoadedRule], only: list[LoadedRule] | None = None) -> dict[str, Problem]:
    """A rule with the same conditions, power and dates as an earlier one (AR004), among
    `only` when given. By id."""
    keep = None if only is None else {id(lr) for lr in only}
    seen: dict[str, str] = {}
    out: dict[str, Problem] = {}
    for lr in rules:
        r = lr.rule
        shape = json.dumps(
            [
                r.power,
                r.target,
                [dict(v) for v in _dump(r.variants())],
                _dump([r.unless]),
                str(r.valid_from),
                str(r.valid_to),
                sorted(r.jurisdiction),
            ],
            sort_keys=True,
            default=str,
        )
        if shape in seen and (keep is None or id(lr) in keep):
            out[r.id] = Problem(
                lr.file,
                lr.line,
                f"rule {r.id}",
                f"has the same conditions and power as rule {seen[shape]}",
                "merge them or switch one off",
                code=CheckCode.AR004,
            )
        else:
            seen.setdefault(shape, r.id)
    return out


def _dump(variants: list[dict]) -> list[dict]:
    return [
        {a: p.model_dump(mode="json", by_alias=True, exclude_none=True) for a, p in v.items()}
        for v in variants
    ]


def _read(path: Path) -> tuple[RuleFile | None, Problems]:
    try:
        doc = load_yaml(path, what="rule file")
    except InputError as exc:
        problems = Problems(str(path))
        problems.items.extend(exc.problems)
        return None, problems
    problems = doc.problems
    if doc.data is None:
        problems.add((), "the rule file is empty", "add 'theme:' and 'rules:'")
        return None, problems
    try:
        return RuleFile.model_validate(doc.data), problems
    except ValidationError as exc:
        add_validation_errors(problems, exc, RuleFile)
        return None, problems


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
    if rule.valid_from < power.in_force_from or (
        power.in_force_to and (rule.valid_to is None or rule.valid_to > power.in_force_to)
    ):
        problems.add(
            (*where, "valid_from"),
            f"the rule's dates reach outside the dates '{power.id}' is in force "
            f"({power.in_force_from} to {power.in_force_to or 'now'})",
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


def today() -> dt.date:
    return dt.date.today()
