"""The order of work and the one-page plan, on every example case with every option chosen:
no caution or evidence item twice in an action, actions after what they wait for, conflicts
flagged, the safeguarding lane first, and a main part of about two pages."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from pathlib import Path

import pytest

from achilles.analysis import analyse
from achilles.catalogue import load_catalogue
from achilles.model.case_file import load_case
from achilles.model.vocabulary import load_vocabulary
from achilles.plan import PHASES, Plan, build_plan
from achilles.ranking import rank
from achilles.render.export import render_plan
from achilles.rulebook.load import load_rulebook

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples" / "cases").glob("*.yaml"))
DEMO = ROOT / "examples" / "cases" / "beds-transformation.yaml"
VOCAB = load_vocabulary()
CATALOGUE = load_catalogue()
RULES = load_rulebook(CATALOGUE)
TWO_PAGES_WORDS = 1000  # an A4 page of tables holds about 500 words
TWO_PAGES_LINES = 120


@functools.cache
def _analysed(path: Path):
    case = load_case(path, VOCAB)
    analysis = analyse(case, CATALOGUE, RULES, VOCAB)
    return analysis, rank(analysis, CATALOGUE, VOCAB)


def plan_of(path: Path, select: list[str] | None = None, *, every: bool = False) -> Plan:
    analysis, ranking = _analysed(path)
    if every:
        select = [r.key for r in ranking.options]
    start = analysis.case.case.as_of
    return build_plan(analysis, ranking, CATALOGUE, RULES, VOCAB, select=select, start=start)


def _norm(text: str) -> str:
    return " ".join(text.split()).rstrip(".").casefold()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_no_caution_or_evidence_item_repeats_within_an_action(path):
    plan = plan_of(path, every=True)
    general = {_norm(g.text) for g in plan.general_cautions}
    assert plan.actions(), path
    for a in plan.actions():
        for name, items in (("cautions", a.cautions), ("evidence", a.evidence)):
            said = [_norm(i) for i in items]
            assert len(said) == len(set(said)), (a.key, name, items)
        # a family's general caution is said once, in the plan's annex, not in each action
        assert not general & {_norm(c) for c in a.cautions}, a.key
    said = [_norm(g.text) for g in plan.general_cautions]
    assert len(said) == len(set(said))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_actions_come_after_what_they_wait_for(path):
    plan = plan_of(path, every=True)
    actions = plan.actions()
    place = {a.key: i for i, a in enumerate(actions)}
    by_key = {a.key: a for a in actions}
    lane = set(plan.lane)
    for a in actions:
        assert a.phase in PHASES[:2]
        assert (a.phase == "next") == bool(a.after), a.key
        assert len(a.waits) == len(a.after)
        for before in a.after:
            assert place[before] < place[a.key], (before, a.key)
            assert (by_key[before].start or plan.date) <= (a.start or plan.date), (before, a.key)
        if a.key in lane:  # the safeguarding of victims never waits
            assert a.phase == "now" and not a.after
    # the lane leads the first phase
    firsts = [a.key for a in actions if a.phase == "now"]
    assert firsts[: len(lane)] == [k for k in firsts if k in lane]
    assert all(n.phase == "when" for n in plan.next_steps)


def test_the_demo_case_is_in_the_order_the_law_and_the_victims_need():
    plan = plan_of(DEMO, every=True)
    by_key = {a.key: a for a in plan.actions()}
    order = [a.key for a in plan.actions()]
    # a closure order is heard within 48 hours of the notice's service (ASBCPA 2014 s80(1))
    notice, order_ = by_key["closure_notice@p1"], by_key["closure_order@p1"]
    assert order_.after == ["closure_notice@p1"] and order_.phase == "next"
    assert order.index("closure_notice@p1") < order.index("closure_order@p1")
    assert order_.start == notice.steps[2].due
    # the licence reviews wait for the closure order the magistrates made
    assert "closure_order@p1" in by_key["premises_licence_review@p1"].after
    # the flat where Tenant V lives: their safeguarding comes before the closure notice there
    flat = by_key["closure_notice@p4"]
    assert "adult_safeguarding_referral@v1" in flat.after
    assert any("safeguarding comes before" in w for w in flat.waits)
    # the safeguarding lane opens the plan
    assert order[: len(plan.lane)] == plan.lane
    assert plan.lane and all(k.startswith("adult_safeguarding_referral@") for k in plan.lane)
    # the two licence reviews do the same job: the plan says to choose one
    kinds = {(c.kind, frozenset(c.keys)) for c in plan.conflicts}
    assert (
        "alternatives",
        frozenset({"premises_licence_review@p1", "premises_licence_summary_review@p1"}),
    ) in kinds
    # one visit to the restaurant by fire and by health and safety, on one date
    visits = {v.place: v for v in plan.visits}
    assert set(visits["p2"].agencies) >= {"fire_and_rescue", "health_and_safety"}
    assert len({by_key[k].start for k in visits["p2"].keys}) == 1


def test_a_closure_order_without_its_notice_is_a_conflict():
    plan = plan_of(DEMO, ["closure_order@p1"])
    missing = [c for c in plan.conflicts if c.kind == "missing"]
    assert missing and missing[0].keys == ["closure_order@p1"]
    assert "closure notice" in missing[0].text


def test_plan_json_gives_each_action_its_phase_and_what_it_waits_for():
    plan = plan_of(DEMO, every=True)
    data = json.loads(render_plan(plan, "json"))
    actions = {a["key"]: a for s in data["sections"].values() for a in s}
    assert actions["closure_order@p1"]["phase"] == "next"
    assert actions["closure_order@p1"]["after"] == ["closure_notice@p1"]
    assert actions["closure_notice@p1"]["phase"] == "now"
    assert {c["kind"] for c in data["conflicts"]} >= {"alternatives"}
    assert data["lane"] == plan.lane


def _main_part(text: str, annex: str) -> str:
    return text.split(annex, 1)[0]


@pytest.mark.parametrize(
    ("fmt", "table", "annex"),
    [
        ("markdown", "| # | 4P | Action |", "## Annex A"),
        ("text", "ACTION PLAN", "ANNEX A"),
        ("html", "<th>Phase</th>", "<h2>Annex A"),
    ],
)
def test_the_demo_plan_opens_with_the_action_table_and_fits_two_pages(fmt, table, annex):
    """The main part (header, safeguarding lane, action table, conflicts, visits) before the
    annexes; about two pages: at most 1,000 words, and 120 lines of text."""
    plan = plan_of(DEMO)
    out = str(render_plan(plan, fmt))
    main = _main_part(out, annex)
    assert annex in out and main != out
    assert table.replace("#", "\\#") in main or table in main
    low = main.lower()
    assert low.index("safeguarding first") < low.index("action plan")  # the lane comes first
    if fmt == "html":
        main = re.sub(r"<[^>]+>", " ", main)
    words = len(re.findall(r"\w+", main))
    assert words <= TWO_PAGES_WORDS, (fmt, words)
    if fmt == "text":  # 96 characters a line, about 60 lines a page
        assert len(main.splitlines()) <= TWO_PAGES_LINES, len(main.splitlines())
    for a in plan.actions():  # the legal detail of every action is in the annexes
        annexes = " ".join(out.split(annex, 1)[1].replace("&#x27;", "'").split())
        assert " ".join(a.legal_basis.split(";")[0].split()) in annexes


def test_docx_is_a4_with_the_marking_in_header_and_footer():
    import io

    from docx import Document

    doc = Document(io.BytesIO(render_plan(plan_of(DEMO), "docx")))  # type: ignore[arg-type]
    s = doc.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert s.header.paragraphs[0].text == s.footer.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings.index("Action plan") < headings.index("Annex A: legal detail of each action")


def test_a_plan_never_dates_anything_before_its_start():
    plan = plan_of(DEMO, every=True)
    for a in plan.actions():
        assert all(s.due is None or s.due >= plan.date for s in a.steps), a.key
        assert a.start is None or a.start >= plan.date
    assert plan.date == dt.date(2015, 6, 1)
