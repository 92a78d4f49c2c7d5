"""The signed-in frame: dashboard, categories, organizations, language, assets, htmx answers."""

from __future__ import annotations

import re

import pytest

from tests.support.db import as_org
from tests.support.identity import add_member, create_org, sign_up
from tests.support.shell import csrf_of, finish_wizard, form_token, sign_up_in_browser

pytestmark = pytest.mark.integration

CATEGORIES = ("strategy", "finance", "brand", "sales", "operations", "team", "legal")


async def test_the_frame_links_every_category_and_the_header_tools(make_app, client_for):
    client = client_for(make_app())
    await sign_up_in_browser(client)

    page = await client.get("/notifications")

    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    for slug in CATEGORIES:
        assert f'href="/c/{slug}"' in page.text
    assert 'id="copilot"' in page.text
    assert 'href="/notifications"' in page.text
    assert 'href="/settings"' in page.text


async def test_without_an_org_after_the_wizard_the_dashboard_offers_to_create_one(
    make_app, client_for, owner_conn
):
    client = client_for(make_app())
    email = await sign_up_in_browser(client)
    # Someone who finished the wizard and later deleted (or left) their only org.
    owner_conn.execute(
        "insert into onboarding_progress (user_id, step, completed_at) "
        "select id, 'region', now() from users where email = %s",
        (email,),
    )

    dashboard = await client.get("/dashboard")

    assert dashboard.status_code == 200
    assert "Set up your organization" in dashboard.text
    assert 'href="/orgs/new"' in dashboard.text


async def test_creating_an_organization_twice_from_one_form_makes_one(
    make_app, client_for, owner_conn
):
    client = client_for(make_app())
    await sign_up_in_browser(client)
    page = await client.get("/orgs/new")
    form_id = re.search(r'name="form_id" value="([^"]+)"', page.text).group(1)
    data = {"csrf_token": csrf_of(page.text), "form_id": form_id, "name": "Café Quetzal"}

    first = await client.post("/orgs/new", data=data)
    second = await client.post("/orgs/new", data=data)

    assert first.status_code == second.status_code == 303
    with as_org(owner_conn, form_id):
        count = owner_conn.execute(
            "select count(*) from organizations where name = 'Café Quetzal'"
        ).fetchone()[0]
    assert count == 1
    dashboard = await client.get("/dashboard")
    assert "Café Quetzal" in dashboard.text
    # The dashboard is the landing Pulse: an owner's empty briefing says where to start.
    assert "Nothing in your briefing yet" in dashboard.text
    assert "/c/strategy/interview" in dashboard.text


async def test_an_organization_needs_a_name(make_app, client_for):
    client = client_for(make_app())
    await sign_up_in_browser(client)
    page = await client.get("/orgs/new")
    form_id = re.search(r'name="form_id" value="([^"]+)"', page.text).group(1)

    response = await client.post(
        "/orgs/new", data={"csrf_token": csrf_of(page.text), "form_id": form_id, "name": " "}
    )

    assert response.status_code == 422
    assert "Enter your organization&#39;s name." in response.text


async def test_the_org_switcher_lists_my_orgs_and_switches_the_active_one(
    make_app, client_for, owner_conn
):
    app = make_app()
    other = await sign_up(client_for(app), name="Olga")
    second_org = await create_org(other, "Ferretería Norte")
    client = client_for(app)
    await sign_up_in_browser(client, name="Ana")
    csrf = await form_token(client, "/orgs/new")
    page = await client.get("/orgs/new")
    form_id = re.search(r'name="form_id" value="([^"]+)"', page.text).group(1)
    await client.post("/orgs/new", data={"csrf_token": csrf, "form_id": form_id, "name": "Alfa"})
    me = owner_conn.execute(
        "select id from users where id = (select user_id from sessions order by created_at desc "
        "limit 1)"
    ).fetchone()[0]
    add_member(owner_conn, second_org, me, "member")

    dashboard = await client.get("/dashboard")
    assert f'action="/orgs/{second_org}/switch"' in dashboard.text
    switched = await client.post(
        f"/orgs/{second_org}/switch", data={"csrf_token": csrf, "next": "/c/sales"}
    )

    assert switched.status_code == 303
    assert switched.headers["location"] == "/c/sales"
    sales = await client.get("/c/sales")
    assert '<span class="org-switcher__name">Ferretería Norte</span>' in sales.text


async def test_switching_to_an_org_i_am_not_in_is_not_found(make_app, client_for):
    app = make_app()
    other = await sign_up(client_for(app), name="Olga")
    their_org = await create_org(other, "Privada")
    client = client_for(app)
    await sign_up_in_browser(client)
    csrf = await form_token(client, "/notifications")

    response = await client.post(f"/orgs/{their_org}/switch", data={"csrf_token": csrf})

    assert response.status_code == 404


async def test_switching_language_is_kept_on_the_account(make_app, client_for, owner_conn):
    app = make_app()
    client = client_for(app)
    email = await sign_up_in_browser(client)
    csrf = await form_token(client, "/notifications")

    response = await client.post(
        "/language", data={"csrf_token": csrf, "language": "es", "next": "/c/finance"}
    )

    assert response.status_code == 303
    assert response.headers["location"] == "/c/finance"
    page = await client.get("/c/finance", headers={"accept-language": "en"})
    assert '<html lang="es"' in page.text
    assert "Finanzas" in page.text
    assert "Idioma cambiado." in page.text
    stored = owner_conn.execute(
        "select preferred_language from users where email = %s", (email,)
    ).fetchone()[0]
    assert stored == "es"


