"""Modules in the shell: status badges, the module dialog (and its page), votes through the
shell's forms, and the /roadmap page with its category filter."""

from __future__ import annotations

import re

import pytest

from tests.support.catalog import fresh_module, synced
from tests.support.db import as_org
from tests.support.shell import csrf_of, finish_wizard, sign_up_in_browser

pytestmark = pytest.mark.integration

DIALOG = {"hx-request": "true", "hx-target": "module-dialog-slot"}


@pytest.fixture
async def app(make_app, servers):
    await synced(servers.owner_url)
    return make_app()


@pytest.fixture
async def member(app, client_for):
    """A signed-up owner with an org (votes count for the org they act in)."""
    async with client_for(app) as client:
        client.email = await sign_up_in_browser(client)
        await finish_wizard(client, org="Taller Ruiz")
        yield client


def votes_for(owner_conn, member, module_id: str) -> list[str | None]:
    """The use cases of the votes stored for the module in the member's org."""
    org_id = owner_conn.execute(
        "select s.active_org_id from sessions s join users u on u.id = s.user_id"
        " where u.email = %s and s.active_org_id is not null",
        (member.email,),
    ).fetchone()[0]
    with as_org(owner_conn, org_id):
        rows = owner_conn.execute(
            "select use_case from module_votes where module_id = %s", (module_id,)
        ).fetchall()
    return [row[0] for row in rows]


def count_on(page: str, module_id: str) -> str:
    """The vote count a page shows for one module (the roadmap lists many)."""
    item = re.search(rf'data-module="{re.escape(module_id)}".*?</li>', page, re.S)
    assert item, f"{module_id} is not listed"
    return re.search(r"data-vote-count>([^<]+)<", item.group(0)).group(1)


async def test_category_pages_badge_each_module_by_status_and_link_its_dialog(member):
    page = await member.get("/c/brand")

    assert page.status_code == 200
    # brand.seo is coming soon, others planned (modules.yaml).
    seo = re.search(r'data-module="brand.seo".*?</li>', page.text, re.S).group(0)
    assert 'class="badge badge--blue" data-status="coming_soon">Coming soon<' in seo
    assert 'hx-get="/modules/brand.seo"' in seo
    assert 'href="/modules/brand.seo"' in seo  # the page without scripts
    assert 'class="badge badge--gray" data-status="planned">On our radar<' in page.text
    assert 'id="module-dialog-slot"' in page.text
    strategy = await member.get("/c/strategy")
    assert 'badge--yellow" data-status="beta">Beta — Try it now<' in strategy.text


async def test_a_status_changed_by_an_admin_shows_on_the_badge(member, owner_conn):
    owner_conn.execute("update modules set status = 'beta' where id = 'legal.privacy_policy'")
    try:
        page = await member.get("/c/legal")
    finally:
        owner_conn.execute(
            "update modules set status = 'planned' where id = 'legal.privacy_policy'"
        )

    item = re.search(r'data-module="legal.privacy_policy".*?</li>', page.text, re.S).group(0)
    assert 'badge--yellow" data-status="beta">Beta — Try it now<' in item


async def test_a_module_that_works_today_opens_where_it_is_used(member, owner_conn):
    invoicing = await member.get("/modules/finance.invoicing", headers=DIALOG)
    spanish = await member.get(
        "/modules/strategy.universal_brief", headers={**DIALOG, "accept-language": "es"}
    )
    planned = await member.get("/modules/brand.seo", headers=DIALOG)

    assert 'data-status="beta">Beta — Try it now<' in invoicing.text
    assert '<a class="btn btn--primary" href="/c/finance/invoices">Open Invoicing</a>' in (
        invoicing.text
    )
    assert 'href="/c/strategy/brief">' in spanish.text
    assert 'btn--primary" href=' not in planned.text  # nothing to open: it is voted for
    assert 'hx-post="/modules/brand.seo/vote"' in planned.text


