"""The victim guard over generated cases dense in the patterns the law presumes victims from.

Cases are drawn as an LRO meets them: runners with and without an age, people described as young,
tenants with care needs whose homes a member occupies or visits to deal, workers where forced
labour is suspected, and now and then an assessment that lifts a presumption. Whatever the
labels, through the real engine and the real rules:
- the law's starting points hold (checked against a plain statement of them, written here);
- no coercive option is aimed at anyone the group exploits or is presumed to;
- no possession, tenancy fraud or s8 option rests on a home whose tenant or owner that is;
- a closure of such a home exempts them;
- a presumption lifted by a recorded assessment lets the options back, each with a caution.
"""

from __future__ import annotations

import datetime as dt

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from achilles.analysis import analyse
from achilles.catalogue import load_catalogue
from achilles.model.case_file import parse_case
from achilles.model.vocabulary import load_vocabulary
from achilles.rulebook.load import load_rulebook

VOCAB = load_vocabulary()
CATALOGUE = load_catalogue()
RULES = load_rulebook(CATALOGUE)
AS_OF = dt.date(2026, 11, 1)

CARE_NEEDS = ["learning_disability", "mental_health", "drug_dependent", "alcohol_dependent"]
GROUP_ROLES = ["principal", "core_member", "member"]
OTHER_ROLES = ["associate", "runner"]
HOMES = ["flat", "dwelling", "hmo"]
TENURES = ["council_tenancy", "housing_association_tenancy", "private_rented"]
DEALING = ["drug_supply", "county_lines", "cuckooing"]
LABOUR = ["labour_exploitation", "modern_slavery", "human_trafficking"]
NOISE = ["anti_social_behaviour", "nuisance", "violence", "money_laundering", "benefit_fraud"]


@st.composite
def pictures(draw):
    people, premises, activities, events = [], [], [], []
    for i in range(draw(st.integers(1, 3))):
        people.append({"id": f"g{i}", "role": draw(st.sampled_from(GROUP_ROLES))})
    group = [p["id"] for p in people]
    for i in range(draw(st.integers(1, 4))):
        person = {"id": f"o{i}", "role": draw(st.sampled_from(OTHER_ROLES))}
        if draw(st.booleans()):
            person["age"] = draw(st.integers(12, 85))
        needs = draw(st.lists(st.sampled_from([*CARE_NEEDS, "appears_young"]), max_size=2))
        if needs:
            person["vulnerabilities"] = sorted(set(needs))
        people.append(person)
    others = [p["id"] for p in people if p["id"].startswith("o")]
    for i in range(draw(st.integers(1, 3))):
        home = {
            "id": f"h{i}",
            "label": f"home {i}",
            "use": draw(st.sampled_from(HOMES)),
            "tenure": draw(st.sampled_from(TENURES)),
            "occupants": [
                {
                    "person": draw(st.sampled_from(others)),
                    "as": draw(st.sampled_from(["tenant", "owner"])),
                }
            ],
        }
        if draw(st.booleans()):
            home["occupants"].append(
                {
                    "person": draw(st.sampled_from(group)),
                    "as": draw(st.sampled_from(["occupier", "visitor"])),
                }
            )
        premises.append(home)
    work = {"id": "w0", "label": "car wash", "use": "car_wash", "tenure": "commercial_lease"}
    work["occupants"] = [{"person": draw(st.sampled_from(others)), "as": "worker"}]
    premises.append(work)
    places = [p["id"] for p in premises]
    actors = [p["id"] for p in people]
    for _ in range(draw(st.integers(1, 6))):
        activities.append(
            {
                "kind": draw(st.sampled_from([*DEALING, *LABOUR, *NOISE])),
                "at": draw(st.lists(st.sampled_from(places), unique=True, max_size=2)),
                "by": draw(st.lists(st.sampled_from(actors), unique=True, max_size=2)),
                "status": draw(st.sampled_from(list(VOCAB.terms("status")))),
            }
        )
    for person in draw(st.lists(st.sampled_from(others), unique=True, max_size=2)):
        events.append(
            {
                "kind": "assessment",
                "of": [person],
                "on": "2026-09-01",
                "outcome": draw(st.sampled_from(["not_exploited", "pending", "exploited"])),
                "by": "adult_social_care",
            }
        )
    data = {
        "case": {
            "id": "gen",
            "title": "Generated",
            "as_of": str(AS_OF),
            "jurisdiction": "england",
            "lro": {"name": "LRO", "agency": "Force"},
        },
        "ocg": {"name": "Group", "crime_types": ["county_lines"]},
        "people": people,
        "premises": premises,
        "activities": activities,
        "events": events,
    }
    return yaml.safe_dump(data)


