"""The LRO's 4P plan: chosen options as dated actions in the order of work, the safeguarding
lane first, next steps, conflicts, information requests, the cautions said once, and the record
of what was considered and not chosen.

- `model`: what a plan holds (text only; renderers format it)
- `build`: the plan from the analysis, the ranking and the plan the LRO keeps
- `dates`: an action's procedure as dated steps
- `sequencing`: phases (now, next, when), dates across actions, joint visits, conflicts
- `cautions`: each caution and evidence item once per action; family cautions once per plan
"""

from achilles.plan.build import (
    build_plan,
    exploited_people,
    protects_victim,
    safeguarding_lane,
    selection,
    summary,
)
from achilles.plan.dates import human, procedure_dates
from achilles.plan.model import (
    FOUR_P,
    ORIGINS,
    PHASES,
    STALE,
    Action,
    ActionNote,
    ActionOutcome,
    Conflict,
    DecisionRecord,
    GeneralCaution,
    InformationRequest,
    JointVisit,
    NextStep,
    Plan,
    Safeguard,
    Step,
)

_human = human  # the name `achilles powers show` imports

__all__ = [
    "FOUR_P",
    "ORIGINS",
    "PHASES",
    "STALE",
    "Action",
    "ActionNote",
    "ActionOutcome",
    "Conflict",
    "DecisionRecord",
    "GeneralCaution",
    "InformationRequest",
    "JointVisit",
    "NextStep",
    "Plan",
    "Safeguard",
    "Step",
    "build_plan",
    "exploited_people",
    "human",
    "procedure_dates",
    "protects_victim",
    "safeguarding_lane",
    "selection",
    "summary",
]
