"""A victim put forward as the front (named director, licence holder, registered keeper): coercive
options on the business or vehicle stay - they hit the group's asset - but each says the action
must never fall on that person. Real shipped rules and catalogue, real engine."""

from __future__ import annotations

import pytest

from achilles.analysis import analyse
from achilles.knowledge import load_knowledge
from achilles.model.case_file import parse_case

CASE = """
case: {{id: fronts, title: T, as_of: 2026-11-01, jurisdiction: england, lro: {{name: L, agency: A}}}}
ocg: {{name: G, crime_types: [labour_exploitation, money_laundering]}}
people:
  - {{id: n1, name: Controller, role: principal, age: 40}}
  - {{id: w1, name: Front Director, role: associate, age: 22, vulnerabilities: [{marker}]}}
  - {{id: w2, name: Worker, role: associate, age: 30, immigration: no_leave}}
premises:
  - {{id: p1, label: Car wash, use: car_wash, tenure: commercial_lease, occupants: [{{person: n1, as: manager}}]}}
businesses:
  - id: b1
    name: Sparkle Wash
    trade: car_wash
    premises: p1
    people: [{{person: w1, as: director}}, {{person: n1, as: shadow_director}}, {{person: w2, as: worker}}]
vehicles:
  - {{id: v1, kind: van, keeper: w1, users: [n1], flags: [uninsured]}}
activities:
  - {{id: a1, kind: illegal_working, at: [p1], by: [b1], affecting: [w2], status: evidenced}}
  - {{id: a2, kind: money_laundering, by: [n1, b1], status: corroborated}}
"""


def _analysis(marker: str):
    k = load_knowledge()
    case = parse_case(CASE.format(marker=marker), "fronts.yaml", k.vocab)
    return analyse(case, k.catalogue, k.rulebook, k.vocab), k


def _front(option) -> list[str]:
    return [c for c in option.cautions if "put victims forward as the front" in c]


@pytest.fixture(scope="module")
def exploited():
    return _analysis("criminally_exploited")


def test_coercive_options_on_a_victims_business_or_vehicle_say_it_must_not_fall_on_them(exploited):
    analysis, k = exploited
    by_key = {o.key: o for o in analysis.options}
    for key, named_as in (
        ("illegal_working_civil_penalty@b1", "director"),
        ("vehicle_seizure_no_insurance@v1", "keeper"),
    ):
        cautions = _front(by_key[key])
        assert len(cautions) == 1, key
        assert cautions[0].startswith(
            f"w1, whom the group exploits or may exploit, is named as its {named_as}"
        )
        assert "Front Director" not in cautions[0]  # fixed before redaction: the id only


def test_no_front_caution_on_safeguarding_or_on_the_controllers_own_options(exploited):
    analysis, k = exploited
    for option in analysis.options:
        coercive = k.catalogue.get(option.power_id).coercive
        if not coercive or option.target in ("n1", "p1"):
            assert not _front(option), option.key


def test_no_front_caution_when_the_named_person_is_not_exploited():
    analysis, _ = _analysis("drug_dependent")
    assert not any(_front(o) for o in analysis.options)
