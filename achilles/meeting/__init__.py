"""The case meeting with no Textual in it: the knowledge the TUI loads, the Session it draws
(the case being edited, undo, autosave, the plan the LRO keeps, what-if switches, the latest
analysis) and the salvage of a case file that cannot be fully read."""
