"""Powers enacted but not yet in force, and the vocabulary added with the issue-16 powers.

A power with `not_in_force_yet: true` is carried in the catalogue and its rules are tested as if it
were commenced, but no analysis ever offers it; `powers list --pending` and `powers show` say
it is not yet in force. The vocabulary now lets a case say that premises lie inside a selective
or additional licensing designation, that a Welsh home is let on an occupation contract by a
community landlord, and which offence an earlier civil penalty was for.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from achilles.analysis import analyse
from achilles.catalogue import load_catalogue
from achilles.checks.rule_tests import run_rule_tests
from achilles.cli import build_app, main
from achilles.errors import InputError
from achilles.model.case_file import parse_case
from achilles.model.vocabulary import load_vocabulary
from achilles.rulebook.load import load_rulebook

ROOT = Path(__file__).resolve().parent.parent
VOCAB = load_vocabulary()
CATALOGUE = load_catalogue()
RULES = load_rulebook(CATALOGUE)
# The Protection from Eviction Act 1977 s1A penalty was pending until the Renters' Rights Act 2025
# commenced it on 1 May 2026 (SI 2026/421 reg 3(d)); it is tested below as in force.
PENDING = {"respect_order", "cce_prevention_order"}

app = build_app()
runner = CliRunner()

ASB_CASE = """\
case:
  id: pending-test
  title: A member intimidating residents
  as_of: 2026-12-04
  jurisdiction: england
  lro: {name: LRO, agency: Anytown Council}
ocg: {name: Test group, crime_types: [anti_social_behaviour]}
people:
  - {id: m1, name: Member A, role: member, age: 28}
  - {id: n1, name: Principal B, role: principal, age: 35}
  - {id: l1, name: Landlord C, role: enabler, age: 50}
activities:
  - {kind: intimidation, by: [m1], status: corroborated}
  - {kind: child_criminal_exploitation, by: [n1], status: corroborated}
  - {kind: illegal_eviction, by: [l1], status: evidenced}
"""


def test_the_pending_powers_are_carried_but_not_in_force():
    assert {p.id for p in CATALOGUE if p.pending} == PENDING
    for power_id in PENDING:
        power = CATALOGUE.get(power_id)
        assert power.in_force_from is None
        assert not power.in_force(dt.date(2026, 12, 4))
        assert not power.in_force(dt.date(2099, 1, 1))
        assert "not yet in force" in power.in_force_text()
    assert not PENDING & {p.id for p in CATALOGUE.in_force(dt.date(2026, 12, 4), "england")}


def test_their_rules_pass_their_tests_as_if_commenced():
    results = [
        r
        for r in run_rule_tests(RULES, CATALOGUE, VOCAB)
        if r.rule_id
        in (
            "respect-order-adult-asb",
            "cce-prevention-order-exploiter",
            "unlawful-eviction-penalty-landlord",
        )
    ]
    assert len(results) >= 6 and all(r.passed for r in results), [r.detail for r in results]
    fired = {r.rule_id for r in results if r.fired.get("durable")}
    assert fired == {
        "respect-order-adult-asb",
        "cce-prevention-order-exploiter",
        "unlawful-eviction-penalty-landlord",
    }


@pytest.mark.parametrize("engine", ["durable", "reference"])
def test_a_case_that_meets_their_rules_is_never_offered_them(engine):
    case = parse_case(ASB_CASE, "pending.yaml", VOCAB)
    for as_of in (dt.date(2026, 12, 4), dt.date(2040, 1, 1)):
        analysis = analyse(case, CATALOGUE, RULES, VOCAB, as_of=as_of, engine=engine)
        offered = {o.power_id for o in analysis.options} | {
            o.power_id for o in analysis.conditional
        }
        assert not offered & PENDING
        # the live alternatives are still offered
        assert "civil_injunction" in offered


def test_the_unlawful_eviction_penalty_is_offered_from_its_commencement():
    # PEA 1977 s1A, inserted by the Renters' Rights Act 2025, in force 1 May 2026 (SI 2026/421
    # reg 3(d)): offered against the landlord on the case's date, not before it.
    case = parse_case(ASB_CASE, "pending.yaml", VOCAB)
    power = CATALOGUE.get("unlawful_eviction_penalty")
    assert not power.pending and power.in_force_from == dt.date(2026, 5, 1)
    for as_of, expected in ((dt.date(2026, 4, 30), False), (dt.date(2026, 12, 4), True)):
        analysis = analyse(case, CATALOGUE, RULES, VOCAB, as_of=as_of)
        offered = {(o.power_id, o.target) for o in analysis.options}
        assert (("unlawful_eviction_penalty", "l1") in offered) is expected, as_of


def test_powers_list_pending_and_show_say_not_yet_in_force():
    result = runner.invoke(app, ["powers", "list", "--pending", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {r["id"] for r in rows} == PENDING
    assert all(r["pending"] and r["in_force_from"] is None for r in rows)
    shown = runner.invoke(app, ["powers", "show", "respect_order"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0
    assert "In force: not yet in force (awaiting commencement)" in shown.stdout
    explained = runner.invoke(
        app, ["rules", "explain", "respect-order-adult-asb"], env={"COLUMNS": "300"}
    )
    assert explained.exit_code == 0
    assert "Its power is not yet in force (awaiting commencement)" in explained.stdout


def _broken_catalogue(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "catalogue"
    shutil.copytree(ROOT / "powers_catalogue", folder)
    target = folder / "civil_injunctions.yaml"
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def run_main(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["achilles", *args])
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit) as exc:
        main()
    captured = capsys.readouterr()
    return exc.value.code, captured.out, captured.err


def test_a_pending_power_with_an_end_date_is_an_error_naming_file_and_line(
    tmp_path, monkeypatch, capsys
):
    folder = _broken_catalogue(
        tmp_path,
        "    not_in_force_yet: true\n",
        "    not_in_force_yet: true\n    in_force_to: 2027-01-01\n",
    )
    code, _out, err = run_main(monkeypatch, capsys, "powers", "check", "--catalogue", str(folder))
    assert code != 0
    assert "civil_injunctions.yaml:" in err
    assert "a power not yet in force cannot have an end date" in err


def test_expected_from_only_for_a_pending_power(tmp_path, monkeypatch, capsys):
    folder = _broken_catalogue(
        tmp_path,
        "    in_force_from: 1991-01-01\n",
        "    in_force_from: 1991-01-01\n    expected_from: 1991-01-01\n",
    )
    code, _out, err = run_main(monkeypatch, capsys, "powers", "check", "--catalogue", str(folder))
    assert code != 0
    assert "expected_from is only for a power not yet in force" in err


# --- vocabulary -------------------------------------------------------------------------------

HOUSE = """\
case:
  id: vocab-test
  title: Vocabulary
  as_of: 2026-12-04
  jurisdiction: {jurisdiction}
  lro: {{name: LRO, agency: Anytown Council}}
