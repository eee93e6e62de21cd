"""The powers catalogue: powers_catalogue/*.yaml loaded, validated and cross-checked once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from achilles.errors import InputError, RulebookError
from achilles.loading.paths import env_override, shipped
from achilles.loading.problems import Problem, Problems, choices_hint, dotted
from achilles.loading.validation import add_validation_errors
from achilles.loading.yaml_reader import load_yaml
from achilles.model.power import CatalogueFile, Power
from achilles.model.vocabulary import Vocabulary, load_vocabulary


@dataclass
class Catalogue:
    powers: dict[str, Power]
    files: dict[str, str] = field(default_factory=dict)  # power id -> file it came from
    lines: dict[str, int] = field(default_factory=dict)  # power id -> line of its entry
    folder: str = ""
    problems: list[Problem] = field(default_factory=list)  # warnings kept for `powers check`
    # power id -> the cautions its family file holds for every power in it (said once per plan)
    general: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __contains__(self, power_id: object) -> bool:
        return power_id in self.powers

    def __iter__(self) -> Iterator[Power]:
        return iter(self.powers.values())

    def __len__(self) -> int:
        return len(self.powers)

    def get(self, power_id: str) -> Power:
        return self.powers[power_id]

    def general_cautions(self, power_id: str) -> tuple[str, ...]:
        """The cautions true of every power in this power's family (a plan says them once)."""
        return self.general.get(power_id, ())

    def in_force(self, on: dt.date, jurisdiction: str) -> list[Power]:
        return [p for p in self if p.in_force(on, jurisdiction)]

    def search(self, text: str) -> list[Power]:
        words = text.lower().split()
        out = []
        for p in self:
            hay = " ".join(
                [p.id, p.name, p.summary, p.legal_test, p.citation(), p.impact.text, p.lead_agency]
            ).lower()
            if all(w in hay for w in words):
                out.append(p)
        return out


def catalogue_folder(folder: Path | None = None) -> Path:
    return folder or env_override("powers_catalogue") or shipped("powers_catalogue")


def load_catalogue(folder: Path | None = None, vocab: Vocabulary | None = None) -> Catalogue:
    """Load every catalogue file; raise RulebookError listing every problem in every file."""
    catalogue, problems = check_catalogue(folder, vocab)
    errors = [p for p in problems if p.level == "error"]
    if errors:
        raise RulebookError(f"the powers catalogue has {len(errors)} problem(s)", errors)
    return catalogue


def check_catalogue(
    folder: Path | None = None, vocab: Vocabulary | None = None
) -> tuple[Catalogue, list[Problem]]:
    folder = catalogue_folder(folder)
    vocab = vocab or load_vocabulary()
    if not folder.is_dir():
        problem = Problem(
            str(folder),
            None,
            "(folder)",
            "no powers catalogue folder here",
            "point --catalogue at the folder holding the power files",
        )
        return Catalogue({}, folder=str(folder)), [problem]
    catalogue = Catalogue({}, folder=str(folder))
    found: list[Problem] = []
    refs: list[_Ref] = []
    for path in sorted(folder.glob("*.yaml")):
        found.extend(_load_file(path, catalogue, vocab, refs))
    found.extend(_check_sequence(catalogue, refs))
    if not catalogue.powers and not found:
        found.append(
            Problem(str(folder), None, "(folder)", "no power files found", "add *.yaml files")
        )
    catalogue.problems = [p for p in found if p.level != "error"]
    return catalogue, found


@dataclass(frozen=True)
class _Ref:
    """A power id one power's `sequence` names, with where it is written: checked once every
    file is loaded, since it may name a power in another file."""

    power: str
    ref: str
    file: str
    line: int | None
    path: str


def _load_file(
    path: Path, catalogue: Catalogue, vocab: Vocabulary, refs: list[_Ref]
) -> list[Problem]:
    try:
        doc = load_yaml(path, what="catalogue file")
    except InputError as exc:
        return list(exc.problems)
    problems = doc.problems
    try:
        parsed = CatalogueFile.model_validate(doc.data)
    except ValidationError as exc:
        add_validation_errors(problems, exc, CatalogueFile)
        return problems.items
    agencies = list(vocab.terms("agency"))
    for i, power in enumerate(parsed.powers):
        where = ("powers", i)
        if power.id in catalogue.powers:
            first = catalogue.files[power.id]
            where_else = "earlier in this file" if first == str(path) else f"in {first}"
            problems.add(
                (*where, "id"),
                f"power id '{power.id}' is also defined {where_else}",
                "ids are unique across the catalogue",
            )
            continue
        for path_, agency in _agencies(power):
            if not vocab.has("agency", agency):
                problems.add(
                    (*where, *path_),
                    f"'{agency}' is not a known agency",
                    choices_hint(agency, agencies) + "; or add it to vocabulary.yaml",
                )
        for path_, message, hint in _date_problems(power):
            problems.add((*where, *path_), message, hint)
        if "tenancy" in power.targets and power.coercive and power.victims_home is None:
            problems.add(
                (*where, "victims_home"),
                f"'{power.id}' acts on a tenancy but does not say what it may do to the home of "
                "a person the group exploits",
                "add `victims_home: block` (never while they live there) or `victims_home: "
                "exempt` (only as a partial order that exempts them)",
            )
        _sequence_refs(power, where, problems, vocab, refs)
        if parsed.cautions:
            # every surface (the options, the TUI, `powers show`) still says the family's
            # cautions for each power; only a plan knows to say them once
            own = [c for c in power.cautions if c not in parsed.cautions]
            power = power.model_copy(update={"cautions": [*own, *parsed.cautions]})
            catalogue.general[power.id] = tuple(parsed.cautions)
        catalogue.powers[power.id] = power
        catalogue.files[power.id] = str(path)
        catalogue.lines[power.id] = problems.line_for((*where,)) or 0
    return problems.items


