"""The partnership's own outcomes as one more, visible criterion (weights `outcomes`; off while
its weight is 0)."""

from __future__ import annotations

import dataclasses

from achilles.model.case import Case
from achilles.ranking.ranked import Ranking, arranged
from achilles.ranking.score import Criterion, ordered
from achilles.ranking.weights import Weights, load_weights

LOCAL_OUTCOMES = "local outcomes"


def with_local_outcomes(
    ranking: Ranking,
    record: dict[str, dict[str, int]],
    case: Case,
    weights: Weights | None = None,
) -> Ranking:
    """The ranking with the partnership's own outcomes as one more, visible criterion (weights
    `outcomes` section; off while its weight is 0). `record`: power id -> disruption level ->
    actions done with that outcome, from the partnership's plans. A power done fewer than
    min_done times, or with levels the weights do not value, gets value 0 and says why; the
    other criteria are scaled by 1/(1 + weight) so scores stay out of 100."""
    weights = weights or load_weights()
    ow = weights.outcomes
    if ow.weight <= 0:
        return ranking
    share = ow.weight / (1 + ow.weight)
    out = []
    for r in ranking.options:
        counts = {k: n for k, n in record.get(r.power.id, {}).items() if k in ow.level_value}
        done = sum(counts.values())
        if done >= ow.min_done:
            value = sum(ow.level_value[k] * n for k, n in counts.items()) / done
            said = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()) if n)
            reason = f"done {done} times in the partnership's plans: {said}"
        else:
            value = 0.0
            reason = f"done {done} times in the partnership's plans (counts from {ow.min_done})"
        breakdown = [
            Criterion(c.name, c.value, c.weight / (1 + ow.weight), c.reason) for c in r.breakdown
        ] + [Criterion(LOCAL_OUTCOMES, round(value, 3), share, reason)]
        score = round(sum(c.value * c.weight for c in breakdown) * 100, 1)
        out.append(dataclasses.replace(r, score=score, breakdown=breakdown))
    rescored = ordered(out)
    by_key = {r.key: r for r in rescored}
    lane = [
        dataclasses.replace(
            s, options=tuple(sorted((by_key[r.key] for r in s.options), key=lambda r: r.rank))
        )
        for s in ranking.safeguarding
    ]
    return arranged(rescored, case, weights, lane, ranking.waiting)
