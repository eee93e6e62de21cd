"""One case to its summary: the knowledge every worker loads once, and the Evaluator that turns
a case file (or a workspace case) into what the portfolio keeps of it."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from achilles.errors import AchillesError, EngineError, InputError
from achilles.knowledge import Knowledge, load_knowledge
from achilles.model.plan_state import plan_of
from achilles.model.portfolio import CaseFailure, CaseResult, CaseSummary, TopOption, Tracked
from achilles.portfolio.sources import WORKSPACE_PREFIX
from achilles.render.clean import one_line

DEFAULT_TOP = 5
MARKING = "OFFICIAL-SENSITIVE"


@dataclass(frozen=True)
class Settings:
    """What every worker needs to evaluate a case the same way."""

    rules: tuple[str, ...] = ()
    catalogue: str | None = None
    top: int = DEFAULT_TOP
    near_misses: bool = True
    engine: str = "durable"
    workspace: str | None = None  # the database that `workspace:<case id>` sources are read from
    on: str | None = None  # judge plan due dates on this ISO date (default: today)
    redact: bool = (
        False  # keep no operation titles or target names (a report for wider circulation)
    )


def knowledge_for(settings: Settings) -> Knowledge:
    """The knowledge every worker loads once: the shipped rules with the settings' layers."""
    return load_knowledge(settings.rules, settings.catalogue)


class Evaluator:
    """Turns a case file into its summary. One per process; holds the knowledge and the engine."""

    def __init__(self, settings: Settings, knowledge: Knowledge | None = None) -> None:
        self.settings = settings
        self.knowledge = knowledge or knowledge_for(settings)
        self._workspace: Any = None

    def _load(self, source: str) -> Any:
        from achilles.model.case_file import load_case, parse_case

        if source.startswith(WORKSPACE_PREFIX) and self.settings.workspace:
            if self._workspace is None:  # one connection per process, opened on first use
                from achilles.store import Workspace

                self._workspace = Workspace.open(self.settings.workspace)
            text = self._workspace.get(source.removeprefix(WORKSPACE_PREFIX))
            return parse_case(text, source, self.knowledge.vocab)
        return load_case(source, self.knowledge.vocab)

    def _tracked(self, case: Any) -> tuple[Tracked, ...]:
        on = _on(self.settings)
        out = []
        for a in plan_of(case).actions:
            power_id = a.key.partition("@")[0]
            power = self.knowledge.catalogue.powers.get(power_id)
            out.append(
                Tracked(
                    power_id,
                    a.agency or (power.lead_agency if power else "unknown"),
                    a.status,
                    a.outcome.level if a.outcome else "",
                    a.overdue(on),
                )
            )
        return tuple(sorted(out, key=lambda t: (t.power_id, t.agency, t.status, t.outcome)))

    @staticmethod
    def _target_name(case: Any, key: str) -> str:
        """People by their role ("principal n1"), never their name, and nothing by a free-text
        label (a premises' label may name its landlord): a portfolio travels further than one
        case's plan."""
        from achilles.model.case import Person

        item = case.entity(key)
        if isinstance(item, Person):
            return f"{item.role.replace('_', ' ')} {key}"
        return ""

    def _top(self, case: Any, ranked: Any) -> TopOption:
        o = ranked.option
        power = self.knowledge.catalogue.powers.get(o.power_id)
        name = "" if self.settings.redact else self._target_name(case, o.target)
        return TopOption(
            ranked.rank,
            o.power_id,
            o.target,
            o.target_type,
            ranked.score,
            target_name="" if name == o.target else name,
            four_p=tuple(power.four_p) if power is not None else (),
        )

    def summarise(self, file: str) -> CaseResult:
        from achilles.analysis import analyse
        from achilles.ranking import rank

        k, s = self.knowledge, self.settings
        try:
            case = self._load(file)
            analysis = analyse(
                case,
                k.catalogue,
                k.rulebook,
                k.vocab,
                engine=s.engine,  # type: ignore[arg-type]
                near_misses=s.near_misses,
            )
            ranking = rank(analysis, k.catalogue, k.vocab, k.weights)
        except InputError as exc:
            first = next((p for p in exc.problems if p.level == "error"), None)
            return CaseFailure(file, one_line(first.render() if first else exc.message), "input")
        except AchillesError as exc:
            return CaseFailure(file, one_line(f"{file}: {exc.message}"), "input")
        except EngineError as exc:  # its message never holds fact values
            return CaseFailure(
                file, one_line(f"{file}: the rules engine failed on this case ({exc})"), "engine"
            )
        except Exception as exc:  # noqa: BLE001 - one case never stops the batch
            return CaseFailure(
                file, f"{file}: internal error ({type(exc).__name__}); please report it", "internal"
            )
        options = ranking.options
        top = tuple(self._top(case, r) for r in options[: s.top])
        powers = Counter(r.option.power_id for r in options)
        near: Counter[tuple[str, str]] = Counter()
        if analysis.near_misses:
            strip = id_stripper(case)
            for n in analysis.near_misses:
                near[(n.power_id, strip(n.missing))] += 1
        return CaseSummary(
            file=file,
            case_id=case.case.id,
            as_of=case.case.as_of.isoformat(),
            jurisdiction=case.case.jurisdiction,
            classification=classification(case.case.marking),
            title="" if s.redact else one_line(case.case.title),
            threat=case.ocg.threat or "unknown",
            facts=len(analysis.facts.facts),
            options=len(options),
            best=options[0].score if options else None,
            top=top,
            powers=tuple(sorted(powers.items())),
            near=tuple(sorted((p, w, c) for (p, w), c in near.items())),
            near_misses=len(analysis.near_misses),
            tracked=self._tracked(case),
            rejected=tuple(
                sorted(
                    d.key.partition("@")[0]
                    for d in plan_of(case).decisions
                    if d.decision == "rejected"
                )
            ),
            blocked=len(analysis.blocked),
            warnings=len(analysis.warnings),
        )


