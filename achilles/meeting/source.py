"""A case opened for a change to its plan from the command line: a case file, or a case kept in
the workspace.

Only the `plan` section is rewritten: the rest of the text (comments, layout, line endings, a
byte-order mark) stays byte for byte, in the file and in the workspace's history. A save is
refused, never merged, when someone saved first: a case file whose bytes changed since they were
read, or a workspace case with a newer version (the workspace's own stale-save refusal). In the
workspace the plan's changes go into the decision log in the same transaction as the version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from achilles.errors import AchillesError, InputError
from achilles.files import write_private
from achilles.loading.yaml_reader import read_text
from achilles.model.case import Case
from achilles.model.case_file import case_yaml, parse_case
from achilles.model.plan_state import PlanState
from achilles.model.vocabulary import Vocabulary
from achilles.review import Saved
from achilles.tracker import Change

BOM = "\ufeff"


def is_file_arg(arg: str) -> bool:
    """A path (it exists, has a folder separator or a case-file suffix) rather than a case id."""
    return (
        Path(arg).exists()
        or any(sep in arg for sep in ("/", "\\"))
        or arg.endswith((".yaml", ".yml", ".json"))
    )


@dataclass
class CaseSource:
    label: str  # the file, or workspace:<id>, for messages
    case: Case
    text: str
    path: Path | None = None
    sha: str | None = None  # of the file's bytes when read
    workspace: Any = None
    case_id: str | None = None
    version: int | None = None

    def history(self) -> list[Saved] | None:
        """The workspace's versions of the case; None for a case file (it keeps no history)."""
        if self.workspace is None or self.case_id is None:
            return None
        return [
            Saved(v.version, v.saved_at, v.saved_by, v.summary)
            for v in self.workspace.history(self.case_id)
        ]

    def save_plan(
        self,
        state: PlanState,
        changes: Sequence[Change],
        who: str,
        rules_version: str,
        catalogue_version: str,
        vocab: Vocabulary,
    ) -> str:
        """Write the new plan; what was saved, in words."""
        text = with_plan(self.text, state, json_file=self.label.endswith(".json"))
        parse_case(text, self.label, vocab)  # never write a case that would not read back
        if self.workspace is not None and self.case_id is not None:
            from achilles.store import NewDecision

            entries = [
                NewDecision.from_change(c, who, rules_version, catalogue_version) for c in changes
            ]
            n = self.workspace.save(self.case_id, text, who, self.version or 0, entries)
            self.version, self.text = n, text
            return f"saved as version {n} of case {self.case_id} ({len(entries)} entr{'y' if len(entries) == 1 else 'ies'} in the decision log)"
        assert self.path is not None
        if _sha_of(self.path) != self.sha:
            raise AchillesError(
                f"{self.path}: the file changed since it was read (someone saved first); "
                "nothing was saved",
                hint="run the command again on the file as it is now",
            )
        raw = text.encode("utf-8")
        write_private(self.path, raw)
        self.sha, self.text = hashlib.sha256(raw).hexdigest(), text
        return f"saved to {self.path}"


def open_source(arg: str, workspace: Path | None, vocab: Vocabulary) -> CaseSource:
    if is_file_arg(arg):
        path = Path(arg)
        text = read_text(path, what="case file")
        raw = path.read_bytes()
        if raw.startswith(BOM.encode("utf-8")) and not text.startswith(BOM):
            text = BOM + text
        case = parse_case(text.removeprefix(BOM), str(path), vocab)
        return CaseSource(str(path), case, text, path, hashlib.sha256(raw).hexdigest())
    from achilles.store import NoSuchCase, Workspace

    ws = Workspace.open(workspace)
    try:
        text = ws.get(arg)
        version = ws.latest_version(arg)
    except NoSuchCase:
        ws.close()
        raise InputError(
            f"{arg}: no such file, and no case with that id in the workspace",
            hint="give a path to a case file, or see `achilles cases list`",
        ) from None
    case = parse_case(text.removeprefix(BOM), f"workspace:{arg}", vocab)
    return CaseSource(f"workspace:{arg}", case, text, workspace=ws, case_id=arg, version=version)


def with_plan(text: str, state: PlanState, *, json_file: bool = False) -> str:
    """The case text with its `plan` section replaced by `state` (removed when empty)."""
    bom = BOM if text.startswith(BOM) else ""
    body = text.removeprefix(BOM)
    newline = "\r\n" if "\r\n" in body else "\n"
    section = "" if state.empty else case_yaml({"plan": state.to_data()})
    spliced = None if json_file else _splice(body, section)
    if spliced is None:  # flow style or JSON: write the whole case again in its own format
        data = yaml.safe_load(body) or {}
        data.pop("plan", None)
        if not state.empty:
            data["plan"] = state.to_data()
        spliced = (
            json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"
            if json_file
            else case_yaml(data)
        )
    if newline != "\n":
        spliced = spliced.replace("\r\n", "\n").replace("\n", newline)
    return bom + spliced


def _splice(body: str, section: str) -> str | None:
    try:
        root = yaml.compose(body, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        return None
    lines = body.replace("\r\n", "\n").splitlines(keepends=True)
    for i, (key, value) in enumerate(root.value):
        if getattr(key, "value", None) != "plan":
            continue
        start = key.start_mark.line
        end_mark = value.end_mark
        end = end_mark.line + (1 if end_mark.column > 0 else 0)
        if i + 1 < len(root.value):
            end = min(end, root.value[i + 1][0].start_mark.line)
        return "".join(lines[:start]) + section + "".join(lines[end:])
    head = "".join(lines)
    if head and not head.endswith("\n"):
        head += "\n"
    return head + section


def _sha_of(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
