"""A safe YAML reader that remembers the line of every value.

PyYAML's composer builds a node tree with positions and never constructs objects; we walk
that tree ourselves. So: no tags that build objects, aliases expanded only up to a budget (a
"billion laughs" file is refused, not expanded), duplicate keys reported, and a line number for
every field path so pydantic errors can point into the file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
import yaml.constructor
import yaml.reader

from achilles.errors import InputError
from achilles.loading.problems import Path_, Problem, Problems

MAX_FILE_BYTES = 8 * 1024 * 1024  # a thousand-nominal case is well under 1 MB
MAX_VALUES = 250_000  # values built, counting alias re-use: the alias-bomb fuse
MAX_DEPTH = 64

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_constructor = yaml.constructor.SafeConstructor()


@dataclass
class Document:
    """A parsed file: plain Python data plus the line of every field path."""

    file: str
    data: Any
    lines: dict[Path_, int]
    problems: Problems


class _Fuse(Exception):
    def __init__(self, message: str, line: int | None, hint: str) -> None:
        self.message, self.line, self.hint = message, line, hint


def _fail(file: str, line: int | None, message: str, hint: str) -> InputError:
    problem = Problem(file=file, line=line, path="(file)", message=message, hint=hint)
    return InputError(f"{file}: {message}", [problem], hint=hint)


def read_text(path: str | Path, *, what: str = "file") -> str:
    """Read a UTF-8 text file or raise an InputError that says exactly why not."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise _fail(name, None, f"no such {what}", "check the path and spelling")
    if p.is_dir():
        raise _fail(name, None, f"is a folder, not a {what}", "name a .yaml file inside it")
    if not p.is_file():
        raise _fail(name, None, "is not a regular file (a device or a pipe)", "name a .yaml file")
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _fail(
                name,
                None,
                f"is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit for one {what}",
                "split the file, or check it is the right file",
            )
        raw = p.read_bytes()
    except PermissionError:
        raise _fail(
            name, None, "cannot be read (permission denied)", "check the file's permissions"
        ) from None
    except OSError as exc:
        raise _fail(name, None, f"cannot be read ({exc.strerror})", "check the file") from None
    return decode(raw, name)


