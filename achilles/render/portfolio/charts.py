"""Bar charts as inline SVG: drawn by the browser and the printer, no script, no network, no
font files. Labels are escaped text; every chart has a <title> and an aria-label, and the same
figures are in a table beside it for readers who cannot see it."""

from __future__ import annotations

from achilles.render.clean import html_text

ROW = 22  # px per bar
LABEL_W = 250  # px for the labels on the left
BAR_W = 300  # px for the longest bar
MAX_LABEL = 42  # characters; longer labels are cut with an ellipsis (the table has them whole)


def _cut(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def bar_chart(title: str, bars: list[tuple[str, int]], *, unit: str = "") -> str:
    """A horizontal bar chart of `bars` (label, value), in the order given."""
    if not bars:
        return ""
    h = html_text
    top = max(v for _, v in bars) or 1
    height = ROW * len(bars) + 28
    width = LABEL_W + BAR_W + 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-label="{h(title)}"><title>{h(title)}</title>',
        f'<text x="0" y="14" font-size="12" font-weight="bold">{h(title)}</text>',
    ]
    for i, (label, value) in enumerate(bars):
        y = 24 + i * ROW
        w = round(BAR_W * value / top)
        parts.append(
            f'<text x="{LABEL_W - 6}" y="{y + 14}" font-size="11" text-anchor="end">'
            f"{h(_cut(label))}</text>"
            f'<rect x="{LABEL_W}" y="{y + 3}" width="{max(w, 1)}" height="{ROW - 6}" '
            f'fill="#35608f"/>'
            f'<text x="{LABEL_W + max(w, 1) + 4}" y="{y + 14}" font-size="11">'
            f"{value:,}{h(unit)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
