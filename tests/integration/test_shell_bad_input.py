"""Whatever arrives at a form, the answer is a page or a redirect, never a server error, and
nothing is half-saved."""

from __future__ import annotations

import pytest

from tests.support.shell import form_token, sign_up_in_browser

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
