"""Ticks that read without colour: `[x]` for ticked and `[ ]` for not, in checkbox lists and on a
checkbox. Textual draws the same `▐X▌` either way and tells them apart by colour only, which a
projector or a colour-blind reader loses (the UX trial)."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.content import Content
from textual.strip import Strip
from textual.style import Style
from textual.widgets import Checkbox, SelectionList

TICKED, UNTICKED = "x", " "


class TickList(SelectionList):
    """A SelectionList whose boxes show `[x]` or `[ ]` as well as their colour."""

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        segments = list(line)
        index = self.scroll_offset[1] + y
        if len(segments) < 4 or index >= self.option_count:
            return line
        ticked = self.get_option_at_index(index).value in self.selected
        left, inner, right, gap = segments[:4]
        # The glyphs are the same width as Textual's, so clicks and the gutter still line up;
        # the brackets take the prompt's own colours, so they read on any theme.
        segments[:3] = [
            Segment("[", _with_meta(gap.style, left.style)),
            Segment(TICKED if ticked else UNTICKED, inner.style),
            Segment("]", _with_meta(gap.style, right.style)),
        ]
        return Strip(segments, line.cell_length)


def _with_meta(look: RichStyle | None, source: RichStyle | None) -> RichStyle | None:
    """`look`'s colours with `source`'s meta (which option a click lands on)."""
    if look is None or source is None:
        return look or source
    return look + RichStyle.from_meta(source.meta)


class Tick(Checkbox):
    """A Checkbox that shows `[x]` or `[ ]` as well as its colour."""

    @property
    def _button(self) -> Content:
        button_style = self.get_visual_style("toggle--button")
        side_style = Style(foreground=button_style.background, background=self.background_colors[1])
        return Content.assemble(
            ("[", side_style + Style(bold=True)),
            (TICKED if self.value else UNTICKED, button_style),
            ("]", side_style + Style(bold=True)),
        )
