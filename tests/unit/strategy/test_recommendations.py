"""Recommendations from the Brief: modules with reasons from it, goals asked to be measurable or
reworded from their own parts; a model's answer checked before it is used."""

from __future__ import annotations

from datetime import date

from xentri.categories.strategy.recommendations import (
    GoalRewrite,
    numbers_in,
    recommend_goals,
    recommend_modules,
)
from xentri.categories.strategy.recommendations_model import (
    CopilotRecommendations,
    GoalAdvice,
    ModulePick,
    accepted,
)
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


VAGUE = Brief(
    offerings=(Offering(name="lattes", price_minor=4500, currency="MXN"),),
    goals=(
        Goal(
            statement="More customers", metric="customers", target="50", deadline=date(2027, 6, 30)
        ),
        Goal(statement="Más ventas", target="10000 MXN/mes", deadline=date(2027, 12, 31)),
        Goal(statement="Be better known"),
    ),
)


def test_a_goal_with_its_parts_but_a_vague_statement_gets_them_as_its_wording():
    english = recommend_goals(VAGUE, language="en")
    spanish = recommend_goals(VAGUE, language="es")

    assert [(g.index, g.missing) for g in english] == [
        (0, ()),
        (1, ()),
        (2, ("target", "deadline")),
    ]
    assert english[0].rewrite == GoalRewrite(
        statement="Reach 50 customers by 30 June 2027",
        metric="customers",
        target="50",
        deadline=date(2027, 6, 30),
    )
    assert english[0].advice == (
        "Say the goal with its number and date: “Reach 50 customers by 30 June 2027”."
    )
    # A target with words of its own is said as it is.
    assert spanish[1].rewrite is not None
    assert spanish[1].rewrite.statement == "Llegar a 10000 MXN/mes para el 31 de diciembre de 2027"
    assert spanish[0].rewrite is not None
    assert spanish[0].rewrite.statement == "Llegar a 50 customers para el 30 de junio de 2027"
    assert english[2].rewrite is None
    assert english[2].source == spanish[2].source == "offline"


def test_a_statement_that_says_its_number_needs_no_rewrite():
    said = Brief(
        goals=(Goal(statement="Sell 1,200 cups", target="1200", deadline=date(2027, 1, 31)),)
    )

    assert recommend_goals(said, language="en") == []


def test_numbers_are_compared_without_separators_or_leading_zeros():
    assert numbers_in("MX$8,000.00/month by 2027-06-30") == {"8000", "0", "2027", "6", "30"}
    assert numbers_in("10 000 clientes") == {"10000"}
    assert numbers_in("no numbers") == set()


def test_the_models_answer_keeps_known_modules_once_and_refuses_invented_numbers():
    answer = CopilotRecommendations(
        modules=[
            ModulePick(module_id="sales.contacts", reason="People first."),
            ModulePick(module_id="made.up", reason="Nope."),
            ModulePick(module_id="sales.contacts", reason="Again."),
        ],
        goals=[
            GoalAdvice(goal=0, statement="Win 50 regulars by 30 June 2027", target="50"),
            GoalAdvice(goal=1, statement="Reach 10,000 MXN a month by 2027", advice="Count it."),
            GoalAdvice(goal=2, statement="Reach 300 followers", target="300"),
            GoalAdvice(goal=9, statement="Not a goal of the Brief"),
        ],
    )

    modules, goals = accepted(answer, brief=VAGUE, language="en")

    assert [(m.module_id, m.reason) for m in modules] == [("sales.contacts", "People first.")]
    assert modules[0].name  # the catalogue's name
    assert [(g.index, g.source) for g in goals] == [(0, "model"), (1, "model"), (2, "offline")]
    # The model's wording, with the Brief's parts where it left one out.
    assert goals[0].rewrite == GoalRewrite(
        statement="Win 50 regulars by 30 June 2027",
        metric="customers",
        target="50",
        deadline=date(2027, 6, 30),
    )
    assert goals[1].advice == "Count it."
    # 300 followers are nowhere in the Brief: the offline questions instead.
    assert goals[2].rewrite is None
    assert goals[2].missing == ("target", "deadline")
    assert not any(c.isdigit() for c in goals[2].advice)


def test_an_invented_deadline_is_refused_too():
    answer = CopilotRecommendations(
        goals=[GoalAdvice(goal=2, statement="Be known in Oaxaca", deadline=date(2027, 9, 15))]
    )

    _modules, goals = accepted(answer, brief=VAGUE, language="en")

    assert goals[2].source == "offline"


def test_no_usable_module_leaves_the_rules_choice():
    answer = CopilotRecommendations(modules=[ModulePick(module_id="made.up", reason="Nope.")])

    modules, _goals = accepted(answer, brief=VAGUE, language="en")

    assert [m.module_id for m in modules] == [
        m.module_id for m in recommend_modules(VAGUE, language="en")
    ]
