"""Voters hear when a module moves to in development or beta: through the real event spine
(outbox → relay → Redis stream → the notifications consumer), exactly once per voter even when
the event is delivered twice, by email too when they want it, in their language."""

from __future__ import annotations

import uuid

import pytest

from tests.support.catalog import fresh_module, synced
from tests.support.identity import add_member, create_org, sign_up
from tests.support.notifications import (
    as_user,
    choose,
    news_mails_to,
    notifications_of,
    set_language,
    set_module_status,
    vote,
)
from tests.support.spine import drain, make_consumer
from xentri.identity.mailer import DevMailbox, Mail
from xentri.kernel.events.envelope_rows import event_from_row, stream_fields
from xentri.kernel.events.tables import system_events
from xentri.notifications.email_outbox import send_pending_emails
from xentri.notifications.handlers import subscription

pytestmark = pytest.mark.integration
BASE_URL = "https://xentri.example"


@pytest.fixture
async def people(make_app, client_for, owner_conn, servers):
    """Ana and Ben vote from one org, Carla from another; Dan, in Ana's org, does not vote."""
    await synced(servers.owner_url)
    module_id = fresh_module(owner_conn, status="coming_soon")
    app = make_app()
    ana, ben, carla, dan = [
        await sign_up(client_for(app), name=name) for name in ("Ana", "Ben", "Carla", "Dan")
    ]
    shop = await create_org(ana, "Panadería Sol")
    studio = await create_org(carla, "Estudio Mar")
    add_member(owner_conn, shop, ben.user_id, "member")
    add_member(owner_conn, shop, dan.user_id, "member")
    await vote(ana, module_id, shop)
    await vote(ben, module_id, shop)
    await vote(carla, module_id, studio)
    yield {"module": module_id, "ana": ana, "ben": ben, "carla": carla, "dan": dan, "app": app}
    for person in (ana, ben, carla, dan):
        await person.client.aclose()


def consumer(name: str, *, app_engine, redis_client, stream):
    handlers = dict(subscription().handlers)
    return make_consumer(
        f"{name}-{uuid.uuid4().hex[:6]}",
        handlers,
        engine=app_engine,
        redis=redis_client,
        stream=stream,
    )


async def republish(system_engine, redis_client, stream, event_id):
    """Put the same event on the stream again, as a relay that crashed before its cursor moved."""
    async with system_engine.connect() as conn:
        row = (
            await conn.execute(system_events.select().where(system_events.c.id == event_id))
        ).one()
    await redis_client.xadd(stream, stream_fields(event_from_row(row), org_seq=row.org_seq))


async def test_each_voter_gets_one_notification_and_nobody_else(
    people, owner_conn, servers, app_engine, redis_client, relay, stream
):
    notifications = consumer(
        "notifications", app_engine=app_engine, redis_client=redis_client, stream=stream
    )

    event_id = await set_module_status(servers.owner_url, people["module"], "in_development")
    await drain(relay, [notifications])

    link = f"/modules/{people['module']}"
    for name in ("ana", "ben", "carla"):
        assert notifications_of(owner_conn, people[name].user_id) == [
            ("product_updates", "module_in_development", link, event_id, True, "pending", None)
        ]
    assert notifications_of(owner_conn, people["dan"].user_id) == []


@pytest.mark.parametrize(
    "moves", [("planned",), ("planned", "coming_soon"), ("active",)], ids="-".join
)
async def test_moves_to_other_statuses_notify_nobody(
    people, moves, owner_conn, servers, app_engine, redis_client, relay, stream
):
    notifications = consumer(
        "notifications", app_engine=app_engine, redis_client=redis_client, stream=stream
    )

    for status in moves:
        await set_module_status(servers.owner_url, people["module"], status)
    await drain(relay, [notifications])

    for name in ("ana", "ben", "carla", "dan"):
        assert notifications_of(owner_conn, people[name].user_id) == []


async def test_the_same_event_delivered_twice_makes_one_notification_and_one_mail(
    people, owner_conn, servers, app_engine, system_engine, redis_client, relay, stream
):
    first = consumer(
        "notifications", app_engine=app_engine, redis_client=redis_client, stream=stream
    )
    event_id = await set_module_status(servers.owner_url, people["module"], "beta")
    await drain(relay, [first])
    await send_pending_emails(engine=system_engine, mailer=DevMailbox(), base_url=BASE_URL)

    # Delivered again to the same consumer (its receipt answers), and to a consumer group with
    # no receipt at all, as after a receipts table restored from an older backup: the
    # notifications' own unique key must still refuse a second row.
    await republish(system_engine, redis_client, stream, event_id)
    again = consumer(
        "notifications-again", app_engine=app_engine, redis_client=redis_client, stream=stream
    )
    await drain(relay, [first, again])
    await send_pending_emails(engine=system_engine, mailer=DevMailbox(), base_url=BASE_URL)

    for name in ("ana", "ben", "carla"):
        person = people[name]
        rows = notifications_of(owner_conn, person.user_id)
        assert [(row.message_key, row.source_event_id) for row in rows] == [
            ("module_in_beta", event_id)
        ]
        assert len(news_mails_to(owner_conn, person.email)) == 1


