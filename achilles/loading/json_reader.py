"""JSON that YAML refuses, read as the YAML reader reads YAML.

YAML 1.1 (PyYAML) refuses some valid JSON: a raw C1 control character in a string, a surrogate
escape, a very long key. Such a file is read here instead, with the YAML path's promises: a line
for every field path, duplicate keys reported (never the last one silently kept: the review's
F-7, where a second `people` list replaced the first), and the same budgets on values and depth.
"""

from __future__ import annotations

import bisect
import json.decoder
import re
from collections.abc import Callable
from typing import Any

from achilles.loading.problems import Path_, Problems
from achilles.loading.yaml_reader import MAX_DEPTH, MAX_VALUES, Document, Fuse, too_many_values

_SPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"(-?(?:0|[1-9]\d*))(\.\d+)?([eE][-+]?\d+)?")
_WORDS = {"true": True, "false": False, "null": None}
_SPECIAL = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}


# json.decoder.scanstring is the stdlib's own string scanner (the C one when built); typeshed
# leaves it out of json/decoder.pyi, so its type is stated here.
_scanstring: Callable[[str, int, bool], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


def _skip(text: str, pos: int) -> int:
    """The position past any whitespace at `pos` (the pattern also matches nothing)."""
    space = _SPACE.match(text, pos)
    return space.end() if space else pos


class _Syntax(Exception):
    """Not valid JSON: the YAML reader's error stands."""


def parse_json(text: str, file: str) -> Document | None:
    """The document, or None when the text is not JSON (then YAML's error is the one to show).

    A budget or depth past its limit raises the YAML reader's Fuse, as YAML would."""
    stripped = text.lstrip("\ufeff")
    start = len(stripped) - len(stripped.lstrip(" \t\r\n"))
    if stripped[start : start + 1] not in ("{", "["):
        return None
    problems = Problems(file=file)
    reader = _Reader(stripped, problems)
    try:
        data = reader.value(start, (), 0)
        end = _skip(stripped, reader.pos)
        if end != len(stripped):
            raise _Syntax
    except (_Syntax, ValueError, IndexError):
        return None
    return Document(file, data, problems.lines, problems)


class _Reader:
    def __init__(self, text: str, problems: Problems) -> None:
        self.text = text
        self.problems = problems
        self.pos = 0
        self.values = 0
        self.newlines = [m.start() for m in re.finditer("\n", text)]

    def line(self, pos: int) -> int:
        return bisect.bisect_left(self.newlines, pos) + 1

    def value(self, pos: int, path: Path_, depth: int) -> Any:
        text = self.text
        pos = _skip(text, pos)
        line = self.line(pos)
        if depth > MAX_DEPTH:
            raise Fuse(
                f"nested deeper than {MAX_DEPTH} levels", line, "flatten the structure", path
            )
        self.values += 1
        if self.values > MAX_VALUES:
            raise too_many_values(line, path, through_aliases=False)
        self.problems.lines.setdefault(path, line)
        char = text[pos]
        if char == "{":
            return self.mapping(pos + 1, path, depth)
        if char == "[":
            return self.sequence(pos + 1, path, depth)
        if char == '"':
            string, self.pos = _scanstring(text, pos + 1, True)
            return string
        for word, constant in (*_WORDS.items(), *_SPECIAL.items()):
            if text.startswith(word, pos):
                self.pos = pos + len(word)
                return constant
        number = _NUMBER.match(text, pos)
        if number is None or number.end() == pos:
            raise _Syntax
        self.pos = number.end()
        digits = number.group()
        try:
            return float(digits) if number.group(2) or number.group(3) else int(digits)
        except ValueError:  # more digits than Python converts
            self.problems.add(path, f"cannot read the value '{digits[:40]}'", "quote it as text")
            return digits

    def sequence(self, pos: int, path: Path_, depth: int) -> list[Any]:
        text = self.text
        out: list[Any] = []
        pos = _skip(text, pos)
        if text[pos] == "]":
            self.pos = pos + 1
            return out
        while True:
            out.append(self.value(pos, (*path, len(out)), depth + 1))
            pos = _skip(text, self.pos)
            if text[pos] == "]":
                self.pos = pos + 1
                return out
            if text[pos] != ",":
                raise _Syntax
            pos += 1

    def mapping(self, pos: int, path: Path_, depth: int) -> dict[str, Any]:
        text = self.text
        out: dict[str, Any] = {}
        pos = _skip(text, pos)
        if text[pos] == "}":
            self.pos = pos + 1
            return out
        while True:
            if text[pos] != '"':
                raise _Syntax
            key_line = self.line(pos)
            key, pos = _scanstring(text, pos + 1, True)
            self.values += 1  # keys count, as they do in YAML
            if self.values > MAX_VALUES:
                raise too_many_values(key_line, path, through_aliases=False)
            pos = _skip(text, pos)
            if text[pos] != ":":
                raise _Syntax
            child = (*path, key)
            if key in out:
                self.problems.add(
                    child,
                    f"duplicate key '{key}' (first on line {self.problems.lines.get(child)})",
                    "keep one; a JSON reader would silently use the last",
                    line=key_line,
                )
                lines = self.problems.lines
                kept = {p: n for p, n in lines.items() if p[: len(child)] == child}
                self.value(pos + 1, child, depth + 1)  # read, within the budgets; not kept
                for p in [p for p in lines if p[: len(child)] == child]:
                    del lines[p]
                lines.update(kept)
            else:
                self.problems.lines[child] = key_line
                out[key] = self.value(pos + 1, child, depth + 1)
                self.problems.lines[child] = key_line  # a key's line is where its value is
            pos = _skip(text, self.pos)
            if text[pos] == "}":
                self.pos = pos + 1
                return out
            if text[pos] != ",":
                raise _Syntax
            pos = _skip(text, pos + 1)
