"""Renderers: a Plan or a ranking into Markdown, text, HTML, CSV, DOCX and JSON.

Every format carries the protective marking at top and bottom, and escapes user text for its
own syntax so a name cannot break a table or inject formatting.
"""

from __future__ import annotations

FORMATS = ("markdown", "text", "html", "csv", "docx", "json")
BINARY = {"docx"}
SUFFIX = {
    "markdown": ".md",
    "text": ".txt",
    "html": ".html",
    "csv": ".csv",
    "docx": ".docx",
    "json": ".json",
}
