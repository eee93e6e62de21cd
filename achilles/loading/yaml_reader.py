"""A safe YAML reader that remembers the line of every value.

The C parser's events are built into plain Python data in one pass, with no node tree and no
object construction: no tags that build objects, duplicate keys reported, a line number for
every field path so pydantic errors can point into the file. What a file may cost is bounded as
it is read, so a file past a budget is refused at once, not after seconds of parsing:

- its size on disk (MAX_FILE_BYTES);
- the values it holds, counting every value an alias repeats (MAX_VALUES): a "billion laughs"
  file is refused at its first alias past the budget;
- the characters aliases repeat (MAX_ALIAS_CHARS): one long note aliased by thousands of people
  would otherwise be written out thousands of times;
- how deeply it nests (MAX_DEPTH).

JSON that YAML 1.1 refuses (a raw C1 character, a surrogate escape) is read by
loading/json_reader.py under the same budgets, with the same duplicate-key check and lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
import yaml.composer
import yaml.constructor
import yaml.reader

from achilles.errors import InputError
from achilles.loading.problems import Path_, Problem, Problems, dotted

MAX_FILE_BYTES = 8 * 1024 * 1024  # a thousand-nominal case is well under 1 MB
# Values in one file, counting alias re-use. The largest of 200 `synth --size large` groups
# holds about 8,000; 100,000 are read in well under a second, and a case that large is refused
# by the case budget (loading/budget.py) before anything costly runs.
MAX_VALUES = 100_000
MAX_ALIAS_CHARS = 1_000_000  # characters repeated through aliases, over the whole file
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
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_constructor = yaml.constructor.SafeConstructor()


@dataclass
class Document:
    """A parsed file: plain Python data plus the line of every field path."""

    file: str
    data: Any
    lines: dict[Path_, int]
    problems: Problems


class Fuse(Exception):
    """A budget or a structural rule broken: the file is refused at this line (and field)."""

    def __init__(
        self, message: str, line: int | None, hint: str, path: Path_ | None = None
    ) -> None:
        self.message, self.line, self.hint, self.path = message, line, hint, path


_Fuse = Fuse  # the name this module used before json_reader shared it


def _fail(
    file: str, line: int | None, message: str, hint: str, path: Path_ | None = None
) -> InputError:
    where = dotted(path) if path else "(file)"
    problem = Problem(file=file, line=line, path=where, message=message, hint=hint)
    return InputError(f"{file}: {message}", [problem], hint=hint)


def too_many_values(line: int | None, path: Path_, through_aliases: bool) -> Fuse:
    if through_aliases:
        return Fuse(
            f"expands to more than {MAX_VALUES:,} values through YAML aliases",
            line,
            "write the values out instead of nesting aliases",
            path,
        )
    return Fuse(
        f"holds more than {MAX_VALUES:,} values, more than any one group needs",
        line,
        "split it into several files (a case file per group, or per part of a large group)",
        path,
    )


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
    """Parse YAML (or JSON) text. Syntax errors raise InputError; duplicate keys are collected.

    Byte-order marks before the text are dropped here, so a file reads the same however it was
    read (`case validate` decodes the file; `case import` keeps the mark to give it back)."""
    text = text.lstrip("\ufeff")
    problems = Problems(file=file)
    loader = _Loader(text)
    try:
        data = _Builder(loader, problems).document()
    except yaml.MarkedYAMLError as exc:
        json_doc = _as_json(text, file)
        if json_doc is not None:
            return json_doc
        raise _syntax_error(exc, file) from None
    except yaml.reader.ReaderError as exc:
        json_doc = _as_json(text, file)
        if json_doc is not None:
            return json_doc
        line = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else None
        raise _fail(
            file,
            line,
            f"holds a control character (code {exc.character!r}) YAML does not allow",
            'remove it, or write it as an escape inside double quotes, e.g. "\\t"',
        ) from None
    except yaml.YAMLError as exc:
        raise _fail(file, None, f"YAML error: {exc}", "check the file is YAML or JSON") from None
    except Fuse as fuse:
        raise _fail(file, fuse.line, fuse.message, fuse.hint, fuse.path) from None
    finally:
        loader.dispose()
        # the shared constructor remembers every node it built: forget them, or a long
        # process (batch, TUI, workspace) keeps every case it ever read
        _constructor.constructed_objects.clear()
        _constructor.recursive_objects.clear()
    return Document(file, data, problems.lines, problems)


def _as_json(text: str, file: str) -> Document | None:
    """The text read as JSON, when it is JSON that YAML refused (loading/json_reader.py)."""
    from achilles.loading.json_reader import parse_json

    try:
        return parse_json(text, file)
    except Fuse as fuse:
        raise _fail(file, fuse.line, fuse.message, fuse.hint, fuse.path) from None


def _syntax_error(exc: yaml.MarkedYAMLError, file: str) -> InputError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    problem = (exc.problem or "not valid YAML").strip()
    if exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
        problem += f" ({(exc.context or 'it').strip()} opened on line {exc.context_mark.line + 1})"
        if "quoted scalar" in (exc.context or ""):
            line = exc.context_mark.line + 1  # where the quote opened is where to look
    hint = "check indentation and quoting near that line"
    if "\\t" in problem or "tab" in problem:
        hint = "YAML indents with spaces; replace the tab characters with spaces"
    return _fail(file, line, f"YAML syntax error: {problem}", hint)


@dataclass
class _Anchored:
    """What an anchor named, to repeat at each alias: the value, what it cost, its lines."""

    value: Any
    values: int
    chars: int
    height: int  # how many levels it nests
    lines: list[tuple[Path_, int]]  # relative to the anchor's own path
    raw: str | None  # a scalar's text, for an alias used as a mapping key


class _Builder:
    """Plain data from the parser's events, in one pass, within the file's budgets."""

    def __init__(self, loader: Any, problems: Problems) -> None:
        self.loader = loader
        self.problems = problems
        self.values = 0
        self.chars = 0
        self.alias_chars = 0
        self.aliased = False
        self.anchors: dict[str, _Anchored | None] = {}  # None: still being read
        self.anchor_marks: dict[str, Any] = {}
        self.recording: list[int] = []  # where each open anchor's lines start in `log`
        self.log: list[tuple[Path_, int]] = []
        self.muted = 0  # inside a value that is read but not kept (a duplicate key's)
        self.deepest = 0  # the deepest level read so far (within the open anchor, if any)

    def document(self) -> Any:
        get, check = self.loader.get_event, self.loader.check_event
        get()  # StreamStartEvent
        if check(yaml.StreamEndEvent):
            get()
            return None
        start = get()  # DocumentStartEvent
        data = self.node((), 0)
        get()  # DocumentEndEvent
        if not check(yaml.StreamEndEvent):
            event = get()
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                start.start_mark,
                "but found another document",
                event.start_mark,
            )
        get()
        return data

    def _line(self, path: Path_, line: int, *, force: bool = False) -> None:
        if self.muted:
            return
        if force:
            self.problems.lines[path] = line
        else:
            self.problems.lines.setdefault(path, line)
        if self.recording:
            self.log.append((path, line))

    def _count(self, line: int, path: Path_, chars: int = 0) -> None:
        self.values += 1
        self.chars += chars
        if self.values > MAX_VALUES:
            raise too_many_values(line, path, self.aliased)

    def node(self, path: Path_, depth: int) -> Any:
        event = self.loader.get_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            return self.alias(event, path, line, depth)
        if depth > MAX_DEPTH:
            raise Fuse(
                f"nested deeper than {MAX_DEPTH} levels", line, "flatten the structure", path
            )
        anchor = event.anchor
        if anchor is not None:
            if anchor in self.anchors:
                raise yaml.composer.ComposerError(
                    f"found duplicate anchor {anchor!r}; first occurrence",
                    self.anchor_marks[anchor],
                    "second occurrence",
                    event.start_mark,
                )
            self.anchors[anchor] = None
            self.anchor_marks[anchor] = event.start_mark
            self.recording.append(len(self.log))
            values, chars, deepest = self.values, self.chars, self.deepest
            self.deepest = depth
        self._line(path, line)
        self.deepest = max(self.deepest, depth)
        raw: str | None = None
        if isinstance(event, yaml.ScalarEvent):
            self._count(line, path, len(event.value))
            value = self.scalar(event, path)
            raw = event.value
        elif isinstance(event, yaml.SequenceStartEvent):
            self._count(line, path)
            self.check_tag(event, yaml.SequenceNode, "tag:yaml.org,2002:seq")
            value = []
            check, i = self.loader.check_event, 0
            while not check(yaml.SequenceEndEvent):
                value.append(self.node((*path, i), depth + 1))
                i += 1
            self.loader.get_event()
        elif isinstance(event, yaml.MappingStartEvent):
            self._count(line, path)
            self.check_tag(event, yaml.MappingNode, "tag:yaml.org,2002:map")
            value = self.mapping(path, depth)
        else:
            raise Fuse("unsupported YAML node", line, "use plain mappings, lists and values")
        if anchor is not None:
            start = self.recording.pop()
            base = len(path)
            self.anchors[anchor] = _Anchored(
                value,
                self.values - values,
                self.chars - chars,
                self.deepest - depth,
                [(p[base:], n) for p, n in self.log[start:]],
                raw,
            )
            self.deepest = max(deepest, self.deepest)
            if not self.recording:
                self.log.clear()
        return value

    def alias(self, event: yaml.AliasEvent, path: Path_, line: int, depth: int) -> Any:
        if event.anchor not in self.anchors:
            # The stubs give the C loader's marks another class than the one named here.
            mark: Any = event.start_mark
            raise yaml.composer.ComposerError(
                None, None, f"found undefined alias {event.anchor!r}", mark
            )
        anchored = self.anchors[event.anchor]
        if anchored is None:
            raise Fuse(
                f"the alias *{event.anchor} repeats a value that contains it, for ever",
                line,
                "write the values out instead of aliases",
                path,
            )
        self.aliased = True
        if depth + anchored.height > MAX_DEPTH:
            raise Fuse(
                f"nested deeper than {MAX_DEPTH} levels", line, "flatten the structure", path
            )
        self.deepest = max(self.deepest, depth + anchored.height)
        self.values += anchored.values
        if self.values > MAX_VALUES:
            raise too_many_values(line, path, through_aliases=True)
        self.alias_chars += anchored.chars
        self.chars += anchored.chars
        if self.alias_chars > MAX_ALIAS_CHARS:
            raise Fuse(
                f"repeats more than {MAX_ALIAS_CHARS:,} characters through YAML aliases",
                line,
                "write a long text once; refer to it by an id rather than repeating it",
                path,
            )
        for relative, n in anchored.lines:
            self._line((*path, *relative), n)
        return _copy(anchored.value)

    def check_tag(self, event: Any, kind: type, expected: str) -> None:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(kind, None, event.implicit)
        if tag != expected:
            raise Fuse(
                f"YAML tag '{tag}' is not allowed",
                event.start_mark.line + 1,
                "remove the tag: case, rule and power files hold plain data only",
            )

    def _tag(self, event: yaml.ScalarEvent) -> str:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        return tag

    def scalar(self, event: yaml.ScalarEvent, path: Path_) -> Any:
        tag = self._tag(event)
        if tag == _STR:
            return event.value
        if tag not in _SCALAR_TAGS:
            raise Fuse(
                f"YAML tag '{tag}' is not allowed",
                event.start_mark.line + 1 if event.start_mark else 0,
                "remove the tag: case, rule and power files hold plain data only",
            )
        # The stubs give the C loader's marks another class than the one ScalarNode names.
        start: Any = event.start_mark
        end: Any = event.end_mark
        node = yaml.ScalarNode(tag, event.value, start, end, event.style)
        try:
            value = _constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError):
            if tag == "tag:yaml.org,2002:timestamp":
                return event.value  # an impossible date: the model reports it once, as a date
            self.problems.add(
                path, f"cannot read the value '{event.value[:40]}'", "quote it as text"
            )
            return event.value
        if isinstance(value, dt.datetime):
            return value  # kept; pydantic decides whether a time is acceptable
        return value

    def mapping(self, path: Path_, depth: int) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        get, check = self.loader.get_event, self.loader.check_event
        while not check(yaml.MappingEndEvent):
            key_event = get()
            key_line = key_event.start_mark.line + 1
            if isinstance(key_event, yaml.AliasEvent):
                anchored = self.anchors.get(key_event.anchor or "")
                if anchored is None or anchored.raw is None:
                    raise Fuse(
                        "a mapping key must be a plain word",
                        key_line,
                        "use text keys such as 'id' or 'name'",
                    )
                key = anchored.raw
            elif isinstance(key_event, yaml.ScalarEvent):
                self._count(key_line, path, len(key_event.value))
                if self._tag(key_event) == _MERGE:
                    raise Fuse(
                        "YAML merge keys ('<<') are not supported",
                        key_line,
                        "write the fields out in full",
                    )
                # Keys are names, not values: `on:` or `no:` stay words (YAML 1.1 would make
                # them true/false); the tag is still checked, so no key builds an object.
                self.scalar(key_event, path)
                key = key_event.value
            else:
                raise Fuse(
                    "a mapping key must be a plain word",
                    key_line,
                    "use text keys such as 'id' or 'name'",
                )
            child = (*path, key)
            if key in out:
                self.problems.add(
                    child,
                    f"duplicate key '{key}' (first on line {self.problems.lines.get(child)})",
                    "keep one; YAML would silently use the last",
                    line=key_line,
                )
                self.skip(depth + 1)
                continue
            self._line(child, key_line, force=True)
            out[key] = self.node(child, depth + 1)
            # a key's own line is the best place to point at for its value
            self._line(child, key_line, force=True)
        get()
        return out

    def skip(self, depth: int) -> None:
        """Read past a value that is not kept (a duplicate key's), still within the budgets."""
        self.muted += 1
        try:
            self.node((), depth)
        finally:
            self.muted -= 1


def _copy(value: Any) -> Any:
    """A fresh copy of plain data, so an edit through one alias never changes another."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value
