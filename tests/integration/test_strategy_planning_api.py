"""Objectives with key results and the decision log, through the API."""

from __future__ import annotations

import pytest

from tests.support.db import as_org
from tests.support.identity import create_org, sign_up

pytestmark = pytest.mark.integration


@pytest.fixture
async def owner(make_app, client_for):
    app = make_app()
    async with client_for(app) as client:
        person = await sign_up(client)
        org = await create_org(person)
        yield app, person, org


async def test_an_objective_tracks_its_key_results(owner):
    _app, person, _org = owner
    created = await person.client.post(
        "/api/v1/strategy/objectives",
        json={
            "title": "Become the neighbourhood's favourite café",
            "brief_goal": "50 new customers",
            "due_on": "2027-06-30",
            "key_results": [
                {"title": "New regular customers", "target_value": 50},
                {
                    "title": "Average rating",
                    "start_value": 4.0,
                    "target_value": 4.8,
                    "current_value": 4.4,
                },
            ],
        },
        headers=person.headers(),
    )
    kr = created.json()["key_results"][0]["id"]
    updated = await person.client.put(
        f"/api/v1/strategy/key-results/{kr}/progress",
        json={"current_value": 25},
        headers=person.headers(),
    )
    listed = await person.client.get("/api/v1/strategy/objectives", headers=person.headers())

    assert created.status_code == 201
    assert created.json()["progress"] == "0.2500"
    assert updated.json()["key_results"][0]["progress"] == "0.5000"
    assert updated.json()["progress"] == "0.5000"
    assert [o["title"] for o in listed.json()] == ["Become the neighbourhood's favourite café"]


async def test_objectives_refuse_bad_input_and_unknown_ids(owner):
    _app, person, _org = owner

    no_title = await person.client.post(
        "/api/v1/strategy/objectives", json={"title": ""}, headers=person.headers()
    )
    no_target = await person.client.post(
        "/api/v1/strategy/objectives",
        json={"title": "Grow", "key_results": [{"title": "Sales"}]},
        headers=person.headers(),
    )
    missing = await person.client.put(
        "/api/v1/strategy/key-results/00000000-0000-0000-0000-000000000000/progress",
        json={"current_value": 1},
        headers=person.headers(),
    )
    listed = await person.client.get("/api/v1/strategy/objectives", headers=person.headers())

    assert (no_title.status_code, no_target.status_code, missing.status_code) == (422, 422, 404)
    assert "target_value" in no_target.text
    assert listed.json() == []


async def test_a_decision_is_logged_searchable_and_remembered(owner, owner_conn):
    _app, person, org = owner
    logged = await person.client.post(
        "/api/v1/strategy/decisions",
        json={
            "title": "Abrir los domingos",
            "context": "Los turistas llegan el fin de semana",
            "options": ["Abrir domingos", "Seguir cerrando"],
            "decision": "Abrimos los domingos de 9 a 14",
            "decided_on": "2026-11-20",
        },
        headers=person.headers(),
    )
    decision_id = logged.json()["id"]
    outcome = await person.client.put(
        f"/api/v1/strategy/decisions/{decision_id}/outcome",
        json={"outcome": "Las ventas del domingo cubren el turno"},
        headers=person.headers(),
    )
    found = await person.client.get(
        "/api/v1/strategy/decisions?q=DOMINGOS", headers=person.headers()
    )
    not_found = await person.client.get(
        "/api/v1/strategy/decisions?q=100%25", headers=person.headers()
    )

    assert logged.status_code == 201
    assert outcome.status_code == 204
    assert [d["outcome"] for d in found.json()] == ["Las ventas del domingo cubren el turno"]
    assert not_found.json() == []
    with as_org(owner_conn, org):
        episodes = owner_conn.execute(
            "select kind, title from memory_episodes order by occurred_at, kind"
        ).fetchall()
    assert ("decision", "Abrir los domingos") in episodes
    assert ("outcome", "Abrir los domingos") in episodes
