"""Plan as a Word document with real tables; the marking in the header, footer, top and bottom."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from achilles.plan import Plan
from achilles.render.clean import clean
from achilles.render.page import Bullets, Heading, Para, Table, page


def plan_docx(plan: Plan) -> bytes:
    from docx import Document  # imported here: python-docx is slow to import and rarely needed
    from docx.enum.text import WD_BREAK
    from docx.shared import Mm

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)  # A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    section.header.paragraphs[0].text = clean(plan.marking)
    section.footer.paragraphs[0].text = clean(plan.marking)
    # A fixed date and author: the same plan gives the same document (golden files).
    props = doc.core_properties
    props.author, props.last_modified_by, props.revision = "Achilles", "Achilles", 1
    props.created = props.modified = dt.datetime.combine(plan.date, dt.time())
    props.title = clean(f"{plan.marking}: LRO plan")
    for b in page(plan).blocks():
        if isinstance(b, Heading):
            doc.add_heading(clean(b.text), level=b.level)
        elif isinstance(b, Para):
            run = doc.add_paragraph().add_run(clean(b.text))
            run.bold, run.italic = b.style == "marking", b.style == "note"
        elif isinstance(b, Bullets):
            if b.intro:
                doc.add_paragraph(clean(b.intro))
            for item in b.items:
                doc.add_paragraph(clean(item), style="List Bullet")
        elif isinstance(b, Table):
            _table(doc, b.headers, b.rows)
        else:  # the annexes start on a new page
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _table(doc, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = clean(text)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = clean(value)
