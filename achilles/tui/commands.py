"""Command-palette entries: every action of the app, searchable by name."""

from __future__ import annotations

from functools import partial

from textual.command import Hit, Hits, Provider

COMMANDS = [
    ("Show the case", "show('case')", "people, premises, businesses, vehicles, activities"),
    ("Show the options", "show('options')", "ranked disruption options"),
    ("Show the plan", "show('plan')", "the 4P plan, owners, export"),
    ("Show the rules", "show('rules')", "rules and powers in plain English"),
    ("Show the questions", "show('questions')", "what to ask each partner, and what it opens"),
    ("Undo the last edit", "undo", "ctrl+z"),
    ("Help", "help", "keys and how to use Achilles"),
    ("Next theme (dark, light, colour-blind)", "next_theme", "ctrl+t"),
    ("Quit", "quit_safely", "ctrl+q"),
]
SCREEN_COMMANDS = [
    ("Add a person", "add('people')"),
    ("Add a premises", "add('premises')"),
    ("Add a business", "add('businesses')"),
    ("Add a vehicle", "add('vehicles')"),
    ("Add an activity", "add('activities')"),
    ("Edit the case header (operation, OCG, LRO, marking)", "header"),
    ("New case from a blank start", "new"),
    ("Export the plan", "export"),
    ("Review meeting agenda", "review"),
    ("Copy the plan to the clipboard", "copy"),
    ("Run the rule tests", "run_tests"),
    ("Whole power names in the options (wrap the tactic column)", "full_names"),
]


class AchillesCommands(Provider):
    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help_text in COMMANDS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(name),
                    partial(self.app.run_action, action),
                    help=help_text,
                )
        screen = self.screen  # the screen the palette opened over (app.screen is the palette)
        for name, action in SCREEN_COMMANDS:
            method = action.split("(")[0]
            if not hasattr(screen, f"action_{method}"):
                continue
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(screen.run_action, action))
