"""With XENTRI_SMTP_URL set, mail leaves through SMTP (a real local server), not the dev mailbox."""

from __future__ import annotations

import socket
import uuid
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from pydantic import SecretStr

from tests.support.identity import PASSWORD

pytestmark = pytest.mark.integration


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content or b""))
        return "250 OK"


@pytest.fixture
def smtp_server():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


async def test_signup_mail_goes_through_smtp(make_app, client_for, owner_conn, smtp_server):
    inbox, port = smtp_server
    app = make_app(smtp_url=SecretStr(f"smtp://127.0.0.1:{port}"))
    email = f"smtp-{uuid.uuid4().hex[:8]}@example.com"
    async with client_for(app) as client:
        response = await client.post(
            "/api/v1/auth/signup", json={"email": email, "password": PASSWORD, "name": "Sam"}
        )

    assert response.status_code == 201
    assert [rcpt for rcpt, _ in inbox.messages] == [[email]]
    message = message_from_bytes(inbox.messages[0][1])
    assert message["Subject"] == "Confirm your email for Xentri"
    assert "verify-email?token=" in message.get_payload()
    in_mailbox = owner_conn.execute(
        "select count(*) from dev_mailbox where to_address = %s", (email,)
    ).fetchone()[0]
    assert in_mailbox == 0
