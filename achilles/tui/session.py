"""The state of one case meeting, with no Textual in it: the case being edited, undo, autosave,
the LRO's choices, what-if switches, and the latest analysis. The TUI only draws this.
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from achilles.analysis import Analysis, analyse
from achilles.catalogue import Catalogue, check_catalogue
from achilles.errors import AchillesError, InputError
from achilles.files import write_private
from achilles.loading.paths import examples_dir
from achilles.loading.problems import Problem, Problems
from achilles.loading.validation import add_validation_errors
from achilles.loading.yaml_reader import load_yaml
from achilles.model.case import Case
from achilles.model.case_file import case_yaml, check_case, check_document
from achilles.model.vocabulary import Vocabulary, load_vocabulary
from achilles.plan import Choice, Plan, build_plan
from achilles.ranking import Ranking, rank
from achilles.rulebook.load import Rulebook, check_rulebook

SECTIONS = ("people", "premises", "businesses", "vehicles", "activities", "events")
UNDO_DEPTH = 50
_ENGINE_LOCK = threading.Lock()  # the rules engine's C core is not thread-safe


@dataclass
class Knowledge:
    vocab: Vocabulary
    catalogue: Catalogue
    rulebook: Rulebook
    banners: list[str] = field(default_factory=list)  # broken rule or catalogue files, by name


def load_knowledge_lenient(rules: list[Path], catalogue: Path | None) -> Knowledge:
    """Load what is sound; name every broken file in a banner instead of failing."""
    vocab = load_vocabulary()
    cat, cat_problems = check_catalogue(catalogue, vocab)
    book, rule_problems = check_rulebook(cat, rules, vocab)
    banners = _banners([p for p in cat_problems + rule_problems if p.level == "error"])
    return Knowledge(vocab, cat, book, banners)


def _banners(problems: list[Problem]) -> list[str]:
    by_file: dict[str, list[Problem]] = {}
    for p in problems:
        by_file.setdefault(p.file, []).append(p)
    return [
        f"{Path(f).name}: {len(ps)} problem(s), its broken rules are switched off "
        f"(first: line {ps[0].line or '?'}: {ps[0].path}: {ps[0].message})"
        for f, ps in by_file.items()
    ]


@dataclass
class Result:
    analysis: Analysis
    ranking: Ranking
    changed: set[str]  # option keys new or rescored since the previous run


class Session:
    def __init__(
        self,
        knowledge: Knowledge,
        data: dict[str, Any],
        *,
        path: Path | None = None,
        problems: list[Problem] | None = None,
        workspace: Any = None,
        workspace_id: str | None = None,
        base_version: int | None = None,
    ) -> None:
        self.k = knowledge
        self.data = data
        self.path = path
        self.workspace = workspace
        self.workspace_id = workspace_id
        self.base_version = base_version
        self.load_problems = list(problems or [])
        self.read_only = bool(self.load_problems)  # never overwrite a file we could not fully read
        self.undo_stack: list[dict[str, Any]] = []
        self.dirty = False
        self.choices: dict[str, Choice] = {}
        self.selected: list[str] = []
        self.disabled: set[str] = set()
        self.result: Result | None = None
        self._backed_up = False
        self.save_error: str | None = None
        self.case: Case | None = None
        self.case_problems: list[Problem] = []
        self._validate()

    # --- opening -------------------------------------------------------------------------

    @classmethod
    def from_file(cls, path: Path, knowledge: Knowledge) -> Session:
        doc = load_yaml(path, what="case file")
        case, problems = check_document(doc, knowledge.vocab)
        if case is not None and not problems.errors:
            return cls(knowledge, case.model_dump(by_alias=True, exclude_none=True), path=path)
        return cls(
            knowledge, salvage(doc.data, knowledge.vocab), path=path, problems=problems.errors
        )

    @classmethod
    def demo(cls, knowledge: Knowledge, name: str, folder: Path) -> Session:
        """A private copy of a bundled sample, so the LRO can try edits without harm."""
        private_folder(folder)
        source = examples_dir() / name
        if not source.exists():  # a trimmed install: fall back to the contract's example
            source = examples_dir() / "contract-example.yaml"
        target = folder / source.name
        if not target.exists():
            write_private(target, source.read_text(encoding="utf-8"))
        return cls.from_file(target, knowledge)

    # --- the case ------------------------------------------------------------------------

    def _validate(self) -> None:
        problems = Problems(str(self.path or "case"))
        try:
            case = Case.model_validate(self.data)
        except ValidationError as exc:
            add_validation_errors(problems, exc, Case)
            self.case, self.case_problems = None, problems.items
            return
        check_case(case, self.k.vocab, problems)
        self.case = case if not problems.errors else None
        self.case_problems = problems.items

    def check_entity(
        self, section: str, index: int | None, entity: dict[str, Any]
    ) -> list[Problem]:
        """The problems this edit would cause, before it is applied: shown inline in the form."""
        trial = copy.deepcopy(self.data)
        items = trial.setdefault(section, [])
        if index is None:
            items.append(entity)
            index = len(items) - 1
        else:
            items[index] = entity
        problems = Problems("edit")
        try:
            case = Case.model_validate(trial)
        except ValidationError as exc:
            add_validation_errors(problems, exc, Case)
            return [
                p for p in problems.items if p.path.startswith(f"{section}[{index}]")
            ] or problems.items
        check_case(case, self.k.vocab, problems)
        return [
            p for p in problems.errors if p.path.startswith(f"{section}[{index}]")
        ] or problems.errors

    def advice(self, section: str, index: int | None, entity: dict[str, Any]) -> list[str]:
        """What the law presumes about the people this edit touches (a runner with no age is
        treated as a possible child): shown in the form while the LRO types, never blocking."""
        from achilles.facts import case_facts
        from achilles.presumptions import presume, warnings

        trial = copy.deepcopy(self.data)
        items = trial.setdefault(section, [])
        if index is None:
            items.append(entity)
        else:
            items[index] = entity
        try:
            case = Case.model_validate(trial)
        except ValidationError:
            return []
        found = presume(
            case_facts(case, self.k.vocab), self.k.rulebook, case.case.as_of, case.case.jurisdiction
        )
        mentioned = {entity.get("id")} | {
            str(v) for v in _flat_values(entity) if isinstance(v, str)
        }
        return [str(w) for w in warnings(found, case) if w.person in mentioned]

    def check_delete(self, section: str, index: int) -> list[Problem]:
        """Deleting an entity others refer to would leave dangling references: say which."""
        trial = copy.deepcopy(self.data)
        trial[section].pop(index)
        problems = Problems("edit")
        try:
            check_case(Case.model_validate(trial), self.k.vocab, problems)
        except ValidationError:
            return []
        return problems.errors

    def apply(
        self, section: str, index: int | None, entity: dict[str, Any] | None
    ) -> list[Problem]:
        """Add (index None), replace or delete (entity None) one entity; autosave when valid."""
        if entity is not None:
            problems = self.check_entity(section, index, entity)
            if problems:
                return problems
        elif index is not None:
            problems = self.check_delete(section, index)
            if problems:
                return problems
        self.undo_stack.append(copy.deepcopy(self.data))
        del self.undo_stack[:-UNDO_DEPTH]
        items = self.data.setdefault(section, [])
        if entity is None and index is not None:
            items.pop(index)
        elif index is None:
            items.append(entity)
        else:
            items[index] = entity
        self.dirty = True
        self._validate()
        self.save_error = self.autosave()
        return []

    def undo(self) -> bool:
        if not self.undo_stack:
            return False
        self.data = self.undo_stack.pop()
        self.dirty = True
        self._validate()
        self.save_error = self.autosave()
        return True

    def yaml_text(self) -> str:
        return "# Saved by Achilles.\n" + case_yaml(_plain(self.data))

    def autosave(self) -> str | None:
        """Save after each change. Returns a message when it could not."""
        if self.read_only or self.case is None:
            return (
                "not saved: the case has problems (fix them, or save a copy)"
                if self.case is None
                else "not saved automatically: the file had errors when opened; use Save as"
            )
        try:
            if self.workspace is not None and self.workspace_id:
                self.base_version = self.workspace.save(
                    self.workspace_id, self.yaml_text(), "tui", self.base_version
                )
            elif self.path is not None:
                if not self._backed_up and self.path.exists():
                    # The first save of a session keeps the file as it was (comments included).
                    backup = self.path.with_name(f".{self.path.name}.before-achilles")
                    if not backup.exists():
                        shutil.copy2(self.path, backup)
                        backup.chmod(0o600)
                    self._backed_up = True
                write_private(self.path, self.yaml_text())
            else:
                return "not saved: no file"
        except AchillesError as exc:
            kept = self._keep_conflict_copy()
            return f"not saved: {exc.message}" + (
                f"; your version is kept at {kept}" if kept else ""
            )
        self.dirty = False
        return None

    def _keep_conflict_copy(self) -> Path | None:
        """Nothing typed is lost: when a save is refused, the edited case goes to a private file."""
        from platformdirs import user_data_dir

        try:
            folder = private_folder(Path(user_data_dir("achilles")) / "unsaved")
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
            name = self.workspace_id or (self.path.stem if self.path else "case")
            target = folder / f"{name}-{stamp}.yaml"
            write_private(target, self.yaml_text())
            return target
        except (OSError, AchillesError):
            return None

    def reload_from_workspace(self) -> None:
        """Take the workspace's latest version (after a refused save); edits stay in their copy."""
        if self.workspace is None or not self.workspace_id:
            return
        from achilles.model.case_file import parse_case

        case = parse_case(
            self.workspace.get(self.workspace_id), f"workspace:{self.workspace_id}", self.k.vocab
        )
        self.data = case.model_dump(by_alias=True, exclude_none=True)
        self.base_version = self.workspace.latest_version(self.workspace_id)
        self.undo_stack.clear()
        self.dirty = False
        self._validate()

    def save_as(self, path: Path) -> None:
        write_private(path, self.yaml_text())
        self.path, self.read_only, self.dirty = path, False, False

    # --- advice --------------------------------------------------------------------------

    def analyse(self) -> Result | None:
        if self.case is None:
            return None
        with _ENGINE_LOCK:
            analysis = analyse(
                self.case,
                self.k.catalogue,
                self.k.rulebook,
                self.k.vocab,
                disabled=frozenset(self.disabled),
            )
        ranking = rank(analysis, self.k.catalogue, self.k.vocab)
        before = {r.key: r.score for r in self.result.ranking.options} if self.result else None
        changed = (
            set()
            if before is None
            else {r.key for r in ranking.options if before.get(r.key) != r.score}
        )
        self.result = Result(analysis, ranking, changed)
        return self.result

    def toggle_selected(self, key: str) -> bool:
        if key in self.selected:
            self.selected.remove(key)
            return False
        self.selected.append(key)
        self.choices[key] = Choice("accepted", by="LRO", at=_now())
        return True

    def decide(self, key: str, decision: str, reason: str) -> None:
        self.choices[key] = Choice(decision, reason=reason, by="LRO", at=_now())
        if key in self.selected and decision != "accepted":
            self.selected.remove(key)
        if self.workspace is not None and self.workspace_id and self.result:
            power_id, _, target = key.partition("@")
            self.workspace.record_decision(
                self.workspace_id,
                key,
                power_id,
                target,
                decision,
                reason,
                "LRO",
                self.base_version or 0,
                self.k.rulebook.version,
                str(len(self.k.catalogue)),
            )

    def set_owner(self, key: str, owner: str, agency: str, due: dt.date | None) -> None:
        c = self.choices.get(key, Choice("accepted"))
        self.choices[key] = Choice(
            c.decision or "accepted", c.reason, owner, agency, due, c.by, c.at
        )

    def plan(self, *, redact: bool = False, start: dt.date | None = None) -> Plan | None:
        if self.result is None:
            return None
        return build_plan(
            self.result.analysis,
            self.result.ranking,
            self.k.catalogue,
            self.k.rulebook,
            self.k.vocab,
            select=list(self.selected) or None,
            choices=self.choices,
            start=start,
            redact=redact,
        )

    def toggle_what_if(self, entity_id: str) -> bool:
        if entity_id in self.disabled:
            self.disabled.discard(entity_id)
            return False
        self.disabled.add(entity_id)
        return True


