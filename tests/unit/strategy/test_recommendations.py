"""Recommendations from the Brief: modules with reasons from it, goals asked to be measurable."""

from __future__ import annotations

from datetime import date

from xentri.categories.strategy.recommendations import recommend_goals, recommend_modules
from xentri.contracts.brief import (
    Audience,
    BrandVoice,
    Brief,
    Constraints,
    Goal,
    Identity,
    Location,
    Offering,
    Segment,
)

CAFE = Brief(
    identity=Identity(name="Café Luna", locations=(Location(city="Oaxaca", country="MX"),)),
    offerings=(Offering(name="lattes", price_minor=4500, currency="MXN"),),
    audience=Audience(segments=(Segment(name="estudiantes"),)),
    goals=(
        Goal(statement="50 clientes nuevos", target="50", deadline=date(2027, 6, 30)),
        Goal(statement="Ser más conocidos"),
    ),
    brand_voice=BrandVoice(tone_words=("cercano", "divertido")),
    competitors=("Café Brújula",),
    constraints=Constraints(team_size=6, budget="MX$8,000.00/month"),
)


def test_modules_follow_the_brief_with_its_own_words_in_the_reason():
    found = recommend_modules(CAFE, language="es")

    assert [r.module_id for r in found] == [
        "finance.invoicing",
        "sales.contacts",
        "strategy.goals_okrs",
        "finance.financial_reports",
        "brand.business_listings",
        "brand.brand_voice",
    ]
    assert found[0].reason == "Vendes lattes: factúralo y cobra a tiempo."
    assert "Oaxaca" in found[4].reason
    assert found[0].name  # the catalogue's Spanish name


def test_an_empty_brief_recommends_nothing():
    assert recommend_modules(Brief(), language="en") == []
    assert recommend_goals(Brief(), language="en") == []


def test_a_vague_goal_gets_questions_never_a_made_up_number():
    found = recommend_goals(CAFE, language="en")

    assert [(g.statement, g.missing) for g in found] == [
        ("Ser más conocidos", ("target", "deadline"))
    ]
    assert found[0].advice == (
        "To make “Ser más conocidos” measurable, tell me how much, exactly? by when?"
    )
    assert not any(c.isdigit() for c in found[0].advice)
