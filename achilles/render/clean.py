"""Making user text safe for each output: control characters out, syntax escaped."""

from __future__ import annotations

import html
import re

# C0 controls except tab and newline, DEL, C1 controls, and whole ANSI/OSC escape sequences
_ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidi embeddings, overrides, isolates and marks reorder what a reader sees (a name can be
# spoofed); they are removed. Line and paragraph separators become the newline they mean.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SEPARATORS = re.compile("[\u2028\u2029]")
_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")
_MD_LEADING = re.compile(r"^([#>+\-=])")
_MD_NUMBERED = re.compile(r"^(\d+)([.)])")


def clean(text: object) -> str:
    """Plain, printable text: escape sequences and control characters removed."""
    s = "" if text is None else str(text)
    if s.isprintable():  # every escape and control character is non-printable: nothing to do
        return s
    s = _SEPARATORS.sub("\n", _BIDI.sub("", s))
    return _CONTROLS.sub("", _ESCAPES.sub("", s))


def one_line(text: object) -> str:
    return " ".join(clean(text).split())


def md(text: object) -> str:
    """Literal text inside Markdown (tables included): formatting characters escaped, HTML
    neutralised, and a leading character that would start a heading, list or quote escaped."""
    s = _MD_INLINE.sub(r"\\\1", one_line(text))
    s = s.replace("<", "&lt;").replace(">", "&gt;")
    s = _MD_LEADING.sub(r"\\\1", s)
    return _MD_NUMBERED.sub(r"\1\\\2", s)


def html_text(text: object) -> str:
    return html.escape(clean(text), quote=True)


def csv_cell(text: object) -> str:
    """A cell spreadsheets will not run as a formula."""
    s = one_line(text)
    if s[:1] in ("=", "+", "-", "@", "\t", "\r") or s[:1].isspace():
        return "'" + s
    return s


def css_string(text: object) -> str:
    """Text that can stand inside a CSS string (the marking in an @page margin box): letters,
    digits, spaces and simple punctuation only, so nothing can close the string or the rule."""
    return re.sub(r"[^A-Za-z0-9 ,.:;()/-]", "", clean(text))


def print_css(marking: object) -> str:
    """A4 pages with the marking at the top and bottom of every printed page; the marking lines
    meant for the screen are then hidden, so a page never shows it twice."""
    m = css_string(marking)
    return (
        f'@page{{size:A4;margin:18mm 12mm;@top-center{{content:"{m}";font-weight:bold;'
        f'font-family:Arial,sans-serif}}@bottom-center{{content:"{m}";font-weight:bold;'
        "font-family:Arial,sans-serif}}"
        "@media print{.screen-marking{display:none}thead{display:table-header-group}"
        "tr{break-inside:avoid}}"
    )
