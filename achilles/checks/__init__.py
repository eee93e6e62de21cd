"""Checks for the legal content: rule tests, the rule-pack lint, catalogue completeness."""
