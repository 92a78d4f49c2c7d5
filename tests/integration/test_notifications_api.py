"""The bell's API and pages: a person's notifications a page at a time, newest first, read on
open and all at once; nobody reads or marks another person's (row-level security, not only the
query's filter)."""

from __future__ import annotations

import uuid

import pytest
from psycopg.errors import InsufficientPrivilege
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from tests.support.catalog import fresh_module, synced
from tests.support.identity import create_org, sign_up
from tests.support.notifications import notifications_of, set_language, vote
from tests.support.shell import csrf_of
from xentri.contracts.events import SYSTEM_ORG_ID
from xentri.kernel.db.tenant import tenant_transaction, user_transaction
from xentri.notifications import list_notifications
from xentri.notifications.module_news import notify_module_voters

pytestmark = pytest.mark.integration


async def news(app_engine, module_id: str, status: str) -> None:
    """What the notifications consumer does with a status change (the spine tests prove that)."""
    async with tenant_transaction(app_engine, SYSTEM_ORG_ID) as tx:
        await notify_module_voters(
            tx=tx, event_id=uuid.uuid4(), module_id=module_id, new_status=status
        )


@pytest.fixture
async def ana(make_app, client_for, owner_conn, servers, app_engine):
    """Ana voted for two modules; the first went into development, then beta; the second into
    development: three notifications, newest last."""
    await synced(servers.owner_url)
    app = make_app()
    person = await sign_up(client_for(app), name="Ana")
    org = await create_org(person, "Panadería Sol")
    first = fresh_module(owner_conn, status="coming_soon")
    second = fresh_module(owner_conn, status="planned")
    await vote(person, first, org)
    await vote(person, second, org)
    await news(app_engine, first, "in_development")
    await news(app_engine, first, "beta")
    await news(app_engine, second, "in_development")
    person.modules = (first, second)  # type: ignore[attr-defined]
    person.app = app  # type: ignore[attr-defined]
    yield person
    await person.client.aclose()


async def test_a_page_of_my_notifications_newest_first(ana):
    first, second = ana.modules

    response = await ana.client.get("/api/v1/notifications", params={"per_page": 2})

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["total"], body["unread"], body["page"], body["per_page"]) == (3, 3, 1, 2)
    assert [(item["title"], item["link"], item["read"]) for item in body["items"]] == [
        ("Test module is now in development", f"/modules/{second}", False),
        ("Test module is now in beta", f"/modules/{first}", False),
    ]
    assert body["items"][0]["body"].startswith("You voted for Test module.")
    last = (await ana.client.get("/api/v1/notifications?per_page=2&page=2")).json()
    assert [item["link"] for item in last["items"]] == [f"/modules/{first}"]
    assert last["items"][0]["title"] == "Test module is now in development"


async def test_they_are_written_in_my_language_of_the_moment(ana, owner_conn):
    set_language(owner_conn, ana.user_id, "es")

    body = (await ana.client.get("/api/v1/notifications")).json()

    assert [item["title"] for item in body["items"]] == [
        "Módulo de prueba ya está en desarrollo",
        "Módulo de prueba ya está en beta",
        "Módulo de prueba ya está en desarrollo",
    ]


async def test_read_one_then_all(ana):
    newest = (await ana.client.get("/api/v1/notifications")).json()["items"][0]

    read = await ana.client.post(
        f"/api/v1/notifications/{newest['id']}/read", headers=ana.headers()
    )
    again = await ana.client.post(
        f"/api/v1/notifications/{newest['id']}/read", headers=ana.headers()
    )

    assert read.status_code == 200, read.text
    assert read.json()["read"] is True
    assert again.json()["read_at"] == read.json()["read_at"]  # the first time it was read
    assert (await ana.client.get("/api/v1/notifications")).json()["unread"] == 2
    marked = await ana.client.post("/api/v1/notifications/read-all", headers=ana.headers())
    assert marked.status_code == 200, marked.text
    assert marked.json() == {"marked": 2, "unread": 0}
    page = (await ana.client.get("/api/v1/notifications")).json()
    assert (page["unread"], [item["read"] for item in page["items"]]) == (0, [True] * 3)


async def test_refusals_are_problems(ana, client_for):
    unknown = await ana.client.post(
        f"/api/v1/notifications/{uuid.uuid4()}/read", headers=ana.headers()
    )
    bad_page = await ana.client.get("/api/v1/notifications?page=0")
    no_csrf = await ana.client.post("/api/v1/notifications/read-all")
    stranger = await client_for(ana.app).get("/api/v1/notifications")

    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("application/problem+json")
    assert unknown.json()["title"] == "Notification not found"
    assert bad_page.status_code == 422
    assert bad_page.headers["content-type"].startswith("application/problem+json")
    assert "page" in bad_page.text
    assert no_csrf.status_code == 403
    assert stranger.status_code == 401
    # Nothing was marked by the refused calls.
    assert (await ana.client.get("/api/v1/notifications")).json()["unread"] == 3


