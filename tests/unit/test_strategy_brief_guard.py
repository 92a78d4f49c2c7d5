"""What a model's change asked for in words may take out of the Brief (brief_guard), and how
its sections replace the draft's (change_model.changed_draft)."""

from __future__ import annotations

import pytest

from xentri.categories.strategy.brief_guard import losses
from xentri.categories.strategy.change_model import ChangedSections, ModelChange, changed_draft
from xentri.contracts.brief import (
    BrandVoice,
    Brief,
    Identity,
    Location,
    Offering,
)

DRAFT = Brief(
    identity=Identity(
        name="Bluebird Plumbing",
        tagline="Pipes fixed fast",
        locations=(Location(city="Austin", region="Texas", country="US"),),
    ),
    offerings=(
        Offering(name="Drain cleaning", price_minor=15000, currency="USD"),
        Offering(name="Emergency calls", price_minor=20000, currency="USD"),
    ),
    brand_voice=BrandVoice(tone_words=("honest", "friendly", "quick")),
    competitors=("Roto-Rooter",),
)


def with_(**sections: object) -> Brief:
    return DRAFT.model_copy(update=sections)


def test_removing_a_named_item_and_rewriting_text_loses_nothing():
    after = with_(
        offerings=DRAFT.offerings[:1],
        identity=DRAFT.identity.model_copy(update={"tagline": "Pipes fixed the same day"}),
    )

    assert losses(DRAFT, after, "We no longer do emergency calls; new tagline please") == ()


def test_a_section_the_words_do_not_name_cannot_be_emptied():
    after = with_(offerings=(), competitors=())

    assert losses(DRAFT, after, "tagline: Pipes fixed today") == ("offerings", "competitors")


def test_a_section_given_as_a_patch_loses_the_fields_it_leaves_out():
    # The model's commonest mistake: only the new field, as if the rest were kept.
    after = with_(identity=Identity(tagline="Pipes fixed today"))

    assert losses(DRAFT, after, "tagline: Pipes fixed today") == (
        "identity.name",
        "identity.locations",
    )


def test_an_added_item_may_not_push_out_the_old_ones():
    after = with_(offerings=(Offering(name="Leak detection"),))

    assert losses(DRAFT, after, "add an offering: leak detection") == ("offerings",)


def test_a_list_may_be_rewritten_item_for_item():
    after = with_(brand_voice=BrandVoice(tone_words=("plain-spoken", "warm", "fast")))

    assert losses(DRAFT, after, "make our voice sound more human") == ()


@pytest.mark.parametrize(
    ("words", "lost"),
    [
        ("remove the price of drain cleaning", ()),
        ("prices are now negotiable", ()),
        ("add an offering: leak detection", ("offerings[0].price_minor", "offerings[0].currency")),
    ],
)
def test_a_field_of_a_kept_item_is_emptied_only_when_named(words, lost):
    after = with_(
        offerings=(
            Offering(name="Drain cleaning"),
            DRAFT.offerings[1],
        )
    )

    assert losses(DRAFT, after, words) == lost


def test_emptying_a_field_the_words_name_in_spanish_is_allowed():
    after = with_(identity=DRAFT.identity.model_copy(update={"tagline": None}))

    assert losses(DRAFT, after, "quita el eslogan") == ()
    assert losses(DRAFT, after, "quita la misión") == ("identity.tagline",)


def test_changed_draft_replaces_only_the_sections_given():
    change = ModelChange(
        sections=ChangedSections(competitors=("Roto-Rooter", "Mr. Rooter")),
        summary="Added Mr. Rooter.",
    )

    after = changed_draft(DRAFT, change)

    assert after.competitors == ("Roto-Rooter", "Mr. Rooter")
    assert after.model_copy(update={"competitors": DRAFT.competitors}) == DRAFT


def test_changed_draft_refuses_an_invalid_brief():
    too_many = tuple(f"Rival {n}" for n in range(31))
    change = ModelChange.model_construct(
        sections=ChangedSections.model_construct(competitors=too_many), summary="x"
    )

    with pytest.raises(ValueError, match="invalid Brief"):
        changed_draft(DRAFT, change)
