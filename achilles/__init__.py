"""Achilles: disruption options and 4P plans for organised crime groups.

The package root imports nothing heavy, so `achilles --version` and `--help` stay fast.
"""

__version__ = "0.1.0"