async def test_nobody_reads_or_marks_another_persons_notifications(
    ana, make_app, client_for, app_engine, owner_conn
):
    ben = await sign_up(client_for(ana.app), name="Ben")
    anas = (await ana.client.get("/api/v1/notifications")).json()["items"]

    # Through the API: Ben's list is empty and Ana's ids are "not found" to him.
    assert (await ben.client.get("/api/v1/notifications")).json()["total"] == 0
    refused = await ben.client.post(
        f"/api/v1/notifications/{anas[0]['id']}/read", headers=ben.headers()
    )
    assert refused.status_code == 404
    # Through the database itself, without the service's own user filter.
    async with user_transaction(app_engine, ben.user_id) as tx:
        seen = (await tx.execute(text("select count(*) from notifications"))).scalar_one()
        marked = await tx.execute(text("update notifications set read_at = now()"))
        page = await list_notifications(tx=tx, user_id=ana.user_id, language="en")
    assert (seen, marked.rowcount, page.total) == (0, 0, 0)
    # No person at all: nothing shows.
    async with tenant_transaction(app_engine, SYSTEM_ORG_ID) as tx:
        assert (await tx.execute(text("select count(*) from notifications"))).scalar_one() == 0
    # And Ana's are untouched.
    assert [row.read_at for row in notifications_of(owner_conn, ana.user_id)] == [None] * 3
    await ben.client.aclose()


async def test_the_app_role_cannot_write_notifications_itself(ana, app_engine):
    async with user_transaction(app_engine, ana.user_id) as tx:
        with pytest.raises(ProgrammingError) as refused:
            await tx.execute(
                text(
                    "insert into notifications (id, user_id, kind, message_key, params, link,"
                    " source_event_id, in_app) values (gen_random_uuid(), :user, 'security',"
                    " 'x', '{}', '/x', gen_random_uuid(), true)"
                ),
                {"user": ana.user_id},
            )
    assert isinstance(refused.value.orig, InsufficientPrivilege)


async def test_the_bell_counts_and_the_page_lists_marks_and_opens(ana, owner_conn):
    _first, second = ana.modules

    dashboard = await ana.client.get("/settings/profile")
    page = await ana.client.get("/notifications")

    assert 'aria-label="Notifications: 3 unread"' in dashboard.text
    assert 'data-unread-count aria-hidden="true">3<' in dashboard.text
    assert page.status_code == 200
    assert page.text.count("notification--unread") == 3
    ids = page.text.split('data-notification="')[1:]
    newest = ids[0].split('"', 1)[0]
    opened = await ana.client.get(f"/notifications/{newest}/open")
    assert opened.status_code == 303
    assert opened.headers["location"] == f"/modules/{second}"
    after = await ana.client.get("/notifications")
    assert after.text.count("notification--unread") == 2
    assert 'aria-label="Notifications: 2 unread"' in after.text
    read_all = await ana.client.post(
        "/notifications/read-all", data={"csrf_token": csrf_of(after.text)}
    )
    assert read_all.status_code == 303
    final = await ana.client.get("/notifications")
    assert "notification--unread" not in final.text
    assert "data-unread-count" not in final.text
    assert [row.read_at is not None for row in notifications_of(owner_conn, ana.user_id)] == [
        True
    ] * 3


async def test_opening_someone_elses_notification_is_not_found(ana, client_for):
    ben = await sign_up(client_for(ana.app), name="Ben")
    anas = (await ana.client.get("/api/v1/notifications")).json()["items"]

    response = await ben.client.get(f"/notifications/{anas[0]['id']}/open")

    assert response.status_code == 404
    assert (await ana.client.get("/api/v1/notifications")).json()["unread"] == 3
    await ben.client.aclose()


async def test_the_api_is_in_the_published_openapi(make_app, client_for):
    async with client_for(make_app()) as client:
        spec = (await client.get("/api/v1/openapi.json")).json()

    assert {"get"} <= set(spec["paths"]["/api/v1/notifications"])
    assert {"post"} <= set(spec["paths"]["/api/v1/notifications/read-all"])
    assert {"post"} <= set(spec["paths"]["/api/v1/notifications/{notification_id}/read"])
