"""Event → producer → Pulse item → promotion → Strategy Pulse, through the real spine (outbox,
relay, Redis stream, consumer group); a duplicate delivery creates nothing."""

from __future__ import annotations

import uuid
from collections import namedtuple

import pytest

from tests.support.db import as_org
from tests.support.identity import sign_up
from tests.support.spine import drain, emit_committed, make_consumer
from xentri.contracts.events import Actor
from xentri.identity.invitation_events import InvitationAccepted
from xentri.kernel.events.outbox import new_event
from xentri.pulse.handlers import pulse_subscription
from xentri.subscriptions import pulse_producers

pytestmark = pytest.mark.integration

DRAFT = {
    "identity": {"name": "Café Luna", "locations": [{"city": "Oaxaca", "country": "MX"}]},
    "offerings": [{"name": "Latte", "price_minor": 4500, "currency": "MXN", "unit": "cup"}],
    "goals": [{"statement": "50 new customers", "target": "50", "deadline": "2027-06-30"}],
}


def pulse_consumer(app_engine, redis_client, stream, name: str = "pulse"):
    subscription = pulse_subscription(pulse_producers(), name=f"{name}-{uuid.uuid4().hex[:6]}")
    return make_consumer(
        subscription.name,
        dict(subscription.handlers),
        engine=app_engine,
        redis=redis_client,
        stream=stream,
    )


Row = namedtuple("Row", "id scope importance title promoted_from source_event_id")


def items(owner_conn, org_id) -> list[Row]:
    with as_org(owner_conn, org_id):
        rows = owner_conn.execute(
            "select id, scope, importance, title, promoted_from, source_event_id "
            "from pulse_items order by created_at, scope"
        ).fetchall()
    return [Row(*row) for row in rows]


async def approve_brief(person) -> None:
    headers = person.headers()
    drafted = await person.client.put("/api/v1/strategy/brief/draft", json=DRAFT, headers=headers)
    assert drafted.status_code == 200, drafted.text
    for action in ("ready", "approve"):
        done = await person.client.post(f"/api/v1/strategy/brief/flow/{action}", headers=headers)
        assert done.status_code == 200, done.text


async def test_an_approved_brief_climbs_to_the_strategy_pulse_once(
    app_owner, owner_conn, app_engine, redis_client, relay, stream
):
    _app, person, org = app_owner
    await approve_brief(person)
    consumer = pulse_consumer(app_engine, redis_client, stream)

    await drain(relay, [consumer])

    found = {row.scope: row for row in items(owner_conn, org)}
    module = found["module.strategy.universal_brief"]
    sub = found["subcategory.strategy.foundation"]
    category = found["category.strategy"]
    top = found["strategy"]
    assert set(found) == {module.scope, sub.scope, category.scope, top.scope}
    # Each level points at the one below it; all come from the one approval event.
    assert (sub.promoted_from, category.promoted_from, top.promoted_from) == (
        module.id,
        sub.id,
        category.id,
    )
    assert module.promoted_from is None
    assert len({row.source_event_id for row in found.values()}) == 1
    assert {row.importance for row in found.values()} == {1}

    briefing = await person.client.get("/api/v1/pulse/strategy", headers={"accept-language": "es"})
    assert briefing.status_code == 200
    body = briefing.json()
    assert [item["id"] for item in body["items"]] == [str(top.id)]
    assert body["items"][0]["title"] == "Tu brief está aprobado"
    assert "Facturas, Contactos" in body["items"][0]["summary"]
    assert body["origins"] == {str(top.id): "category.strategy"}
    assert body["summary"][0] == "1 asunto llegó a tu resumen."

    # The same entries delivered again, to the same group and to a fresh one (no receipts):
    # the unique (org, scope, event) key still makes nothing new.
    entries = await redis_client.xrange(stream)
    for _entry_id, fields in entries:
        await redis_client.xadd(stream, fields)
    again = pulse_consumer(app_engine, redis_client, stream, name="pulse-replay")
    await drain(relay, [consumer, again])

    assert len(items(owner_conn, org)) == 4


async def test_a_new_member_reaches_the_team_pulse_but_not_the_ceo_briefing(
    app_owner, owner_conn, app_engine, redis_client, relay, stream, make_app, client_for
):
    app, _person, org = app_owner
    async with client_for(app) as client:
        joiner = await sign_up(client, name="Beto")
    joined = InvitationAccepted(
        invitation_id=uuid.uuid4(), user_id=joiner.user_id, role="member", already_member=False
    )
    event = new_event(
        joined, org_id=org, actor=Actor(type="user", id=str(joiner.user_id)), source="test"
    )
    await emit_committed(app_engine, [event])
    consumer = pulse_consumer(app_engine, redis_client, stream)

    await drain(relay, [consumer])

    found = {row.scope: row for row in items(owner_conn, org)}
    # Importance 3: the team's category keeps it (threshold 3), the CEO briefing does not (2).
    assert sorted(found) == ["category.team", "module.team.directory", "subcategory.team.people"]
    assert found["module.team.directory"].title == "%(name)s joined your team"
    assert all(row.source_event_id == event.id for row in found.values())
