"""Settings: profile, organization (and its logo), Language & Region, notifications."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest

from tests.support.db import as_org
from tests.support.identity import add_member
from tests.support.shell import csrf_of, finish_wizard, form_token, sign_up_in_browser

pytestmark = pytest.mark.integration

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)


async def owner_with_org(client, *, org: str = "Café Quetzal", language: str = "en") -> str:
    email = await sign_up_in_browser(client, name="Ana")
    await finish_wizard(client, org=org, language=language)
    return email


def org_of(owner_conn, email: str):
    return owner_conn.execute(
        "select created_org_id from onboarding_progress p join users u on u.id = p.user_id "
        "where u.email = %s",
        (email,),
    ).fetchone()[0]


async def member_in(make_app, client_for, owner_conn, org_id, role: str = "member"):
    client = client_for(make_app())
    email = await sign_up_in_browser(client, name="Ben")
    user_id = owner_conn.execute("select id from users where email = %s", (email,)).fetchone()[0]
    add_member(owner_conn, org_id, user_id, role)
    return client


async def test_settings_opens_on_the_profile_with_its_section_nav(make_app, client_for):
    client = client_for(make_app())
    await owner_with_org(client)

    first = await client.get("/settings")
    page = await client.get("/settings/profile")

    assert first.headers["location"] == "/settings/profile"
    assert page.status_code == 200
    for section in (
        "profile",
        "organization",
        "region",
        "team",
        "integrations",
        "notifications",
        "danger",
    ):
        assert f'href="/settings/{section}"' in page.text
    assert 'href="/settings/profile" aria-current="page"' in page.text


async def test_profile_changes_are_saved_and_bad_ones_explained(make_app, client_for, owner_conn):
    client = client_for(make_app())
    email = await owner_with_org(client)
    token = await form_token(client, "/settings/profile")

    saved = await client.post(
        "/settings/profile",
        data={"csrf_token": token, "name": "Ana María", "phone": "+52 55 1234 5678"},
    )
    bad = await client.post(
        "/settings/profile", data={"csrf_token": token, "name": "", "phone": "not a phone"}
    )

    assert saved.status_code == 303
    assert bad.status_code == 422
    assert "Enter your name." in bad.text
    assert "Enter a phone number with digits" in bad.text
    assert 'value="not a phone"' in bad.text
    row = owner_conn.execute("select name, phone from users where email = %s", (email,)).fetchone()
    assert row == ("Ana María", "+52 55 1234 5678")


async def test_organization_settings_save_for_an_owner_and_refuse_a_member(
    make_app, client_for, owner_conn
):
    app = make_app()
    client = client_for(app)
    email = await owner_with_org(client)
    org_id = org_of(owner_conn, email)
    token = await form_token(client, "/settings/organization")
    member = await member_in(lambda: app, client_for, owner_conn, org_id)
    await member.get("/notifications")  # the member's session picks the org
    member_token = await form_token(member, "/settings/organization")

    saved = await client.post(
        "/settings/organization",
        data={
            "csrf_token": token,
            "name": "Café Quetzal SA",
            "industry": "retail",
            "size": "11-50",
        },
    )
    refused = await member.post(
        "/settings/organization",
        data={"csrf_token": member_token, "name": "Hijacked", "industry": "", "size": ""},
    )
    member_page = await member.get("/settings/organization")

    assert saved.status_code == 303
    assert refused.status_code == 403
    assert "Your role does not allow this." in refused.text
    assert 'action="/settings/organization"' not in member_page.text
    with as_org(owner_conn, org_id):
        row = owner_conn.execute("select name, industry, size from organizations").fetchone()
    assert row == ("Café Quetzal SA", "retail", "11-50")


async def test_a_logo_is_stored_served_to_members_only_and_removed(
    make_app, client_for, owner_conn
):
    app = make_app()
    client = client_for(app)
    email = await owner_with_org(client)
    org_id = org_of(owner_conn, email)
    token = await form_token(client, "/settings/organization")

    uploaded = await client.post(
        "/settings/organization/logo",
        data={"csrf_token": token},
        files={"logo": ("logo.gif", PNG, "image/gif")},  # the bytes decide, not the claim
    )
    served = await client.get(f"/orgs/{org_id}/logo")
    again = await client.get(
        f"/orgs/{org_id}/logo", headers={"if-none-match": served.headers["etag"]}
    )
    stranger = client_for(app)
    await sign_up_in_browser(stranger, name="Eve")
    hidden = await stranger.get(f"/orgs/{org_id}/logo")
    page = await client.get("/settings/organization")
    removed = await client.post("/settings/organization/logo/remove", data={"csrf_token": token})
    gone = await client.get(f"/orgs/{org_id}/logo")

    assert uploaded.status_code == 303
    assert served.status_code == 200
    assert served.content == PNG
    assert served.headers["content-type"] == "image/png"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["cache-control"] == "private, no-cache"
    assert "sandbox" in served.headers["content-security-policy"]
    assert again.status_code == 304
    assert hidden.status_code == 404
    assert f'src="/orgs/{org_id}/logo"' in page.text
    assert removed.status_code == 303
    assert gone.status_code == 404


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("logo.svg", SVG, "SVG files are not accepted."),
        ("logo.png", b"GIF89a" + b"\x00" * 20, "This file is not a PNG, JPEG or WebP image."),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (512 * 1024), "The file is too large."),
        ("logo.png", b"", "Choose an image file to upload."),
    ],
)
async def test_a_logo_that_is_not_a_plain_image_is_refused(
    make_app, client_for, owner_conn, name, data, message
):
    client = client_for(make_app())
    email = await owner_with_org(client)
    org_id = org_of(owner_conn, email)
    token = await form_token(client, "/settings/organization")

    response = await client.post(
        "/settings/organization/logo",
        data={"csrf_token": token},
        files={"logo": (name, data, "image/png")},
    )

    assert response.status_code == 422
    assert message in response.text
    assert (await client.get(f"/orgs/{org_id}/logo")).status_code == 404


async def test_a_logo_over_the_apps_body_limit_gets_the_page_back_with_a_field_error(
    make_app, client_for, owner_conn
):
    # The app's body limit is 1 MiB: a 3 MiB photo from a form without scripts used to get
    # the limit's bare JSON 413 instead of the settings page.
    client = client_for(make_app())
    email = await owner_with_org(client, language="es")
    org_id = org_of(owner_conn, email)
    token = await form_token(client, "/settings/organization")
    photo = b"\xff\xd8\xff\xe0" + b"\x00" * (3 * 1024 * 1024)

    response = await client.post(
        "/settings/organization/logo",
        data={"csrf_token": token},
        files={"logo": ("foto.jpg", photo, "image/jpeg")},
        headers={"accept": "text/html"},
    )

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert "El archivo es demasiado grande. Usa una imagen de 512 KB como máximo." in response.text
    assert 'aria-invalid="true"' in response.text
    # The organization form beside it still shows what is stored (a Save would keep it).
    assert re.search(r'value="food"\s+selected', response.text)
    assert re.search(r'value="2-10"\s+selected', response.text)
    assert (await client.get(f"/orgs/{org_id}/logo")).status_code == 404


async def test_the_body_limit_still_holds_for_the_api_and_for_a_huge_logo_form(
    make_app, client_for, owner_conn
):
    client = client_for(make_app())
    await owner_with_org(client)
    token = await form_token(client, "/settings/organization")

    api = await client.post(
        "/api/v1/auth/login",
        content=b'{"email": "' + b"a" * (2 * 1024 * 1024) + b'"}',
        headers={"content-type": "application/json"},
    )
    huge = await client.post(
        "/settings/organization/logo",
        data={"csrf_token": token},
        files={"logo": ("huge.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (33 * 1024 * 1024))},
    )

    assert api.status_code == 413
    assert api.headers["content-type"] == "application/problem+json"
    assert api.json()["limit"] == 1024 * 1024
    assert huge.status_code == 413
    assert huge.json()["limit"] == 32 * 1024 * 1024


async def test_a_member_cannot_upload_a_logo(make_app, client_for, owner_conn):
    app = make_app()
    owner = client_for(app)
    email = await owner_with_org(owner)
    org_id = org_of(owner_conn, email)
    member = await member_in(lambda: app, client_for, owner_conn, org_id)
    token = await form_token(member, "/settings/organization")

    response = await member.post(
        "/settings/organization/logo",
        data={"csrf_token": token},
        files={"logo": ("logo.png", PNG, "image/png")},
    )

    assert response.status_code == 403
    assert (await owner.get(f"/orgs/{org_id}/logo")).status_code == 404


async def test_language_and_region_save_the_persons_language_and_the_orgs_region(
    make_app, client_for, owner_conn
):
    client = client_for(make_app())
    email = await owner_with_org(client)
    org_id = org_of(owner_conn, email)
    token = await form_token(client, "/settings/region")

    saved = await client.post(
        "/settings/region",
        data={
            "csrf_token": token,
            "language": "es",
            "time_zone": "America/Lima",
            "date_format": "dd/MM/yyyy",
            "currency": "PEN",
        },
    )
    page = await client.get("/settings/region")
    bad = await client.post(
        "/settings/region",
        data={
            "csrf_token": token,
            "language": "fr",
            "time_zone": "Mars/Olympus",
            "date_format": "yy",
            "currency": "XXX",
        },
    )

    assert saved.status_code == 303
    assert '<html lang="es"' in page.text
    assert "Guardado." in page.text
    assert bad.status_code == 422
    assert bad.text.count("Elige una de las opciones.") == 4
    with as_org(owner_conn, org_id):
        org = owner_conn.execute("select time_zone, currency from organizations").fetchone()
        fmt = owner_conn.execute("select date_format from org_preferences").fetchone()[0]
    assert org == ("America/Lima", "PEN")
    assert fmt == "dd/MM/yyyy"
    language = owner_conn.execute(
        "select preferred_language from users where email = %s", (email,)
    ).fetchone()[0]
    assert language == "es"


async def test_dates_on_pages_follow_the_orgs_time_zone_and_date_format(
    make_app, client_for, owner_conn
):
    app = make_app()
    client = client_for(app)
    email = await owner_with_org(client)
    org_id = org_of(owner_conn, email)
    token = await form_token(client, "/settings/region")
    await client.post(
        "/settings/region",
        data={
            "csrf_token": token,
            "language": "en",
            "time_zone": "Asia/Tokyo",
            "date_format": "yyyy-MM-dd",
            "currency": "EUR",
        },
    )
    await client.post(
        "/settings/team/invite",
        data={"csrf_token": token, "email": "kenji@example.com", "role": "member"},
    )

    page = await client.get("/settings/team")
    member = await member_in(lambda: app, client_for, owner_conn, org_id, role="admin")
    members_page = await member.get("/settings/team")

    with as_org(owner_conn, org_id):
        expires = owner_conn.execute(
            "select expires_at from invitations where email = 'kenji@example.com'"
        ).fetchone()[0]
    tokyo = expires.astimezone(ZoneInfo("Asia/Tokyo"))
    clock = f"{tokyo.hour % 12 or 12}:{tokyo:%M:%S}\u202f{'AM' if tokyo.hour < 12 else 'PM'}"
    shown = f"until {tokyo:%Y-%m-%d}, {clock}"
    assert shown in page.text
    # Another member of the org reads the org's clock too, not their own default.
    assert shown in members_page.text


async def test_a_member_sets_their_language_but_not_the_orgs_region(
    make_app, client_for, owner_conn
):
    app = make_app()
    owner = client_for(app)
    email = await owner_with_org(owner)
    org_id = org_of(owner_conn, email)
    member = await member_in(lambda: app, client_for, owner_conn, org_id)
    token = await form_token(member, "/settings/region")

    response = await member.post(
        "/settings/region",
        data={
            "csrf_token": token,
            "language": "es",
            "time_zone": "Asia/Tokyo",
            "date_format": "yyyy-MM-dd",
            "currency": "EUR",
        },
    )

    assert response.status_code == 303
    with as_org(owner_conn, org_id):
        org = owner_conn.execute("select time_zone, currency from organizations").fetchone()
    assert org == ("America/Mexico_City", "MXN")


async def test_notification_choices_are_kept_per_person(make_app, client_for, owner_conn):
    client = client_for(make_app())
    email = await owner_with_org(client)
    page = await client.get("/settings/notifications")
    token = csrf_of(page.text)

    saved = await client.post(
        "/settings/notifications",
        data={"csrf_token": token, "billing.email": "on", "security.in_app": "on"},
    )
    forged = await client.post("/settings/notifications", data={"csrf_token": "forged"})
    again = await client.get("/settings/notifications")

    assert 'name="pulse_digest.email" value="on" checked' in page.text  # the defaults
    assert saved.status_code == 303
    assert forged.status_code == 403
    rows = owner_conn.execute(
        "select kind, n.email, in_app from notification_preferences n join users u "
        "on u.id = n.user_id where u.email = %s order by kind",
        (email,),
    ).fetchall()
    assert ("billing", True, False) in rows
    assert ("security", False, True) in rows
    assert ("pulse_digest", False, False) in rows
    assert ("product_updates", False, False) in rows  # unticked: both channels off
    assert len(rows) == 7  # every kind, the module news among them
    assert 'name="billing.email" value="on" checked' in again.text
    assert 'name="pulse_digest.email" value="on" checked' not in again.text


async def test_a_forged_or_empty_organization_form_changes_nothing(
    make_app, client_for, owner_conn
):
    client = client_for(make_app())
    email = await owner_with_org(client)
    org_id = org_of(owner_conn, email)
    token = await form_token(client, "/settings/organization")

    forged = await client.post(
        "/settings/organization",
        data={"csrf_token": "forged", "name": "Hijacked", "industry": "", "size": ""},
    )
    empty = await client.post(
        "/settings/organization",
        data={"csrf_token": token, "name": " ", "industry": "mining", "size": "huge"},
    )

    assert forged.status_code == 403
    assert "This form expired or came from another site." in forged.text
    assert empty.status_code == 422
    assert "Enter your organization&#39;s name." in empty.text
    assert empty.text.count("Choose one of the options.") == 2
    with as_org(owner_conn, org_id):
        row = owner_conn.execute("select name, industry, size from organizations").fetchone()
    assert row == ("Café Quetzal", "food", "2-10")
