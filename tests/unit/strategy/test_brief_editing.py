"""The Brief editor's pure parts: section forms to and from the Brief, changes asked for in
words, and the interview keeping the business's name through later answers."""

from __future__ import annotations

import datetime as dt

from xentri.ai.offline import BriefSection as Asked
from xentri.ai.offline import KnownFacts, Question
from xentri.ai.offline.known import Identity as KnownIdentity
from xentri.categories.strategy import brief_form
from xentri.categories.strategy.change_words import apply_words
from xentri.categories.strategy.interview import answer
from xentri.contracts.brief import Brief, BriefSection, Identity, Offering

TODAY = dt.date(2026, 11, 25)
BRIEF = Brief(
    identity=Identity(
        name="Bluebird Plumbing",
        tagline="Bluebird Plumbing: drain cleaning and water heaters for homeowners in Austin",
    ),
    offerings=(Offering(name="Drain cleaning", price_minor=15000, currency="USD"),),
    competitors=("Roto-Rooter",),
)


def words(text: str, language: str = "en") -> Brief:
    return apply_words(BRIEF, text, today=TODAY, default_currency="USD", language=language)


def test_a_section_form_round_trips_and_adds_a_row():
    form = brief_form.form_of(BRIEF, BriefSection.OFFERINGS)
    values = {**form.values, "offerings-1-name": "Leak detection", "offerings-1-price": "90.5",
              "offerings-1-currency": "usd"}  # fmt: skip

    updated, checked = brief_form.apply(BRIEF, BriefSection.OFFERINGS, values)

    assert form.values["offerings-0-price"] == "150.00"
    assert form.rows == 2  # the offering and a blank row to add another
    assert checked.ok
    assert updated is not None
    assert [(o.name, o.price_minor, o.currency) for o in updated.offerings] == [
        ("Drain cleaning", 15000, "USD"),
        ("Leak detection", 9050, "USD"),
    ]


def test_bad_values_are_refused_field_by_field_and_nothing_is_built():
    values = {
        "offerings-0-name": "Drain cleaning",
        "offerings-0-price": "-3",
        "offerings-0-currency": "USD",
        "offerings-1-name": "",
        "offerings-1-price": "12",
        "offerings-1-currency": "US",
    }

    updated, form = brief_form.apply(BRIEF, BriefSection.OFFERINGS, values)

    assert updated is None
    assert set(form.errors) == {"offerings-0-price", "offerings-1-name", "offerings-1-currency"}
    assert form.errors["offerings-0-price"][0] == "Enter a price like 25 or 25.50."


def test_a_removed_row_drops_out_and_a_bad_year_is_explained():
    values = {
        **brief_form.form_of(BRIEF, BriefSection.OFFERINGS).values,
        "offerings-0-remove": "on",
    }
    identity = {**brief_form.form_of(BRIEF, BriefSection.IDENTITY).values, "year_founded": "1492"}

    without, _ = brief_form.apply(BRIEF, BriefSection.OFFERINGS, values)
    refused, form = brief_form.apply(BRIEF, BriefSection.IDENTITY, identity)

    assert without is not None
    assert without.offerings == ()
    assert refused is None
    assert form.errors["year_founded"] == (
        "Enter a number between %(low)s and %(high)s.",
        {"low": 1800, "high": 2100},
    )


def test_changes_in_words_in_english_and_spanish():
    assert words("make the tagline shorter").identity.tagline == "Bluebird Plumbing"
    assert words("tagline: Pipes fixed today").identity.tagline == "Pipes fixed today"
    assert words("remove the competitor Roto-Rooter").competitors == ()
    assert words("drain cleaning is now $175").offerings[0].price_minor == 17500
    added = words("add an offering: cakes 25 USD each").offerings[1]
    assert (added.name, added.price_minor, added.currency) == ("cakes", 2500, "USD")
    spanish = words("agrega pasteles a 300 pesos cada uno", "es").offerings[1]
    assert (spanish.name, spanish.price_minor, spanish.currency) == ("pasteles", 30000, "MXN")
    assert words("cambia el eslogan a Tuberías al día", "es").identity.tagline == "Tuberías al día"
    assert words("blah blah") == BRIEF  # not understood: nothing changes


def test_a_later_answer_does_not_rename_the_business():
    known = KnownFacts(language="es", identity=KnownIdentity(name="Café Luna", city="Oaxaca"))
    asked = Question(
        id="differentiators",
        section=Asked.DIFFERENTIATORS,
        kind="missing",
        text="¿Por qué te eligen tus clientes a ti y no a otros?",
        reason="",
        language="es",
    )

    turn = answer(
        known,
        asked,
        "Tostamos nuestro propio café de la Sierra Sur.",
        language="es",
        today=TODAY,
        default_currency="MXN",
    )

    assert turn.known.identity.name == "Café Luna"
    assert turn.known.differentiators == ("Tostamos nuestro propio café de la Sierra Sur",)
