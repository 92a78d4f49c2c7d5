"""/api/v1/modules and /api/v1/roadmap against the real database: votes, counts, the score."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from tests.support.catalog import fresh_module, set_org_flags, synced
from tests.support.db import as_org
from tests.support.identity import add_member, create_org, sign_up
from xentri.catalog import load_catalogue

pytestmark = pytest.mark.integration


@pytest.fixture
async def app(make_app, servers):
    await synced(servers.owner_url)
    return make_app()


@pytest.fixture
async def ana(app, client_for):
    async with client_for(app) as client:
        person = await sign_up(client, name="Ana")
        person.org_id = await create_org(person, "Ana Co")
        yield person


async def vote(person, module_id, **body):
    return await person.client.post(
        f"/api/v1/modules/{module_id}/vote", json=body or None, headers=person.headers()
    )


async def unvote(person, module_id):
    return await person.client.delete(f"/api/v1/modules/{module_id}/vote", headers=person.headers())


def votes_in_db(owner_conn, org_id, module_id) -> list[tuple]:
    with as_org(owner_conn, org_id):
        return owner_conn.execute(
            "select user_id, use_case from module_votes where module_id = %s", (module_id,)
        ).fetchall()


async def test_modules_lists_the_whole_catalogue_in_order_with_statuses(ana):
    response = await ana.client.get("/api/v1/modules")

    assert response.status_code == 200
    modules = [m for m in response.json() if ".test_" not in m["id"]]
    assert [m["id"] for m in modules] == [e.module.id for e in load_catalogue().entries()]
    assert modules[0]["id"] == "strategy.universal_brief"
    invoicing = next(m for m in modules if m["id"] == "finance.invoicing")
    assert invoicing["status"] == "beta"
    assert invoicing["name"] == {"en": "Invoicing", "es": "Facturas"}
    assert invoicing["subcategory"] == "finance.billing"
    assert invoicing["voted"] is False


async def test_one_module_with_my_vote(ana, owner_conn):
    module_id = fresh_module(owner_conn)
    await vote(ana, module_id, use_case="for the repair shop")

    response = await ana.client.get(f"/api/v1/modules/{module_id}")
    missing = await ana.client.get("/api/v1/modules/finance.teleportation")

    assert response.status_code == 200
    body = response.json()
    assert (body["votes"], body["voted"], body["use_case"]) == (1, True, "for the repair shop")
    assert body["description"] == {"en": "For a test.", "es": "Para una prueba."}
    assert missing.status_code == 404
    assert missing.json()["type"].endswith("module-not-found")


async def test_modules_can_be_filtered_by_category(ana):
    response = await ana.client.get("/api/v1/modules", params={"category": "legal"})

    assert response.status_code == 200
    assert {m["category"] for m in response.json()} == {"legal"}
    assert (await ana.client.get("/api/v1/modules?category=nope")).status_code == 422


async def test_modules_need_a_session(app, client_for):
    async with client_for(app) as anonymous:
        response = await anonymous.get("/api/v1/modules")

    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_vote_counts_once_however_often_it_is_cast(ana, owner_conn):
    module_id = fresh_module(owner_conn)

    first = await vote(ana, module_id, use_case="Track repairs by WhatsApp")
    again = await vote(ana, module_id)

    assert first.status_code == again.status_code == 200
    assert first.json()["votes"] == again.json()["votes"] == 1
    assert again.json()["voted"] is True
    # A repeat without a use case keeps the one given before.
    assert again.json()["use_case"] == "Track repairs by WhatsApp"
    assert votes_in_db(owner_conn, ana.org_id, module_id) == [
        (ana.user_id, "Track repairs by WhatsApp")
    ]


async def test_simultaneous_votes_of_one_person_make_one_vote(ana, owner_conn):
    module_id = fresh_module(owner_conn)

    responses = await asyncio.gather(*(vote(ana, module_id) for _ in range(6)))

    assert [r.status_code for r in responses] == [200] * 6
    assert len(votes_in_db(owner_conn, ana.org_id, module_id)) == 1
    assert (await vote(ana, module_id)).json()["votes"] == 1


async def test_voting_again_with_a_use_case_replaces_it(ana, owner_conn):
    module_id = fresh_module(owner_conn)
    await vote(ana, module_id, use_case="first idea")

    response = await vote(ana, module_id, use_case="  better idea  ")

    assert response.json()["use_case"] == "better idea"
    assert votes_in_db(owner_conn, ana.org_id, module_id) == [(ana.user_id, "better idea")]


async def test_counts_add_up_across_people_and_orgs(ana, app, client_for, owner_conn):
    module_id = fresh_module(owner_conn)
    await vote(ana, module_id)
    async with client_for(app) as other:
        bea = await sign_up(other, name="Bea")
        await create_org(bea, "Bea Co")
        response = await vote(bea, module_id)

        assert response.json()["votes"] == 2
        listed = await bea.client.get("/api/v1/modules", params={"category": "sales"})
    mine = next(m for m in listed.json() if m["id"] == module_id)
    assert (mine["votes"], mine["voted"]) == (2, True)


async def test_unvote_removes_only_my_vote_and_is_idempotent(ana, app, client_for, owner_conn):
    module_id = fresh_module(owner_conn)
    await vote(ana, module_id)
    async with client_for(app) as other:
        bea = await sign_up(other, name="Bea")
        await create_org(bea, "Bea Co")
        await vote(bea, module_id)

    removed = await unvote(ana, module_id)
    again = await unvote(ana, module_id)

    assert removed.status_code == again.status_code == 200
    assert (removed.json()["votes"], removed.json()["voted"]) == (1, False)
    assert again.json()["votes"] == 1
    assert votes_in_db(owner_conn, ana.org_id, module_id) == []


async def test_an_unknown_module_is_a_404_problem(ana):
    for response in (
        await vote(ana, "finance.teleportation"),
        await unvote(ana, "finance.teleportation"),
    ):
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["type"].endswith("module-not-found")


async def test_an_active_module_takes_no_votes(ana, owner_conn):
    module_id = fresh_module(owner_conn, status="active")

    response = await vote(ana, module_id)

    assert response.status_code == 409
    assert response.json()["type"].endswith("module-already-active")
    assert votes_in_db(owner_conn, ana.org_id, module_id) == []


async def test_voting_needs_an_org_i_belong_to(app, client_for, ana, owner_conn):
    module_id = fresh_module(owner_conn)
    async with client_for(app) as other:
        loner = await sign_up(other, name="Lou")
        no_org = await vote(loner, module_id)
        foreign = await loner.client.post(
            f"/api/v1/modules/{module_id}/vote",
            headers=loner.headers(**{"x-org-id": str(ana.org_id)}),
        )

    assert no_org.status_code == 404
    assert foreign.status_code == 404
    assert votes_in_db(owner_conn, ana.org_id, module_id) == []


async def test_a_vote_without_the_csrf_token_is_refused(ana, owner_conn):
    module_id = fresh_module(owner_conn)

    response = await ana.client.post(f"/api/v1/modules/{module_id}/vote")

    assert response.status_code == 403
    assert votes_in_db(owner_conn, ana.org_id, module_id) == []


async def test_a_vote_follows_its_voter_to_another_org(ana, app, owner_conn):
    # One vote per person: cast in one org, seen, re-cast and withdrawn from another.
    module_id = fresh_module(owner_conn)
    first_org = ana.org_id
    await vote(ana, module_id)
    second_org = await create_org(ana, "Ana Two")

    listed = await ana.client.get("/api/v1/modules", params={"category": "sales"})
    assert next(m for m in listed.json() if m["id"] == module_id)["voted"] is True
    moved = await vote(ana, module_id, use_case="now for the second shop")

    assert moved.json()["votes"] == 1
    assert votes_in_db(owner_conn, first_org, module_id) == []
    assert votes_in_db(owner_conn, second_org, module_id) == [
        (ana.user_id, "now for the second shop")
    ]
    assert (await unvote(ana, module_id)).json()["votes"] == 0


async def test_idempotency_key_replays_the_first_vote(ana, owner_conn):
    module_id = fresh_module(owner_conn)
    headers = ana.headers(**{"Idempotency-Key": f"vote-{uuid.uuid4()}"})
    url = f"/api/v1/modules/{module_id}/vote"

    first = await ana.client.post(url, json={"use_case": "x"}, headers=headers)
    replay = await ana.client.post(url, json={"use_case": "x"}, headers=headers)

    assert replay.headers.get("idempotent-replayed") == "true"
    assert replay.json() == first.json()


async def test_a_long_use_case_is_a_field_error(ana, owner_conn):
    module_id = fresh_module(owner_conn)

    response = await vote(ana, module_id, use_case="x" * 501)

    assert response.status_code == 422
    assert votes_in_db(owner_conn, ana.org_id, module_id) == []


async def test_roadmap_is_public_grouped_by_status_and_scored(ana, app, client_for, owner_conn):
    # Given: 3 votes on a module, from a plain org, a paying org and a paying org at risk.
    module_id = fresh_module(owner_conn, status="in_development")
    await vote(ana, module_id)
    async with client_for(app) as other:
        for name, paying, churn in (("Bea", True, False), ("Cai", True, True)):
            person = await sign_up(other, name=name)
            org_id = await create_org(person, f"{name} Co")
            set_org_flags(owner_conn, org_id, paying=paying, churn_risk=churn)
            await vote(person, module_id)
            await other.post("/api/v1/auth/logout", headers=person.headers())

    # When: anyone, signed in or not, reads the roadmap.
    async with client_for(app) as anonymous:
        response = await anonymous.get("/api/v1/roadmap", params={"category": "sales"})

    # Then: 3 votes, score 3*1 + 2 paying*5 + 1 churn-risk*10 = 23.
    assert response.status_code == 200
    groups = response.json()["statuses"]
    assert [g["status"] for g in groups] == [
        "planned",
        "coming_soon",
        "in_development",
        "beta",
        "active",
    ]
    developing = next(g for g in groups if g["status"] == "in_development")
    entry = next(m for m in developing["modules"] if m["id"] == module_id)
    assert (entry["votes"], entry["priority_score"]) == (3, 23)
    assert developing["module_count"] == len(developing["modules"])
    assert all(m["category"] == "sales" for g in groups for m in g["modules"])
    assert "voted" not in entry
    assert "use_case" not in entry


async def test_roadmap_orders_a_status_by_priority_score(ana, owner_conn, app, client_for):
    low, high = fresh_module(owner_conn, status="beta"), fresh_module(owner_conn, status="beta")
    await vote(ana, low)
    set_org_flags(owner_conn, ana.org_id, paying=False, churn_risk=True)
    async with client_for(app) as other:
        bea = await sign_up(other, name="Bea")
        bea_org = await create_org(bea, "Bea Co")
        set_org_flags(owner_conn, bea_org, paying=True, churn_risk=False)
        await vote(bea, high)
        await vote(bea, low)
    set_org_flags(owner_conn, ana.org_id, paying=False, churn_risk=False)

    response = await ana.client.get("/api/v1/roadmap", params={"category": "sales"})

    beta = next(g for g in response.json()["statuses"] if g["status"] == "beta")
    ours = [m for m in beta["modules"] if m["id"] in (low, high)]
    # low: 2 votes, one paying (2 + 5 = 7); high: 1 paying vote (1 + 5 = 6).
    assert [(m["id"], m["priority_score"]) for m in ours] == [(low, 7), (high, 6)]


async def test_votes_of_one_org_are_invisible_to_another_orgs_members(
    ana, app, client_for, owner_conn, servers
):
    module_id = fresh_module(owner_conn)
    await vote(ana, module_id, use_case="private plans")
    async with client_for(app) as other:
        bea = await sign_up(other, name="Bea")
        bea_org = await create_org(bea, "Bea Co")
        add_member(owner_conn, bea_org, ana.user_id, "member")
        listed = await bea.client.get("/api/v1/modules", params={"category": "sales"})

    entry = next(m for m in listed.json() if m["id"] == module_id)
    # Bea sees the count, never who voted or why.
    assert (entry["votes"], entry["voted"], entry["use_case"]) == (1, False, None)
    with as_org(owner_conn, bea_org):
        assert (
            owner_conn.execute(
                "select count(*) from module_votes where module_id = %s", (module_id,)
            ).fetchone()[0]
            == 0
        )
