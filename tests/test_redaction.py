"""Redacted outputs carry no name from the case and no text typed into the plan, in any format
(Markdown, text, HTML, CSV, DOCX internals, JSON), unless the LRO marked the text shareable;
shareable text still has the case's names replaced by ids."""

from __future__ import annotations

import datetime as dt
import html
import io
import zipfile

import pytest

from achilles.analysis import analyse
from achilles.catalogue import load_catalogue
from achilles.model.case_file import parse_case
from achilles.model.vocabulary import load_vocabulary
from achilles.plan import build_plan
from achilles.ranking import rank
from achilles.render import FORMATS
from achilles.render.export import render_plan
from achilles.rulebook.load import load_rulebook

VOCAB = load_vocabulary()
CATALOGUE = load_catalogue()
RULES = load_rulebook(CATALOGUE)
START = dt.date(2026, 1, 5)

# Every name and label in the case, and every text typed into the plan: distinctive words, so
# a match anywhere (even inside a DOCX's XML) is a leak. (The OCG's reference, URN-775533, is
# how a redacted plan names the group, by design.)
NAMES = [
    "Quillon Brackenbury",
    "Marisol Tenterden",
    "Velma Oakhanger",
    "Jubilee Tavern Quayside",
    "Flat 9 Wrenfield Court",
    "Brackenbury Motors Ltd",
    "BX19QZK",
    "Wrenfield Crew",
    "Officer Dunwoody",
    "07700900123",
]
TYPED = [
    "PS Haverstock",  # an owner who is a person
    "Served on Mr Plumtree at the door",  # an update
    "Dealing stopped after Plumtree moved",  # an outcome's note
    "Solicitor Mr Jonquil objected",  # a rejection's reason
    "Wait for Ms Farthingale's statement",  # a deferral's reason
    "operator-login-7",  # who recorded it
]
CASE = """
case:
  id: op-redaction
  title: Operation Kestrel
  as_of: 2020-06-01
  jurisdiction: england
  lro: {name: Officer Dunwoody, agency: Anytown Police, contact: "07700900123"}
ocg: {name: Wrenfield Crew, reference: URN-775533, crime_types: [drug_supply, cuckooing], threat: high, notes: Wrenfield Crew notes}
people:
  - {id: n1, name: Quillon Brackenbury, role: principal, notes: Quillon Brackenbury notes}
  - {id: n2, name: Marisol Tenterden, role: member, benefits: [universal_credit]}
  - {id: v1, name: Velma Oakhanger, role: vulnerable, vulnerabilities: [cuckooed]}
premises:
  - id: p1
    label: Jubilee Tavern Quayside
    use: pub
    tenure: commercial_lease
    licences: [premises_licence]
    occupants: [{person: n1, as: manager}]
  - id: p4
    label: Flat 9 Wrenfield Court
    use: flat
    tenure: council_tenancy
    landlord: council
    occupants: [{person: v1, as: tenant}, {person: n2, as: occupier}]
businesses:
  - {id: b1, name: Brackenbury Motors Ltd, trade: car_wash, premises: p1, people: [{person: n1, as: owner}], flags: [cash_intensive]}
vehicles:
  - {id: c1, vrm: BX19QZK, kind: car, keeper: n1, users: [n1, n2], flags: [anpr_hits]}
activities:
  - {kind: drug_supply, at: [p1, p4], by: [n1, n2], using: [c1], status: corroborated, grade: B2}
  - {kind: cuckooing, at: [p4], by: [n2], status: corroborated}
plan:
  actions:
    - key: closure_notice@p4
      owner: PS Haverstock
      due: 2026-02-01
      status: done
      rag: green
      updates:
        - {date: 2026-01-10, by: operator-login-7, text: Served on Mr Plumtree at the door}
        - {date: 2026-01-12, by: operator-login-7, text: "Visit to Velma Oakhanger: she is safe", shareable: true}
      outcome: {level: moderate, date: 2026-02-03, note: Dealing stopped after Plumtree moved}
    - key: closure_notice@p1
      owner: Licensing team leader
      owner_shareable: true
  decisions:
    - {key: closure_order@p4, decision: rejected, reason: Solicitor Mr Jonquil objected, by: operator-login-7, date: 2026-01-05}
    - {key: premises_licence_review@p1, decision: deferred, reason: "Wait for Ms Farthingale's statement", by: operator-login-7, date: 2026-01-05, until: 2026-03-01}
"""


def plan(redact: bool):
    case = parse_case(CASE, "op-redaction.yaml", VOCAB)
    analysis = analyse(case, CATALOGUE, RULES, VOCAB)
    ranking = rank(analysis, CATALOGUE, VOCAB)
    return build_plan(analysis, ranking, CATALOGUE, RULES, VOCAB, start=START, redact=redact)


def readable(fmt: str, data: str | bytes) -> str:
    """Everything a format holds, as text: a DOCX's every part (document, headers, footers,
    core properties), so nothing can hide in the package's XML."""
    if fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            data = "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    text = data if isinstance(data, str) else data.decode("utf-8")
    if fmt in ("html", "docx"):
        text = html.unescape(text)
    return " ".join(text.split())  # text wraps long lines: a name split over two is still found


def test_the_unredacted_plan_has_the_typed_text_so_the_test_can_see_a_leak():
    seen = ""
    for fmt in FORMATS:
        text = readable(fmt, render_plan(plan(redact=False), fmt))
        for typed in ("PS Haverstock", "Solicitor Mr Jonquil objected", TYPED[4]):
            assert typed in text, (fmt, typed)
        seen += text
    assert not [t for t in [*TYPED[:5], *NAMES[:8]] if t not in seen]


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_name_and_no_typed_text_survives_redaction(fmt):
    text = readable(fmt, render_plan(plan(redact=True), fmt))
    assert "OFFICIAL-SENSITIVE" in text
    leaks = [t for t in [*NAMES, *TYPED] if t in text]
    assert not leaks, (fmt, leaks)
    assert "(withheld)" in text  # the reader sees that something was withheld


@pytest.mark.parametrize("fmt", ["markdown", "text", "html", "csv", "json"])
def test_shareable_text_is_shown_with_names_replaced_by_ids(fmt):
    text = readable(fmt, render_plan(plan(redact=True), fmt))
    assert "Licensing team leader" in text  # an owner the LRO marked shareable
    assert "Visit to v1: she is safe" in text  # a shareable note: the name became the id
