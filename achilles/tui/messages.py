"""Messages that cross screens."""

from __future__ import annotations

from textual.message import Message


class CaseChanged(Message):
    """The case was edited (or undone, or a what-if switched): re-run the analysis."""


class AnalysisReady(Message):
    """A new analysis and ranking are in the session: redraw."""
