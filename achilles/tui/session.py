"""Moved to achilles.meeting (headless code, under the "never imports Textual" contract).

Kept so that code written against the old path (benchmarks/run.py's TUI child) still runs.
"""

from achilles.knowledge import Knowledge, load_knowledge_lenient
from achilles.meeting.salvage import salvage
from achilles.meeting.session import ENGINE_LOCK, SECTIONS, LatestAdvice, Session

_ENGINE_LOCK = ENGINE_LOCK

__all__ = ["SECTIONS", "Knowledge", "LatestAdvice", "Session", "load_knowledge_lenient", "salvage"]
