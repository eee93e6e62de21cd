"""Every export format on a real plan, read back by a real parser, including hostile names."""

from __future__ import annotations

import csv
import datetime as dt
import html.parser
import io
import json
import re

import pytest

from achilles.analysis import analyse
from achilles.catalogue import load_catalogue
from achilles.model.case_file import parse_case
from achilles.model.vocabulary import load_vocabulary
from achilles.plan import build_plan
from achilles.ranking import rank
from achilles.render.export import render_plan
from achilles.rulebook.load import load_rulebook

VOCAB = load_vocabulary()
CATALOGUE = load_catalogue()
RULES = load_rulebook(CATALOGUE)
START = dt.date(2026, 1, 5)

HOSTILE_NAME = '=HYPERLINK("http://x") | <script>alert(1)</script> [bold red]*Boss*[/] \x1b[31m'
HOSTILE_CASE = """
case:
  id: hostile
  title: "Op <b>Hostile</b> | =1+1"
  as_of: 2020-06-01
  jurisdiction: england
  lro: {name: "@LRO `x`", agency: "+Agency, \\"quoted\\""}
ocg: {name: "Group # [link](http://evil)", crime_types: [drug_supply], threat: high}
people:
  - {id: n1, name: "NAME_SLOT", role: principal}
  - {id: n2, name: "-Member B", role: member}
  - {id: v1, name: "Vulnerable Tenant Z", role: vulnerable, vulnerabilities: [cuckooed]}
premises:
  - id: p1
    label: "The Crown | pub <i>x</i>"
    use: pub
    tenure: commercial_lease
    licences: [premises_licence]
    occupants: [{person: n1, as: manager}]
  - id: p4
    label: "Flat 1, =cmd|' /C calc'!A0"
    use: flat
    tenure: council_tenancy
    landlord: council
    occupants: [{person: v1, as: tenant}, {person: n2, as: occupier}]
activities:
  - {kind: drug_supply, at: [p1, p4], by: [n1, n2], status: intelligence, grade: B2}
  - {kind: cuckooing, at: [p4], by: [n2], status: corroborated}
  - {kind: anti_social_behaviour, at: [p1, p4], status: corroborated}
"""
NAMES = ["Vulnerable Tenant Z", "-Member B", "Boss"]


def hostile_plan(redact: bool = False):
    text = HOSTILE_CASE.replace(
        "NAME_SLOT", HOSTILE_NAME.replace("\x1b", "\\e").replace('"', '\\"')
    )
    case = parse_case(text, "hostile.yaml", VOCAB)
    analysis = analyse(case, CATALOGUE, RULES, VOCAB)
    ranking = rank(analysis, CATALOGUE, VOCAB)
    return build_plan(analysis, ranking, CATALOGUE, RULES, VOCAB, start=START, redact=redact)


def test_markdown_escapes_user_text():
    out = render_plan(hostile_plan(), "markdown")
    assert out.startswith("**OFFICIAL-SENSITIVE**")
    assert out.rstrip().endswith("**OFFICIAL-SENSITIVE**")
    assert "<script>" not in out and "<b>" not in out
    assert "\x1b" not in out
    assert "\\[link\\]" in out  # the group's name cannot become a link
    # a label with '|' must not add a column to any table row
    for line in out.splitlines():
        if line.startswith("| ") and "The Crown" in line:
            assert len(re.findall(r"(?<!\\)\|", line)) in (3, 4, 5, 10)


def test_html_parses_and_has_no_injected_tags():
    out = render_plan(hostile_plan(), "html")
    tags: list[str] = []

    class P(html.parser.HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append(tag)

    P().feed(out)
    assert "script" not in tags and "b" not in tags and "i" not in tags
    assert "table" in tags
    assert out.count("OFFICIAL-SENSITIVE") >= 2


def test_csv_reads_back_without_formulas():
    out = render_plan(hostile_plan(), "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["OFFICIAL-SENSITIVE"] and rows[-1] == ["OFFICIAL-SENSITIVE"]
    assert rows[1][0] == "section"
    for row in rows[2:-1]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell


def test_docx_opens_with_real_tables_and_marking():
    import docx

    data = render_plan(hostile_plan(), "docx")
    document = docx.Document(io.BytesIO(data))
    assert document.sections[0].header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert document.sections[0].footer.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert document.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert document.paragraphs[-1].text == "OFFICIAL-SENSITIVE"
    assert len(document.tables) >= 3
    text = "\n".join(p.text for p in document.paragraphs)
    assert "\x1b" not in text


def test_json_round_trips():
    out = render_plan(hostile_plan(), "json")
    data = json.loads(out)
    assert data["marking"] == data["marking_footer"] == "OFFICIAL-SENSITIVE"
    assert {"pursue", "prevent", "protect", "prepare"} <= set(data["sections"])


@pytest.mark.parametrize("fmt", ["markdown", "text", "html", "csv", "json"])
def test_redaction_removes_every_name(fmt):
    out = render_plan(hostile_plan(redact=True), fmt)
    for name in NAMES:
        assert name not in out, (fmt, name)
    assert "Boss" not in out and "Tenant Z" not in out


def test_plan_dates_follow_statutory_limits():
    plan = hostile_plan()
    closures = [a for a in plan.actions() if a.power_id == "closure_notice"]
    assert closures, "the hostile case has drug supply at two premises"
    hearing = closures[0].steps[-1]
    assert "48 hours" in hearing.note
    assert hearing.due == START + dt.timedelta(days=2)


def test_victim_is_never_a_coercive_target():
    plan = hostile_plan()
    for action in plan.actions():
        power = CATALOGUE.get(action.power_id)
        if power.coercive:
            assert action.target_id != "v1"
    assert any(s.person_id == "v1" for s in plan.safeguarding)
