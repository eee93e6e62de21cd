"""A projected rulebook for benchmarks: the shipped rules topped up to about 120 with generated ones.

The legal team's rulebook is still growing towards ~120 rules. So that the benchmark measures the
load it will carry, this writes extra rules, as a council layer (`--rules DIR`), shaped like the
real ones: a power from the catalogue, one to four facts joined on ids, vocabulary terms, an
evidential threshold, `exploited: false` on every coercive person target, a few `unless`
patterns. They are not legal content and never ship; they exist only in a temporary folder.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import yaml

TARGET_RULES = 120
OFFENDER_ROLES = ["principal", "core_member", "member", "associate", "enabler", "runner"]
STATUSES = ["suspected", "intelligence", "corroborated", "evidenced"]


def _kinds(rng: random.Random, vocab, k: int = 3) -> list[str]:
    return rng.sample(sorted(vocab.terms("activity_kind")), k)


def _status(rng: random.Random) -> dict:
    return {"at_least": rng.choice(STATUSES)}


def _person(rng: random.Random, coercive: bool, extra: dict | None = None) -> dict:
    where: dict[str, Any] = {"role": {"in": rng.sample(OFFENDER_ROLES, rng.randint(2, 4))}}
    if coercive:
        where["exploited"] = False
    where.update(extra or {})
    return {"fact": "person", "where": where}


def t_premises_activity(rng, vocab, coercive):
    when = {
        "premises": {"fact": "premises", "where": {}},
        "act": {
            "fact": "activity_at",
            "where": {
                "premises": {"same_as": "premises"},
                "kind": {"in": _kinds(rng, vocab)},
                "status": _status(rng),
            },
        },
    }
    if rng.random() < 0.5:
        when["premises"]["where"]["use"] = {
            "in": rng.sample(sorted(vocab.terms("premises_use")), 6)
        }
    rule = {
        "target": "premises",
        "when": when,
        "because": "{premises} is linked to {act.kind} ({act.status}).",
    }
    if rng.random() < 0.3:
        rule["unless"] = {
            "other": {
                "fact": "activity_at",
                "where": {
                    "premises": {"same_as": "premises"},
                    "kind": rng.choice(sorted(vocab.terms("activity_kind"))),
                },
            }
        }
    return rule


def t_premises_occupant(rng, vocab, coercive):
    return {
        "target": "premises",
        "when": {
            "premises": {
                "fact": "premises",
                "where": {
                    "tenure": {
                        "in": ["council_tenancy", "housing_association_tenancy", "private_rented"]
                    }
                },
            },
            "occ": {
                "fact": "occupancy",
                "where": {
                    "premises": {"same_as": "premises"},
                    "as": {"in": ["tenant", "occupier"]},
                },
            },
            "who": _person(rng, True),
            "act": {
                "fact": "activity_by",
                "where": {
                    "actor": {"same_as": "who"},
                    "kind": {"in": _kinds(rng, vocab)},
                    "status": _status(rng),
                },
            },
        },
        "because": "{who} lives at {premises} and is linked to {act.kind}.",
    } | _fix_join("who", "occ")


def _fix_join(person_alias: str, link_alias: str) -> dict:
    return {"_join": (person_alias, link_alias)}


def t_person_activity(rng, vocab, coercive):
    return {
        "target": "person",
        "when": {
            "person": _person(rng, coercive),
            "act": {
                "fact": "activity_by",
                "where": {
                    "actor": {"same_as": "person"},
                    "kind": {"in": _kinds(rng, vocab, 4)},
                    "status": _status(rng),
                },
            },
        },
        "because": "{person} is linked to {act.kind} ({act.status}).",
    }


def t_person_flags(rng, vocab, coercive):
    flags = rng.sample(sorted(vocab.terms("person_flag")), 2)
    return {
        "target": "person",
        "when": {"person": _person(rng, coercive, {"flags": {"has_any": flags}})},
        "because": "{person} has flags {person.flags}.",
    }


def t_person_licence(rng, vocab, coercive):
    licences = rng.sample(sorted(vocab.terms("person_licence")), 3)
    rule = t_person_activity(rng, vocab, coercive)
    rule["when"]["person"]["where"]["licences"] = {"has_any": licences}
    return rule


def t_person_benefits(rng, vocab, coercive):
    rule = t_person_activity(rng, vocab, coercive)
    rule["when"]["person"]["where"]["benefits"] = {
        "has_any": rng.sample(sorted(vocab.terms("benefit")), 3)
    }
    return rule


def t_person_safeguard(rng, vocab, coercive):
    vulns = rng.sample(sorted(vocab.terms("vulnerability")), 3)
    where: dict[str, Any] = (
        {"vulnerabilities": {"has_any": vulns}} if rng.random() < 0.6 else {"child": True}
    )
    return {
        "target": "person",
        "when": {"person": {"fact": "person", "where": where}},
        "because": "{person} may need support.",
    }


def t_business(rng, vocab, coercive):
    return {
        "target": "business",
        "when": {
            "business": {
                "fact": "business",
                "where": {
                    "flags": {"has_any": rng.sample(sorted(vocab.terms("business_flag")), 2)}
                },
            },
            "role": {
                "fact": "business_role",
                "where": {
                    "business": {"same_as": "business"},
                    "as": {"in": ["owner", "director", "shadow_director"]},
                },
            },
            "who": _person(rng, coercive),
        },
        "because": "{business} is run by {who}.",
    } | _fix_join("who", "role")


def t_business_activity(rng, vocab, coercive):
    return {
        "target": "business",
        "when": {
            "business": {"fact": "business", "where": {}},
            "act": {
                "fact": "activity_by",
                "where": {
                    "actor": {"same_as": "business"},
                    "kind": {"in": _kinds(rng, vocab, 4)},
                    "status": _status(rng),
                },
            },
        },
        "because": "{business} is linked to {act.kind}.",
    }


def t_vehicle_flags(rng, vocab, coercive):
    return {
        "target": "vehicle",
        "when": {
            "vehicle": {
                "fact": "vehicle",
                "where": {"flags": {"has_any": rng.sample(sorted(vocab.terms("vehicle_flag")), 3)}},
            }
        },
        "because": "{vehicle} has flags {vehicle.flags}.",
    }


def t_vehicle_use(rng, vocab, coercive):
    return {
        "target": "vehicle",
        "when": {
            "vehicle": {"fact": "vehicle", "where": {}},
            "use": {"fact": "vehicle_use", "where": {"vehicle": {"same_as": "vehicle"}}},
            "who": _person(rng, True),
            "act": {
                "fact": "activity_by",
                "where": {
                    "actor": {"same_as": "who"},
                    "kind": {"in": _kinds(rng, vocab)},
                    "status": _status(rng),
                },
            },
        },
        "because": "{vehicle} is used by {who}, linked to {act.kind}.",
    } | _fix_join("who", "use")


def t_group(rng, vocab, coercive):
    return {
        "target": "ocg",
        "when": {
            "ocg": {
                "fact": "ocg",
                "where": {
                    "crime_types": {"has_any": _kinds(rng, vocab, 4)},
                    "threat": {"at_least": rng.choice(["low", "medium", "high"])},
                },
            }
        },
        "because": "{ocg} is involved in {ocg.crime_types}.",
    }


TEMPLATES = {
    "premises": [t_premises_activity, t_premises_occupant],
    "tenancy": [t_premises_occupant],
    "person": [t_person_activity, t_person_flags],
    "licence": [t_person_licence],
    "finance": [t_person_benefits],
    "business": [t_business, t_business_activity],
    "vehicle": [t_vehicle_flags, t_vehicle_use],
    "group": [t_group],
}


def projected_rules(catalogue, vocab, shipped: int, seed: int = 2026) -> list[dict]:
    """Rule data for TARGET_RULES - shipped extra rules (none when the rulebook is already there)."""
    rng = random.Random(seed)
    powers = sorted(catalogue, key=lambda p: p.id)
    out: list[dict] = []
    n = max(0, TARGET_RULES - shipped)
    i = 0
    while len(out) < n:
        power = powers[i % len(powers)]
        i += 1
        templates = [t for target in power.targets for t in TEMPLATES.get(target, [])]
        if not power.coercive and "person" in power.targets:
            templates = [t_person_safeguard]
        if not templates:
            continue
        body = rng.choice(templates)(rng, vocab, power.coercive)
        join = body.pop("_join", None)
        if join:  # the person alias joins to the link fact's person field
            person, link = join
            body["when"][person]["where"] = {
                "key": {"same_as": f"{link}.person"},
                **body["when"][person]["where"],
            }
        juris = list(power.jurisdiction)
        out.append(
            {
                "id": f"projected-{len(out) + 1:03d}-{power.id.replace('_', '-')}",
                "power": power.id,
                "title": f"Projected rule {len(out) + 1} for {power.id} (benchmark only)",
                "citation": "benchmark only",
                "jurisdiction": juris,
                "valid_from": max(power.in_force_from, dt.date(1990, 1, 1)),
                "author": "benchmarks/projected_rules.py",
                "reviewed_by": "nobody: generated for benchmarks",
                "reviewed_on": dt.date(2026, 1, 1),
                **body,
            }
        )
    return out


def write_projected_rules(folder: Path, catalogue, vocab, shipped: int) -> int:
    """Write the extra rules as one rule file in `folder`; return how many."""
    rules = projected_rules(catalogue, vocab, shipped)
    folder.mkdir(parents=True, exist_ok=True)
    data = {"theme": "Projected rules for benchmarks (not legal content)", "rules": rules}
    (folder / "projected.yaml").write_text(
        yaml.safe_dump(data, sort_keys=False, width=120), encoding="utf-8"
    )
    return len(rules)