ocg: {{name: Test group, crime_types: []}}
people:
  - {{id: l1, name: Landlord A, role: enabler}}
businesses:
  - {{id: b1, name: Car wash, trade: car_wash}}
premises:
  - {{id: p1, label: House, use: dwelling, tenure: {tenure}, landlord: {landlord}, designations: [{designation}]}}
events:
  - {{kind: civil_penalty, of: [b1], power: illegal_working_civil_penalty, offence: {offence}, on: 2025-03-01}}
  - {{kind: conviction, of: [l1], offence: psychoactive_substances, on: 2025-04-01}}
"""


def _case(**kw) -> str:
    values = {
        "jurisdiction": "england",
        "tenure": "private_rented",
        "landlord": "ocg_linked",
        "designation": "selective",
        "offence": "illegal_working",
    }
    values.update(kw)
    return HOUSE.format(**values)


def test_new_terms_load_and_reach_the_facts():
    case = parse_case(_case(), "vocab.yaml", VOCAB)
    assert case.premises[0].designations == ["selective"]
    assert case.events[0].offence == "illegal_working"
    wales = parse_case(
        _case(
            jurisdiction="wales",
            tenure="secure_occupation_contract",
            landlord="community_landlord",
            designation="additional",
        ),
        "wales.yaml",
        VOCAB,
    )
    assert wales.premises[0].tenure == "secure_occupation_contract"
    assert parse_case(_case(tenure="standard_occupation_contract"), "w.yaml", VOCAB)


def test_the_selective_designation_opens_a_management_order():
    case = parse_case(_case(), "vocab.yaml", VOCAB)
    analysis = analyse(case, CATALOGUE, RULES, VOCAB, near_misses=False)
    assert ("management_order", "p1") in {(o.power_id, o.target) for o in analysis.options}
    outside = parse_case(_case(designation="additional"), "vocab.yaml", VOCAB)
    analysis = analyse(outside, CATALOGUE, RULES, VOCAB, near_misses=False)
    assert ("management_order", "p1") not in {(o.power_id, o.target) for o in analysis.options}


@pytest.mark.parametrize(
    ("field", "bad", "suggestion", "line"),
    [
        ("designation", "selectve", "selective", 13),
        ("tenure", "standard_occupation_contrct", "standard_occupation_contract", 13),
        ("landlord", "comunity_landlord", "community_landlord", 13),
        ("offence", "ilegal_working", "illegal_working", 15),
    ],
)
def test_a_bad_term_names_file_line_and_the_term_meant(field, bad, suggestion, line):
    with pytest.raises(InputError) as exc:
        parse_case(_case(**{field: bad}), "cases/bad.yaml", VOCAB)
    rendered = [p.render() for p in exc.value.problems]
    hit = [r for r in rendered if bad in r]
    assert hit, rendered
    assert hit[0].startswith(f"cases/bad.yaml:{line}:")
    assert f"did you mean '{suggestion}'" in hit[0]


def test_a_conviction_can_name_the_new_offences():
    case = parse_case(_case(), "vocab.yaml", VOCAB)
    assert case.events[1].offence == "psychoactive_substances"
