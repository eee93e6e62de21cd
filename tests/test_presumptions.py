"""The law's presumptions, the legal record (events) and conditional next steps, end to end.

Rules here are written for the test and layered on the shipped presumptions only, so each
mechanism is seen on its own: a presumption holding, being lifted by a recorded assessment, the
guard refusing and listing what it held back, a closure exempting a victim, and a power that
waits on its legal trigger.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys

import pytest

from achilles.analysis import analyse
from achilles.catalogue import load_catalogue
from achilles.errors import InputError
from achilles.facts import months_between
from achilles.loading.paths import shipped
from achilles.model.case_file import parse_case
from achilles.model.vocabulary import load_vocabulary
from achilles.ranking import rank
from achilles.rulebook.load import check_rulebook, load_rulebook

VOCAB = load_vocabulary()
CATALOGUE = load_catalogue()

RULES = """
theme: test
rules:
  - id: t-injunction
    power: civil_injunction
    title: t
    citation: ASBCPA 2014 s1
    jurisdiction: [england]
    valid_from: 2015-03-23
    author: test
    reviewed_by: test
    reviewed_on: 2026-11-01
    target: person
    when:
      person: {fact: person, where: {exploited: false}}
      asb: {fact: activity_by, where: {actor: {same_as: person}, kind: anti_social_behaviour}}
    because: "{person} causes {asb.kind}."
  - id: t-possession
    power: possession_discretionary_asb
    title: t
    citation: HA 1985 Sch 2 ground 2
    jurisdiction: [england]
    valid_from: 2014-10-20
    author: test
    reviewed_by: test
    reviewed_on: 2026-11-01
    target: home
    when:
      home: {fact: premises, where: {tenure: council_tenancy}}
      supply: {fact: activity_at, where: {premises: {same_as: home}, kind: drug_supply}}
    because: "{home} is used for {supply.kind}."
  - id: t-closure
    power: closure_order
    title: t
    citation: ASBCPA 2014 s80
    jurisdiction: [england]
    valid_from: 2014-10-20
    author: test
    reviewed_by: test
    reviewed_on: 2026-11-01
    target: home
    when:
      home: {fact: premises}
      supply: {fact: activity_at, where: {premises: {same_as: home}, kind: drug_supply}}
    because: "{home} is used for {supply.kind}."
  - id: t-cbo
    power: criminal_behaviour_order
    title: t
    citation: Sentencing Act 2020 s331
    jurisdiction: [england]
    valid_from: 2014-10-20
    author: test
    reviewed_by: test
    reviewed_on: 2026-11-01
    target: person
    trigger: convicted
    when:
      person: {fact: person, where: {exploited: false}}
      asb: {fact: activity_by, where: {actor: {same_as: person}, kind: anti_social_behaviour}}
      convicted:
        fact: event_of
        where: {subject: {same_as: person}, kind: conviction, months_since: {at_most: 11}}
    because: "{person} was convicted and causes {asb.kind}."
"""

HEADER = """
case: {id: t, title: T, as_of: 2026-11-01, jurisdiction: england, lro: {name: L, agency: A}}
ocg: {name: G}
"""


@pytest.fixture(scope="module")
def rulebook(tmp_path_factory):
    """The shipped presumptions, and the test's rules."""
    folder = tmp_path_factory.mktemp("rules")
    shutil.copy(shipped("rules") / "presumptions.yaml", folder / "presumptions.yaml")
    (folder / "test.yaml").write_text(RULES)
    return load_rulebook(CATALOGUE, folders=[folder])


def run(rulebook, body: str):
    case = parse_case(HEADER + body, "t.yaml", VOCAB)
    return analyse(case, CATALOGUE, rulebook, VOCAB)


def targets(analysis, power: str) -> set[str]:
    return {o.target for o in analysis.options if o.power_id == power}


# --- presumptions -----------------------------------------------------------------------------


