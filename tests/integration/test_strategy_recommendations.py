"""The Strategy Co-pilot's recommendations, kept per approved Brief version and language: on a
configured model (a real HTTP server on 127.0.0.1 answering like an OpenAI-compatible one) one
call whose output is checked, else the offline rules; the Recommendations page in English and
Spanish, "Use this wording" moving the Brief to Editing, and the API."""

from __future__ import annotations

import json
import uuid

import pytest

from tests.integration.test_pulse_spine import pulse_consumer
from tests.integration.test_strategy_pages import text_of
from tests.support.db import as_org
from tests.support.fake_model import FakeModelServer
from tests.support.identity import PASSWORD, Person, add_member, create_org, sign_up
from tests.support.shell import form_token
from tests.support.spine import drain
from xentri.catalog import load_catalogue

pytestmark = pytest.mark.integration

PAGE = "/c/strategy/recommendations"
API = "/api/v1/strategy/recommendations"

DRAFT = {
    "identity": {"name": "Café Luna", "locations": [{"city": "Oaxaca", "country": "MX"}]},
    "offerings": [{"name": "Latte", "price_minor": 4500, "currency": "MXN", "unit": "cup"}],
    "goals": [
        # Target and date known, the statement says neither: a rewrite from its own parts.
        {"statement": "More customers", "metric": "customers", "target": "50",
         "deadline": "2027-06-30"},
        # Nothing to count by, no date: questions, never a number made up.
        {"statement": "Be better known"},
        # Already SMART: no advice.
        {"statement": "Sell 200 lattes a week", "target": "200", "deadline": "2027-03-31"},
    ],
}  # fmt: skip

MODEL_ANSWER = {
    "modules": [
        {"module_id": "sales.contacts", "reason": "Keep every Oaxaca regular in one place."},
        {"module_id": "astrology.horoscopes", "reason": "Not a module of the catalogue."},
        {"module_id": "sales.contacts", "reason": "Said twice."},
        {"module_id": "finance.invoicing", "reason": "Invoice your lattes at MX$45."},
    ],
    "goals": [
        {
            "goal": 0,
            "statement": "Win 50 new regular customers by 30 June 2027",
            "metric": "regular customers",
            "target": "50",
            "deadline": "2027-06-30",
            "advice": "Count a regular after their third visit.",
        },
        {
            # 1000 followers and 31 December are nowhere in the Brief: refused.
            "goal": 1,
            "statement": "Reach 1000 Instagram followers by 31 December 2027",
            "target": "1000",
            "deadline": "2027-12-31",
        },
    ],
}


def configured(app, fake_model: FakeModelServer) -> None:
    # What XENTRI_LLM_PROVIDER=openai, XENTRI_LLM_BASE_URL and a key configure at startup.
    app.state.ai_settings = fake_model.settings()


