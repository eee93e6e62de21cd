"""The state of one case meeting, with no Textual in it: the case being edited, undo, autosave,
the plan the LRO keeps, what-if switches, and the latest analysis. The TUI only draws this.

The plan (actions, owners, dates, status, decisions, reviews) is the case's `plan` section, so
it is edited, undone and saved exactly like the rest of the case: at once, to the case file or
as a new workspace version. In the workspace each save also appends the plan's changes to the
decision log, in the same transaction. A save is refused, never merged, when someone else saved
first (a newer workspace version, or a case file changed on disk since it was read); the edited
case is then kept in a private file and nothing typed is lost.
"""

from __future__ import annotations

import copy
import datetime as dt
import getpass
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from achilles.analysis import Analysis, analyse
from achilles.errors import AchillesError
from achilles.files import keep_first_copy, private_folder, write_private
from achilles.knowledge import Knowledge, load_knowledge_lenient
from achilles.loading.paths import examples_dir
from achilles.loading.problems import Problem, Problems
from achilles.loading.validation import add_validation_errors
from achilles.loading.yaml_reader import load_yaml
from achilles.meeting.edits import (
    deletion_problems,
    entity_problems,
    header_problems,
    presumption_advice,
)
from achilles.meeting.salvage import salvage
from achilles.model.case import Case
from achilles.model.case_file import case_yaml, check_case, check_document
from achilles.model.plan_state import STARTED, PlanState
from achilles.plan import Plan, build_plan, protects_victim, selection
from achilles.ranking import RankedOption, Ranking, load_weights, rank, with_local_outcomes
from achilles.tracker import Tracker, plan_changes

SECTIONS = ("people", "premises", "businesses", "vehicles", "activities", "events")
UNDO_DEPTH = 50
ENGINE_LOCK = threading.Lock()  # the rules engine's C core is not thread-safe
T = TypeVar("T")


@dataclass
class LatestAdvice:
    analysis: Analysis
    ranking: Ranking
    changed: set[str]  # option keys new or rescored since the previous run


