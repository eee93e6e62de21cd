"""Loading rules/ in layers: the shipped base, then a council's own folders on top.

A later layer adds rules and may switch earlier ones off by id (with a reason); it never edits
the shipped files. Every rule is checked against the catalogue, the vocabulary and the fact
types, and every problem is reported with its file and line.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pydantic import ValidationError

from achilles.catalogue import Catalogue
from achilles.errors import InputError, RulebookError
from achilles.loading.paths import env_override, shipped
from achilles.loading.problems import Problem, Problems, did_you_mean
from achilles.loading.validation import add_validation_errors
from achilles.loading.yaml_reader import load_yaml
from achilles.model.rule import Pattern, Presumption, Rule, RuleFile
from achilles.model.vocabulary import Vocabulary, load_vocabulary
from achilles.rulebook.codes import CheckCode
from achilles.rulebook.compile import CompiledRule, compile_presumptions, compile_rules
from achilles.rulebook.limits import breaches
from achilles.rulebook.rule_checks import check_presumption, check_rule


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
    # id -> (the switched-off rule's power, the line of its `disable` entry): what `rules check`
    # needs to say a power is manual only in this council, on the council's own line
    switched_off: dict[str, tuple[str, int]] = field(default_factory=dict)
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
    disable_lines: dict[str, int] = {}
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
                disable_lines[off.id] = problems.line_for(("disable", j)) or 0
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
        switched_off={
            lr.rule.id: (lr.rule.power, disable_lines.get(lr.rule.id, 0))
            for lr in loaded
            if lr.rule.id in disabled
        },
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
