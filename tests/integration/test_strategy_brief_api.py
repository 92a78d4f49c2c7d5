"""The Brief API: the flow from draft to approved versions, events on approval, diff, 409s."""

from __future__ import annotations

import pytest

from tests.support.db import as_org
from tests.support.identity import add_member, create_org, sign_up

pytestmark = pytest.mark.integration

DRAFT = {
    "identity": {"name": "Café Luna", "locations": [{"city": "Oaxaca", "country": "MX"}]},
    "offerings": [{"name": "Latte", "price_minor": 4500, "currency": "MXN", "unit": "cup"}],
    "goals": [{"statement": "50 new customers", "target": "50", "deadline": "2027-06-30"}],
    "brand_voice": {"tone_words": ["cercano", "divertido"]},
}


@pytest.fixture
async def owner(make_app, client_for):
    app = make_app()
    async with client_for(app) as client:
        person = await sign_up(client)
        org = await create_org(person)
        yield app, person, org


async def act(person, action: str):
    return await person.client.post(
        f"/api/v1/strategy/brief/flow/{action}", headers=person.headers()
    )


def brief_events(owner_conn, org):
    with as_org(owner_conn, org):
        return owner_conn.execute(
            "select type, payload from system_events where type like 'xentri.brief.%' "
            "order by org_seq"
        ).fetchall()


async def test_draft_review_approve_then_revise_makes_versions_and_events(owner, owner_conn):
    _app, person, org = owner

    empty = await person.client.get("/api/v1/strategy/brief/flow", headers=person.headers())
    drafted = await person.client.put(
        "/api/v1/strategy/brief/draft", json=DRAFT, headers=person.headers()
    )
    review = await act(person, "ready")
    approved = await act(person, "approve")
    revising = await act(person, "revise")
    edited = {**DRAFT, "offerings": [{**DRAFT["offerings"][0], "price_minor": 5000}]}
    await person.client.put("/api/v1/strategy/brief/draft", json=edited, headers=person.headers())
    await act(person, "resubmit")
    await act(person, "approve")

    brief = await person.client.get("/api/v1/strategy/brief", headers=person.headers())
    versions = await person.client.get("/api/v1/strategy/brief/versions", headers=person.headers())
    changes = await person.client.get(
        "/api/v1/strategy/brief/diff?from=1&to=2", headers=person.headers()
    )

    assert (empty.json()["state"], empty.json()["allowed"]) == ("initiated", ["answer"])
    assert drafted.json()["state"] == "conversing"
    assert review.json()["state"] == "review_pending"
    assert approved.json()["state"] == "approved"
    assert revising.json()["state"] == "editing"
    assert revising.json()["draft"]["identity"]["name"] == "Café Luna"
    assert brief.json()["version"] == 2
    assert brief.json()["document"]["offerings"][0]["price_minor"] == 5000
    assert [(v["version"], v["changed_sections"]) for v in versions.json()] == [
        (2, ["offerings"]),
        (
            1,
            [
                "identity",
                "offerings",
                "audience",
                "goals",
                "brand_voice",
                "differentiators",
                "competitors",
                "constraints",
            ],
        ),
    ]
    assert changes.json()["changes"] == [
        {"path": "offerings[0].price_minor", "before": 4500, "after": 5000}
    ]
    events = brief_events(owner_conn, org)
    assert [event_type for event_type, _ in events] == [
        "xentri.brief.created.v1",
        "xentri.brief.updated.v1",
    ]
    assert events[1][1] == {"version": 2, "changed_sections": ["offerings"]}


async def test_illegal_moves_are_409_and_change_nothing(owner):
    _app, person, _org = owner
    await person.client.put("/api/v1/strategy/brief/draft", json=DRAFT, headers=person.headers())

    early = await act(person, "approve")
    flow = await person.client.get("/api/v1/strategy/brief/flow", headers=person.headers())
    internal = await act(person, "drafted")

    assert early.status_code == 409
    assert early.headers["content-type"] == "application/problem+json"
    assert early.json()["state"] == "conversing"
    assert early.json()["allowed"] == ["answer", "ready"]
    assert flow.json()["state"] == "conversing"
    assert internal.status_code == 422  # not an action an owner can ask for


async def test_approving_an_unchanged_revision_is_refused(owner):
    _app, person, _org = owner
    await person.client.put("/api/v1/strategy/brief/draft", json=DRAFT, headers=person.headers())
    await act(person, "ready")
    await act(person, "approve")
    await act(person, "revise")
    await act(person, "resubmit")

    again = await act(person, "approve")
    versions = await person.client.get("/api/v1/strategy/brief/versions", headers=person.headers())

    assert again.status_code == 409
    assert again.json()["type"].endswith("nothing-changed")
    assert len(versions.json()) == 1