async def test_the_module_dialog_is_a_fragment_and_the_same_address_a_full_page(member, owner_conn):
    module_id = fresh_module(owner_conn, status="coming_soon")

    dialog = await member.get(f"/modules/{module_id}", headers=DIALOG)
    page = await member.get(f"/modules/{module_id}")

    assert dialog.status_code == 200
    assert dialog.headers["cache-control"] == "no-store"
    assert "<html" not in dialog.text
    assert '<dialog class="modal" id="module-dialog" aria-labelledby="module-dialog-title"' in (
        dialog.text
    )
    assert 'id="module-dialog-title">Test module</h2>' in dialog.text
    assert "For a test." in dialog.text
    assert "Coming soon" in dialog.text
    assert "Votes: 0" in dialog.text
    assert f'hx-post="/modules/{module_id}/vote"' in dialog.text
    assert 'maxlength="500"' in dialog.text
    assert "What would you use this for?" in dialog.text
    assert page.status_code == 200
    assert "<html" in page.text
    assert 'id="sidebar"' in page.text
    assert f'action="/modules/{module_id}/vote"' in page.text
    assert "hx-post" not in page.text  # a plain form: works without scripts


async def test_voting_and_withdrawing_through_the_form_changes_the_count(member, owner_conn):
    module_id = fresh_module(owner_conn, status="planned")
    page = await member.get(f"/modules/{module_id}")
    csrf = csrf_of(page.text)

    voted = await member.post(
        f"/modules/{module_id}/vote",
        data={"csrf_token": csrf, "use_case": "  Booking repairs  ", "next": "/roadmap"},
    )

    assert voted.status_code == 303
    assert voted.headers["location"] == f"/modules/{module_id}?next=%2Froadmap"
    assert votes_for(owner_conn, member, module_id) == ["Booking repairs"]
    after = await member.get(voted.headers["location"])
    assert "Thanks! Your vote is counted." in after.text
    assert "Votes: 1" in after.text
    assert "Booking repairs" in after.text
    assert f'action="/modules/{module_id}/unvote"' in after.text
    assert 'href="/roadmap">Back' in after.text
    roadmap = await member.get("/roadmap")
    assert count_on(roadmap.text, module_id) == "Votes: 1"
    assert "You voted" in re.search(
        rf'data-module="{module_id}".*?</li>', roadmap.text, re.S
    ).group(0)

    again = await member.post(
        f"/modules/{module_id}/vote", data={"csrf_token": csrf, "use_case": ""}
    )
    assert again.status_code == 303
    assert len(votes_for(owner_conn, member, module_id)) == 1  # one vote per person

    withdrawn = await member.post(
        f"/modules/{module_id}/unvote", data={"csrf_token": csrf, "next": "/roadmap"}
    )

    assert withdrawn.status_code == 303
    assert votes_for(owner_conn, member, module_id) == []
    roadmap = await member.get("/roadmap")
    assert count_on(roadmap.text, module_id) == "Votes: 0"


async def test_voting_from_the_dialog_answers_with_the_dialog_and_tells_the_roadmap(
    member, owner_conn
):
    module_id = fresh_module(owner_conn, status="coming_soon")
    csrf = csrf_of((await member.get(f"/modules/{module_id}", headers=DIALOG)).text)

    voted = await member.post(
        f"/modules/{module_id}/vote",
        data={"csrf_token": csrf, "use_case": "Our regulars"},
        headers=DIALOG,
    )

    assert voted.status_code == 200
    assert voted.headers["hx-trigger"] == "module-voted"
    assert '<dialog class="modal" id="module-dialog"' in voted.text
    assert "Votes: 1" in voted.text
    assert "Thanks! Your vote is counted." in voted.text
    assert f'hx-post="/modules/{module_id}/unvote"' in voted.text

    withdrawn = await member.post(
        f"/modules/{module_id}/unvote", data={"csrf_token": csrf}, headers=DIALOG
    )
    assert withdrawn.status_code == 200
    assert "Votes: 0" in withdrawn.text
    assert "Your vote is withdrawn." in withdrawn.text


