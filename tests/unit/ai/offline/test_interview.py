"""The interview: one question at a time, missing before vague, never re-asking what is known."""

from __future__ import annotations

import datetime as dt

from xentri.ai.offline import (
    KnownFacts,
    Money,
    apply_answer,
    extract_facts,
    next_question,
)
from xentri.ai.offline.known import Constraints, Identity, KnownGoal, KnownOffering

TODAY = dt.date(2026, 11, 25)


def complete_known(**changes):
    known = KnownFacts(
        language="en",
        identity=Identity(name="Sweet Crumb", city="Madrid", country="ES"),
        offerings=(KnownOffering(name="sourdough", price=None),),
        audience=("families",),
        goals=(
            KnownGoal(
                statement="300 weekly orders",
                target=300,
                metric="orders",
                deadline=dt.date(2027, 12, 31),
            ),
        ),
        tone_words=("warm",),
        differentiators=("We bake overnight",),
        competitors=("Panadería Real",),
        constraints=Constraints(team_size=4, budget=Money(minor_units=50_000, currency="EUR")),
    )
    return known.model_copy(update=changes)


def test_the_first_question_asks_for_the_name_in_the_owners_language():
    english = next_question(KnownFacts())
    spanish = next_question(KnownFacts(language="es"))

    assert (english.id, english.kind, english.text) == (
        "identity.name",
        "missing",
        "What is the name of your business?",
    )
    assert spanish.text == "¿Cómo se llama tu negocio?"
    assert spanish.reason == "El Brief aún no tiene nombre del negocio."


def test_what_one_answer_tells_is_not_asked_again():
    known = KnownFacts().merge(
        extract_facts(
            "We're Sweet Crumb, a bakery in Madrid. We sell sourdough and croissants.",
            today=TODAY,
        )
    )

    question = next_question(known)

    assert question.id == "audience"


def test_missing_sections_come_before_vague_ones():
    known = complete_known(competitors=())

    assert next_question(known).id == "competitors"


def test_an_offering_without_a_price_gets_a_follow_up():
    question = next_question(complete_known())

    assert (question.id, question.kind) == ("offerings.price.0", "vague")
    assert question.text == "How much do you charge for sourdough?"
    assert question.reason == "“sourdough” has no price yet."


def test_the_follow_up_answer_completes_that_offering():
    known = complete_known()
    question = next_question(known)

    known = apply_answer(known, question, "€4.50 a loaf", today=TODAY)

    assert known.offerings[0].name == "sourdough"
    assert known.offerings[0].price.money == Money(minor_units=450, currency="EUR")
    assert known.offerings[0].price.unit == "item"
    assert next_question(known) is None


def test_a_goal_without_a_date_is_asked_by_when():
    known = complete_known(
        goals=(KnownGoal(statement="We want to open a second bakery", target=2),),
        asked=("offerings.price.0", "offerings.price.0"),  # the owner gave no price twice
    )

    question = next_question(known)

    assert question.id == "goals.deadline.0"
    assert question.text == "By when do you want to reach “open a second bakery”?"
    known = apply_answer(known, question, "By March", today=TODAY)
    assert known.goals[0].deadline == dt.date(2027, 3, 31)
    assert len(known.goals) == 1


def test_an_unanswered_question_is_asked_once_more_then_left():
    known = KnownFacts()
    first = next_question(known)
    known = apply_answer(known, first, "", today=TODAY)
    second = next_question(known)
    known = apply_answer(known, second, "hmm", today=TODAY)

    third = next_question(known)

    assert second.id == first.id == "identity.name"
    assert (
        second.text == "I didn't catch that, let me ask again. What is the name of your business?"
    )
    assert third.id == "offerings"


def test_free_text_sections_keep_the_answer():
    known = complete_known(differentiators=(), competitors=())
    question = next_question(known)
    known = apply_answer(known, question, "Everything is organic and baked overnight.", today=TODAY)
    question = next_question(known)
    known = apply_answer(
        known, question, "Panadería Real, Levain & Co and Hornos Paco", today=TODAY
    )

    assert known.differentiators == ("Everything is organic and baked overnight",)
    assert known.competitors == ("Panadería Real", "Levain & Co", "Hornos Paco")


def test_a_generic_audience_is_followed_up():
    known = complete_known(audience=("everyone",), asked=("offerings.price.0", "offerings.price.0"))

    question = next_question(known)

    assert question.id == "audience.specific"


def test_a_spanish_interview_runs_to_completion():
    known = KnownFacts(language="es")
    answers = [
        "Se llama Panadería Luna.",
        "Vendemos conchas y pan de muerto.",
        "Familias del barrio y oficinistas.",
        "Estamos en Puebla, México.",
        "Queremos 100 pedidos por semana antes de marzo.",
        "Cercana y alegre.",
        "Todo es de masa madre.",
        "Pan Bimbo y la panadería de la esquina.",
        "Somos tres.",
        "Unos 3 mil pesos al mes.",
        "Las conchas a 15 pesos.",
        "El pan de muerto a 40 pesos.",
    ]
    asked = []
    for answer in answers:
        question = next_question(known)
        asked.append(question.id)
        known = apply_answer(known, question, answer, today=TODAY)

    assert asked == [
        "identity.name",
        "offerings",
        "audience",
        "identity.location",
        "goals",
        "brand_voice",
        "differentiators",
        "competitors",
        "constraints.team_size",
        "constraints.budget",
        "offerings.price.0",
        "offerings.price.1",
    ]
    assert next_question(known) is None
    assert known.identity.name == "Panadería Luna"
    assert (known.identity.city, known.identity.country) == ("Puebla", "MX")
    assert [(o.name, o.price.money.minor_units) for o in known.offerings] == [
        ("conchas", 1500),
        ("pan de muerto", 4000),
    ]
    assert known.goals[0].target == 100
    assert known.goals[0].deadline == dt.date(2027, 3, 31)
    assert known.tone_words == ("cercano", "alegre")
    assert known.constraints.team_size == 3
    assert (known.constraints.budget, known.constraints.budget_per) == (
        Money(minor_units=300_000, currency="MXN"),
        "month",
    )