def decode(raw: bytes, name: str) -> str:
    if b"\x00" in raw[:8192] and not raw.startswith(
        (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
    ):
        raise _fail(name, None, "looks like a binary file, not YAML text", "save it as UTF-8 text")
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise _fail(name, None, "is UTF-32 text", "re-save the file as UTF-8")
    for bom, codec in ((b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if raw.startswith(bom):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError:
                break
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _fail(
            name,
            line,
            f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            "re-save the file as UTF-8",
        ) from None


def load_yaml(path: str | Path, *, what: str = "file") -> Document:
    return parse_yaml(read_text(path, what=what), str(path))


def parse_yaml(text: str, file: str) -> Document:
    """Parse YAML (or JSON) text. Syntax errors raise InputError; duplicate keys are collected."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        json_data = _json_fallback(text, file)
        if json_data is not None:
            return json_data
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = (exc.problem or "not valid YAML").strip()
        if exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
            problem += (
                f" ({(exc.context or 'it').strip()} opened on line {exc.context_mark.line + 1})"
            )
            if "quoted scalar" in (exc.context or ""):
                line = exc.context_mark.line + 1  # where the quote opened is where to look
        hint = "check indentation and quoting near that line"
        if "\\t" in problem or "tab" in problem:
            hint = "YAML indents with spaces; replace the tab characters with spaces"
        raise _fail(file, line, f"YAML syntax error: {problem}", hint) from None
    except yaml.reader.ReaderError as exc:
        json_data = _json_fallback(text, file)
        if json_data is not None:
            return json_data
        line = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else None
        raise _fail(
            file,
            line,
            f"holds a control character (code {exc.character!r}) YAML does not allow",
            'remove it, or write it as an escape inside double quotes, e.g. "\\t"',
        ) from None
    except yaml.YAMLError as exc:
        raise _fail(file, None, f"YAML error: {exc}", "check the file is YAML or JSON") from None
    except RecursionError:
        raise _fail(
            file, None, "nested too deeply", f"keep nesting under {MAX_DEPTH} levels"
        ) from None
    problems = Problems(file=file)
    if node is None:
        return Document(file, None, {}, problems)
    walker = _Walker(problems)
    try:
        data = walker.build(node, (), 0)
    except _Fuse as fuse:
        raise _fail(file, fuse.line, fuse.message, fuse.hint) from None
    finally:
        # the shared constructor remembers every node it built: forget them, or a long
        # process (batch, TUI, workspace) keeps every case it ever read
        _constructor.constructed_objects.clear()
        _constructor.recursive_objects.clear()
    return Document(file, data, problems.lines, problems)


def _json_fallback(text: str, file: str) -> Document | None:
    """Valid JSON that YAML 1.1 refuses (surrogate escapes, raw C1 characters) still loads,
    without line numbers; anything else returns None and the YAML error stands."""
    import json

    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped.startswith(("{", "[")):
        return None
    try:
        data = json.loads(stripped)
    except (ValueError, RecursionError):
        return None
    return Document(file, data, {}, Problems(file=file))


class _Walker:
    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.count = 0

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.count += 1
        line = node.start_mark.line + 1
        if self.count > MAX_VALUES:
            raise _Fuse(
                f"expands to more than {MAX_VALUES:,} values (YAML aliases?)",
                line,
                "write the values out instead of nesting aliases",
            )
        if depth > MAX_DEPTH:
            raise _Fuse(f"nested deeper than {MAX_DEPTH} levels", line, "flatten the structure")
        self.problems.lines.setdefault(path, line)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if isinstance(node, yaml.SequenceNode):
            self.check_tag(node, "tag:yaml.org,2002:seq", path)
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            self.check_tag(node, "tag:yaml.org,2002:map", path)
            return self.mapping(node, path, depth)
        raise _Fuse("unsupported YAML node", line, "use plain mappings, lists and values")

    def check_tag(self, node: yaml.Node, expected: str, path: Path_) -> None:
        if node.tag != expected:
            raise _Fuse(
                f"YAML tag '{node.tag}' is not allowed",
                node.start_mark.line + 1,
                "remove the tag: case, rule and power files hold plain data only",
            )

    def scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        if node.tag not in _SCALAR_TAGS:
            raise _Fuse(
                f"YAML tag '{node.tag}' is not allowed",
                node.start_mark.line + 1,
                "remove the tag: case, rule and power files hold plain data only",
            )
        try:
            value = _constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError):
            if node.tag == "tag:yaml.org,2002:timestamp":
                return node.value  # an impossible date: the model reports it once, as a date
            self.problems.add(
                path, f"cannot read the value '{node.value[:40]}'", "quote it as text"
            )
            return node.value
        if isinstance(value, dt.datetime):
            return value  # kept; pydantic decides whether a time is acceptable
        return value

    def mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Fuse(
                    "YAML merge keys ('<<') are not supported",
                    key_node.start_mark.line + 1,
                    "write the fields out in full",
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Fuse(
                    "a mapping key must be a plain word",
                    key_node.start_mark.line + 1,
                    "use text keys such as 'id' or 'name'",
                )
            # Keys are names, not values: `on:` or `no:` stay words (YAML 1.1 would make them true/false).
            self.scalar(key_node, path)  # still refuses object-building tags on keys
            key = key_node.value
            child = (*path, key)
            if key in out:
                self.problems.add(
                    child,
                    f"duplicate key '{key}' (first on line {self.problems.lines.get(child)})",
                    "keep one; YAML would silently use the last",
                    line=key_node.start_mark.line + 1,
                )
                continue
            self.problems.lines[child] = key_node.start_mark.line + 1
            out[key] = self.build(value_node, child, depth + 1)
            # a key's own line is the best place to point at for its value
            self.problems.lines[child] = key_node.start_mark.line + 1
        return out