async def test_signed_out_the_language_cookie_wins_over_the_browser(make_app, client_for):
    client = client_for(make_app())
    csrf = await form_token(client, "/login")

    await client.post("/language", data={"csrf_token": csrf, "language": "es", "next": "/login"})
    page = await client.get("/login", headers={"accept-language": "en-US"})
    unsupported = await client.post(
        "/language", data={"csrf_token": csrf, "language": "fr", "next": "/login"}
    )

    assert "Inicia sesión en Xentri" in page.text
    assert unsupported.status_code == 303
    assert "xentri_lang" not in unsupported.cookies


async def test_an_unknown_category_is_not_found(make_app, client_for):
    client = client_for(make_app())
    await sign_up_in_browser(client)

    assert (await client.get("/c/astrology")).status_code == 404


async def test_signed_out_pages_send_htmx_to_the_login_page(make_app, client_for):
    client = client_for(make_app())

    plain = await client.get("/c/brand")
    htmx = await client.get("/c/brand", headers={"hx-request": "true"})

    assert plain.status_code == 303
    assert plain.headers["location"] == "/login?next=%2Fc%2Fbrand"
    assert htmx.status_code == 204
    assert htmx.headers["hx-redirect"] == "/login?next=%2Fc%2Fbrand"


async def test_htmx_navigations_may_be_reused_briefly_by_this_browser_only(make_app, client_for):
    client = client_for(make_app())
    await sign_up_in_browser(client)
    await client.get("/notifications")  # shows (and so clears) the sign-up notice

    response = await client.get("/c/team", headers={"hx-request": "true"})

    assert response.status_code == 200
    assert response.headers["cache-control"] == "private, max-age=10"
    assert "HX-Request" in response.headers["vary"]


async def test_assets_have_content_hashed_urls_and_long_cache(make_app, client_for):
    client = client_for(make_app())
    page = await client.get("/login")
    urls = re.findall(r'(?:src|href)="(/assets/[0-9a-f]{12}/[^"]+)"', page.text)
    assert any(url.endswith("/vendor/htmx.min.js") for url in urls)
    assert any(url.endswith("/css/app.css") for url in urls)

    for url in urls:
        response = await client.get(url)
        assert response.status_code == 200, url
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    module = next(url for url in urls if url.endswith("/js/shell.js"))
    assert (await client.get(module)).headers["content-type"].startswith("text/javascript")
    stale = re.sub(r"/assets/[0-9a-f]{12}/", "/assets/000000000000/", module)
    assert (await client.get(stale)).status_code == 404
    # Only files registered at start-up are served, never an arbitrary path of the package.
    assert (await client.get(f"/assets/{module.split('/')[2]}/app.py")).status_code == 404


async def test_every_page_is_an_html_page_under_our_csp(make_app, client_for):
    client = client_for(make_app())

    response = await client.get("/signup")

    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "<script>" not in response.text
    assert " style=" not in response.text


async def test_a_category_page_lists_the_catalogues_modules_in_the_visitors_language(
    make_app, client_for
):
    client = client_for(make_app())
    await sign_up_in_browser(client)
    await client.get("/dashboard")

    english = await client.get("/c/strategy")
    csrf = csrf_of(english.text)
    await client.post("/language", data={"csrf_token": csrf, "language": "es", "next": "/"})
    spanish = await client.get("/c/strategy")

    assert "Business foundation" in english.text
    assert 'href="/c/strategy#strategy.foundation"' in english.text
    assert "Universal Brief" in english.text
    assert "Beta — Try it now" in english.text  # the Brief works today
    assert "Fundamentos del negocio" in spanish.text
    assert "Beta — Pruébalo ya" in spanish.text


async def test_a_browser_gets_a_not_found_page_in_its_language_and_programs_a_problem(
    make_app, client_for
):
    client = client_for(make_app())
    browser = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8", "accept-language": "es"}

    page = await client.get("/no-such-page", headers=browser)
    api = await client.get("/api/v1/no-such-thing", headers=browser)
    program = await client.get("/no-such-page")

    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "No encontramos esta página" in page.text
    assert api.status_code == program.status_code == 404
    assert api.headers["content-type"] == "application/problem+json"
    assert program.headers["content-type"] == "application/problem+json"


@pytest.fixture
async def synced_catalogue(servers):
    from xentri.catalog.sync import sync_database

    await sync_database(servers.owner_url, reset_statuses=True)
    yield
    await sync_database(servers.owner_url, reset_statuses=True)


async def test_a_category_page_shows_the_status_an_admin_set(
    make_app, client_for, owner_conn, synced_catalogue
):
    from xentri.contracts.events import SYSTEM_ORG_ID

    client = client_for(make_app())
    await sign_up_in_browser(client)
    await client.get("/dashboard")
    with as_org(owner_conn, SYSTEM_ORG_ID):
        owner_conn.execute(
            "update modules set status = 'beta', status_source = 'admin' "
            "where id = 'strategy.universal_brief'"
        )

    page = await client.get("/c/strategy")

    item = re.search(r"Universal Brief</a>\s*(<span[^>]*>[^<]*</span>)", page.text)
    assert item is not None
    assert 'class="badge badge--yellow" data-status="beta">Beta — Try it now<' in item.group(1)


async def test_the_sidebar_leads_to_each_categorys_pulse_and_keeps_it_open_there(
    make_app, client_for
):
    client = client_for(make_app())
    await sign_up_in_browser(client)
    await finish_wizard(client)

    category = await client.get("/c/sales")
    deeper = await client.get("/pulse/subcategory.finance.billing")
    elsewhere = await client.get("/c/legal")

    assert 'href="/pulse/category.sales"' in category.text
    assert 'href="/pulse/category.finance" aria-current="page"' in deeper.text
    assert 'href="/c/finance/invoices"' in deeper.text
    assert 'href="/pulse/category.sales"' not in elsewhere.text
