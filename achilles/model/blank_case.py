"""The blank, commented case file a new case starts from: `achilles case new` prints it and
the TUI's Cases screen writes it (key n), so both start from the same file. It validates as it
is; the comments say what goes in each section."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from achilles.files import write_private

TEMPLATE = """\
# An Achilles case file: one organised crime group as known on one date.
# Fill in the lines below, then check it with `achilles case validate FILE` and see the
# options with `achilles recommend FILE`. Every field, and the words each term field takes,
# is described in docs/CASE-FORMAT.md in Achilles' source (`achilles case new -h` says more).
case:
  id: new-case                  # lower-case letters, digits and '-'; unique in the workspace
  title: Operation name         # the operation's name
  as_of: {today}                # the date this picture describes (YYYY-MM-DD)
  jurisdiction: england         # england or wales
  marking: OFFICIAL-SENSITIVE   # the protective marking printed on every export
  lro: {{name: Your name or post, agency: Your agency}}
  partners: []                  # agency terms, e.g. [police, council_licensing]
ocg:
  name: Group name              # the name the group is known by
  # reference: URN-0000         # the OCG mapping reference, if any
  crime_types: []               # activity terms, e.g. [drug_supply, county_lines]
  threat: unknown               # unknown, low, medium or high
# Everyone linked to the group, the people it exploits included. One line each, e.g.
#   - {{id: n1, name: ..., role: principal, age: 30, flags: [known_violence]}}
#   - {{id: v1, role: vulnerable, vulnerabilities: [cuckooed]}}
people: []
# Places: homes, businesses' premises, addresses used. e.g.
#   - {{id: p1, label: ..., use: flat, tenure: council_tenancy, landlord: council,
#      occupants: [{{person: v1, as: tenant}}]}}
premises: []
# e.g. - {{id: b1, name: ..., trade: takeaway, premises: p1, people: [{{person: n1, as: director}}]}}
businesses: []
# e.g. - {{id: c1, vrm: ..., kind: car, keeper: n1, users: [n1]}}
vehicles: []
# What the group does, where, by whom, and how well it is known. e.g.
#   - {{kind: drug_supply, at: [p1], by: [n1], status: intelligence, grade: B2}}
activities: []
# The plan the LRO keeps. Optional: the TUI and `achilles actions` write it for you. Keys are
# options as `achilles recommend` shows them (POWER@TARGET). Owners, reasons and notes are left
# out of redacted exports unless marked shareable (owner_shareable: true, shareable: true).
# plan:
#   actions:
#     - key: closure_notice@p1
#       owner: PS Patel
#       agency: police                # only when not the power's usual lead
#       due: {today}
#       status: done                  # proposed, agreed, in_progress, done, abandoned
#       rag: amber                    # red, amber, green
#       updates: [{{date: {today}, text: Notice drafted}}]
#       outcome: {{level: moderate, date: {today}}}  # once done: major, moderate, minor, none
#   decisions:
#     - {{key: civil_injunction@n2, decision: deferred, reason: After the test purchase,
#        date: {today}, until: {today}}}
#   reviews:                          # `achilles review CASE --record` adds one
#     - {{date: {today}, options: [closure_notice@p1, civil_injunction@n2]}}
"""


def blank_case(today: dt.date) -> str:
    """The template, dated `today`."""
    return TEMPLATE.format(today=today.isoformat())


def write_blank_case(path: Path, today: dt.date) -> None:
    """Write the template to `path`, owner-only (0600); an existing file is never replaced
    (`OutputError` says so, as it does for a missing folder)."""
    write_private(path, blank_case(today), force=False)
