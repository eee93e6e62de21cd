"""Properties over generated cases: the chain never crashes, is deterministic, ranks in a total
order, every export parses back, and redaction removes every name."""

from __future__ import annotations

import csv
import datetime as dt
import html.parser
import io
import json

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
terms = {s: sorted(VOCAB.terms(s)) for s in VOCAB.sections}

# Names as hostile as users can type: markup, escapes, formula prefixes, HTML, pipes.
NAME = st.one_of(
    st.sampled_from(
        [
            "[bold]Boss[/]",
            "=SUM(A1)",
            "+44 Man",
            "-Dash",
            "@at",
            "<b>x</b>",
            "a|b",
            "`tick`",
            'O\'Neil, "Q"',
            "Zoë Ünïcode",
            "\x1b[31mred",
            "#hash",
            "1. numbered",
        ]
    ),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        min_size=1,
        max_size=20,
    ),
).filter(lambda s: s.strip() and len(s.strip()) >= 3)


@st.composite
def cases(draw):
    n_people = draw(st.integers(1, 6))
    people = []
    names = []
    for i in range(n_people):
        name = draw(NAME)
        names.append(f"Nominal-{i}-{name}")
        people.append(
            {
                "id": f"n{i}",
                "name": names[-1],
                "role": draw(st.sampled_from(terms["role"])),
                "vulnerabilities": draw(
                    st.lists(st.sampled_from(terms["vulnerability"]), unique=True, max_size=2)
                ),
                "benefits": draw(
                    st.lists(st.sampled_from(terms["benefit"]), unique=True, max_size=1)
                ),
                "licences": draw(
                    st.lists(st.sampled_from(terms["person_licence"]), unique=True, max_size=1)
                ),
            }
        )
    premises = []
    for i in range(draw(st.integers(0, 4))):
        premises.append(
            {
                "id": f"p{i}",
                "label": f"Place-{i}-{draw(NAME)}",
                "use": draw(st.sampled_from(terms["premises_use"])),
                "tenure": draw(st.sampled_from(terms["tenure"])),
                "licences": draw(
                    st.lists(st.sampled_from(terms["premises_licence"]), unique=True, max_size=2)
                ),
                "occupants": [
                    {
                        "person": f"n{draw(st.integers(0, n_people - 1))}",
                        "as": draw(st.sampled_from(["tenant", "occupier", "manager"])),
                    }
                ],
            }
        )
    businesses = []
    for i in range(draw(st.integers(0, 2))):
        businesses.append(
            {
                "id": f"b{i}",
                "name": f"Firm-{i}-{draw(NAME)}",
                "trade": draw(st.sampled_from(terms["trade"])),
                "premises": f"p{i}" if i < len(premises) else None,
                "people": [{"person": "n0", "as": "owner"}],
                "flags": draw(
                    st.lists(st.sampled_from(terms["business_flag"]), unique=True, max_size=2)
                ),
            }
        )
    ids = [p["id"] for p in premises]
    actors = [p["id"] for p in people] + [b["id"] for b in businesses]
    activities = [
        {
            "kind": draw(st.sampled_from(terms["activity_kind"])),
            "status": draw(st.sampled_from(terms["status"])),
            "at": draw(st.lists(st.sampled_from(ids), unique=True, max_size=2)) if ids else [],
            "by": draw(st.lists(st.sampled_from(actors), unique=True, max_size=2)),
            "notes": f"secret-note-{draw(NAME)}",
        }
        for _ in range(draw(st.integers(0, 6)))
    ]
    data = {
        "case": {
            "id": "gen",
            "title": "Generated",
            "as_of": str(draw(st.dates(dt.date(2013, 1, 1), dt.date(2026, 11, 1)))),
            "jurisdiction": draw(st.sampled_from(["england", "wales"])),
            "lro": {"name": "LRO", "agency": "Force"},
        },
        "ocg": {"name": "Group", "crime_types": []},
        "people": people,
        "premises": premises,
        "businesses": [{k: v for k, v in b.items() if v is not None} for b in businesses],
        "activities": activities,
    }
    return yaml.safe_dump(data, allow_unicode=True), names


def _analyse(text, engine="durable"):
    case = parse_case(text, "gen.yaml", VOCAB)
    analysis = analyse(case, CATALOGUE, RULES, VOCAB, engine=engine)
    return case, analysis, rank(analysis, CATALOGUE, VOCAB)


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(cases())
def test_deterministic_and_engines_agree(generated):
    text, _names = generated
    _, a1, r1 = _analyse(text)
    _, a2, r2 = _analyse(text)
    _, a3, r3 = _analyse(text, engine="reference")
    keys = [(r.key, r.score) for r in r1.options]
    assert keys == [(r.key, r.score) for r in r2.options] == [(r.key, r.score) for r in r3.options]
    assert a1.near_misses == a2.near_misses == a3.near_misses


@SETTINGS
@given(cases())
def test_ranking_is_a_total_order(generated):
    _, _, ranking = _analyse(generated[0])
    order = [(-r.score, r.option.power_id, r.option.target) for r in ranking.options]
    assert order == sorted(order)
    assert len(set(order)) == len(order)
    assert [r.rank for r in ranking.options] == list(range(1, len(order) + 1))


@SETTINGS
@given(cases(), st.booleans())
def test_every_export_parses_back_and_redaction_removes_names(generated, redact):
    text, names = generated
    case, analysis, ranking = _analyse(text)
    plan = build_plan(
        analysis, ranking, CATALOGUE, RULES, VOCAB, start=dt.date(2026, 1, 5), redact=redact
    )
    outputs = {fmt: render_plan(plan, fmt) for fmt in ("markdown", "text", "html", "csv", "json")}
    json.loads(outputs["json"])
    rows = list(csv.reader(io.StringIO(outputs["csv"])))
    assert rows[0] == [case.case.marking] and rows[-1] == [case.case.marking]
    for row in rows[1:-1]:
        assert all(not c.startswith(("=", "+", "-", "@")) for c in row)
    html.parser.HTMLParser().feed(outputs["html"])
    for fmt, out in outputs.items():
        assert "\x1b" not in out, fmt
        if redact:
            for name in names:
                assert name not in out, (fmt, name)
            assert "secret-note-" not in out, fmt