def login_name() -> str:
    """Who is recorded with a change: the login name (never the case's people)."""
    try:
        return getpass.getuser() or "unknown"
    except Exception:  # noqa: BLE001 - no login name (some containers): record that honestly
        return "unknown"


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
        who: str | None = None,
    ) -> None:
        self.knowledge = knowledge
        self.data = data
        self.path = path
        self.workspace = workspace
        self.workspace_id = workspace_id
        self.base_version = base_version
        self.who = who or login_name()
        self.today = dt.date.today()  # plan dates count from here; the app (and tests) set it
        self.load_problems = list(problems or [])
        self.read_only = bool(self.load_problems)  # never overwrite a file we could not fully read
        self.undo_stack: list[dict[str, Any]] = []
        self.dirty = False
        self.disabled: set[str] = set()
        self.result: LatestAdvice | None = None
        self._backed_up = False
        self.save_error: str | None = None
        self.plan_saved_at: dt.datetime | None = None  # when a plan change was last saved
        self.adopted = 0  # suggested actions the last plan edit made the LRO's own
        self._record: dict[str, dict[str, int]] | None = None
        self._last_plan: tuple[tuple[Any, ...], PlanState, Plan] | None = None
        self.case: Case | None = None
        self.case_problems: list[Problem] = []
        self._normalise_plan()
        self._saved_plan = self.plan_state  # what the decision log already knows
        self._disk_sha = _file_sha(path) if path is not None else None
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
    def from_workspace(cls, workspace: Any, case_id: str, knowledge: Knowledge) -> Session:
        from achilles.model.case_file import parse_case

        text = workspace.get(case_id)
        version = workspace.latest_version(case_id)
        case = parse_case(text, f"workspace:{case_id}", knowledge.vocab)
        return cls(
            knowledge,
            case.model_dump(by_alias=True, exclude_none=True),
            workspace=workspace,
            workspace_id=case_id,
            base_version=version,
        )

    @classmethod
    def demo(cls, knowledge: Knowledge, name: str, folder: Path, *, reset: bool = False) -> Session:
        """A private copy of a bundled sample, so the LRO can try edits without harm. `reset`
        starts again from the sample; the copy it replaces is kept beside it (nothing typed is
        lost) as `.NAME.before-reset`."""
        private_folder(folder, ours=2)
        source = examples_dir() / name
        if not source.exists():  # a trimmed install: fall back to the contract's example
            source = examples_dir() / "contract-example.yaml"
        target = folder / source.name
        if reset and target.exists():
            target.replace(target.with_name(f".{target.name}.before-reset"))
            target.with_name(f".{target.name}.before-achilles").unlink(missing_ok=True)
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
        check_case(case, self.knowledge.vocab, problems)
        self.case = case if not problems.errors else None
        self.case_problems = problems.items

    def check_entity(
        self, section: str, index: int | None, entity: dict[str, Any]
    ) -> list[Problem]:
        """The problems this edit would cause, before it is applied: shown inline in the form."""
        return entity_problems(self.data, self.knowledge.vocab, section, index, entity)

    def advice(self, section: str, index: int | None, entity: dict[str, Any]) -> list[str]:
        """What the law presumes about the people this edit touches: shown, never blocking."""
        return presumption_advice(self.data, self.knowledge, section, index, entity)

    def check_delete(self, section: str, index: int) -> list[Problem]:
        """Deleting an entity others refer to would leave dangling references: say which."""
        return deletion_problems(self.data, self.knowledge.vocab, section, index)

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
        self._remember()
        items = self.data.setdefault(section, [])
        if entity is None and index is not None:
            items.pop(index)
        elif index is None:
            items.append(entity)
        else:
            items[index] = entity
        self._changed()
        return []

    def apply_header(self, info: dict[str, Any], ocg: dict[str, Any]) -> list[Problem]:
        """Replace the case header (`case:`, `ocg:`); autosave when valid."""
        problems = header_problems(self.data, self.knowledge.vocab, info, ocg)
        if problems:
            return problems
        self._remember()
        self.data["case"], self.data["ocg"] = info, ocg
        self._changed()
        return []

    def undo(self) -> bool:
        if not self.undo_stack:
            return False
        self.data = self.undo_stack.pop()
        self._changed()
        return True

    def _remember(self) -> None:
        self.undo_stack.append(copy.deepcopy(self.data))
        del self.undo_stack[:-UNDO_DEPTH]

    def _changed(self) -> None:
        before = self._saved_plan
        self.dirty = True
        self._validate()
        self.save_error = self.autosave()
        if self.save_error is None and self.plan_state != before:
            self.plan_saved_at = dt.datetime.now()

    def yaml_text(self) -> str:
        return "# Saved by Achilles.\n" + case_yaml(_plain(self.data))

    # --- saving --------------------------------------------------------------------------

    def autosave(self) -> str | None:
        """Save after each change. Returns a message when it could not."""
        if self.read_only or self.case is None:
            return (
                "not saved: the case has problems (fix them, or save a copy)"
                if self.case is None
                else "not saved automatically: the file had errors when opened; use Save as"
            )
        plan = self.plan_state
        try:
            if self.workspace is not None and self.workspace_id:
                from achilles.store import NewDecision

                entries = [
                    NewDecision.from_change(
                        c,
                        self.who,
                        self.knowledge.rulebook.version,
                        str(len(self.knowledge.catalogue)),
                    )
                    for c in plan_changes(self._saved_plan, plan)
                ]
                self.base_version = self.workspace.save(
                    self.workspace_id, self.yaml_text(), self.who, self.base_version, entries
                )
            elif self.path is not None:
                self._save_file()
            else:
                return "not saved: no file"
        except AchillesError as exc:
            kept = self._keep_conflict_copy()
            return (
                f"not saved: {exc.message}"
                + (f"; your version is kept at {kept}" if kept else "")
                + "; ctrl+r loads the saved case"
            )
        self._saved_plan = plan
        self.dirty = False
        return None

    def _save_file(self) -> None:
        assert self.path is not None
        if self.path.exists() and _file_sha(self.path) != self._disk_sha:
            raise AchillesError(
                f"{self.path.name} was changed by another program since you opened it; "
                "reload it (ctrl+r), then re-apply your change"
            )
        if not self._backed_up and self.path.exists():
            # The first save of a session keeps the file as it was (comments included).
            # Never through a link or over a pipe: the backup holds the same data as the case.
            keep_first_copy(self.path, self.path.with_name(f".{self.path.name}.before-achilles"))
            self._backed_up = True
        text = self.yaml_text()
        write_private(self.path, text)
        self._disk_sha = _sha(text.encode("utf-8"))

    def _keep_conflict_copy(self) -> Path | None:
        """Nothing typed is lost: when a save is refused, the edited case goes to a private file."""
        from platformdirs import user_data_dir

        try:
            folder = private_folder(Path(user_data_dir("achilles")) / "unsaved", ours=2)
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
            name = self.workspace_id or (self.path.stem if self.path else "case")
            target = folder / f"{name}-{stamp}.yaml"
            write_private(target, self.yaml_text())
            return target
        except (OSError, AchillesError):
            return None

    def reload(self) -> None:
        """Take the latest saved case (after a refused save); the edits stay in their copy."""
        if self.workspace is not None and self.workspace_id:
            from achilles.model.case_file import parse_case

            case = parse_case(
                self.workspace.get(self.workspace_id),
                f"workspace:{self.workspace_id}",
                self.knowledge.vocab,
            )
            self.base_version = self.workspace.latest_version(self.workspace_id)
        elif self.path is not None:
            from achilles.model.case_file import load_case

            case = load_case(self.path, self.knowledge.vocab)
            self._disk_sha = _file_sha(self.path)
        else:
            return
        self.data = case.model_dump(by_alias=True, exclude_none=True)
        self._normalise_plan()
        self._saved_plan = self.plan_state
        self.undo_stack.clear()
        self.dirty = False
        self.save_error = None
        self._validate()

    # --- advice --------------------------------------------------------------------------

    def analyse(self) -> LatestAdvice | None:
        if self.case is None:
            return None
        with ENGINE_LOCK:
            analysis = analyse(
                self.case,
                self.knowledge.catalogue,
                self.knowledge.rulebook,
                self.knowledge.vocab,
                disabled=frozenset(self.disabled),
            )
        ranking = rank(analysis, self.knowledge.catalogue, self.knowledge.vocab)
        if load_weights().outcomes.weight > 0:  # the partnership's own outcomes: off by default
            ranking = with_local_outcomes(ranking, self._outcome_record(), self.case)
        before = {r.key: r.score for r in self.result.ranking.options} if self.result else None
        changed = (
            set()
            if before is None
            else {r.key for r in ranking.options if before.get(r.key) != r.score}
        )
        self.result = LatestAdvice(analysis, ranking, changed)
        return self.result

    def _outcome_record(self) -> dict[str, dict[str, int]]:
        """The partnership's outcomes per power (store/outcomes.py), read once per session."""
        if self._record is None:
            from achilles.store.outcomes import outcome_record, workspace_record

            self._record = (
                outcome_record(self.workspace) if self.workspace is not None else workspace_record()
            )
        return self._record

    def option(self, key: str) -> RankedOption | None:
        if self.result is None:
            return None
        return next((r for r in self.result.ranking.options if r.key == key), None)

    def plan(self, *, redact: bool = False, start: dt.date | None = None) -> Plan | None:
        """The plan for the latest advice; the last one built is kept, because every screen
        visit and every status line asks for it again though neither advice nor plan changed."""
        if self.result is None:
            return None
        inputs = (self.result, self.knowledge, redact, start or self.today)
        state = self.plan_state
        if self._last_plan is not None:
            (result, knowledge, *asked), last_state, last_plan = self._last_plan
            same_advice = result is self.result and knowledge is self.knowledge
            if same_advice and asked == list(inputs[2:]) and state == last_state:
                return last_plan
        plan = self._build_plan(redact, start)
        self._last_plan = (inputs, state, plan)
        return plan

    def _build_plan(self, redact: bool, start: dt.date | None) -> Plan:
        assert self.result is not None
        return build_plan(
            self.result.analysis,
            self.result.ranking,
            self.knowledge.catalogue,
            self.knowledge.rulebook,
            self.knowledge.vocab,
            state=self.plan_state,
            start=start or self.today,
            redact=redact,
        )

    def toggle_what_if(self, entity_id: str) -> bool:
        if entity_id in self.disabled:
            self.disabled.discard(entity_id)
            return False
        self.disabled.add(entity_id)
        return True

    # --- the plan the LRO keeps ------------------------------------------------------------

    @property
    def plan_state(self) -> PlanState:
        """A copy of the plan as it stands (edit it with `change_plan`)."""
        try:
            return PlanState.model_validate(copy.deepcopy(self.data.get("plan") or {}))
        except ValidationError:
            return PlanState()

    def _normalise_plan(self) -> None:
        """The plan as the file writes it: no default fields (shareable: false...)."""
        if "plan" not in self.data:
            return
        try:
            state = PlanState.model_validate(self.data["plan"] or {})
        except ValidationError:
            return  # left as typed: validation reports it
        self._put_plan(state)

    def _put_plan(self, state: PlanState) -> None:
        if state.empty:
            self.data.pop("plan", None)
        else:
            self.data["plan"] = state.to_data()

    def change_plan(self, edit: Callable[[Tracker], T], *, keep_suggestions: bool = False) -> T:
        """Apply one edit to the plan through a Tracker (which checks it and raises
        AchillesError when it is not allowed); undoable and saved at once like any edit.

        With keep_suggestions, an edit made while the plan still shows its suggested actions
        first makes them the LRO's own (`self.adopted` says how many), so that giving one an
        owner, say, never drops the others from the plan."""
        state = self.plan_state
        options = [r.key for r in self.result.ranking.options] if self.result else []
        tracker = Tracker(state, self.knowledge.vocab, options, today=self.today, who=self.who)
        self.adopted = 0
        if keep_suggestions and not state.actions:
            plan = self.plan()
            for a in plan.actions() if plan else []:
                if a.origin == "suggested":
                    tracker.add(a.key)
                    self.adopted += 1
        outcome = edit(tracker)
        if state != self.plan_state:
            self._remember()
            self._put_plan(state)
            self._changed()
        return outcome

    def in_plan(self, key: str) -> bool:
        return self.plan_state.action(key) is not None

    def option_states(self) -> dict[str, str]:
        """What the plan says of each option, in a word or two: "in plan" (or the action's
        status when it has moved on), "rejected", "deferred", "suggested" (the plan's default
        until the LRO chooses) or "auto" (safeguarding for a person the group exploits)."""
        if self.result is None or self.case is None:
            return {}
        state = self.plan_state
        out: dict[str, str] = {}
        for key, origin in selection(
            self.result.ranking, state, None, load_weights(), self.result.analysis
        ):
            out[key] = {"suggested": "suggested", "automatic": "auto"}.get(origin, "in plan")
        for a in state.actions:
            out[a.key] = "in plan" if a.status == STARTED else a.status.replace("_", " ")
        for d in state.decisions:
            out[d.key] = d.decision
        return out

    def toggle_selected(self, key: str) -> bool:
        """Space on an option: into the plan, or out of it. True when it is now in the plan."""
        if self.in_plan(key):
            self.change_plan(lambda t: t.remove(key))
            return False
        self.change_plan(lambda t: t.add(key))
        return True

    def protects_victim(self, key: str) -> bool:
        """The option is the safeguarding of a person the group exploits (rejecting it needs
        the LRO to confirm)."""
        r = self.option(key)
        return bool(
            r
            and self.result
            and (protects_victim(r, self.result.analysis) or self.result.ranking.in_lane(key))
        )


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _sha(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _file_sha(path: Path) -> str | None:
    try:
        return _sha(path.read_bytes())
    except OSError:
        return None


__all__ = [
    "ENGINE_LOCK",
    "SECTIONS",
    "Knowledge",
    "LatestAdvice",
    "Session",
    "load_knowledge_lenient",
    "login_name",
    "salvage",
]
