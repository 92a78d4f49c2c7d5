"""How a change asked for in words is put in words, on the page and in the API: why the offline
rules took it, what it changed, and why it was refused (message ids, translated where shown)."""

from __future__ import annotations

from collections.abc import Callable

from xentri.categories.strategy.brief_changes import Notice
from xentri.categories.strategy.brief_labels import ChangeLine, describe
from xentri.categories.strategy.domain import diff
from xentri.contracts.brief import Brief
from xentri.shell.i18n import N_

# gettext with %(name)s parameters: Visitor.gettext, or the API's catalogue wrapped alike.
Translate = Callable[..., str]

NOTICES: dict[Notice, str] = {
    "model_down": N_(
        "Your assistant is not answering right now, so the built-in rules read your words."
    ),
    "model_resting": N_(
        "Your assistant is on a break until its budget renews, so the built-in rules read your "
        "words."
    ),
    "model_invalid": N_(
        "Your assistant's change did not make a valid Brief, so it was not applied; the built-in "
        "rules read your words instead."
    ),
    "model_refused": N_(
        "Your assistant's change would have removed things your words did not mention, so it "
        "was not applied; the built-in rules read your words instead."
    ),
}
NOT_UNDERSTOOD = N_(
    "I could not turn that into a change. Try, for example: “make the tagline shorter”, “add "
    "an offering: cakes 25 USD each”, “remove the competitor Acme” or “tagline: Fresh bread "
    "every morning”."
)
EMPTY = N_("Say what to change first.")
TOO_LONG = N_("Use at most %(max)s characters.")
CHANGED_MEANWHILE = N_(
    "The Brief changed while your assistant was working on it. Nothing was lost; check the "
    "draft and try again."
)
UNDO_AFTER_APPROVAL = N_(
    "This change was approved since, so it cannot be undone; edit the Brief to change it again."
)
UNDO_AFTER_EDIT = N_(
    "The draft changed after this change, so undoing it would lose that; edit the fields instead."
)
NOTHING_TO_UNDO = N_("There is no change to undo.")
_SHOWN_PLACES = 6


def change_lines(before: Brief, after: Brief) -> list[ChangeLine]:
    """Every field a change touched, as the pages show it."""
    old, new = before.model_dump(mode="json"), after.model_dump(mode="json")
    return [describe(change, old, new) for change in diff(before, after)]


def summary_of(lines: list[ChangeLine], translate: Translate) -> str:
    """A line naming the places a change touched, for a change with no summary of its own."""
    places: list[str] = []
    for line in lines:
        steps = [str(s) if isinstance(s, int) else translate(s) for s in line.steps[:1]]
        place = " \u203a ".join([translate(line.section), *steps])
        if place not in places:
            places.append(place)
    shown = "; ".join(places[:_SHOWN_PLACES]) + ("…" if len(places) > _SHOWN_PLACES else "")
    return translate(N_("Changed: %(places)s."), places=shown)
