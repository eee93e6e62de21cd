"""The LRO's 4P plan: chosen options as dated actions, safeguarding, intelligence requirements,
and a record of what was considered and not chosen. Text only from here on; renderers format it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from achilles.analysis import Analysis
from achilles.catalogue import Catalogue
from achilles.explain import explain
from achilles.facts import is_exploited
from achilles.model.case import Case
from achilles.model.power import Power, duration_hours
from achilles.model.vocabulary import Vocabulary
from achilles.ranking import RankedOption, Ranking, Weights, load_weights
from achilles.rulebook.load import Rulebook

FOUR_P = ("pursue", "prevent", "protect", "prepare")


@dataclass(frozen=True)
class Step:
    due: dt.date | None
    text: str
    note: str = ""


@dataclass
class Action:
    key: str
    rank: int
    score: float
    section: str
    title: str
    power_id: str
    target_id: str
    target: str
    legal_basis: str
    lead_agency: str
    partners: list[str]
    owner: str
    due: dt.date | None
    steps: list[Step]
    evidence: list[str]
    cautions: list[str]
    because: list[str]
    facts: list[str]
    rules: list[str]
    breakdown: list[tuple[str, float, str]]
    exempt: list[str] = field(default_factory=list)  # people a partial order must leave at home


@dataclass
class Safeguard:
    person_id: str
    person: str
    needs: str
    actions: list[str]
    presumed: list[str] = field(default_factory=list)  # why the law treats them as a victim
    lift: list[str] = field(default_factory=list)  # what record would lift each presumption


@dataclass
class NextStep:
    """A power that opens only when a legal event happens (a conviction, a closure order)."""

    key: str
    title: str
    target: str
    opens_when: list[str]
    legal_basis: str
    lead_agency: str


@dataclass
class DecisionRecord:
    key: str
    title: str
    target: str
    decision: str
    reason: str
    by: str = ""
    at: str = ""


@dataclass
class Plan:
    marking: str
    operation: str
    ocg: str
    ocg_reference: str
    lro: str
    lro_agency: str
    date: dt.date
    as_of: dt.date
    summary: list[str]
    sections: dict[str, list[Action]]
    safeguarding: list[Safeguard]
    next_steps: list[NextStep]
    intelligence: list[str]
    joint_operations: list[str]
    review_date: dt.date
    decisions: list[DecisionRecord]
    warnings: list[str]
    redacted: bool
    versions: dict[str, str] = field(default_factory=dict)

    def actions(self) -> list[Action]:
        return [a for p in FOUR_P for a in self.sections.get(p, [])]


@dataclass(frozen=True)
class Choice:
    """What the LRO decided about one option (from the TUI, the CLI or the decision log)."""

    decision: str  # accepted, rejected, deferred
    reason: str = ""
    owner: str = ""
    agency: str = ""
    due: dt.date | None = None
    by: str = ""
    at: str = ""


def build_plan(
    analysis: Analysis,
    ranking: Ranking,
    catalogue: Catalogue,
    rulebook: Rulebook,
    vocab: Vocabulary,
    *,
    select: list[str] | None = None,
    choices: dict[str, Choice] | None = None,
    start: dt.date | None = None,
    redact: bool = False,
    weights: Weights | None = None,
) -> Plan:
    weights = weights or load_weights()
    case = analysis.case
    choices = choices or {}
    start = start or dt.date.today()
    chosen = _selection(ranking, select, choices, weights, case, vocab, analysis)
    sections: dict[str, list[Action]] = {p: [] for p in FOUR_P}
    for r in chosen:
        action = _action(r, case, rulebook, choices.get(r.key), start, redact, catalogue)
        sections[action.section].append(action)
    chosen_keys = {r.key for r in chosen}
    decisions = []
    for r in ranking.options:
        if r.key in chosen_keys:
            continue
        c = choices.get(r.key)
        decisions.append(
            DecisionRecord(
                r.key,
                r.power.name,
                case.label(r.option.target, redact=redact),
                c.decision if c else "not chosen",
                c.reason
                if c and c.reason
                else f"ranked {r.rank} of {len(ranking.options)}; not selected",
                c.by if c else "",
                c.at if c else "",
            )
        )
    for b in analysis.blocked:
        decisions.append(
            DecisionRecord(
                f"{b.power_id}@{b.target}",
                catalogue.get(b.power_id).name,
                case.label(b.target, redact=redact),
                "refused by the victim guard",
                f"{b.reason} ({b.person}); rule {b.rule_id}",
            )
        )
    return Plan(
        marking=case.case.marking,
        operation=case.case.title,
        ocg=case.ocg.name if not redact else f"OCG {case.ocg.reference or case.case.id}",
        ocg_reference=case.ocg.reference or "",
        lro=case.case.lro.name if not redact else "the LRO",
        lro_agency=case.case.lro.agency,
        date=start,
        as_of=analysis.as_of,
        summary=summary(case, vocab, redact=redact, analysis=analysis),
        sections=sections,
        safeguarding=_safeguarding(analysis, chosen, redact),
        next_steps=[
            NextStep(
                w.key,
                w.power.name,
                case.label(w.option.target, redact=redact),
                list(explain(w.option, w.power, rulebook, case, redact=redact).opens_when),
                w.power.citation(),
                w.power.lead_agency,
            )
            for w in ranking.waiting
        ],
        intelligence=_intelligence(analysis, catalogue, redact),
        joint_operations=[
            f"Joint operation at {case.label(p.place, redact=redact)}: "
            + "; ".join(f"{o.power.name} ({o.power.lead_agency})" for o in p.options)
            + f" (agencies: {', '.join(p.agencies)}; score {p.score})"
            for p in ranking.packages
            if any(o.key in chosen_keys for o in p.options)
        ],
        review_date=start + dt.timedelta(days=weights.plan.review_after_days),
        decisions=decisions,
        warnings=list(analysis.warnings),
        redacted=redact,
        versions={"rules": rulebook.version, "catalogue": str(len(catalogue))},
    )


def _selection(
    ranking: Ranking,
    select: list[str] | None,
    choices: dict[str, Choice],
    weights: Weights,
    case: Case,
    vocab: Vocabulary,
    analysis: Analysis,
) -> list[RankedOption]:
    by_key = {r.key: r for r in ranking.options}
    if select is not None:
        keys = [k for k in select if k in by_key]
    else:
        accepted = [k for k, c in choices.items() if c.decision == "accepted" and k in by_key]
        keys = (
            accepted
            or [
                r.key
                for r in ranking.options
                if choices.get(r.key, Choice("")).decision not in ("rejected", "deferred")
            ][: weights.plan.default_top]
        )
    # Every person the group exploits (or is presumed to) gets the safeguarding that fired.
    exploited = exploited_people(analysis)
    for r in ranking.options:
        wanted = r.option.target in exploited and not r.power.coercive and r.key not in keys
        if wanted and choices.get(r.key, Choice("")).decision != "rejected":
            keys.append(r.key)
    return sorted((by_key[k] for k in dict.fromkeys(keys)), key=lambda r: r.rank)


def _action(
    r: RankedOption,
    case: Case,
    rulebook: Rulebook,
    choice: Choice | None,
    start: dt.date,
    redact: bool,
    catalogue: Catalogue,
) -> Action:
    power = r.power
    e = explain(r.option, power, rulebook, case, redact=redact)
    steps = procedure_dates(power, start)
    return Action(
        key=r.key,
        rank=r.rank,
        score=r.score,
        section=power.four_p[0],
        title=power.name,
        power_id=power.id,
        target_id=r.option.target,
        target=case.label(r.option.target, redact=redact),
        legal_basis=power.citation(),
        lead_agency=(choice.agency if choice and choice.agency else power.lead_agency),
        partners=list(power.partners),
        owner=(choice.owner if choice and choice.owner else "to be agreed"),
        due=(choice.due if choice and choice.due else (steps[-1].due if steps else None)),
        steps=steps,
        evidence=list(e.evidence),
        cautions=list(e.cautions),
        because=list(e.why),
        facts=list(e.facts),
        rules=list(e.rules),
        breakdown=[(c.name, c.points, c.reason) for c in r.breakdown],
        exempt=[case.label(p, redact=redact) for p in e.exempt],
    )


def procedure_dates(power: Power, start: dt.date) -> list[Step]:
    """Each procedure step with the latest date the law allows, counted from `start`."""
    steps = []
    begin = dt.datetime.combine(start, dt.time(9, 0))
    at = begin
    ends: list[dt.datetime] = []
    for s in power.procedure:
        if s.within:
            base = at
            if s.from_step is not None:
                base = (
                    begin if s.from_step == 0 or s.from_step > len(ends) else ends[s.from_step - 1]
                )
            at = base + dt.timedelta(hours=duration_hours(s.within))
        ends.append(at)
        notes = []
        if s.within:
            notes.append(f"within {_human(s.within)}")
        if s.lasts:
            notes.append(
                f"lasts up to {_human(s.lasts)}"
                + (f", extendable to {_human(s.extendable_to)}" if s.extendable_to else "")
            )
        if s.cite:
            notes.append(s.cite)
        if s.note:
            notes.append(s.note)
        steps.append(Step(at.date(), s.step, "; ".join(notes)))
    return steps


def _human(duration: str) -> str:
    units = {"h": "hours", "d": "days", "w": "weeks", "mo": "months", "y": "years"}
    n = "".join(ch for ch in duration if ch.isdigit())
    unit = duration[len(n) :]
    return f"{n} {units[unit] if n != '1' else units[unit].rstrip('s')}"


def exploited_people(analysis: Analysis) -> set[str]:
    """Everyone the group exploits, by label or by a presumption that holds."""
    return {f["key"] for f in analysis.facts.of("person") if f["exploited"]}


def summary(
    case: Case, vocab: Vocabulary, *, redact: bool = False, analysis: Analysis | None = None
) -> list[str]:
    roles = Counter(p.role for p in case.people)
    role_text = ", ".join(f"{n} {r.replace('_', ' ')}" for r, n in sorted(roles.items()))
    lines = [
        f"{'The group' if redact else case.ocg.name}: threat {case.ocg.threat or 'not assessed'}; "
        f"crime types: {', '.join(t.replace('_', ' ') for t in case.ocg.crime_types) or 'none recorded'}.",
        f"People: {len(case.people)}" + (f" ({role_text})" if role_text else "") + f"; premises: "
        f"{len(case.premises)}; businesses: {len(case.businesses)}; vehicles: {len(case.vehicles)}.",
    ]
    if case.activities:
        acts = ", ".join(
            f"{a.kind.replace('_', ' ')} ({a.status}{', ' + a.grade if a.grade else ''})"
            for a in case.activities
        )
        lines.append(f"Known activity: {acts}.")
    exploited = [p for p in case.people if is_exploited(p, vocab)]
    if analysis is not None:
        known = exploited_people(analysis)
        exploited = [p for p in case.people if p.id in known]
    if exploited:
        lines.append(
            f"The group exploits {len(exploited)} "
            f"{'person' if len(exploited) == 1 else 'people'}: safeguarding comes first."
        )
    return lines


def _safeguarding(analysis: Analysis, chosen: list[RankedOption], redact: bool) -> list[Safeguard]:
    case = analysis.case
    exploited = exploited_people(analysis)
    out = []
    for p in case.people:
        held = analysis.presumptions.holding(p.id)
        if not (p.id in exploited or p.vulnerabilities):
            continue
        actions = [r.power.name for r in chosen if r.option.target == p.id and not r.power.coercive]
        needs = ", ".join(v.replace("_", " ") for v in p.vulnerabilities) or p.role
        out.append(
            Safeguard(
                p.id,
                case.label(p.id, redact=redact),
                needs,
                actions
                or ["No safeguarding option selected: refer to adult or children's services now"],
                [f"{h.presumption.title} ({h.presumption.citation})" for h in held],
                [h.presumption.lift for h in held if h.presumption.lift],
            )
        )
    return out


def _intelligence(analysis: Analysis, catalogue: Catalogue, redact: bool) -> list[str]:
    lines = []
    opened: dict[str, list[str]] = {}
    for n in analysis.near_misses:
        target = analysis.case.label(n.target, redact=True)
        opened.setdefault(n.missing, []).append(f"{catalogue.get(n.power_id).name} on {target}")
    for missing, powers in opened.items():
        lines.append(f"{missing[0].upper()}{missing[1:]}: opens {'; '.join(sorted(set(powers)))}.")
    return lines
