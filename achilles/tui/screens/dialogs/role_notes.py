"""What each role means, and whether the victim guard protects a person in it, for the role
pickers of the entity form. Read from the data, never listed here: the vocabulary's role
descriptions and `protected_roles`, and the presumptions (rules/presumptions.yaml) whose person
is picked out by role (a runner is presumed a victim of criminal exploitation until an
assessment lifts it; a member described as young may be a child)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.text import Text

from achilles.knowledge import Knowledge
from achilles.model.rule import Condition, Presumption
from achilles.model.vocabulary import Vocabulary

GUARD = "no coercive option is aimed at this person"


@dataclass(frozen=True)
class RoleNote:
    term: str
    description: str
    tag: str  # "" | "protected" | "protected, presumed" | "may be presumed protected"
    why: str  # the sentence the form shows under the picker for the chosen role

    @property
    def label(self) -> Text:
        """The picker's line: the term first (type-to-search finds it), the tag in words (not
        only a colour), then the vocabulary's one-line meaning. Plain text, never markup."""
        line = Text(self.term.replace("_", " "))
        if self.tag:
            line.append(f" [{self.tag}]", style="bold")
        line.append(f": {self.description}")
        return line


def _admits(condition: Condition | None, terms: list[str]) -> set[str]:
    """The roles a presumption's role condition lets through (None: it names no role)."""
    if condition is None:
        return set()
    value = condition.value
    if condition.op == "equals":
        return {value} & set(terms)
    if condition.op == "in":
        return set(value) & set(terms)
    if condition.op == "not_in":
        return set(terms) - set(value)
    if condition.op == "not":
        return set(terms) - {value}
    return set()


def _only_role(presumption: Presumption) -> bool:
    """The presumption holds for everyone in the role, whatever else is recorded."""
    pattern = presumption.when[presumption.person]
    return (
        len(presumption.when) == 1
        and not presumption.any_of
        and not presumption.unless
        and set(pattern.where) == {"role"}
        and pattern.where["role"].op == "equals"
    )


def role_notes(vocab: Vocabulary, presumptions: Iterable[Presumption]) -> dict[str, RoleNote]:
    """role term -> its note, in the vocabulary's order."""
    terms = list(vocab.terms("role"))
    always: dict[str, list[str]] = {}  # role -> presumptions that hold for all of it
    sometimes: dict[str, list[str]] = {}  # role -> presumptions that may hold, on other facts
    for p in presumptions:
        pattern = p.when.get(p.person)
        if pattern is None or pattern.fact != "person":
            continue
        for role in _admits(pattern.where.get("role"), terms):
            (always if _only_role(p) else sometimes).setdefault(role, []).append(p.title)
    out = {}
    for term in terms:
        description = vocab.describe("role", term)
        if term in vocab.protected_roles:
            note = RoleNote(term, description, "protected", f"protected: {GUARD}.")
        elif term in always:
            note = RoleNote(
                term,
                description,
                "protected, presumed",
                f"protected (presumed): {GUARD} until a recorded assessment lifts it "
                f"({'; '.join(always[term])}).",
            )
        elif term in sometimes:
            note = RoleNote(
                term,
                description,
                "may be presumed protected",
                f"may be presumed protected ({GUARD}) when: {'; '.join(sometimes[term][:3])}.",
            )
        else:
            note = RoleNote(
                term,
                description,
                "",
                "not protected by role: coercive options may be aimed at this person, "
                "unless what is recorded about them (age, vulnerabilities) brings a presumption.",
            )
        out[term] = note
    return out


def marker_label(vocab: Vocabulary, section: str, term: str) -> Text:
    """A vulnerability in a checkbox list: an exploitation marker is tagged like a protected role
    (the vocabulary: "treated like a protected role")."""
    text = Text(term.replace("_", " "))
    if section == "vulnerability" and term in vocab.exploitation_markers:
        text.append(" [protected]", style="bold")
    return text


def knowledge_roles(knowledge: Knowledge) -> dict[str, RoleNote]:
    """The role notes for the loaded vocabulary and presumptions (a council's own included)."""
    return role_notes(knowledge.vocab, [lp.presumption for lp in knowledge.rulebook.presumptions])
