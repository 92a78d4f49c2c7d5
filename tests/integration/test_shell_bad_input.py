"""Whatever arrives at a form, the answer is a page or a redirect, never a server error, and
nothing is half-saved; the settings forms explain bad input per field in the visitor's language
and keep what was typed; a form sent twice does not make two of anything."""

from __future__ import annotations

import re

import pytest

from tests.support.db import as_org
from tests.support.shell import finish_wizard, form_token, sign_up_in_browser

pytestmark = pytest.mark.integration

FORMS = (
    "/signup",
    "/login",
    "/logout",
    "/verify-email",
    "/forgot-password",
    "/reset-password",
    "/invitations/accept",
    "/orgs/new",
    "/language",
)
BODIES = (
    {"content": b""},
    {"json": {"email": "a@b.c", "password": "x"}},
    {"data": {"email": "x" * 5000, "name": "\x00", "password": "p" * 5000, "token": "t" * 900}},
    {"data": {"csrf_token": "", "next": "javascript:alert(1)", "language": "es-ES"}},
    {"content": b"--broken\r\nnot multipart", "headers": {"content-type": "multipart/form-data"}},
)


@pytest.mark.parametrize("signed_in", [False, True])
async def test_no_form_answers_bad_input_with_a_server_error(make_app, client_for, signed_in):
    client = client_for(make_app())
    if signed_in:
        await sign_up_in_browser(client)
    for path in FORMS:
        for body in BODIES:
            response = await client.post(path, **body)
            assert response.status_code < 500, (path, body, response.text[:300])


async def test_overlong_input_is_a_field_error_not_a_saved_row(make_app, client_for, owner_conn):
    client = client_for(make_app())
    token = await form_token(client, "/signup")
    email = "long-name@example.com"

    response = await client.post(
        "/signup",
        data={"csrf_token": token, "name": "n" * 201, "email": email, "password": "x" * 20},
    )

    assert response.status_code == 422
    assert "Use at most 200 characters." in response.text
    count = owner_conn.execute("select count(*) from users where email = %s", (email,))
    assert count.fetchone()[0] == 0


async def test_query_strings_of_the_link_pages_cannot_break_them(make_app, client_for):
    client = client_for(make_app())
    for path in (
        "/verify-email?token=" + "%00" * 50,
        "/reset-password?token=" + "a" * 5000,
        "/invitations/accept?token=%ff%fe" + "b" * 40,
        "/signup?next=//evil.test&email=" + "e" * 2000,
        "/login?next=https://evil.test",
    ):
        response = await client.get(path)
        assert response.status_code < 500, path
        # The page may echo its own URL (the language form returns to it), never use it as a
        # destination.
        for target in ('href="//evil', 'href="https://evil', 'name="next" value="//evil'):
            assert target not in response.text, (path, target)
        assert 'name="next" value="https://evil' not in response.text


# (form, what is sent, the Spanish error on the field, what must come back as typed)
SETTINGS_FORMS = (
    (
        "/settings/profile",
        {"name": "", "phone": "sin número"},
        "Escribe un teléfono con dígitos, espacios o guiones, y + para el código de país.",
        'value="sin número"',
    ),
    (
        "/settings/organization",
        {"name": "", "industry": "retail", "size": "11-50"},
        "Escribe el nombre de tu organización.",
        r'value="retail"\s+selected',
    ),
    (
        "/settings/team/invite",
        {"email": "ana@", "role": "admin"},
        "Escribe un correo electrónico válido, como nombre@ejemplo.com.",
        'value="ana@"',
    ),
    (
        "/settings/danger/delete-org",
        {"confirm_org": "Café"},
        "Escribe el nombre de la organización tal como aparece para confirmar.",
        'value="Café"',
    ),
)


@pytest.mark.parametrize(("path", "sent", "error", "kept"), SETTINGS_FORMS)
async def test_settings_forms_explain_bad_input_in_spanish_and_keep_it(
    make_app, client_for, owner_conn, path, sent, error, kept
):
    client = client_for(make_app())
    email = await sign_up_in_browser(client, name="Ana")
    await finish_wizard(client, org="Café Quetzal", language="es")
    token = await form_token(client, "/settings/profile")
    before = _org_state(owner_conn, email)

    response = await client.post(path, data={"csrf_token": token, **sent})

    assert response.status_code == 422
    assert '<html lang="es"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert error in response.text
    assert re.search(kept, response.text), kept
    assert _org_state(owner_conn, email) == before  # nothing half-saved


def _org_state(owner_conn, email: str):
    user = owner_conn.execute(
        "select u.name, u.phone, p.created_org_id from users u "
        "join onboarding_progress p on p.user_id = u.id where u.email = %s",
        (email,),
    ).fetchone()
    with as_org(owner_conn, user[2]):
        org = owner_conn.execute("select name, industry, size from organizations").fetchone()
        invitations = owner_conn.execute("select count(*) from invitations").fetchone()[0]
    return user, org, invitations


async def test_an_invitation_sent_twice_leaves_one_pending(make_app, client_for, owner_conn):
    client = client_for(make_app())
    email = await sign_up_in_browser(client, name="Ana")
    await finish_wizard(client, org="Dos Veces")
    token = await form_token(client, "/settings/team")
    sent = {"csrf_token": token, "email": "twice@example.com", "role": "member"}

    first = await client.post("/settings/team/invite", data=sent)
    second = await client.post("/settings/team/invite", data=sent)
    page = await client.get("/settings/team")

    assert first.status_code == second.status_code == 303
    org_id = owner_conn.execute(
        "select p.created_org_id from onboarding_progress p join users u on u.id = p.user_id "
        "where u.email = %s",
        (email,),
    ).fetchone()[0]
    with as_org(owner_conn, org_id):
        pending = owner_conn.execute(
            "select count(*) from invitations where email = 'twice@example.com' "
            "and accepted_at is null and revoked_at is null"
        ).fetchone()[0]
    assert pending == 1
    assert len(re.findall(r"<span>twice@example\.com ", page.text)) == 1