async def sign_up_in_spanish(client) -> Person:
    email = f"lupita-{uuid.uuid4().hex[:8]}@example.mx"
    response = await client.post(
        "/api/v1/auth/signup",
        json={"email": email, "password": PASSWORD, "name": "Lupita", "preferred_language": "es"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return Person(client, email, uuid.UUID(body["user"]["id"]), body["csrf_token"])


async def approve(person, draft: dict = DRAFT) -> None:
    put = await person.client.put(
        "/api/v1/strategy/brief/draft", json=draft, headers=person.headers()
    )
    assert put.status_code == 200, put.text
    for action in ("ready", "approve"):
        response = await person.client.post(
            f"/api/v1/strategy/brief/flow/{action}", headers=person.headers()
        )
        assert response.status_code == 200, response.text


def kept_rows(owner_conn, org) -> list[tuple]:
    with as_org(owner_conn, org):
        return owner_conn.execute(
            "select brief_version, language, state, source from strategy_recommendations "
            "order by language"
        ).fetchall()


async def flow_of(person) -> dict:
    return (await person.client.get("/api/v1/strategy/brief/flow", headers=person.headers())).json()


async def test_the_model_recommends_once_and_its_checked_answer_is_kept(
    app_owner, owner_conn, fake_model
):
    app, person, org = app_owner
    configured(app, fake_model)
    await approve(person)
    fake_model.replies.append(MODEL_ANSWER)

    first = await person.client.get(API, headers=person.headers())
    again = await person.client.get(API, headers=person.headers())
    page = await person.client.get(PAGE)

    assert first.status_code == 200, first.text
    body = first.json()
    assert body["source"] == "model"
    assert body["brief_version"] == 1
    # The unknown module and the repeated one are dropped; the order and reasons are the model's.
    assert [(m["module_id"], m["reason"]) for m in body["modules"]] == [
        ("sales.contacts", "Keep every Oaxaca regular in one place."),
        ("finance.invoicing", "Invoice your lattes at MX$45."),
    ]
    assert body["goals"] == [
        {
            "index": 0,
            "statement": "More customers",
            "missing": [],
            "advice": "Count a regular after their third visit.",
            "rewrite": {
                "statement": "Win 50 new regular customers by 30 June 2027",
                "metric": "regular customers",
                "target": "50",
                "deadline": "2027-06-30",
            },
            "source": "model",
        },
        {
            # The invented 1000 followers were refused: the offline advice asks instead.
            "index": 1,
            "statement": "Be better known",
            "missing": ["target", "deadline"],
            "advice": "To make “Be better known” measurable, tell me how much, exactly? by when?",
            "rewrite": None,
            "source": "offline",
        },
    ]
    # One model call for this version and language, however often it is read.
    assert len(fake_model.requests) == 1
    assert again.json() == body
    sent = json.dumps(fake_model.requests[0]["body"], ensure_ascii=False)
    assert "finance.invoicing" in sent  # the catalogue is in the prompt
    assert "English" in sent
    assert "Be better known" in sent
    assert "Sell 200 lattes a week" not in sent.split("goals_to_sharpen")[-1]
    assert kept_rows(owner_conn, org) == [(1, "en", "ready", "model")]
    with as_org(owner_conn, org):
        usage = owner_conn.execute("select agent_id, model from ai_usage").fetchall()
    assert usage == [("strategy.copilot", "fake-llm")]
    shown = text_of(page.text)
    assert page.status_code == 200
    assert "Keep every Oaxaca regular in one place." in shown
    assert "Win 50 new regular customers by 30 June 2027" in shown
    assert 'data-source="model"' in page.text
    assert 'href="/modules/sales.contacts?next=/c/strategy/recommendations"' in page.text
    assert "Astrology" not in shown


async def test_a_model_that_is_down_leaves_the_rules_kept_and_is_tried_again_later(
    app_owner, owner_conn, fake_model
):
    app, person, org = app_owner
    configured(app, fake_model)
    await approve(person)
    fake_model.replies.append(500)

    first = await person.client.get(API, headers=person.headers())
    again = await person.client.get(API, headers=person.headers())

    assert first.status_code == 200, first.text
    body = first.json()
    assert body["source"] == "offline"
    assert [m["module_id"] for m in body["modules"]][:2] == [
        "finance.invoicing",
        "sales.contacts",
    ]
    assert body["goals"][0]["rewrite"] == {
        "statement": "Reach 50 customers by 30 June 2027",
        "metric": "customers",
        "target": "50",
        "deadline": "2027-06-30",
    }
    assert len(fake_model.requests) == 1  # not asked again on the second read
    assert again.json() == body
    assert kept_rows(owner_conn, org) == [(1, "en", "ready", "offline")]

    # Ten minutes on, the model is back: the next read tries it again and keeps its answer.
    with as_org(owner_conn, org):
        owner_conn.execute(
            "update strategy_recommendations set updated_at = now() - interval '11 minutes'"
        )
    fake_model.replies.append(MODEL_ANSWER)
    retried = await person.client.get(API, headers=person.headers())
    after = await person.client.get(API, headers=person.headers())

    assert retried.json()["source"] == "model"
    assert after.json() == retried.json()
    assert len(fake_model.requests) == 2
    assert kept_rows(owner_conn, org) == [(1, "en", "ready", "model")]


async def test_a_read_while_another_asks_the_model_gets_the_rules_and_asks_nothing(
    app_owner, owner_conn, fake_model
):
    app, person, org = app_owner
    configured(app, fake_model)
    await approve(person)
    with as_org(owner_conn, org):
        # Another request claimed this version a moment ago and is waiting on the model.
        owner_conn.execute(
            "insert into strategy_recommendations (id, org_id, brief_version, language, state) "
            "values (%s, %s, 1, 'en', 'computing')",
            (uuid.uuid4(), org),
        )

    meanwhile = await person.client.get(API, headers=person.headers())

    assert meanwhile.status_code == 200
    assert meanwhile.json()["source"] == "offline"
    assert fake_model.requests == []
    assert kept_rows(owner_conn, org) == [(1, "en", "computing", None)]

    # A claim left behind by a process that died is taken over once it is old enough.
    with as_org(owner_conn, org):
        owner_conn.execute(
            "update strategy_recommendations set updated_at = now() - interval '10 minutes'"
        )
    fake_model.replies.append(MODEL_ANSWER)
    taken_over = await person.client.get(API, headers=person.headers())

    assert taken_over.json()["source"] == "model"
    assert len(fake_model.requests) == 1
    assert kept_rows(owner_conn, org) == [(1, "en", "ready", "model")]


async def test_each_language_is_asked_once_in_that_language(app_owner, owner_conn, fake_model):
    app, person, org = app_owner
    configured(app, fake_model)
    await approve(person)
    fake_model.replies.append(MODEL_ANSWER)
    fake_model.replies.append(
        {"modules": [{"module_id": "sales.contacts", "reason": "Ten a cada cliente a mano."}]}
    )

    await person.client.get(API, headers=person.headers())
    spanish = await person.client.get(API, headers=person.headers(**{"accept-language": "es"}))
    await person.client.get(API, headers=person.headers(**{"accept-language": "es"}))

    assert len(fake_model.requests) == 2
    assert "Spanish" in json.dumps(fake_model.requests[1]["body"])
    body = spanish.json()
    assert body["language"] == "es"
    assert body["modules"][0]["reason"] == "Ten a cada cliente a mano."
    # The model left the goals out: each gets the offline advice, in Spanish.
    assert (
        body["goals"][0]["rewrite"]["statement"]
        == "Llegar a 50 customers para el 30 de junio de 2027"
    )
    assert body["goals"][0]["source"] == "offline"
    assert kept_rows(owner_conn, org) == [(1, "en", "ready", "model"), (1, "es", "ready", "model")]


async def test_the_page_in_spanish_applies_a_rewrite_and_the_brief_goes_to_editing(
    make_app, client_for, owner_conn
):
    person = await sign_up_in_spanish(client_for(make_app()))
    org = await create_org(person, "Café Luna", default_language="es")
    spanish = {
        **DRAFT,
        "goals": [
            {
                "statement": "Más clientes",
                "metric": "clientes",
                "target": "50",
                "deadline": "2027-06-30",
            },
            {"statement": "Que nos conozcan"},
        ],
    }
    await approve(person, spanish)

    page = await person.client.get(PAGE)
    token = await form_token(person.client, PAGE)
    stale = await person.client.post(
        f"{PAGE}/goals/0/apply", data={"csrf_token": token, "brief_version": "2"}
    )
    no_rewrite = await person.client.post(
        f"{PAGE}/goals/1/apply", data={"csrf_token": token, "brief_version": "1"}
    )
    unchanged = await flow_of(person)
    applied = await person.client.post(
        f"{PAGE}/goals/0/apply", data={"csrf_token": token, "brief_version": "1"}
    )
    after = await person.client.get(applied.headers["location"])
    flow = await flow_of(person)

    shown = text_of(page.text)
    assert page.status_code == 200
    assert "Recomendaciones" in shown
    assert "Módulos para empezar" in shown
    assert "Vendes Latte: factúralo y cobra a tiempo." in shown
    assert "Llegar a 50 clientes para el 30 de junio de 2027" in shown
    assert (
        "Para que «Que nos conozcan» sea medible, dime ¿cuánto exactamente? ¿para cuándo?" in shown
    )
    assert shown.count("Usar esta redacción") == 1  # only the goal that has a rewrite
    assert stale.status_code == 409
    assert no_rewrite.status_code == 404
    assert "Esa meta no tiene una redacción para usar." in text_of(no_rewrite.text)
    assert unchanged["state"] == "approved"
    assert applied.status_code == 303
    assert applied.headers["location"] == f"{PAGE}?applied=0#applied"
    assert flow["state"] == "editing"
    assert flow["draft"]["goals"][0] == {
        "statement": "Llegar a 50 clientes para el 30 de junio de 2027",
        "metric": "clientes",
        "target": "50",
        "deadline": "2027-06-30",
    }
    assert flow["draft"]["goals"][1] == {"statement": "Que nos conozcan"} | {
        "metric": None,
        "target": None,
        "deadline": None,
    }
    after_text = text_of(after.text)
    assert "el Brief vuelve a estar en edición" in after_text
    assert 'href="/c/strategy/brief"' in after.text
    assert "En el borrador" in after_text
    assert "Usar esta redacción" not in after_text
    assert kept_rows(owner_conn, org) == [(1, "es", "ready", "offline")]


async def test_the_page_in_english_and_its_empty_state(app_owner):
    _app, person, _org = app_owner

    empty = await person.client.get(PAGE)
    await approve(person)
    page = await person.client.get(PAGE)

    assert empty.status_code == 200
    assert "No recommendations yet" in text_of(empty.text)
    assert 'href="/c/strategy/interview"' in empty.text
    assert f'href="{PAGE}" aria-current="page"' in empty.text  # the tab
    shown = text_of(page.text)
    assert "Modules to start with" in shown
    assert "You sell Latte: invoice it and get paid on time." in shown
    assert "Reach 50 customers by 30 June 2027" in shown
    assert 'data-source="offline"' in page.text
    assert 'action="/c/strategy/recommendations/goals/0/apply"' in page.text


async def test_the_api_applies_a_rewrite_and_refuses_with_problems(app_owner):
    _app, person, _org = app_owner
    before_brief = await person.client.post(
        f"{API}/goals/0/apply", json={"brief_version": 1}, headers=person.headers()
    )
    await approve(person)

    bad_index = await person.client.post(
        f"{API}/goals/7/apply", json={"brief_version": 1}, headers=person.headers()
    )
    stale = await person.client.post(
        f"{API}/goals/0/apply", json={"brief_version": 3}, headers=person.headers()
    )
    no_version = await person.client.post(f"{API}/goals/0/apply", json={}, headers=person.headers())
    applied = await person.client.post(
        f"{API}/goals/0/apply", json={"brief_version": 1}, headers=person.headers()
    )
    twice = await person.client.post(
        f"{API}/goals/0/apply", json={"brief_version": 1}, headers=person.headers()
    )

    for refused, status in ((before_brief, 404), (bad_index, 404), (stale, 409), (no_version, 422)):
        assert refused.status_code == status, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
    assert stale.json()["brief_version"] == 1
    assert no_version.json()["errors"][0]["field"] == "body.brief_version"
    assert applied.status_code == 200, applied.text
    assert applied.json()["state"] == "editing"
    assert applied.json()["draft"]["goals"][0]["statement"] == "Reach 50 customers by 30 June 2027"
    assert twice.status_code == 409  # the draft's goal is no longer the one rewritten


async def test_the_approval_pulse_item_names_the_kept_modules_without_a_model(
    app_owner, owner_conn, fake_model, app_engine, redis_client, relay, stream
):
    app, person, org = app_owner
    configured(app, fake_model)
    await approve(person)
    fake_model.replies.append(MODEL_ANSWER)
    await person.client.get(API, headers=person.headers())  # kept in English

    await drain(relay, [pulse_consumer(app_engine, redis_client, stream)])

    with as_org(owner_conn, org):
        url, params = owner_conn.execute(
            "select action_url, params from pulse_items "
            "where scope = 'module.strategy.universal_brief'"
        ).fetchone()
    names = {entry.module.id: entry.module.name for entry in load_catalogue().entries()}
    assert url == PAGE
    # English was read already: the kept (model's) modules. Spanish was not: the offline rules,
    # and the Pulse consumer asked no model for it.
    assert (
        params["modules"]["en"] == f"{names['sales.contacts'].en}, {names['finance.invoicing'].en}"
    )
    assert params["modules"]["es"].startswith(names["finance.invoicing"].es + ", ")
    assert len(fake_model.requests) == 1


async def test_the_badge_counts_the_goals_the_page_lists(app_owner):
    _app, person, _org = app_owner
    await approve(person)

    badge = await person.client.get("/api/v1/copilot/strategy/badge", headers=person.headers())
    listed = await person.client.get(API, headers=person.headers())

    assert badge.json()["count"] == len(listed.json()["goals"]) == 2


async def test_a_member_reads_the_recommendations_but_cannot_apply_one(
    app_owner, owner_conn, client_for
):
    app, person, org = app_owner
    await approve(person)
    async with client_for(app) as other:
        member = await sign_up(other, name="Bea")
        add_member(owner_conn, org, member.user_id, "member")
        headers = member.headers(**{"x-org-id": str(org)})
        read = await member.client.get(API, headers=headers)
        refused = await member.client.post(
            f"{API}/goals/0/apply", json={"brief_version": 1}, headers=headers
        )

    assert read.status_code == 200
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert (await flow_of(person))["state"] == "approved"