def test_a_runner_of_unknown_age_is_a_possible_child_and_never_coerced(rulebook):
    a = run(
        rulebook,
        """
people: [{id: r1, role: runner}, {id: m1, role: member}]
activities: [{kind: anti_social_behaviour, by: [r1, m1], status: corroborated}]
""",
    )
    assert targets(a, "civil_injunction") == {"m1"}
    kinds = {p.presumption.kind for p in a.presumptions.found if p.person == "r1" and p.holds}
    assert kinds == {"possible_child", "criminal_exploitation"}
    person = next(f for f in a.facts.of("person") if f["key"] == "r1")
    assert person["child"] and person["exploited"]
    held_back = [b for b in a.blocked if b.person == "r1"]
    assert held_back and held_back[0].power_id == "civil_injunction"
    assert "presume-child-runner-age-unknown" in held_back[0].presumptions
    assert "age assessment" in held_back[0].lift
    assert any(w.startswith("r1 is a runner with no age") for w in a.warnings)


def test_an_assessment_lifts_it_and_the_option_returns_with_a_caution(rulebook):
    a = run(
        rulebook,
        """
people: [{id: r1, role: runner, age: 24}]
activities: [{kind: anti_social_behaviour, by: [r1], status: corroborated}]
events:
  - {kind: assessment, of: [r1], outcome: not_exploited, on: 2026-10-01, by: police, id: e7}
""",
    )
    option = next(o for o in a.options if o.key == "civil_injunction@r1")
    assert any("lifted" in c and "e7" in c for c in option.cautions)
    assert not a.blocked


def test_a_label_is_never_lifted_by_an_assessment(rulebook):
    a = run(
        rulebook,
        """
people: [{id: v1, role: victim, age: 30}]
activities: [{kind: anti_social_behaviour, by: [v1], status: corroborated}]
events: [{kind: assessment, of: [v1], outcome: not_exploited, on: 2026-10-01, by: police}]
""",
    )
    assert "v1" not in targets(a, "civil_injunction")


def test_an_unlabelled_cuckooed_tenant_keeps_her_home(rulebook):
    a = run(
        rulebook,
        """
people:
  - {id: v1, role: associate, age: 45, vulnerabilities: [drug_dependent, learning_disability]}
  - {id: n2, role: member}
premises:
  - {id: p1, label: Flat A, use: flat, tenure: council_tenancy,
     occupants: [{person: v1, as: tenant}, {person: n2, as: occupier}]}
  - {id: p2, label: Flat B, use: flat, tenure: council_tenancy,
     occupants: [{person: n2, as: tenant}]}
activities: [{kind: drug_supply, at: [p1, p2], by: [n2], status: proven}]
""",
    )
    assert targets(a, "possession_discretionary_asb") == {"p2"}  # his home, not hers
    refused = [b for b in a.blocked if b.power_id == "possession_discretionary_asb"]
    assert [b.target for b in refused] == ["p1"] and refused[0].person == "v1"
    closure = {o.target: o.exempt for o in a.options if o.power_id == "closure_order"}
    assert closure == {"p1": ["v1"], "p2": []}


def test_the_recommend_json_carries_presumptions_refusals_and_exemptions(rulebook, tmp_path):
    from achilles.render.json_export import recommend_data

    a = run(
        rulebook,
        """
people:
  - {id: v1, name: Tenant Vee, role: associate, age: 80}
  - {id: n2, role: member}
premises:
  - {id: p1, label: Flat A, use: flat, tenure: council_tenancy,
     occupants: [{person: v1, as: tenant}, {person: n2, as: visitor}]}
activities: [{kind: drug_supply, at: [p1], by: [n2], status: corroborated}]
""",
    )
    ranking = rank(a, CATALOGUE, VOCAB)
    data = recommend_data(a, ranking, ranking.options, rulebook, redact=True)
    text = json.dumps(data)
    assert "Tenant Vee" not in text  # ids only when redacted, in the new sections too
    assert data["presumptions"][0]["person"] == "v1"
    assert data["presumptions"][0]["kind"] == "cuckooing"
    assert data["presumptions"][0]["lift"]
    closure = next(o for o in data["options"] if o["key"] == "closure_order@p1")
    assert closure["exempt"] == ["v1"]
    assert any(c.startswith("Exempt v1") for c in closure["cautions"])
    refusal = next(b for b in data["blocked"] if b["power_id"] == "possession_discretionary_asb")
    assert refusal["presumptions"] == ["presume-cuckooed-resident"] and refusal["lift"]


