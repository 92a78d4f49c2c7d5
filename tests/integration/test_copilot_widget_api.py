"""The copilot widget's own endpoints: the panel side kept on the account, and the badge that
counts what waits at a scope since the widget was last opened there (cleared on open)."""

from __future__ import annotations

import pytest

from tests.support.identity import add_member, create_org, sign_up
from tests.support.pulse import seed_item
from xentri.shell.copilot_badge import seen_key

pytestmark = pytest.mark.integration

# Two goals without a target or a deadline: two pieces of advice pending for the owner.
DRAFT = {
    "identity": {"name": "Café Luna"},
    "goals": [{"statement": "More customers"}, {"statement": "Open a second shop"}],
}


async def approve_brief(person) -> None:
    await person.client.put("/api/v1/strategy/brief/draft", json=DRAFT, headers=person.headers())
    for action in ("ready", "approve"):
        response = await person.client.post(
            f"/api/v1/strategy/brief/flow/{action}", headers=person.headers()
        )
        assert response.status_code == 200, response.text


async def test_the_panel_side_is_kept_on_the_account(app_owner, client_for):
    app, person, _org = app_owner

    before = await person.client.get("/api/v1/users/me/copilot-widget", headers=person.headers())
    put = await person.client.put(
        "/api/v1/users/me/copilot-widget", json={"panel_side": "bottom"}, headers=person.headers()
    )
    after = await person.client.get("/api/v1/users/me/copilot-widget", headers=person.headers())
    async with client_for(app) as other_client:
        someone_else = await sign_up(other_client, name="Bea")
        theirs = await someone_else.client.get(
            "/api/v1/users/me/copilot-widget", headers=someone_else.headers()
        )

    assert before.json() == {"panel_side": "right"}
    assert put.status_code == 200
    assert after.json() == {"panel_side": "bottom"}
    assert theirs.json() == {"panel_side": "right"}


async def test_a_side_that_is_not_right_or_bottom_is_a_422_and_changes_nothing(app_owner):
    _app, person, _org = app_owner
    await person.client.put(
        "/api/v1/users/me/copilot-widget", json={"panel_side": "bottom"}, headers=person.headers()
    )

    refused = await person.client.put(
        "/api/v1/users/me/copilot-widget", json={"panel_side": "left"}, headers=person.headers()
    )
    kept = await person.client.get("/api/v1/users/me/copilot-widget", headers=person.headers())

    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert "panel_side" in refused.text
    assert kept.json() == {"panel_side": "bottom"}


async def test_without_the_csrf_header_the_side_is_not_changed(app_owner):
    _app, person, _org = app_owner

    refused = await person.client.put(
        "/api/v1/users/me/copilot-widget", json={"panel_side": "bottom"}
    )
    kept = await person.client.get("/api/v1/users/me/copilot-widget", headers=person.headers())

    assert refused.status_code == 403
    assert kept.json() == {"panel_side": "right"}


async def test_the_badge_counts_pending_advice_until_the_widget_is_opened(app_owner):
    app, person, org = app_owner
    await app.state.redis.delete(seen_key(org, person.user_id, "strategy"))

    empty = await person.client.get("/api/v1/copilot/strategy/badge", headers=person.headers())
    await approve_brief(person)
    pending = await person.client.get("/api/v1/copilot/strategy/badge", headers=person.headers())
    finance = await person.client.get(
        "/api/v1/copilot/category.finance/badge", headers=person.headers()
    )
    opened = await person.client.post(
        "/api/v1/copilot/strategy/badge/seen", headers=person.headers()
    )
    cleared = await person.client.get("/api/v1/copilot/strategy/badge", headers=person.headers())

    assert empty.json() == {"scope": "strategy", "count": 0}
    assert pending.json() == {"scope": "strategy", "count": 2}
    assert finance.json() == {"scope": "category.finance", "count": 0}
    assert opened.status_code == 204
    assert cleared.json() == {"scope": "strategy", "count": 0}


async def test_opening_the_widget_clears_the_badge_for_that_person_only(
    app_owner, client_for, owner_conn
):
    app, person, org = app_owner
    await approve_brief(person)
    async with client_for(app) as other_client:
        colleague = await sign_up(other_client, name="Bea")
        add_member(owner_conn, org, colleague.user_id, "member")
        await person.client.post("/api/v1/copilot/strategy/badge/seen", headers=person.headers())
        mine = await person.client.get("/api/v1/copilot/strategy/badge", headers=person.headers())
        theirs = await colleague.client.get(
            "/api/v1/copilot/strategy/badge",
            headers=colleague.headers(**{"x-org-id": str(org)}),
        )

    assert mine.json()["count"] == 0
    assert theirs.json()["count"] == 2


async def test_the_badge_of_another_org_or_an_unknown_scope_is_refused(app_owner, client_for):
    app, _person, org = app_owner
    async with client_for(app) as other_client:
        stranger = await sign_up(other_client, name="Eve")
        await create_org(stranger)
        theirs = await stranger.client.get(
            "/api/v1/copilot/strategy/badge", headers=stranger.headers(**{"x-org-id": str(org)})
        )
        cleared = await stranger.client.post(
            "/api/v1/copilot/strategy/badge/seen",
            headers=stranger.headers(**{"x-org-id": str(org)}),
        )
        unknown = await stranger.client.get(
            "/api/v1/copilot/category.astrology/badge", headers=stranger.headers()
        )

    assert theirs.status_code == 404
    assert cleared.status_code == 404
    assert unknown.status_code == 404
    assert unknown.json()["type"].endswith("unknown-scope")


async def test_the_badge_counts_new_pulse_items_at_its_scope_until_opened(app_owner):
    app, person, org = app_owner
    engine = app.state.engine
    await seed_item(engine, org, scope="category.finance", title="Invoice 12 is overdue")
    await seed_item(engine, org, scope="category.sales", title="A new lead")

    finance = await person.client.get(
        "/api/v1/copilot/category.finance/badge", headers=person.headers()
    )
    await person.client.post(
        "/api/v1/copilot/category.finance/badge/seen", headers=person.headers()
    )
    opened = await person.client.get(
        "/api/v1/copilot/category.finance/badge", headers=person.headers()
    )
    await seed_item(engine, org, scope="category.finance", title="Invoice 13 is overdue")
    later = await person.client.get(
        "/api/v1/copilot/category.finance/badge", headers=person.headers()
    )

    assert finance.json()["count"] == 1
    assert opened.json()["count"] == 0
    assert later.json()["count"] == 1
