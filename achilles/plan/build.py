"""The LRO's 4P plan: chosen options as dated actions, safeguarding, intelligence requirements,
and a record of what was considered and not chosen. Text only from here on; renderers format it.

The actions come from the plan the LRO keeps (the case's `plan` section): each with its owner,
agency, due date, status, RAG, updates and outcome. Until the LRO chooses, the best options are
suggested; every person the group exploits gets the safeguarding that fired for them. An action
whose option no longer appears stays in the plan, flagged for review. In a redacted plan every
name is an id and typed text is withheld unless the LRO marked it shareable (redaction.py).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from achilles.analysis import Analysis
from achilles.catalogue import Catalogue
from achilles.explain import explain
from achilles.facts import is_exploited
from achilles.model.case import Case
from achilles.model.plan_state import PlanDecision, PlanState, TrackedAction, plan_of
from achilles.model.vocabulary import Vocabulary
from achilles.plan.cautions import general_cautions, merged
from achilles.plan.dates import procedure_dates
from achilles.plan.model import (
    FOUR_P,
    STALE,
    Action,
    ActionNote,
    ActionOutcome,
    DecisionRecord,
    InformationRequest,
    NextStep,
    Plan,
    Safeguard,
)
from achilles.plan.sequencing import Context, next_step_after, order_work
from achilles.questions import partner_name, questions
from achilles.ranking import RankedOption, Ranking, Weights, load_weights
from achilles.redaction import Redactor, case_title
from achilles.rulebook.load import Rulebook
from achilles.victims import Guard


def build_plan(
    analysis: Analysis,
    ranking: Ranking,
    catalogue: Catalogue,
    rulebook: Rulebook,
    vocab: Vocabulary,
    *,
    state: PlanState | None = None,
    select: list[str] | None = None,
    start: dt.date | None = None,
    redact: bool = False,
    weights: Weights | None = None,
) -> Plan:
    """The plan on `start` (default today). `state` is the plan the LRO keeps (default: the
    case's own); `select` plans those option keys instead of the chosen actions."""
    weights = weights or load_weights()
    case = analysis.case
    state = state if state is not None else plan_of(case)
    start = start or dt.date.today()
    names = Redactor(case, redact)
    by_key = {r.key: r for r in ranking.options}
    picked = selection(ranking, state, select, weights, analysis)
    sections: dict[str, list[Action]] = {p: [] for p in FOUR_P}
    for key, origin in picked:
        tracked = state.action(key)
        r = by_key.get(key)
        action = (
            _action(r, case, rulebook, start, names)
            if r is not None
            else _stale(key, case, catalogue, names)
        )
        _track(action, tracked, origin, start, names)
        sections[action.section].append(action)
    for actions in sections.values():
        actions.sort(key=lambda a: (a.stale, a.rank, a.key))
    picked_keys = {k for k, _ in picked}
    decisions = [_decision(d, by_key, case, catalogue, names) for d in state.decisions]
    decided = {d.key for d in state.decisions}
    for r in ranking.options:
        if r.key in picked_keys or r.key in decided:
            continue
        decisions.append(
            DecisionRecord(
                r.key,
                r.power.name,
                names.label(r.option.target),
                "not chosen",
                f"ranked {r.rank} of {len(ranking.options)}; not selected",
            )
        )
    for b in analysis.blocked:
        decisions.append(
            DecisionRecord(
                f"{b.power_id}@{b.target}",
                catalogue.get(b.power_id).name,
                names.label(b.target),
                "refused by the victim guard",
                f"{b.reason} ({b.person}); rule {b.rule_id}",
            )
        )
    chosen = [by_key[k] for k, _ in picked if k in by_key]
    last = state.last_review
    requests = _requests(analysis, catalogue, vocab, redact)
    actions = [a for p in FOUR_P for a in sections[p]]
    next_steps = [
        NextStep(
            w.key,
            w.power.name,
            names.label(w.option.target),
            list(explain(w.option, w.power, rulebook, case, redact=redact).opens_when),
            w.power.citation(),
            w.power.lead_agency,
        )
        for w in ranking.waiting
    ]
    guard = Guard(case, catalogue, analysis.facts, analysis.presumptions, vocab)
    lane = safeguarding_lane(chosen, ranking)
    ctx = Context(case, catalogue, start, names, guard.residents, lane)
    for n, w in zip(next_steps, ranking.waiting, strict=True):
        n.after = next_step_after(n, w.option, actions, rulebook, ctx)
    order = order_work(actions, next_steps, ctx)
    return Plan(
        marking=case.case.marking,
        operation=case_title(case, redact),
        ocg=case.ocg.name if not redact else f"OCG {case.ocg.reference or case.case.id}",
        ocg_reference="" if redact else case.ocg.reference or "",
        lro=case.case.lro.name if not redact else "the LRO",
        lro_agency=case.case.lro.agency,
        date=start,
        as_of=analysis.as_of,
        summary=summary(case, vocab, redact=redact, analysis=analysis),
        sections=sections,
        safeguarding=_safeguarding(analysis, chosen, redact),
        next_steps=next_steps,
        intelligence=[f"{r.partner_name}: {item}" for r in requests for item in r.questions],
        requests=requests,
        joint_operations=[
            f"Joint operation at {names.label(p.place)}: "
            + "; ".join(f"{o.power.name} ({o.power.lead_agency})" for o in p.options)
            + f" (agencies: {', '.join(p.agencies)}; score {p.score})"
            for p in ranking.packages
            if any(o.key in picked_keys for o in p.options)
        ],
        review_date=start + dt.timedelta(days=weights.plan.review_after_days),
        decisions=decisions,
        warnings=list(analysis.warnings),
        redacted=redact,
        versions={"rules": rulebook.version, "catalogue": str(len(catalogue))},
        chosen=select is not None or bool(state.actions),
        last_review=last.date if last else None,
        order=order.keys,
        conflicts=order.conflicts,
        visits=order.visits,
        general_cautions=general_cautions(actions, catalogue),
        lane=[k for k in order.keys if k in lane],
    )


def safeguarding_lane(chosen: list[RankedOption], ranking: Ranking) -> set[str]:
    """The chosen actions in the ranking's safeguarding lane: what protects each person the group
    exploits, or is presumed to. They lead the first phase of the order of work."""
    lane = {key for s in ranking.safeguarding for key in s.actions}
    return {r.key for r in chosen if r.key in lane}


def protects_victim(r: RankedOption, analysis: Analysis) -> bool:
    """The option safeguards a person the group exploits, or is presumed to (never coercive)."""
    return (
        not r.power.coercive
        and r.option.target_type == "person"
        and r.option.target in exploited_people(analysis)
    )


def selection(
    ranking: Ranking,
    state: PlanState,
    select: list[str] | None,
    weights: Weights,
    analysis: Analysis,
) -> list[tuple[str, str]]:
    """The keys in the plan, each with how it got there (one of ORIGINS), cheaply: the Options
    screen marks every option with it."""
    decided = {d.key for d in state.decisions}
    if select is not None:
        known = {r.key for r in ranking.options}
        picked = {k: "chosen" for k in select if k in known}
    elif state.actions:
        picked = {a.key: "chosen" for a in state.actions}
    else:
        best = [r.key for r in ranking.options if r.key not in decided]
        picked = dict.fromkeys(best[: weights.plan.default_top], "suggested")
    # Every person the group exploits (or is presumed to) gets the safeguarding that fired for
    # them (the ranking's safeguarding lane), unless the LRO rejected or deferred it (which the
    # TUI asks them to confirm).
    for s in ranking.safeguarding:
        for key in s.actions:
            if key not in decided:
                picked.setdefault(key, "automatic")
    return list(picked.items())


def _action(
    r: RankedOption,
    case: Case,
    rulebook: Rulebook,
    start: dt.date,
    names: Redactor,
) -> Action:
    """An option as an action, dated from `start` (the order of work dates it again)."""
    power = r.power
    e = explain(r.option, power, rulebook, case, redact=names.redact)
    steps = procedure_dates(power, start, case.case.jurisdiction)
    return Action(
        key=r.key,
        rank=r.rank,
        score=r.score,
        section=power.four_p[0],
        title=power.name,
        power_id=power.id,
        target_id=r.option.target,
        target=names.label(r.option.target),
        legal_basis=power.citation(),
        lead_agency=power.lead_agency,
        partners=list(power.partners),
        owner="to be agreed",
        due=steps[-1].due if steps else None,
        steps=steps,
        evidence=merged(e.evidence),
        cautions=merged(e.cautions),
        because=list(e.why),
        facts=list(e.facts),
        rules=list(e.rules),
        breakdown=[(c.name, c.points, c.reason) for c in r.breakdown],
        exempt=[names.label(p) for p in e.exempt],
    )


def _stale(key: str, case: Case, catalogue: Catalogue, names: Redactor) -> Action:
    """An action whose option no longer appears: it stays, flagged for the partnership."""
    power_id, _, target = key.partition("@")
    power = catalogue.powers.get(power_id)
    return Action(
        key=key,
        rank=0,
        score=0.0,
        section=power.four_p[0] if power else FOUR_P[0],
        title=power.name if power else power_id.replace("_", " "),
        power_id=power_id,
        target_id=target,
        target=names.label(target),
        legal_basis=power.citation() if power else "",
        lead_agency=power.lead_agency if power else "",
        partners=list(power.partners) if power else [],
        owner="to be agreed",
        due=None,
        steps=[],
        evidence=[],
        cautions=[],
        because=[f"{STALE} (the picture changed since it was chosen)"],
        facts=[],
        rules=[],
        breakdown=[],
        stale=True,
    )


def _track(
    action: Action, tracked: TrackedAction | None, origin: str, start: dt.date, names: Redactor
) -> None:
    """What the LRO recorded on an action: owner, agency, due date, status, RAG, updates."""
    action.origin = "chosen" if tracked is not None else origin
    if tracked is None:
        return
    if tracked.owner:
        action.owner = names.text(tracked.owner, tracked.owner_shareable)
    if tracked.agency:
        action.lead_agency = tracked.agency
    if tracked.due:
        action.due, action.due_set = tracked.due, True
    action.status = tracked.status
    action.rag = tracked.rag or ""
    action.added = tracked.added
    action.overdue = tracked.overdue(start)
    action.updates = [
        ActionNote(u.date, names.text(u.by), names.text(u.text, u.shareable))
        for u in sorted(tracked.updates, key=lambda u: u.date)
    ]
    if tracked.outcome is not None:
        o = tracked.outcome
        action.outcome = ActionOutcome(o.level, o.date, names.text(o.note, o.shareable))


def _decision(
    d: PlanDecision,
    by_key: dict[str, RankedOption],
    case: Case,
    catalogue: Catalogue,
    names: Redactor,
) -> DecisionRecord:
    power_id, _, target = d.key.partition("@")
    r = by_key.get(d.key)
    power = catalogue.powers.get(power_id)
    title = r.power.name if r else (power.name if power else power_id.replace("_", " "))
    return DecisionRecord(
        d.key,
        title + ("" if r else f" ({STALE})"),
        names.label(target),
        d.decision,
        names.text(d.reason, d.shareable),
        names.text(d.by),
        d.date.isoformat(),
        d.until.isoformat() if d.until else "",
    )


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
        mine = [r for r in chosen if r.option.target == p.id and not r.power.coercive]
        actions = [r.power.name for r in mine]
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
                [r.key for r in mine],
            )
        )
    return out


def _requests(
    analysis: Analysis, catalogue: Catalogue, vocab: Vocabulary, redact: bool
) -> list[InformationRequest]:
    """The near misses as information requests, one list per partner who can answer them."""
    case = analysis.case
    out = []
    for group in questions(analysis, vocab, redact=redact):
        items = []
        for q in group.questions:
            opens = "; ".join(
                dict.fromkeys(
                    f"{catalogue.get(power).name} on {case.label(target, redact=redact)}"
                    for power, _, target in (key.partition("@") for key in q.opens)
                )
            )
            items.append(f"{q.text} Opens: {opens}.")
        out.append(InformationRequest(group.partner, partner_name(group.partner, vocab), items))
    return out
