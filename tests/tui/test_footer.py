"""The key bar: each screen shows its own keys, and the bar is rebuilt only when they change
(rebuilding it on every focus move was most of the Plan screen's opening time)."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from achilles.tui.widgets.footer import KeyFooter
from tests.tui.helpers import settle


def _keys(app) -> list[FooterKey]:
    return list(app.screen.query_one(KeyFooter).query(FooterKey))


def _labels(app) -> set[str]:
    return {k.description for k in _keys(app)}


async def test_each_screen_shows_its_own_keys_after_switching_back_and_forth(app):
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert "Add/remove in plan" in _labels(app) and "Owner/due" not in _labels(app)
        for _ in range(2):
            await pilot.press("3")
            await settle(pilot)
            assert {"Owner/due", "Export", "Review"} <= _labels(app)
            assert "Add/remove in plan" not in _labels(app)
            await pilot.press("2")
            await settle(pilot)
            assert "Add/remove in plan" in _labels(app) and "Owner/due" not in _labels(app)


async def test_the_bar_is_not_rebuilt_when_its_keys_are_unchanged(app):
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        before = _keys(app)
        assert before
        # the same keys re-announced (what a focus move or a redraw does) keep the same widgets
        app.screen.refresh_bindings()
        await settle(pilot)
        assert _keys(app) == before
        assert all(a is b for a, b in zip(_keys(app), before, strict=True))
