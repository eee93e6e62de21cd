"""Plan as HTML whose tables survive a paste into Word."""

from __future__ import annotations

from collections.abc import Sequence

from achilles.plan import Plan
from achilles.render.clean import html_text as h
from achilles.render.clean import print_css
from achilles.render.page import Block, Bullets, Heading, Para, Table, page

_STYLE = (
    "body{font-family:Arial,sans-serif;font-size:11pt}"
    "table{border-collapse:collapse;margin:6pt 0}td,th{border:1px solid #444;padding:3pt 6pt;"
    "vertical-align:top;text-align:left}hr.annexes{page-break-before:always}.marking{font-weight:bold;text-align:center;color:#000}"
)


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    body = "".join("<tr>" + "".join(f"<td>{h(c)}</td>" for c in row) + "</tr>" for row in rows)
    if not any(str(x).strip() for x in headers):  # a key-value table: no empty header row
        return f"<table><tbody>{body}</tbody></table>"
    head = "".join(f"<th>{h(x)}</th>" for x in headers)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{h(i)}</li>" for i in items) + "</ul>" if items else ""


def plan_html(plan: Plan) -> str:
    p = [
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{h(plan.marking)}: LRO plan</title>'
        f"<style>{_STYLE}{print_css(plan.marking)}</style></head><body>",
    ]
    p += [_html_block(b) for b in page(plan).blocks()]
    p.append("</body></html>")
    return "\n".join(p) + "\n"


def _html_block(b: Block) -> str:
    if isinstance(b, Heading):
        return f"<h{b.level}>{h(b.text)}</h{b.level}>"
    if isinstance(b, Para):
        if b.style == "marking":
            return f'<p class="marking screen-marking">{h(b.text)}</p>'
        return f"<p><em>{h(b.text)}</em></p>" if b.style == "note" else f"<p>{h(b.text)}</p>"
    if isinstance(b, Bullets):
        return (f"<p>{h(b.intro)}</p>" if b.intro else "") + _list(b.items)
    if isinstance(b, Table):
        return _table(b.headers, b.rows)
    return '<hr class="annexes">'