def assessed(case, person: str, outcome: str) -> bool:
    return any(
        e.kind == "assessment" and person in e.of and e.outcome == outcome for e in case.events
    )


def presumed_by_the_law(case) -> set[str]:
    """The law's starting points, stated plainly (a second statement of rules/presumptions.yaml)."""
    out = set()
    group = {p.id for p in case.people if p.role in GROUP_ROLES}
    for p in case.people:
        if assessed(case, p.id, "not_exploited"):
            continue
        if p.role == "runner":  # every runner: criminal exploitation (and a possible child)
            out.add(p.id)
        if p.age is None and "appears_young" in p.vulnerabilities and p.role != "principal":
            out.add(p.id)
        needs = set(p.vulnerabilities) & set(CARE_NEEDS) or (p.age or 0) >= 65
        for pr in case.premises:
            lives = any(o.person == p.id and o.as_ in ("tenant", "owner") for o in pr.occupants)
            if not lives or pr.use not in HOMES or p.role in GROUP_ROLES:
                continue
            member_in = any(o.person in group for o in pr.occupants)
            dealing = any(pr.id in a.at and a.kind in DEALING for a in case.activities)
            takeover = any(pr.id in a.at and a.kind == "cuckooing" for a in case.activities)
            if (needs and member_in and dealing) or takeover:
                out.add(p.id)
        for pr in case.premises:
            works = any(o.person == p.id and o.as_ == "worker" for o in pr.occupants)
            if works and any(pr.id in a.at and a.kind in LABOUR for a in case.activities):
                out.add(p.id)
    return out


SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(pictures())
def test_no_coercion_reaches_a_victim_or_their_home(text):
    case = parse_case(text, "gen.yaml", VOCAB)
    analysis = analyse(case, CATALOGUE, RULES, VOCAB)
    victims = {f["key"] for f in analysis.facts.of("person") if f["exploited"]}
    assert presumed_by_the_law(case) <= victims
    own_homes = {
        pr.id: {o.person for o in pr.occupants if o.as_ in ("tenant", "owner")} & victims
        for pr in case.premises
    }
    for o in analysis.options:
        power = CATALOGUE.get(o.power_id)
        assert not (power.coercive and o.target in victims), o.key
        for firing in o.firings:
            for _alias, fact in firing.facts:
                if fact["type"] == "person" and power.coercive:
                    assert fact["key"] not in victims or fact["key"] != o.target
                place = fact.get("premises") if fact["type"] != "premises" else fact["key"]
                if power.victims_home == "block" and place:
                    assert not own_homes.get(place), (o.key, place)
        if power.victims_home == "exempt" and o.target in own_homes:
            assert own_homes[o.target] <= set(o.exempt), o.key


@SETTINGS
@given(pictures())
def test_a_lifted_presumption_is_named_in_the_options_it_lets_back(text):
    case = parse_case(text, "gen.yaml", VOCAB)
    analysis = analyse(case, CATALOGUE, RULES, VOCAB)
    lifted = {p.person for p in analysis.presumptions.found if not p.holds}
    victims = {f["key"] for f in analysis.facts.of("person") if f["exploited"]}
    for person in lifted - victims:
        assert assessed(case, person, "not_exploited")
        for o in analysis.options:
            if o.target == person and CATALOGUE.get(o.power_id).coercive:
                assert any(person in c and "lifted" in c for c in o.cautions), o.key
