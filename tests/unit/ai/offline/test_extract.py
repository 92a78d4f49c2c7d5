"""Fact extraction from answers phrased differently from the benchmark's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xentri.ai.offline import (
    AudienceFact,
    BriefSection,
    BudgetFact,
    BusinessNameFact,
    FactKind,
    GoalFact,
    LocationFact,
    Money,
    OfferingFact,
    PersonFact,
    TeamSizeFact,
    ToneFact,
    YearFoundedFact,
    detect_language,
    extract_facts,
)

TODAY = dt.date(2026, 11, 25)


def of(extraction, cls):
    return [fact for fact in extraction.facts if isinstance(fact, cls)]


def test_an_english_answer_yields_every_kind_of_fact():
    text = (
        "Hey, I'm Rosa Delgado. My shop is called Rosa's Kitchen Table and we're based in "
        "Albuquerque, New Mexico. We cater lunches: a box lunch is $14 and the party tray runs "
        "$85. Our clients are mostly law offices and nonprofits. We have 7 employees and opened "
        "in 2012. I'd like us to feel warm and reliable. The goal is 40 recurring clients by "
        "September."
    )

    extraction = extract_facts(text, today=TODAY)

    assert extraction.language == "en"
    assert [p.name for p in of(extraction, PersonFact)] == ["Rosa Delgado"]
    assert of(extraction, PersonFact)[0].role == "owner"
    assert [b.name for b in of(extraction, BusinessNameFact)] == ["Rosa's Kitchen Table"]
    (place,) = of(extraction, LocationFact)
    assert (place.city, place.region, place.country) == ("Albuquerque", "New Mexico", "US")
    assert [(o.name, o.price.money if o.price else None) for o in of(extraction, OfferingFact)] == [
        ("lunches", None),
        ("box lunch", Money(minor_units=1400, currency="USD")),
        ("party tray", Money(minor_units=8500, currency="USD")),
    ]
    assert [a.segment for a in of(extraction, AudienceFact)] == ["law offices", "nonprofits"]
    assert [t.people for t in of(extraction, TeamSizeFact)] == [7]
    assert [y.year for y in of(extraction, YearFoundedFact)] == [2012]
    assert [t.word for t in of(extraction, ToneFact)] == ["warm", "reliable"]
    (goal,) = of(extraction, GoalFact)
    assert (goal.target, goal.metric, goal.deadline) == (
        Decimal(40),
        "customers",
        dt.date(2027, 9, 30),
    )


def test_a_spanish_answer_yields_every_kind_of_fact():
    text = (
        "Mi nombre es Julieta Paz y junto con mi hermana Inés tenemos la florería Pétalo Azul en "
        "Rosario, Argentina. Los ramos están a 12.000 pesos y los arreglos para eventos desde "
        "45.000. Nuestras clientas son novias y empresas. Queremos que la marca se sienta "
        "alegre y elegante. Nuestra meta es facturar 3 millones de pesos por mes antes de junio."
    )

    extraction = extract_facts(text, today=TODAY)

    assert extraction.language == "es"
    assert [(p.name, p.role) for p in of(extraction, PersonFact)] == [
        ("Julieta Paz", "owner"),
        ("Inés", "family"),
    ]
    assert [b.name for b in of(extraction, BusinessNameFact)] == ["Pétalo Azul"]
    assert [(p.city, p.country) for p in of(extraction, LocationFact)] == [("Rosario", "AR")]
    assert [(o.name, o.price.money if o.price else None) for o in of(extraction, OfferingFact)] == [
        ("ramos", Money(minor_units=1_200_000, currency="ARS")),
        ("arreglos para eventos", Money(minor_units=4_500_000, currency="ARS")),
    ]
    assert [a.segment for a in of(extraction, AudienceFact)] == ["novias", "empresas"]
    assert [t.word for t in of(extraction, ToneFact)] == ["alegre", "elegante"]
    (goal,) = of(extraction, GoalFact)
    assert goal.target_money == Money(minor_units=300_000_000, currency="ARS")
    assert (goal.metric, goal.per, goal.deadline) == ("revenue", "month", dt.date(2027, 6, 30))


def test_every_fact_points_at_its_own_text():
    text = (
        "Somos Brisa Café, en Cartagena. El tinto vale 3.000 pesos. Atendemos turistas y "
        "estudiantes. Queremos llegar a 200 clientes al día para marzo. Somos 3."
    )

    extraction = extract_facts(text, today=TODAY)

    assert extraction.facts
    for fact in extraction.facts:
        assert text[fact.span.start : fact.span.end] == fact.text
        assert 0.0 < fact.confidence <= 1.0


def test_the_language_hint_only_breaks_a_tie():
    assert detect_language("Hola, somos una panadería en Madrid", hint="en") == "es"
    assert detect_language("OK", hint="es") == "es"
    assert detect_language("We sell bread in Madrid", hint="es") == "en"


def test_a_bare_answer_is_read_as_the_section_asked_about():
    extraction = extract_facts(
        "Young families and retirees", today=TODAY, expecting=BriefSection.AUDIENCE
    )

    assert [a.segment for a in of(extraction, AudienceFact)] == ["Young families", "retirees"]


def test_tone_words_need_a_tone_question_or_a_cue():
    plain = extract_facts("We serve young professionals downtown.", today=TODAY)
    asked = extract_facts("Friendly, bold", today=TODAY, expecting=BriefSection.BRAND_VOICE)

    assert of(plain, ToneFact) == []
    assert [t.word for t in of(asked, ToneFact)] == ["friendly", "bold"]


def test_history_is_not_a_goal_but_a_future_date_makes_one():
    extraction = extract_facts(
        "We opened a second shop in 2019. We will open a third shop in April.", today=TODAY
    )

    goals = of(extraction, GoalFact)
    assert [(g.target, g.metric, g.deadline) for g in goals] == [
        (Decimal(3), "locations", dt.date(2027, 4, 30))
    ]


def test_an_offering_without_a_price_is_kept_for_a_follow_up():
    extraction = extract_facts("Vendemos empanadas, alfajores y café.", today=TODAY)

    offerings = of(extraction, OfferingFact)
    assert [(o.name, o.price) for o in offerings] == [
        ("empanadas", None),
        ("alfajores", None),
        ("café", None),
    ]


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("It's just me for now.", 1),
        ("Trabajo sola desde casa.", 1),
        ("Somos cinco en el equipo.", 5),
        ("We're a team of twelve.", 12),
        ("Tengo dos empleados y yo.", 3),
    ],
)
def test_team_size(text, people):
    extraction = extract_facts(text, today=TODAY)

    assert [t.people for t in extraction.of_kind(FactKind.TEAM_SIZE)] == [people]


def test_empty_and_nonsense_answers_yield_no_facts():
    assert extract_facts("", today=TODAY).facts == ()
    assert extract_facts("asdf qwer zxcv", today=TODAY).facts == ()
    assert extract_facts("<script>alert(1)</script>", today=TODAY).facts == ()


def test_an_answer_typed_in_lower_case_still_gives_name_place_and_prices():
    extraction = extract_facts(
        "me llamo renata, hago tatuajes en medellin. un tatuaje pequeño cuesta 200 mil.",
        today=TODAY,
    )

    assert [p.name for p in of(extraction, PersonFact)] == ["Renata"]
    assert [(p.city, p.country) for p in of(extraction, LocationFact)] == [("Medellin", "CO")]
    priced = [o for o in of(extraction, OfferingFact) if o.price]
    assert [(o.name, o.price.money) for o in priced] == [
        ("tatuaje pequeño", Money(minor_units=20_000_000, currency="COP"))
    ]


def test_a_currency_written_out_says_what_a_bare_dollar_sign_means():
    extraction = extract_facts(
        "We're in Mexico City. A website costs USD 4,000 and hosting is $300 a year.",
        today=TODAY,
    )

    prices = [o.price.money for o in of(extraction, OfferingFact) if o.price]
    assert prices == [
        Money(minor_units=400_000, currency="USD"),
        Money(minor_units=30_000, currency="USD"),
    ]


def test_a_price_in_a_relative_clause_belongs_to_the_noun_before_it():
    extraction = extract_facts(
        "Everyone comes for the empanadas, which are 3 dollars each.", today=TODAY
    )

    priced = [o for o in of(extraction, OfferingFact) if o.price]
    assert [(o.name, o.price.money.minor_units, o.price.unit) for o in priced] == [
        ("empanadas", 300, "item")
    ]


@pytest.mark.parametrize(
    ("answer", "section", "language", "expected"),
    [
        ("la esquina", BriefSection.IDENTITY, "es", [("business_name", "La esquina")]),
        ("no sé", BriefSection.IDENTITY, "es", []),
        ("Oaxaca", BriefSection.IDENTITY, "es", [("location", "Oaxaca")]),
        ("Coffee, tea and pastries.", BriefSection.OFFERINGS, "en",
         [("offering", "Coffee"), ("offering", "tea"), ("offering", "pastries")]),
        ("cinco", BriefSection.CONSTRAINTS, "es", [("team_size", 5)]),
    ],
)  # fmt: skip
def test_a_short_answer_is_read_as_the_section_asked_about(answer, section, language, expected):
    extraction = extract_facts(answer, today=TODAY, language=language, expecting=section)

    values = [
        (
            f.kind.value,
            getattr(f, "name", None) or getattr(f, "city", None) or getattr(f, "people", None),
        )
        for f in extraction.facts
    ]
    assert values == expected


def test_a_budget_is_not_an_offering():
    extraction = extract_facts(
        "Haircuts are $30. Our marketing budget is about $400 a month.", today=TODAY
    )

    (budget,) = of(extraction, BudgetFact)
    assert (budget.money, budget.per, budget.purpose) == (
        Money(minor_units=40_000, currency="USD"),
        "month",
        "marketing",
    )
    assert [o.price.money.minor_units for o in of(extraction, OfferingFact)] == [3000]