# --- conditional next steps -------------------------------------------------------------------


def test_a_power_waiting_on_a_conviction_is_a_next_step_never_ranked(rulebook):
    body = """
people: [{id: n1, name: Boss, role: principal}, {id: n2, role: member}]
activities: [{kind: anti_social_behaviour, by: [n1, n2], status: proven}]
events:
  - {kind: conviction, of: [n2], offence: anti_social_behaviour, on: 2026-06-01}
  - {kind: caution, of: [n1], offence: anti_social_behaviour, on: 2026-06-01}
"""
    a = run(rulebook, body)
    assert targets(a, "criminal_behaviour_order") == {"n2"}
    assert [o.key for o in a.conditional] == ["criminal_behaviour_order@n1"]  # a caution is not
    ranking = rank(a, CATALOGUE, VOCAB)
    assert "criminal_behaviour_order@n1" not in {r.key for r in ranking.options}
    assert [w.key for w in ranking.waiting] == ["criminal_behaviour_order@n1"]
    from achilles.explain import explain

    waiting = ranking.waiting[0]
    opens = explain(waiting.option, waiting.power, rulebook, a.case).opens_when
    assert opens == ("a conviction of Boss: the power must be used within 12 months of it",)
    assert not any(n.power_id == "criminal_behaviour_order" for n in a.near_misses)


def test_a_conviction_outside_its_window_does_not_open_the_power(rulebook):
    a = run(
        rulebook,
        """
people: [{id: n2, role: member}]
activities: [{kind: anti_social_behaviour, by: [n2], status: proven}]
events: [{kind: conviction, of: [n2], offence: violence, on: 2025-10-31}]
""",
    )
    assert targets(a, "criminal_behaviour_order") == set()
    assert [o.key for o in a.conditional] == ["criminal_behaviour_order@n2"]


def test_months_are_counted_as_the_law_counts_them():
    d = dt.date
    assert months_between(d(2026, 1, 1), d(2026, 3, 31)) == 2  # still within 3 months
    assert months_between(d(2026, 1, 1), d(2026, 4, 1)) == 3
    assert months_between(d(2026, 1, 31), d(2026, 4, 29)) == 2
    assert months_between(d(2026, 1, 31), d(2026, 4, 30)) == 3  # April has no 31st
    assert months_between(d(2026, 5, 1), d(2026, 4, 1)) == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("trigger: nobody", "'nobody' is not an alias in 'when'"),
        ("trigger: asb", "is a activity_by fact, not a legal event"),
    ],
)
def test_a_bad_trigger_is_refused_with_its_code(tmp_path, change, message):
    text = RULES.replace("trigger: convicted", change)
    (tmp_path / "bad.yaml").write_text(text)
    _, problems = check_rulebook(CATALOGUE, folders=[tmp_path])
    found = [p for p in problems if p.code == "AR019"]
    assert found and message in found[0].message and found[0].line


def test_no_layer_may_switch_a_presumption_off(tmp_path):
    base = tmp_path / "base"
    base.mkdir()
    shutil.copy(shipped("rules") / "presumptions.yaml", base / "presumptions.yaml")
    layer = tmp_path / "layer"
    layer.mkdir()
    (layer / "off.yaml").write_text(
        "theme: t\ndisable:\n  - {id: presume-runner-criminally-exploited, reason: we disagree}\n"
    )
    book, problems = check_rulebook(CATALOGUE, folders=[base, layer])
    assert [p.code for p in problems if p.level == "error"] == ["AR020"]
    assert any(
        lp.presumption.id == "presume-runner-criminally-exploited" for lp in book.presumptions
    )


