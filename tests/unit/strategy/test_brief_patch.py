"""Merging a model's partial Brief into the interview draft: fill or replace, never erase; list
items matched by what names them; a result that is not a valid Brief is refused."""

from __future__ import annotations

import pytest

from xentri.categories.strategy.brief_patch import merge
from xentri.contracts.brief import Brief, Identity, Offering


def test_a_patch_fills_and_replaces_but_never_erases():
    draft = Brief(
        identity=Identity(name="Bluebird", year_founded=2015),
        offerings=(Offering(name="Drain cleaning", price_minor=15000, currency="USD"),),
        competitors=("Roto-Rooter",),
    )
    patch = Brief(
        identity=Identity(mission="Dry basements"),
        offerings=(
            Offering(name="drain cleaning", price_minor=16000),
            Offering(name="Water heaters"),
        ),
        competitors=("roto-rooter", "Mr. Rooter"),
    )

    merged = merge(draft, patch)

    assert merged.identity == Identity(name="Bluebird", year_founded=2015, mission="Dry basements")
    assert [(o.name, o.price_minor, o.currency) for o in merged.offerings] == [
        ("drain cleaning", 16000, "USD"),  # the later statement, spelling included
        ("Water heaters", None, None),
    ]
    assert merged.competitors == ("Roto-Rooter", "Mr. Rooter")


def test_a_patch_that_makes_an_invalid_brief_is_refused():
    draft = Brief(competitors=tuple(f"Rival {n}" for n in range(20)))
    patch = Brief(competitors=tuple(f"Other {n}" for n in range(15)))  # 35 > the 30 allowed

    with pytest.raises(ValueError, match="invalid Brief"):
        merge(draft, patch)