def private_folder(folder: Path) -> Path:
    """Create a folder (and its parent) readable by the owner only."""
    for f in (folder.parent, folder):
        f.mkdir(parents=True, exist_ok=True)
        f.chmod(0o700)
    return folder


def salvage(data: Any, vocab: Vocabulary) -> dict[str, Any]:
    """The parts of a broken case file that are sound on their own, for opening read-only."""
    from achilles.model import case as m

    out: dict[str, Any] = {}
    if not isinstance(data, dict):
        data = {}
    header = data.get("case") if isinstance(data.get("case"), dict) else {}
    try:
        out["case"] = m.CaseInfo.model_validate(header).model_dump(
            mode="json", by_alias=True, exclude_none=True
        )
    except ValidationError:
        out["case"] = {
            "id": "recovered-case",
            "title": "Recovered case (the file has errors)",
            "as_of": dt.date.today().isoformat(),
            "jurisdiction": "england",
            "lro": {"name": "unknown", "agency": "unknown"},
        }
    try:
        out["ocg"] = m.Ocg.model_validate(data.get("ocg")).model_dump(
            mode="json", exclude_none=True
        )
    except ValidationError:
        out["ocg"] = {"name": "unknown group"}
    models = {
        "people": m.Person,
        "premises": m.Premises,
        "businesses": m.Business,
        "vehicles": m.Vehicle,
        "activities": m.Activity,
        "events": m.Event,
    }
    for section, model in models.items():
        items = data.get(section) if isinstance(data.get(section), list) else []
        kept = []
        for item in items:
            try:
                kept.append(
                    model.model_validate(item).model_dump(
                        mode="json", by_alias=True, exclude_none=True
                    )
                )
            except ValidationError:
                continue
        out[section] = kept
    # Drop references to entities that did not survive, so what loaded is usable.
    try:
        case = Case.model_validate(out)
        problems = Problems("salvage")
        check_case(case, vocab, problems)
        if problems.errors:
            bad = {p.path.split(".")[0] for p in problems.errors}
            for path in sorted(bad, reverse=True):
                section, _, rest = path.partition("[")
                if section in out and rest:
                    index = int(rest.split("]")[0])
                    if index < len(out[section]):
                        out[section].pop(index)
    except (ValidationError, InputError, ValueError):
        pass
    return out


def _flat_values(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [x for v in value.values() for x in _flat_values(v)]
    if isinstance(value, list):
        return [x for v in value for x in _flat_values(v)]
    return [value]


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
