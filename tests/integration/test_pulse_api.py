"""The Pulse API: landing by role and last scope, dismissals per person, expiry, errors."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.identity import add_member, create_org, sign_up
from tests.support.pulse import seed_item, titles
from xentri.pulse.live import PulseHub

pytestmark = pytest.mark.integration


@pytest.fixture
async def team(make_app, client_for, owner_conn):
    """An owner, an admin and a member of one org, each with their own session."""
    app = make_app()
    owner = await sign_up(client_for(app), name="Olga")
    org = await create_org(owner)
    people = {"owner": owner}
    for role, name in (("admin", "Adan"), ("member", "Mia")):
        person = await sign_up(client_for(app), name=name)
        add_member(owner_conn, org, person.user_id, role)
        people[role] = person
    for person in people.values():
        person.client.headers["x-org-id"] = str(org)
    yield app, org, people
    for person in people.values():
        await person.client.aclose()


async def limit(team, categories: list[str]):
    _app, _org, people = team
    member = people["member"]
    response = await people["owner"].client.put(
        f"/api/v1/pulse/members/{member.user_id}/scopes",
        json={"scopes": categories},
        headers=people["owner"].headers(),
    )
    assert response.status_code == 200, response.text
    return response.json()


async def landing(person) -> str:
    response = await person.client.get("/api/v1/pulse/landing")
    assert response.status_code == 200, response.text
    return response.json()["scope"]


async def test_owners_land_on_the_strategy_pulse_even_after_using_another(team):
    _app, _org, people = team
    owner = people["owner"]
    used = await owner.client.put(
        "/api/v1/users/me/last-scope", json={"scope": "category.sales"}, headers=owner.headers()
    )

    assert used.status_code == 204
    assert await landing(owner) == "strategy"
    assert await landing(people["admin"]) == "strategy"


async def test_a_member_with_one_category_lands_on_it_and_cannot_open_the_briefing(team):
    _app, _org, people = team
    member = people["member"]
    assert (await limit(team, ["category.finance"]))["scopes"] == ["category.finance"]
    await member.client.put(
        "/api/v1/users/me/last-scope",
        json={"scope": "module.finance.invoicing"},
        headers=member.headers(),
    )

    briefing = await member.client.get("/api/v1/pulse/strategy")
    other = await member.client.get("/api/v1/pulse/category.sales")

    assert await landing(member) == "category.finance"
    assert briefing.status_code == other.status_code == 403
    assert briefing.headers["content-type"] == "application/problem+json"


async def test_a_member_with_several_categories_lands_on_the_one_used_last(team):
    _app, _org, people = team
    member = people["member"]
    await limit(team, ["category.sales", "category.finance"])

    first = await landing(member)
    await member.client.put(
        "/api/v1/users/me/last-scope", json={"scope": "category.sales"}, headers=member.headers()
    )
    after_sales = await landing(member)
    await member.client.put(
        "/api/v1/users/me/last-scope",
        json={"scope": "subcategory.finance.billing"},
        headers=member.headers(),
    )
    after_billing = await landing(member)
    refused = await member.client.put(
        "/api/v1/users/me/last-scope", json={"scope": "category.legal"}, headers=member.headers()
    )

    assert first == "category.finance"  # none used yet: the first in the catalogue's order
    assert after_sales == "category.sales"
    assert after_billing == "subcategory.finance.billing"
    assert refused.status_code == 403
    assert await landing(member) == "subcategory.finance.billing"


async def test_a_dismissed_item_is_gone_for_that_person_only(team):
    app, org, people = team
    item = await seed_item(app.state.engine, org, scope="category.finance")
    owner, admin = people["owner"], people["admin"]

    dismissed = await owner.client.post(
        f"/api/v1/pulse/category.finance/dismiss/{item}", headers=owner.headers()
    )
    again = await owner.client.post(
        f"/api/v1/pulse/category.finance/dismiss/{item}", headers=owner.headers()
    )
    wrong_scope = await admin.client.post(
        f"/api/v1/pulse/category.sales/dismiss/{item}", headers=admin.headers()
    )

    assert dismissed.status_code == again.status_code == 204
    assert wrong_scope.status_code == 404
    assert titles((await owner.client.get("/api/v1/pulse/category.finance")).json()) == []
    assert titles((await admin.client.get("/api/v1/pulse/category.finance")).json()) == [
        "Invoice 12 is overdue"
    ]


async def test_expired_items_disappear_and_the_most_important_come_first(team):
    app, org, people = team
    now = datetime.now(UTC)
    await seed_item(app.state.engine, org, title="Old news", expires_at=now - timedelta(days=1))
    await seed_item(app.state.engine, org, title="Minor", importance=4)
    await seed_item(
        app.state.engine, org, title="Urgent", importance=1, expires_at=now + timedelta(days=1)
    )

    body = (await people["admin"].client.get("/api/v1/pulse/category.finance")).json()

    assert titles(body) == ["Urgent", "Minor"]
    assert body["summary"] == []


async def test_bad_scopes_are_problems_not_errors(team):
    _app, _org, people = team
    owner = people["owner"]

    unknown = await owner.client.get("/api/v1/pulse/module.finance.nothing")
    malformed = await owner.client.get("/api/v1/pulse/finance")
    bad_last = await owner.client.put(
        "/api/v1/users/me/last-scope", json={"scope": "category.nope"}, headers=owner.headers()
    )
    bad_limit = await owner.client.put(
        f"/api/v1/pulse/members/{people['member'].user_id}/scopes",
        json={"scopes": ["module.finance.invoicing"]},
        headers=owner.headers(),
    )
    by_member = await people["member"].client.put(
        f"/api/v1/pulse/members/{people['member'].user_id}/scopes",
        json={"scopes": []},
        headers=people["member"].headers(),
    )

    assert unknown.status_code == 404
    assert malformed.status_code == 422
    assert bad_last.status_code == bad_limit.status_code == 422
    assert bad_last.json()["errors"][0]["field"].endswith("scope")
    assert by_member.status_code == 403


async def test_the_hub_hears_a_committed_item_of_its_org_only(team, servers):
    app, org, _people = team
    hub = PulseHub(servers.app_url)
    queue = hub.subscribe(org)
    other_queue = hub.subscribe(uuid.uuid4())
    await asyncio.wait_for(hub.listening.wait(), timeout=10)

    item = await seed_item(app.state.engine, org, scope="category.sales")
    heard = await asyncio.wait_for(queue.get(), timeout=10)
    hub.close()

    assert json.loads(heard) == {"org_id": str(org), "id": str(item), "scope": "category.sales"}
    assert other_queue.get_nowait() == "close"  # another org's stream heard nothing before
    assert await asyncio.wait_for(queue.get(), timeout=5) == "close"
