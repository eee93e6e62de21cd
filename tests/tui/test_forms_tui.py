"""Issue 18's forms: the first field focused and Enter saves (in every form), role pickers that say
which roles the victim guard protects (from the data), ticks that read without colour, and "Add
activity" on the Case screen's activities tab, its links chosen by name."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select, SelectionList

from achilles.knowledge import load_knowledge_lenient
from achilles.loading.yaml_reader import load_yaml
from achilles.model.case_file import case_from_document
from achilles.tui.screens.action_forms import DecisionPrompt, OwnerForm, ProgressForm
from achilles.tui.screens.dialogs.case_header import CaseHeaderForm
from achilles.tui.screens.dialogs.entity_form import EntityForm
from achilles.tui.screens.dialogs.marked import FORM_KEYS
from achilles.tui.screens.dialogs.role_notes import GUARD, role_notes
from achilles.tui.widgets.tactic_rows import TACTICS
from achilles.tui.widgets.ticks import Tick, TickList
from tests.tui.helpers import make_app, open_from, row_keys, select_row, settle

SIZE = (80, 24)


def _line(widget, y: int) -> str:
    return "".join(seg.text for seg in widget.render_line(y))


async def _open_plan_form(pilot, key: str):
    """From the Options screen: r (reject), d (defer), or on the Plan screen o / u."""
    await settle(pilot)
    if key in ("r", "d"):
        await pilot.press("2")
        await settle(pilot)
        table = pilot.app.screen.query_one("#options-table")
        table.focus()
        keys = row_keys(pilot.app)
        # the first tactic's option (the safeguarding lane's ask for a confirmation first)
        first = next(i for i, k in enumerate(keys) if "@" in k and i > keys.index(TACTICS))
        table.move_cursor(row=first)
        await pilot.pause()
    else:
        await pilot.press("3")
        await settle(pilot)
    await pilot.press(key)
    await pilot.pause()


@pytest.mark.parametrize(
    ("how", "form_type", "first"),
    [
        ("person", EntityForm, "#f-id"),
        ("header", CaseHeaderForm, "#h-title"),
        ("r", DecisionPrompt, "#reason"),
        ("d", DecisionPrompt, "#reason"),
        ("o", OwnerForm, "#owner"),
        ("u", ProgressForm, "#status"),
    ],
)
async def test_every_form_opens_on_its_first_field_with_the_keys_said(
    tmp_path, how, form_type, first
):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        if how == "person":
            await pilot.press("1")
            await settle(pilot)
            await pilot.press("a")
            await pilot.pause()
        elif how == "header":
            await pilot.press("1")
            await settle(pilot)
            await pilot.press("h")
            await pilot.pause()
        else:
            await _open_plan_form(pilot, how)
        assert isinstance(app.screen, form_type)
        assert app.focused is app.screen.query_one(first)  # typing lands in it at once
        assert str(app.screen.query_one("#form-keys").render()) == FORM_KEYS
        assert "Enter saves" in FORM_KEYS and "ctrl+s" in FORM_KEYS


async def test_enter_saves_the_entity_form(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_from(pilot, "1", "a")
        await pilot.press(*"n9")  # straight into the id field
        app.screen.query_one("#f-name", Input).value = "Member Z"
        app.screen.query_one("#f-role", Select).value = "member"
        app.screen.query_one("#f-name", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, EntityForm)
        people = case_from_document(load_yaml(app.session.path, what="case")).people
        assert ("n9", "Member Z", "member") in [(p.id, p.name, p.role) for p in people]


async def test_enter_on_a_decision_records_it(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_plan_form(pilot, "r")
        await pilot.press(*"Not proportionate yet")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, DecisionPrompt)
        assert "rejected" in app.session.option_states().values()


def test_role_notes_come_from_the_vocabulary_and_the_presumptions():
    k = load_knowledge_lenient([], None)
    presumptions = [lp.presumption for lp in k.rulebook.presumptions]
    notes = role_notes(k.vocab, presumptions)
    assert list(notes) == list(k.vocab.terms("role"))  # every role, described
    assert all(n.description == k.vocab.describe("role", t) for t, n in notes.items())
    protected = {t for t, n in notes.items() if n.tag == "protected"}
    assert protected == set(k.vocab.protected_roles)
    for term in protected:
        assert notes[term].why == f"protected: {GUARD}."
    # a role picked out on its own by a presumption is protected as presumed (a runner)
    whole = {
        p.when[p.person].where["role"].value
        for p in presumptions
        if set(p.when[p.person].where) == {"role"} and len(p.when) == 1 and not p.any_of
    }
    assert whole, "the shipped presumptions presume a role on its own"
    for term in whole - protected:
        assert notes[term].tag == "protected, presumed"
        assert "until a recorded assessment lifts it" in notes[term].why
    # nothing presumes the group's leader a victim by role
    assert notes["principal"].tag == ""
    # the data decides: a vocabulary that protects principals says so, without code changes
    from dataclasses import replace

    vocab = replace(k.vocab, protected_roles=frozenset({"principal"}))
    assert role_notes(vocab, [])["principal"].tag == "protected"
    assert role_notes(vocab, [])["victim"].tag == ""


async def test_the_role_picker_shows_meaning_and_protection(tmp_path):
    app = make_app(tmp_path)
    k = app.knowledge
    async with app.run_test(size=SIZE) as pilot:
        await open_from(pilot, "1", "a")
        picker = app.screen.query_one("#f-role", Select)
        prompts = {
            value: str(prompt) for prompt, value in picker._options if isinstance(value, str)
        }
        for term in k.vocab.protected_roles:
            assert prompts[term].startswith(term.replace("_", " ") + " [protected]")
            assert k.vocab.describe("role", term) in prompts[term]
        assert "[" not in prompts["principal"]
        picker.value = "victim"
        await pilot.pause()
        about = str(app.screen.query_one("#f-role-about").render())
        assert f"protected: {GUARD}" in about
        picker.value = "runner"
        await pilot.pause()
        about = str(app.screen.query_one("#f-role-about").render())
        assert "presumed" in about and GUARD in about
        vulnerabilities = app.screen.query_one("#f-vulnerabilities", SelectionList)
        labels = {
            str(vulnerabilities.get_option_at_index(i).prompt): vulnerabilities.get_option_at_index(
                i
            ).value
            for i in range(vulnerabilities.option_count)
        }
        tagged = {v for text, v in labels.items() if text.endswith("[protected]")}
        assert tagged == set(k.vocab.exploitation_markers) & set(labels.values())


async def test_ticks_read_without_colour(tmp_path):
    """The boxes say [x] or [ ] in the rendered text, so a monochrome screen tells them apart."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await select_row(pilot, "people", 2)  # v1: drug_dependent and cuckooed ticked
        await pilot.press("e")
        await pilot.pause()
        box = app.screen.query_one("#f-vulnerabilities", TickList)
        ticked = set(box.selected)
        assert ticked
        for y in range(min(box.option_count, box.size.height)):
            value = box.get_option_at_index(y).value
            assert _line(box, y).startswith("[x] " if value in ticked else "[ ] ")
        await pilot.press("escape")
        await _open_plan_form(pilot, "r")
        tick = app.screen.query_one("#shareable", Tick)
        assert str(tick.render()).startswith("[ ]")
        tick.value = True
        await pilot.pause()
        assert str(tick.render()).startswith("[x]")