async def test_mail_goes_once_to_each_voter_who_wants_it_in_their_language(
    people, owner_conn, servers, app_engine, system_engine, redis_client, relay, stream
):
    ana, ben, carla = people["ana"], people["ben"], people["carla"]
    set_language(owner_conn, ben.user_id, "es")
    choose(owner_conn, carla.user_id, "product_updates", email=False, in_app=True)
    notifications = consumer(
        "notifications", app_engine=app_engine, redis_client=redis_client, stream=stream
    )
    await set_module_status(servers.owner_url, people["module"], "in_development")
    await drain(relay, [notifications])

    first = await send_pending_emails(engine=system_engine, mailer=DevMailbox(), base_url=BASE_URL)
    second = await send_pending_emails(engine=system_engine, mailer=DevMailbox(), base_url=BASE_URL)

    assert first.sent >= 2  # others' pending mail may leave in the same run
    assert second.sent == 0
    link = f"{BASE_URL}/modules/{people['module']}"
    [(subject, body)] = news_mails_to(owner_conn, ana.email)
    assert subject == "Test module is now in development"
    assert "You voted for Test module." in body
    assert link in body
    [(subject, body)] = news_mails_to(owner_conn, ben.email)
    assert subject == "Módulo de prueba ya está en desarrollo"
    assert "Votaste por Módulo de prueba." in body
    assert link in body
    assert news_mails_to(owner_conn, carla.email) == []
    # Carla turned email off, not the bell.
    assert [row.email_state for row in notifications_of(owner_conn, carla.user_id)] == ["none"]
    assert [row.email_state for row in notifications_of(owner_conn, ana.user_id)] == ["sent"]


async def test_no_bell_item_for_a_voter_who_wants_only_email(
    people, owner_conn, servers, app_engine, system_engine, redis_client, relay, stream
):
    ana = people["ana"]
    choose(owner_conn, ana.user_id, "product_updates", email=True, in_app=False)
    notifications = consumer(
        "notifications", app_engine=app_engine, redis_client=redis_client, stream=stream
    )
    await set_module_status(servers.owner_url, people["module"], "beta")
    await drain(relay, [notifications])
    await send_pending_emails(engine=system_engine, mailer=DevMailbox(), base_url=BASE_URL)

    page = await ana.client.get("/api/v1/notifications")
    assert page.status_code == 200, page.text
    assert (page.json()["total"], page.json()["unread"]) == (0, 0)
    assert [subject for subject, _ in news_mails_to(owner_conn, ana.email)] == [
        "Test module is now in beta"
    ]


class RefusingMailer:
    def __init__(self) -> None:
        self.tries = 0

    async def send(self, mail: Mail, *, tx) -> None:
        self.tries += 1
        raise OSError("connection refused")


async def test_a_refused_mail_is_tried_again_later_and_sent_once(
    people, owner_conn, servers, app_engine, system_engine, redis_client, relay, stream
):
    ana = people["ana"]
    # Earlier tests' mail leaves first, so what is counted below is this test's alone.
    await send_pending_emails(engine=system_engine, mailer=DevMailbox(), base_url=BASE_URL)
    notifications = consumer(
        "notifications", app_engine=app_engine, redis_client=redis_client, stream=stream
    )
    await set_module_status(servers.owner_url, people["module"], "in_development")
    await drain(relay, [notifications])
    refusing = RefusingMailer()

    run = await send_pending_emails(engine=system_engine, mailer=refusing, base_url=BASE_URL)
    # The backoff holds it back from an immediate rerun...
    rerun = await send_pending_emails(engine=system_engine, mailer=refusing, base_url=BASE_URL)

    assert (run.retrying, rerun.retrying, refusing.tries) == (3, 0, 3)
    assert news_mails_to(owner_conn, ana.email) == []
    # ...until it is due (moved here rather than waited for).
    with as_user(owner_conn, ana.user_id):
        owner_conn.execute(
            "update notifications set email_next_attempt_at = now() - interval '1 second'"
            " where user_id = %s",
            (ana.user_id,),
        )
    later = await send_pending_emails(engine=system_engine, mailer=DevMailbox(), base_url=BASE_URL)

    assert later.sent == 1
    assert len(news_mails_to(owner_conn, ana.email)) == 1
    [row] = notifications_of(owner_conn, ana.user_id)
    assert (row.email_state, row.read_at) == ("sent", None)