async def test_a_use_case_over_500_characters_is_refused_in_the_visitors_language(
    member, owner_conn
):
    module_id = fresh_module(owner_conn, status="planned")
    csrf = csrf_of((await member.get(f"/modules/{module_id}")).text)
    too_long = "x" * 501

    english = await member.post(
        f"/modules/{module_id}/vote", data={"csrf_token": csrf, "use_case": too_long}
    )
    await member.post("/language", data={"csrf_token": csrf, "language": "es", "next": "/"})
    spanish = await member.post(
        f"/modules/{module_id}/vote",
        data={"csrf_token": csrf, "use_case": too_long},
        headers=DIALOG,
    )

    assert english.status_code == 422
    assert 'id="f-use_case-error">Use at most 500 characters.</p>' in english.text
    assert 'aria-invalid="true"' in english.text
    assert too_long in english.text  # what they wrote is kept to shorten
    assert spanish.status_code == 422
    assert 'id="f-use_case-error">Usa como máximo 500 caracteres.</p>' in spanish.text
    assert "¿Para qué lo usarías?" in spanish.text
    assert votes_for(owner_conn, member, module_id) == []


async def test_a_vote_without_the_forms_token_is_refused(member, owner_conn):
    module_id = fresh_module(owner_conn, status="planned")

    response = await member.post(f"/modules/{module_id}/vote", data={"use_case": "x"})

    assert response.status_code == 403
    assert votes_for(owner_conn, member, module_id) == []


async def test_an_unknown_module_is_not_found_and_signed_out_visitors_sign_in(
    member, app, client_for
):
    missing = await member.get("/modules/finance.teleportation", headers=DIALOG)
    async with client_for(app) as stranger:
        signed_out = await stranger.get("/roadmap?category=legal")

    assert missing.status_code == 404
    assert signed_out.status_code == 303
    assert signed_out.headers["location"] == "/login?next=%2Froadmap%3Fcategory%3Dlegal"


async def test_the_roadmap_groups_every_module_by_status_and_filters_by_category(member):
    everything = await member.get("/roadmap")
    legal = await member.get("/roadmap?category=legal", headers={"hx-request": "true"})
    unknown = await member.get("/roadmap?category=astrology")

    assert everything.status_code == 200
    headings = re.findall(r'id="status-([a-z_]+)-title"', everything.text)
    assert headings == ["planned", "coming_soon", "in_development", "beta", "active"]
    assert 'data-module="finance.invoicing"' in everything.text
    assert 'data-module="legal.privacy_policy"' in everything.text
    assert 'hx-get="/modules/finance.invoicing?next=/roadmap"' in everything.text
    assert 'aria-current="page"' in re.search(
        r'class="sidebar__link" href="/roadmap"[^>]*>', everything.text
    ).group(0)
    assert legal.status_code == 200
    assert legal.headers["cache-control"] == "no-store"  # refreshed after votes, never reused
    assert 'data-module="legal.privacy_policy"' in legal.text
    assert 'data-module="finance.invoicing"' not in legal.text
    assert '<option value="legal" selected>' in legal.text
    assert 'id="roadmap-results"' in legal.text
    assert 'data-module="finance.invoicing"' in unknown.text  # an unknown filter shows all


async def test_the_roadmap_in_spanish(member):
    csrf = csrf_of((await member.get("/roadmap")).text)
    await member.post("/language", data={"csrf_token": csrf, "language": "es", "next": "/"})

    page = await member.get("/roadmap?category=sales")

    assert "Hoja de ruta" in page.text
    assert "Todas las categorías" in page.text
    assert "En nuestro radar" in page.text
    assert "Votos: " in page.text