async def test_add_activity_with_links_by_name(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await select_row(pilot, "activities", 0)
        before = len(app.session.data["activities"])
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EntityForm) and form.section == "activities"
        assert str(form.query_one("Label").render()) == "Add activity"
        assert app.focused is form.query_one("#f-id")
        at = form.query_one("#f-at", SelectionList)
        names = [str(at.get_option_at_index(i).prompt) for i in range(at.option_count)]
        assert "The Crown public house (p1)" in names  # premises by name
        by = form.query_one("#f-by", SelectionList)
        assert "Principal A (n1)" in [
            str(by.get_option_at_index(i).prompt) for i in range(by.option_count)
        ]
        kinds = [v for _, v in form.query_one("#f-kind", Select)._options if isinstance(v, str)]
        assert kinds == list(app.knowledge.vocab.terms("activity_kind"))
        form.query_one("#f-kind", Select).value = "money_laundering"
        form.query_one("#f-status", Select).value = "intelligence"
        at.select("p1")
        by.select("n1")
        form.query_one("#f-since", Input).value = "2015-01-10"
        form.query_one("#f-until", Input).value = "2015-05-01"
        form.query_one("#f-notes", Input).value = "Cash counted in the cellar"
        form.query_one("#f-notes", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        case = case_from_document(load_yaml(app.session.path, what="case"))
        assert len(case.activities) == before + 1
        added = case.activities[-1]
        assert (added.kind, added.status, added.at, added.by) == (
            "money_laundering",
            "intelligence",
            ["p1"],
            ["n1"],
        )
        assert (str(added.since), str(added.until), added.notes) == (
            "2015-01-10",
            "2015-05-01",
            "Cash counted in the cellar",
        )


async def test_add_activity_from_the_palette(tmp_path):
    """The palette's screen commands run on the screen it opened over (they reached the palette
    itself before, and did nothing)."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"add an activity")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, EntityForm) and app.screen.section == "activities"


async def test_plan_states_read_without_colour(tmp_path):
    """The state column says in words what the plan holds: the screen's text (no colour) shows
    "in plan" and "rejected" on the rows just decided."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_plan_form(pilot, "r")
        await pilot.press(*"Not now")
        await pilot.press("enter")
        await settle(pilot)
        table = app.screen.query_one("#options-table")
        keys = row_keys(app)
        nxt = next(
            i
            for i, k in enumerate(keys)
            if "@" in k and i > keys.index(TACTICS) and k not in app.session.option_states()
        )
        table.move_cursor(row=nxt)
        await pilot.press("space")
        await settle(pilot)
        text = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert "rejected" in text and "in plan" in text


async def test_help_keeps_its_scrolling_box_focused(tmp_path):
    """Only forms focus their first field: the help's text box has the focus, so the arrow
    keys and Page Down scroll it."""
    from textual.containers import VerticalScroll

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.focused, VerticalScroll)
        await pilot.press("pagedown")
        await pilot.pause()
        assert app.focused.scroll_y > 0


async def test_escape_in_an_entity_form_keeps_typing_unless_confirmed(tmp_path):
    from achilles.tui.screens.dialogs.confirm import Confirm

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_from(pilot, "1", "a")
        await pilot.press("escape")  # nothing typed: it just closes
        await pilot.pause()
        assert not isinstance(app.screen, (EntityForm, Confirm))
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"n9")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("enter")  # No: back to the form
        await pilot.pause()
        assert app.screen.query_one("#f-id", Input).value == "n9"
