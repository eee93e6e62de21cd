"""The key bar at the foot of every screen, redrawn only when the keys it shows change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen


class KeyFooter(Footer):
    """Textual's Footer rebuilds every key widget each time the screen's bindings are
    re-announced (a focus move, a screen switch), although the keys shown rarely change; on
    the Plan screen that was most of the time from key 3 to a drawn table. This one redraws
    only when the shown keys, their labels or their enabled state differ from what it drew."""

    _drawn: tuple[tuple[str, str, str, bool], ...] | None = None

    def _shown(self, screen: Screen) -> tuple[tuple[str, str, str, bool], ...]:
        return tuple(
            (binding.key, binding.action, binding.description, enabled)
            for (_, binding, enabled, _tip) in screen.active_bindings.values()
            if binding.show
        )

    def bindings_changed(self, screen: Screen) -> None:
        if not screen.app.app_focus or not (self.is_attached and screen is self.screen):
            super().bindings_changed(screen)
            return
        shown = self._shown(screen)
        if self._bindings_ready and shown == self._drawn:
            return
        self._drawn = shown
        super().bindings_changed(screen)