async def test_a_member_reads_but_cannot_edit_the_brief(owner, client_for, owner_conn):
    app, person, org = owner
    await person.client.put("/api/v1/strategy/brief/draft", json=DRAFT, headers=person.headers())
    async with client_for(app) as other:
        member = await sign_up(other, name="Bea")
        add_member(owner_conn, org, member.user_id, "member")
        headers = member.headers(**{"x-org-id": str(org)})
        read = await member.client.get("/api/v1/strategy/brief/flow", headers=headers)
        write = await member.client.put(
            "/api/v1/strategy/brief/draft", json={"identity": {"name": "Hijacked"}}, headers=headers
        )

    flow = await person.client.get("/api/v1/strategy/brief/flow", headers=person.headers())
    assert read.status_code == 200
    assert write.status_code == 403
    assert flow.json()["draft"]["identity"]["name"] == "Café Luna"


async def test_bad_drafts_are_422_with_the_field(owner):
    _app, person, _org = owner

    negative = await person.client.put(
        "/api/v1/strategy/brief/draft",
        json={"offerings": [{"name": "Latte", "price_minor": -1}]},
        headers=person.headers(),
    )
    huge = await person.client.put(
        "/api/v1/strategy/brief/draft",
        json={"identity": {"story": "x" * 50_000}},
        headers=person.headers(),
    )
    unknown = await person.client.put(
        "/api/v1/strategy/brief/draft", json={"secret": 1}, headers=person.headers()
    )

    assert [r.status_code for r in (negative, huge, unknown)] == [422, 422, 422]
    assert "price_minor" in negative.text
    assert "story" in huge.text


async def test_no_brief_yet_is_a_404_problem(owner):
    _app, person, _org = owner

    response = await person.client.get("/api/v1/strategy/brief", headers=person.headers())

    assert response.status_code == 404
    assert response.json()["type"].endswith("brief-not-found")


async def answer(person, text: str, **headers: str):
    return await person.client.post(
        "/api/v1/strategy/interview/answers",
        json={"text": text},
        headers=person.headers(**headers),
    )


async def test_a_spanish_interview_fills_the_draft_and_is_kept_server_side(owner):
    _app, person, _org = owner
    es = {"accept-language": "es-MX"}

    opening = await person.client.get("/api/v1/strategy/interview", headers=person.headers(**es))
    first = await answer(person, "Soy Ana y tengo Café Luna en Oaxaca.", **es)
    second = await answer(person, "Vendemos lattes a 45 pesos y pan dulce a 20 pesos.", **es)
    # Reading it again (the browser was closed and reopened) shows the whole conversation.
    resumed = await person.client.get("/api/v1/strategy/interview", headers=person.headers(**es))

    assert opening.json()["messages"][0]["role"] == "copilot"
    assert opening.json()["question"].startswith("¿")
    assert first.json()["state"] == "conversing"
    draft = second.json()["draft"]
    assert draft["identity"]["name"] == "Café Luna"
    assert draft["identity"]["locations"][0]["city"] == "Oaxaca"
    assert {(o["name"], o["price_minor"], o["currency"]) for o in draft["offerings"]} >= {
        ("lattes", 4500, "MXN")
    }
    assert "Café Luna" in second.json()["understood"]
    assert [m["role"] for m in resumed.json()["messages"]] == [
        "copilot",
        "owner",
        "copilot",
        "owner",
        "copilot",
    ]
    assert resumed.json()["messages"][1]["content"] == "Soy Ana y tengo Café Luna en Oaxaca."


async def test_bad_answers_are_refused_or_kept_safely_and_earlier_ones_survive(owner):
    _app, person, _org = owner
    await answer(person, "We are Bluebird Plumbing in Austin, Texas.")

    empty = await answer(person, "   ")
    huge = await answer(person, "x" * 50_000)
    script = await answer(person, "<script>alert('hi')</script> we fix pipes")
    flow = await person.client.get("/api/v1/strategy/brief/flow", headers=person.headers())

    assert empty.status_code == 422
    assert huge.status_code == 422
    assert "text" in huge.text
    assert script.status_code == 200
    assert script.json()["messages"][-2]["content"] == "<script>alert('hi')</script> we fix pipes"
    assert flow.json()["draft"]["identity"]["name"] == "Bluebird Plumbing"


async def test_answering_after_the_draft_is_a_409(owner):
    _app, person, _org = owner
    await answer(person, "We are Bluebird Plumbing in Austin, Texas.")
    await act(person, "ready")

    late = await answer(person, "Also we sell water heaters.")

    assert late.status_code == 409
    assert late.json()["state"] == "review_pending"


async def test_recommendations_come_from_the_approved_brief(owner):
    _app, person, _org = owner
    before = await person.client.get("/api/v1/strategy/recommendations", headers=person.headers())
    await person.client.put("/api/v1/strategy/brief/draft", json=DRAFT, headers=person.headers())
    await act(person, "ready")
    await act(person, "approve")

    found = await person.client.get(
        "/api/v1/strategy/recommendations", headers=person.headers(**{"accept-language": "es"})
    )

    assert before.status_code == 404
    body = found.json()
    assert body["brief_version"] == 1
    assert body["modules"][0] == {
        "module_id": "finance.invoicing",
        "name": body["modules"][0]["name"],
        "status": body["modules"][0]["status"],
        "reason": "Vendes Latte: factúralo y cobra a tiempo.",
    }
    assert body["goals"] == []  # the one goal has a target and a date
