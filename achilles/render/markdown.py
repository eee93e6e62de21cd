"""Plan and options as Markdown, for wikis, Teams and Word paste."""

from __future__ import annotations

from achilles.plan import Plan
from achilles.ranking import RankedOption
from achilles.render.clean import md
from achilles.render.page import Block, Bullets, Heading, Para, Table, page


def plan_markdown(plan: Plan) -> str:
    out: list[str] = []
    for b in page(plan).blocks():
        out += _md_block(b)
    return "\n".join(out).rstrip("\n") + "\n\n"


def _md_block(b: Block) -> list[str]:
    if isinstance(b, Heading):
        return [f"{'#' * b.level} {md(b.text)}", ""]
    if isinstance(b, Para):
        text = md(b.text)
        return [
            f"**{text}**" if b.style == "marking" else f"_{text}_" if b.style == "note" else text,
            "",
        ]
    if isinstance(b, Bullets):
        intro = [md(b.intro), ""] if b.intro else []
        return intro + [f"- {md(i)}" for i in b.items] + [""]
    if isinstance(b, Table):
        head = ["| " + " | ".join(md(h) for h in b.headers) + " |", "|" + " --- |" * len(b.headers)]
        if not any(b.headers):
            head = [
                "| " + " | ".join([""] * len(b.headers)) + " |",
                "|" + " --- |" * len(b.headers),
            ]
        return head + ["| " + " | ".join(md(c) for c in row) + " |" for row in b.rows] + [""]
    return ["---", ""]  # Break: the annexes follow


def options_markdown(
    marking: str, title: str, options: list[RankedOption], labels: dict[str, str]
) -> str:
    out = [f"**{md(marking)}**", "", f"# Disruption options: {md(title)}", ""]
    out += [
        "| Rank | Power | Target | 4P | Lead agency | Score |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in options:
        out.append(
            f"| {r.rank} | {md(r.power.name)} | {md(labels.get(r.option.target, r.option.target))} | "
            f"{md(', '.join(r.power.four_p))} | {md(r.power.lead_agency)} | {r.score} |"
        )
    out += ["", f"**{md(marking)}**", ""]
    return "\n".join(out)
