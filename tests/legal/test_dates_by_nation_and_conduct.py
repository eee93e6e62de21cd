"""Dates by nation and by conduct, through the real catalogue loader, engine and CLI.

- A power's dates may differ by nation (`by_nation`) and a step's limit by nation (`lasts_in`).
- A conduct-dated power (`dated_by: conduct`) follows the activity's own dates: a 2026 case
  about 2024 doorstep fraud gets the CPRs 2008, not the DMCC Act 2024.
- A power enacted but not yet commenced is never offered (a rule may be written ahead of it,
  tested as if it were in force), and `powers list` shows it as not yet in force.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from achilles.analysis import analyse
from achilles.catalogue import check_catalogue, load_catalogue
from achilles.checks.rule_tests import run_rule_tests
from achilles.model.case_file import parse_case
from achilles.model.vocabulary import load_vocabulary
from achilles.plan import procedure_dates
from achilles.rulebook.load import check_rulebook, load_rulebook

ROOT = Path(__file__).resolve().parents[2]
VOCAB = load_vocabulary()
CATALOGUE = load_catalogue()
RULEBOOK = load_rulebook(CATALOGUE)


def _powers_offered(as_of: str, activity: str) -> set[str]:
    case = parse_case(
        textwrap.dedent(
            f"""
            case: {{id: t, title: T, as_of: {as_of}, jurisdiction: england, lro: {{name: L, agency: A}}}}
            ocg: {{name: G}}
            businesses: [{{id: b4, name: Roofing firm, trade: construction}}]
            activities: [{activity}]
            """
        ),
        vocab=VOCAB,
    )
    found = analyse(case, CATALOGUE, RULEBOOK, VOCAB, near_misses=False)
    return {o.power_id for o in found.options if o.target == "b4"}


CPRS, DMCC = "consumer_protection_enforcement_pre2025", "consumer_protection_enforcement"


def test_conduct_before_6_april_2025_gets_the_cprs_in_a_2026_case():
    # CPRs 2008 govern practices before 6 April 2025 whenever prosecuted (DMCC Act 2024
    # transitional provisions); the case's own date (2026) does not decide it.
    offered = _powers_offered(
        "2026-06-01",
        "{kind: fraud, by: [b4], status: corroborated, since: 2024-01-10, until: 2024-06-30}",
    )
    assert CPRS in offered and DMCC not in offered


def test_conduct_from_6_april_2025_gets_the_dmcc_act():
    offered = _powers_offered(
        "2026-06-01", "{kind: fraud, by: [b4], status: corroborated, since: 2025-05-01}"
    )
    assert DMCC in offered and CPRS not in offered


def test_conduct_spanning_the_change_gets_both_regimes():
    offered = _powers_offered(
        "2026-06-01", "{kind: fraud, by: [b4], status: corroborated, since: 2025-01-01}"
    )
    assert {CPRS, DMCC} <= offered


def test_undated_conduct_takes_the_case_date():
    offered = _powers_offered("2026-06-01", "{kind: fraud, by: [b4], status: corroborated}")
    assert DMCC in offered and CPRS not in offered
    offered = _powers_offered("2015-06-01", "{kind: fraud, by: [b4], status: corroborated}")
    assert CPRS in offered and DMCC not in offered


def test_tsn_deadline_in_the_plan_follows_the_nation():
    # TCPA s171E: 56 days in England (LURA 2023 s116, from 25 April 2024), 28 days in Wales.
    power = CATALOGUE.get("planning_stop_notice")
    start = dt.date(2026, 12, 4)
    england = procedure_dates(power, start, "england")[0].note
    wales = procedure_dates(power, start, "wales")[0].note
    assert "lasts up to 56 days" in england and "lasts up to 28 days" in wales


def test_live_rules_end_a_power_in_one_nation_only(tmp_path):
    # A rule on the discretionary ASB ground in Wales: live before 1 December 2022, not after
    # (Renting Homes (Wales) Act 2016), while the English rule stays live.
    from achilles.rulebook.in_force import live_rules

    (tmp_path / "rules").mkdir()
    rule = tmp_path / "rules" / "wales.yaml"
    rule.write_text(
        textwrap.dedent(
            """
            theme: test
            rules:
              - id: test-wales-ground-14
                power: possession_discretionary_asb
                title: t
                citation: HA 1988 Sch 2 ground 14
                jurisdiction: [england, wales]
                valid_from: 2000-01-01
                author: test
                reviewed_by: test
                reviewed_on: 2026-11-01
                target: premises
                subject: tenant
                when:
                  premises: {fact: premises, where: {tenure: council_tenancy}}
                  occ: {fact: occupancy, where: {premises: {same_as: premises}, as: tenant}}
                  tenant: {fact: person, where: {key: {same_as: occ.person}, exploited: false}}
                  asb:
                    fact: activity_at
                    where: {premises: {same_as: premises}, kind: anti_social_behaviour}
                because: "{premises} has anti-social behaviour."
                tests:
                  - name: a Welsh secure tenancy before occupation contracts
                    as_of: 2020-01-01
                    jurisdiction: wales
                    case: &welsh
                      people: [{id: t1, name: T, role: member}]
                      premises:
                        - {id: p1, label: F, use: flat, tenure: council_tenancy, occupants: [{person: t1, as: tenant}]}
                      activities: [{kind: anti_social_behaviour, at: [p1], status: corroborated}]
                    fires_on: [p1]
                  - name: not in Wales from 1 December 2022
                    as_of: 2023-01-01
                    jurisdiction: wales
                    case: *welsh
                    fires_on: []
            """
        )
    )
    rulebook = load_rulebook(CATALOGUE, [rule.parent])
    names = {c.name for c in rulebook.compiled if c.rule_id == "test-wales-ground-14"}
    assert names
    assert names <= set(live_rules(rulebook, CATALOGUE, dt.date(2022, 11, 30), "wales"))
    assert not names & set(live_rules(rulebook, CATALOGUE, dt.date(2022, 12, 1), "wales"))
    assert names <= set(live_rules(rulebook, CATALOGUE, dt.date(2022, 12, 1), "england"))
    results = run_rule_tests(rulebook, CATALOGUE, VOCAB, only="test-wales-ground-14")
    assert len(results) == 2 and all(r.passed for r in results), results  # both engines each


@pytest.fixture
def pending_catalogue(tmp_path) -> Path:
    """The shipped catalogue plus one power enacted but not yet in force."""
    folder = tmp_path / "catalogue"
    shutil.copytree(ROOT / "powers_catalogue", folder)
    doc = yaml.safe_load((folder / "asb_closure.yaml").read_text())
    entry = dict(doc["powers"][0])
    entry.update(
        id="respect_order_pending",
        name="Respect order (Crime and Policing Act 2026; not yet in force)",
        not_in_force_yet=True,
        enacted_on=dt.date(2026, 4, 29),
        manual_only=True,
    )
    entry.pop("in_force_from")
    (folder / "pending.yaml").write_text(
        yaml.safe_dump({"family": "pending", "powers": [entry]}, sort_keys=False)
    )
    return folder


def test_a_power_not_yet_in_force_is_never_offered(pending_catalogue, tmp_path):
    catalogue, problems = check_catalogue(pending_catalogue)
    assert not [p for p in problems if p.level == "error"]
    power = catalogue.get("respect_order_pending")
    assert not power.in_force(dt.date(2030, 1, 1), "england")
    assert power.in_force_text() == "not yet in force (awaiting commencement)"
    assert "respect_order_pending" not in {
        p.id for p in catalogue.in_force(dt.date(2030, 1, 1), "england")
    }
    (tmp_path / "rules").mkdir()
    rule = tmp_path / "rules" / "pending_rule.yaml"
    rule.write_text(
        textwrap.dedent(
            """
            theme: test
            rules:
              - id: test-pending
                power: respect_order_pending
                title: t
                citation: CPA 2026
                jurisdiction: [england]
                valid_from: 2026-04-29
                author: test
                reviewed_by: test
                reviewed_on: 2026-11-01
                target: premises
                when:
                  premises: {fact: premises, where: {tenure: council_tenancy}}
                because: "{premises}."
            """
        )
    )
    # a rule may be written ahead of commencement (it is tested as if the power were in force,
    # so it is right on the day); the power itself is still never offered
    _, found = check_rulebook(catalogue, [rule.parent])
    # (this bare rule has no tests of its own, AR006; nothing is said against its power's dates)
    assert not [p for p in found if p.level == "error" and "in force" in p.message], found


def _achilles(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "achilles", *args],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=300,
    )


def test_powers_list_shows_not_yet_in_force(pending_catalogue):
    r = _achilles("powers", "list", "--format", "json", "--catalogue", str(pending_catalogue))
    assert r.returncode == 0, r.stderr
    row = next(x for x in json.loads(r.stdout) if x["id"] == "respect_order_pending")
    assert (
        row["not_in_force_yet"] is True
        and row["in_force"] == "not yet in force (awaiting commencement)"
    )
    assert row["in_force_from"] is None


def test_powers_check_currency_lists_stale_facts_and_overdue_rule_reviews():
    r = _achilles("powers", "check", "--currency", "--as-of", "2028-06-01")
    assert r.returncode == 0, r.stderr
    said = r.stdout + r.stderr  # the findings are warnings, on standard error
    assert "facts last checked against the statute on 2026-11-29, over a year ago" in said
    assert "review is due" in said and "rule " in said
    assert "powers_catalogue/housing.yaml:" in said  # file:line for each entry
    strict = _achilles("powers", "check", "--currency", "--as-of", "2028-06-01", "--strict")
    assert strict.returncode == 2
    fresh = _achilles("powers", "check", "--currency", "--as-of", "2026-12-04")
    assert fresh.returncode == 0 and "over a year ago" not in fresh.stdout + fresh.stderr


def test_powers_check_bad_date_is_a_clear_error():
    r = _achilles("powers", "check", "--as-of", "4/12/2026")
    assert r.returncode == 2 and "YYYY-MM-DD" in r.stderr and "Traceback" not in r.stderr


def test_near_misses_follow_the_case_date_for_conduct_dated_rules():
    # A 2026 case with fraud known only as intelligence: a near miss may suggest the DMCC Act,
    # never the CPRs, which govern only conduct before 6 April 2025.
    case = parse_case(
        textwrap.dedent(
            """
            case: {id: t, title: T, as_of: 2026-06-01, jurisdiction: england, lro: {name: L, agency: A}}
            ocg: {name: G}
            businesses: [{id: b4, name: Roofing firm, trade: construction}]
            activities: [{kind: fraud, by: [b4], status: suspected}]
            """
        ),
        vocab=VOCAB,
    )
    found = analyse(case, CATALOGUE, RULEBOOK, VOCAB)
    missed = {m.power_id for m in found.near_misses}
    assert DMCC in missed and CPRS not in missed


def test_powers_show_gives_each_nations_limit_and_dates():
    r = _achilles("powers", "show", "planning_stop_notice")
    assert r.returncode == 0, r.stderr
    assert "lasts up to 56 days in England, 28 days in Wales" in " ".join(r.stdout.split())
    r = _achilles("powers", "show", "possession_absolute_asb")
    assert "in wales: 2014-10-20 to 2022-12-01" in " ".join(r.stdout.split())


def _closures(tenant: str) -> tuple[set[str], set[str]]:
    case = parse_case(
        textwrap.dedent(
            f"""
            case: {{id: t, title: T, as_of: 2012-06-01, jurisdiction: england, lro: {{name: L, agency: A}}}}
            ocg: {{name: G}}
            people: [{tenant}]
            premises:
              - {{id: p6, label: House, use: dwelling, tenure: council_tenancy, occupants: [{{person: v1, as: tenant}}]}}
            activities:
              - {{kind: drug_supply, at: [p6], status: corroborated}}
              - {{kind: nuisance, at: [p6], status: corroborated}}
            """
        ),
        vocab=VOCAB,
    )
    found = analyse(case, CATALOGUE, RULEBOOK, VOCAB, near_misses=False)
    offered = {o.power_id for o in found.options if o.target == "p6"}
    blocked = {b.power_id for b in found.blocked if b.target == "p6"}
    return offered, blocked


def test_a_2012_case_gets_the_2003_act_closure_never_on_a_victims_home():
    # ABA 2003 Part 1 (20 January 2004 to 20 October 2014): the law of the case's day.
    offered, _ = _closures("{id: v1, name: Tenant, role: member}")
    assert "drug_premises_closure_aba2003" in offered and "closure_order" not in offered
    # victims_home: block - never on the home of a person the group exploits.
    offered, blocked = _closures(
        "{id: v1, name: Tenant, role: vulnerable, vulnerabilities: [cuckooed]}"
    )
    assert "drug_premises_closure_aba2003" not in offered
    assert "drug_premises_closure_aba2003" in blocked
