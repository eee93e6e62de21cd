"""Ranking a case's options, transparently, and shaping them for the meeting.

- `weights`: the partnership's numbers (ranking/weights.yaml), loaded and checked;
- `heel`: what this group depends on, as its case records it;
- `score`: each option's score out of 100 with every criterion's points and reason;
- `lane`: the safeguarding of every person the group exploits, first and never ranked against
  enforcement;
- `tactics`: the other options grouped by power, in an order that varies the top of the list;
- `missing`: what is still missing before an option can go ahead, each point once, in names;
- `packages`: joint operations (several agencies on one place);
- `outcomes`: the partnership's own outcomes as an extra criterion (off by default);
- `ranked`: `rank()`, which joins them into one `Ranking`.
"""

from achilles.ranking.heel import Heel, heel_of
from achilles.ranking.lane import Safeguarding, exploited, lane, protects
from achilles.ranking.missing import Missing, still_missing
from achilles.ranking.outcomes import LOCAL_OUTCOMES, with_local_outcomes
from achilles.ranking.packages import Package, packages
from achilles.ranking.ranked import (
    Ranking,
    Waiting,
    filter_options,
    filter_tactics,
    filter_terms,
    rank,
)
from achilles.ranking.score import Criterion, RankedOption, score_options
from achilles.ranking.tactics import Tactic, tactics
from achilles.ranking.weights import CRITERIA, Weights, load_weights

__all__ = [
    "CRITERIA",
    "LOCAL_OUTCOMES",
    "Missing",
    "Criterion",
    "Heel",
    "Package",
    "RankedOption",
    "Ranking",
    "Safeguarding",
    "Tactic",
    "Waiting",
    "Weights",
    "exploited",
    "filter_options",
    "filter_tactics",
    "filter_terms",
    "filter_tactics",
    "heel_of",
    "lane",
    "load_weights",
    "packages",
    "protects",
    "rank",
    "score_options",
    "still_missing",
    "tactics",
    "with_local_outcomes",
]