def _on(settings: Settings) -> dt.date:
    return dt.date.fromisoformat(settings.on) if settings.on else dt.date.today()


def classification(marking: str) -> str:
    """The case's marking reduced to a known classification (never less than OFFICIAL-SENSITIVE)."""
    text = " ".join(str(marking).upper().replace("_", " ").split())
    if text.startswith("TOP SECRET"):
        return "TOP SECRET"
    if text.startswith("SECRET"):
        return "SECRET"
    return MARKING


_KIND_WORD = {
    "people": "person",
    "premises": "premises",
    "businesses": "business",
    "vehicles": "vehicle",
}


def id_stripper(case: Any) -> Callable[[str], str]:
    """A function that replaces the case's entity ids in a sentence by their kind, so the same
    requirement in two cases reads the same: "establish that premises p4 has ..." ->
    "establish that [premises] has ..."."""
    kinds: dict[str, str] = {}
    for section, word in _KIND_WORD.items():
        for item in getattr(case, section):
            kinds[item.id] = word
    for i in range(len(case.activities)):
        kinds[case.activity_id(i)] = "activity"
    if not kinds:
        return lambda text: text
    names = "|".join(map(re.escape, sorted(kinds, key=lambda x: (-len(x), x))))
    # an id standing alone (not part of a longer token), with the kind word before it, if any
    pattern = re.compile(
        r"(?:\b(person|premises|business|vehicle|activity) )?"
        r"(?<![\w.:-])(" + names + r")(?![\w:-]|\.\w)"
    )

    def one(m: re.Match[str]) -> str:
        kind = kinds[m.group(2)]
        said = m.group(1)
        return f"[{kind}]" if said in (None, kind) else f"{said} [{kind}]"

    def strip(text: str) -> str:
        return pattern.sub(one, text).replace(" ([activity])", "")

    return strip
