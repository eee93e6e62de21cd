"""The few things a partnership board should take from a portfolio, said in words.

Each finding is a sentence built from the report's own counts (never a case's names), in the
order a board would read them: who is protected, where the weight of the work falls, which
tactics lead, what is missing, what is late, and what the figures leave out.
"""

from __future__ import annotations

from achilles.model.portfolio import PortfolioReport

THIN_SHARE = 0.10  # a P with fewer than this share of the top options is called thin


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def findings(r: PortfolioReport) -> list[str]:
    out: list[str] = []
    analysed = r.analysed
    if not analysed:
        return ["No case could be analysed, so there are no findings."]
    guarded = [c for c in r.cases if c.blocked]
    if guarded:
        out.append(
            f"In {_plural(len(guarded), 'case')} the victim guard held back coercive options "
            "against people the group exploits or may be exploiting; their safeguarding comes "
            "first in each plan."
        )
    top_slots = sum(len(c.top) for c in r.cases)
    leads = sorted(r.agencies, key=lambda a: (-a.in_top, a.agency))[:2]
    if leads and top_slots:
        said = " and ".join(f"{r.agency_name(a.agency)} ({a.in_top:,})" for a in leads)
        out.append(
            f"{said} lead most of the top options ({_pct(sum(a.in_top for a in leads), top_slots)}"
            f" of {top_slots:,}): that is where the partnership's demand will fall."
        )
    best = sorted(r.powers, key=lambda p: (-p.in_top, -p.cases, p.power_id))[:3]
    best = [p for p in best if p.in_top]
    if best:
        said = "; ".join(f"{p.power} ({p.in_top} in {p.cases} groups)" for p in best)
        out.append(f"The tactics that most often rank in a group's top {r.top}: {said}.")
    thin = [p for p in r.four_ps if top_slots and p.in_top < THIN_SHARE * top_slots and p.cases]
    if thin:
        names = ", ".join(p.four_p.capitalize() for p in thin)
        out.append(
            f"Few top options serve {names} "
            f"({', '.join(str(p.in_top) for p in thin)} of {top_slots:,}): "
            "the plans lean on the other Ps."
        )
    if r.weak:
        high = [c for c in r.weak if c.threat == "high"]
        extra = f", {len(high)} of them high threat" if high else ""
        out.append(
            f"{_plural(len(r.weak), 'case')} ({_pct(len(r.weak), analysed)}{extra}) have no "
            f"option scoring {r.threshold:g} or more: they need intelligence more than tactics."
        )
    if r.recurring:
        n = r.recurring[0]
        out.append(
            f"The most common intelligence gap, in {n.cases} cases: {n.missing} (for {n.power})."
        )
    overdue = sum(a.overdue for a in r.agency_work)
    if overdue:
        worst = max(r.agency_work, key=lambda a: (a.overdue, a.agency))
        out.append(
            f"{_plural(overdue, 'action is', 'actions are')} overdue; "
            f"{r.agency_name(worst.agency)} holds {worst.overdue}."
        )
    if r.skipped:
        out.append(
            f"{_plural(len(r.skipped), 'file')} could not be read and "
            f"{'is' if len(r.skipped) == 1 else 'are'} not in these figures (see the annex)."
        )
    return out
