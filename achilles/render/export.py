"""One entry point: a plan in any format."""

from __future__ import annotations

from achilles.plan import Plan


def render_plan(plan: Plan, fmt: str) -> str | bytes:
    if fmt == "markdown":
        from achilles.render.markdown import plan_markdown

        return plan_markdown(plan)
    if fmt == "text":
        from achilles.render.text import plan_text

        return plan_text(plan)
    if fmt == "html":
        from achilles.render.html import plan_html

        return plan_html(plan)
    if fmt == "csv":
        from achilles.render.csv_export import plan_csv

        return plan_csv(plan)
    if fmt == "docx":
        from achilles.render.docx_export import plan_docx

        return plan_docx(plan)
    if fmt == "json":
        from achilles.render.json_export import plan_json

        return plan_json(plan)
    raise ValueError(f"unknown format {fmt}")