# --- the legal record in the case file --------------------------------------------------------


def test_every_event_problem_is_reported_with_its_line():
    text = (
        HEADER
        + """people: [{id: n1, role: principal}, {id: r1, role: runner}]
premises: [{id: p1, label: Shop, use: shop, tenure: commercial_lease}]
events:
  - {kind: convction, of: [n1], on: 2026-01-01, offence: drug_supply}
  - {kind: conviction, of: [n9], on: 2026-12-01}
  - {kind: closure_order, at: [p1], on: 2026-05-01, until: 2026-04-01}
  - {kind: assessment, of: [r1], on: 2026-05-01, outcome: not_exploted, by: police, offence: fraud}
"""
    )
    with pytest.raises(InputError) as caught:
        parse_case(text, "e.yaml", VOCAB)
    problems = {(p.line, p.path): p for p in caught.value.problems}
    assert "did you mean 'conviction'" in problems[(7, "events[0].kind")].hint
    assert "not defined" in problems[(8, "events[1].of[0]")].message
    assert "after the case's as_of" in problems[(8, "events[1].on")].message
    assert "needs 'offence'" in problems[(8, "events[1].offence")].message
    assert "before 'on'" in problems[(9, "events[2].until")].message
    assert "has no 'offence'" in problems[(10, "events[3].offence")].message
    assert "did you mean 'not_exploited'" in problems[(10, "events[3].outcome")].hint


def test_case_validate_warns_on_a_valid_file_at_the_persons_line(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(HEADER + "people:\n  - {id: n1, role: principal}\n  - {id: r1, role: runner}\n")
    done = subprocess.run(
        [sys.executable, "-m", "achilles", "case", "validate", str(path)],
        capture_output=True,
        text=True,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert ": valid (case t, 2 people" in done.stdout
    # a valid file's warnings are labelled, on standard error, the hint on the next line
    assert (
        f"warning: {path}:6: people[1]: r1 is a runner with no age: treated as a possible child"
        in done.stderr
    )
    assert "hint: " in done.stderr and "age assessment" in done.stderr


def test_the_shipped_presumptions_are_all_tested_and_pass():
    from achilles.checks.rule_tests import run_presumption_tests

    book = load_rulebook(CATALOGUE)
    results = run_presumption_tests(book, CATALOGUE, VOCAB)
    assert len({r.rule_id for r in results}) == len(book.presumptions) >= 8
    assert all(r.passed for r in results), [r.detail for r in results if not r.passed]


def test_a_presumption_test_that_fails_is_reported(tmp_path):
    text = (shipped("rules") / "presumptions.yaml").read_text()
    text = text.replace("        presumed: [r2]\n", "        presumed: []\n", 1)
    (tmp_path / "presumptions.yaml").write_text(text)
    from achilles.checks.lint import check_all

    report = check_all(rule_folders=[tmp_path], today=dt.date(2026, 12, 1))
    failing = [p for p in report.errors if p.code == "AR007"]
    assert failing and "expected to hold for nobody, holds for ['r2']" in failing[0].message


def test_an_event_naming_an_unknown_power_is_refused_by_case_validate(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        HEADER
        + "businesses: [{id: b1, name: B, trade: car_wash}]\n"
        + "events: [{kind: civil_penalty, of: [b1], power: illegal_working_civil_penalti,"
        + " on: 2026-01-01}]\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "achilles", "case", "validate", str(path)],
        capture_output=True,
        text=True,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 2
    assert f"{path}:5: events[0].power:" in done.stderr
    assert "did you mean 'illegal_working_civil_penalty'" in done.stderr