def _date_problems(power: Power) -> Iterator[tuple[tuple, str, str]]:
    """Dates that cannot be right: an end before a start, a nation the power does not cover,
    a nation listed twice."""
    if power.in_force_from and power.in_force_to and power.in_force_to <= power.in_force_from:
        yield ("in_force_to",), "ends before it starts", "check the dates"
    if power.not_in_force_yet and power.in_force_to is not None:
        yield (
            ("in_force_to",),
            "a power not yet in force cannot have an end date",
            "remove in_force_to, or set in_force_from once the power is commenced",
        )
    if power.expected_from is not None and not power.not_in_force_yet:
        yield (
            ("expected_from",),
            "expected_from is only for a power not yet in force",
            "remove expected_from now that in_force_from is set",
        )
    seen: set[str] = set()
    for j, nation in enumerate(power.by_nation):
        where = ("by_nation", j)
        if nation.nation not in power.jurisdiction:
            yield (
                (*where, "nation"),
                f"dates for {nation.nation}, but the power's jurisdiction is "
                f"{', '.join(power.jurisdiction)}",
                f"add {nation.nation} to jurisdiction or remove these dates",
            )
        if nation.nation in seen:
            yield (*where, "nation"), f"{nation.nation} is listed twice", "keep one entry"
        seen.add(nation.nation)
        start, end = nation.in_force_from, nation.in_force_to
        if start and end and end <= start:
            yield (*where, "in_force_to"), "ends before it starts", "check the dates"
        if end and not start:
            yield (
                (*where, "in_force_from"),
                "an end date without a start date",
                "give the commencement date in this nation",
            )


def _sequence_refs(
    power: Power, where: tuple, problems: Problems, vocab: Vocabulary, refs: list[_Ref]
) -> None:
    """Check what one file can (event terms, a power naming itself); keep the power ids it
    names for the check across files."""
    seq = power.sequence
    named: list[tuple[tuple, str]] = [
        ((*where, "sequence", "after", j, "power"), a.power) for j, a in enumerate(seq.after)
    ]
    named += [
        ((*where, "sequence", "alternatives", j), alt) for j, alt in enumerate(seq.alternatives)
    ]
    for path_, ref in named:
        if ref == power.id:
            problems.add(path_, f"'{power.id}' names itself", "name another power, or remove it")
            continue
        refs.append(_Ref(power.id, ref, problems.file, problems.line_for(path_), dotted(path_)))
    for j, event in enumerate(seq.brings_about):
        if not vocab.has("event_kind", event):
            problems.add(
                (*where, "sequence", "brings_about", j),
                f"'{event}' is not a known legal event",
                choices_hint(event, list(vocab.terms("event_kind"))),
            )


def _check_sequence(catalogue: Catalogue, refs: list[_Ref]) -> list[Problem]:
    """Every power a `sequence` names exists, and no chain of `after` comes back on itself."""
    out = []
    known = list(catalogue.powers)
    for r in refs:
        if r.ref not in catalogue.powers:
            out.append(
                Problem(
                    r.file,
                    r.line,
                    r.path,
                    f"'{r.ref}' is not a power in the catalogue",
                    choices_hint(r.ref, known),
                )
            )
    for r in refs:
        if (
            r.ref in catalogue.powers
            and r.path.endswith(".power")
            and _waits_on(catalogue, r.ref, r.power)
        ):
            out.append(
                Problem(
                    r.file,
                    r.line,
                    r.path,
                    f"'{r.power}' comes after '{r.ref}', which itself comes after '{r.power}'",
                    "an order of work cannot go round in a circle: remove one `after`",
                )
            )
    return out


def _waits_on(catalogue: Catalogue, power_id: str, target: str) -> bool:
    """`power_id` comes after `target`, directly or through other powers."""
    seen: set[str] = set()
    todo = [power_id]
    while todo:
        current = todo.pop()
        if current in seen or current not in catalogue.powers:
            continue
        seen.add(current)
        for a in catalogue.powers[current].sequence.after:
            if a.power == target:
                return True
            todo.append(a.power)
    return False


def _agencies(power: Power) -> Iterator[tuple[tuple, str]]:
    yield ("lead_agency",), power.lead_agency
    for j, actor in enumerate(power.exercised_by):
        yield ("exercised_by", j, "agency"), actor.agency
    for j, actor in enumerate(power.authorised_by):
        yield ("authorised_by", j, "agency"), actor.agency
    for j, partner in enumerate(power.partners):
        yield ("partners", j), partner
