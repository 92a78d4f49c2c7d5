"""Invoice documents end to end on the real spine: issuing emails the PDF once (even when the
event arrives twice), a missing address is skipped visibly, a resend goes out now, public links
open the invoice without signing in until they are revoked, and nothing crosses orgs."""

from __future__ import annotations

import hashlib
import io
import re
import socket
import uuid
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from pydantic import SecretStr
from pypdf import PdfReader

from tests.support.db import as_org
from tests.support.finance import new_customer, new_invoice, sent_invoice
from tests.support.identity import create_org, sign_up
from tests.support.spine import drain, make_consumer
from xentri.categories.finance.invoice_mail import subscription
from xentri.categories.finance.invoice_mail_outbox import Delivery, send_pending_invoice_emails
from xentri.identity.mailer import DevMailbox, Mail
from xentri.kernel.events.envelope_rows import event_from_row, stream_fields
from xentri.kernel.events.tables import system_events

pytestmark = pytest.mark.integration
BASE_URL = "https://xentri.example"
LINK = re.compile(r"https://xentri\.example(/i/[A-Za-z0-9_-]+)")


@pytest.fixture
async def shop(make_app, client_for):
    """A Mexican bakery writing in Spanish, with one customer who has an email address."""
    app = make_app()
    person = await sign_up(client_for(app))
    org = await create_org(person, "Panadería Sol", currency="MXN", default_language="es")
    email = f"lupita-{uuid.uuid4().hex[:8]}@example.mx"
    customer = await new_customer(person, email=email, tax_id="XAXX010101000")
    yield {"app": app, "person": person, "org": org, "customer": customer, "email": email}
    await person.client.aclose()


def mails_to(owner_conn, address: str) -> list[tuple]:
    return owner_conn.execute(
        "select m.subject, m.body_text, a.filename, a.content_type, a.content "
        "from dev_mailbox m left join dev_mailbox_attachments a on a.mail_id = m.id "
        "where m.to_address = %s order by m.created_at",
        (address,),
    ).fetchall()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def consumer(name: str, *, app_engine, redis_client, stream):
    return make_consumer(
        f"{name}-{uuid.uuid4().hex[:6]}",
        dict(subscription().handlers),
        engine=app_engine,
        redis=redis_client,
        stream=stream,
    )


async def send_due(system_engine, app_engine, mailer=None):
    delivery = Delivery(mailer=mailer or DevMailbox(), storage=None, base_url=BASE_URL)
    return await send_pending_invoice_emails(
        system_engine=system_engine, app_engine=app_engine, delivery=delivery
    )


async def test_issuing_emails_the_pdf_once_even_when_the_event_arrives_twice(
    shop, owner_conn, app_engine, system_engine, redis_client, relay, stream
):
    first = consumer("documents", app_engine=app_engine, redis_client=redis_client, stream=stream)
    invoice = await sent_invoice(shop["person"], shop["customer"])
    await drain(relay, [first])
    run = await send_due(system_engine, app_engine)

    # The same event again: to the same group (its receipt answers) and to a group without
    # receipts (the outbox's dedupe key must still refuse a second ask).
    async with system_engine.connect() as conn:
        row = (
            await conn.execute(
                system_events.select().where(
                    system_events.c.org_id == shop["org"],
                    system_events.c.type == "xentri.invoice.sent.v1",
                )
            )
        ).one()
    await redis_client.xadd(stream, stream_fields(event_from_row(row), org_seq=row.org_seq))
    again = consumer(
        "documents-again", app_engine=app_engine, redis_client=redis_client, stream=stream
    )
    await drain(relay, [first, again])
    rerun = await send_due(system_engine, app_engine)

    mails = mails_to(owner_conn, shop["email"])
    assert (run.sent, rerun.sent) == (1, 0)
    assert len(mails) == 1
    subject, body, filename, content_type, content = mails[0]
    assert subject == "Factura INV-0001 de Panadería Sol"
    assert (filename, content_type) == ("Factura-INV-0001.pdf", "application/pdf")
    assert "$1,044.00" in body
    assert "2 de diciembre de 2026" in body
    text = pdf_text(bytes(content))
    assert "Factura INV-0001" in text
    assert "XAXX010101000" in text
    assert "Impuesto 16% sobre $900.00" in text
    assert "$1,044.00" in text
    assert invoice["number"] == "INV-0001"
    # The mail's own link opens the invoice.
    page = await shop["person"].client.get(LINK.search(body).group(1))
    assert page.status_code == 200
    assert "INV-0001" in page.text


async def test_a_customer_without_email_is_issued_and_the_skip_is_visible(
    shop, owner_conn, app_engine, system_engine, redis_client, relay, stream
):
    person = shop["person"]
    silent = await new_customer(person, name="Sin Correo", email=None)
    documents = consumer(
        "documents", app_engine=app_engine, redis_client=redis_client, stream=stream
    )
    invoice = await sent_invoice(person, silent)
    await drain(relay, [documents])
    run = await send_due(system_engine, app_engine)
    status = await person.client.get(
        f"/api/v1/finance/invoices/{invoice['id']}/document", headers=person.headers()
    )

    assert invoice["state"] == "sent"
    assert run.sent == 0
    assert status.status_code == 200
    [email] = status.json()["emails"]
    assert (email["state"], email["skipped_because"], email["to"]) == ("skipped", "no-email", None)
    assert status.json()["language"] == "es"


async def test_a_resend_goes_out_now_with_the_pdf(shop, owner_conn):
    person = shop["person"]
    invoice = await sent_invoice(person, shop["customer"])

    response = await person.client.post(
        f"/api/v1/finance/invoices/{invoice['id']}/send-email", headers=person.headers()
    )

    assert response.status_code == 200, response.text
    assert (response.json()["state"], response.json()["to"]) == ("sent", shop["email"])
    assert response.json()["resend"] is True
    [(_subject, _body, filename, _type, content)] = mails_to(owner_conn, shop["email"])
    assert filename == "Factura-INV-0001.pdf"
    assert "INV-0001" in pdf_text(bytes(content))
    # The dev mailbox page offers the attachment for download.
    page = await person.client.get("/dev/mailbox")
    hrefs = re.findall(
        r'href="(/dev/mailbox/attachments/[0-9a-f-]+)">Factura-INV-0001\.pdf<', page.text
    )
    download = await person.client.get(hrefs[0])
    assert download.headers["content-type"] == "application/pdf"
    assert download.content == bytes(content)


async def test_a_refused_mail_is_retried_and_sent_once(
    shop, owner_conn, app_engine, system_engine, redis_client, relay, stream
):
    class Refusing:
        async def send(self, mail: Mail, *, tx) -> None:
            raise ConnectionRefusedError("mail server down")

    documents = consumer(
        "documents", app_engine=app_engine, redis_client=redis_client, stream=stream
    )
    invoice = await sent_invoice(shop["person"], shop["customer"])
    await drain(relay, [documents])
    refused = await send_due(system_engine, app_engine, mailer=Refusing())
    with as_org(owner_conn, shop["org"]):
        owner_conn.execute(
            "update finance_invoice_emails set next_attempt_at = now() where invoice_id = %s",
            (invoice["id"],),
        )
    later = await send_due(system_engine, app_engine)

    assert (refused.retrying, refused.sent) == (1, 0)
    assert later.sent == 1
    assert len(mails_to(owner_conn, shop["email"])) == 1


async def test_a_public_link_opens_the_invoice_until_it_is_revoked(shop, make_app, client_for):
    person = shop["person"]
    invoice = await sent_invoice(person, shop["customer"])
    stranger = client_for(shop["app"])

    issued = await person.client.post(
        f"/api/v1/finance/invoices/{invoice['id']}/link", headers=person.headers()
    )
    path = issued.json()["path"]
    page = await stranger.get(path)
    pdf = await stranger.get(f"{path}/pdf")
    revoked = await person.client.delete(
        f"/api/v1/finance/invoices/{invoice['id']}/link", headers=person.headers()
    )
    gone = await stranger.get(path)
    gone_pdf = await stranger.get(f"{path}/pdf")

    assert issued.status_code == 201
    assert issued.json()["url"].endswith(path)
    assert page.status_code == 200
    assert page.headers["x-robots-tag"] == "noindex, nofollow"
    assert page.headers["content-language"] == "es"
    assert "Factura INV-0001" in page.text
    assert "$1,044.00" in page.text
    assert "Descargar PDF" in page.text
    assert f'href="{path}/pdf"' in page.text
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert "INV-0001" in pdf_text(pdf.content)
    assert revoked.status_code == 204
    assert gone.status_code == 404
    assert "no funciona" not in gone.text
    assert "This invoice link does not work" in gone.text
    assert gone_pdf.status_code == 404
    await stranger.aclose()


async def test_reissuing_a_link_ends_the_old_one(shop, client_for):
    person = shop["person"]
    invoice = await sent_invoice(person, shop["customer"])
    stranger = client_for(shop["app"])
    url = f"/api/v1/finance/invoices/{invoice['id']}/link"

    old = (await person.client.post(url, headers=person.headers())).json()["path"]
    new = (await person.client.post(url, headers=person.headers())).json()["path"]

    assert old != new
    assert (await stranger.get(old)).status_code == 404
    assert (await stranger.get(new)).status_code == 200
    assert (await stranger.get("/i/" + "A" * 43)).status_code == 404
    await stranger.aclose()


async def test_tokens_are_random_and_stored_only_as_hashes(shop, owner_conn):
    person = shop["person"]
    invoice = await sent_invoice(person, shop["customer"])
    url = f"/api/v1/finance/invoices/{invoice['id']}/link"
    tokens = [
        (await person.client.post(url, headers=person.headers())).json()["path"].removeprefix("/i/")
        for _ in range(3)
    ]

    with as_org(owner_conn, shop["org"]):
        stored = [
            row[0]
            for row in owner_conn.execute(
                "select token_hash from finance_invoice_links where invoice_id = %s "
                "order by created_at",
                (invoice["id"],),
            )
        ]
    assert len(set(tokens)) == 3
    assert all(len(token) == 43 for token in tokens)
    assert stored == [hashlib.sha256(token.encode()).hexdigest() for token in tokens]
    assert not set(tokens) & set(stored)


async def test_drafts_have_no_link_and_other_orgs_reach_nothing(shop, client_for):
    person = shop["person"]
    draft = await new_invoice(person, shop["customer"])
    invoice = await sent_invoice(person, shop["customer"])
    other = await sign_up(client_for(shop["app"]), name="Olga")
    await create_org(other, "Otra Tienda")
    base = f"/api/v1/finance/invoices/{invoice['id']}"

    draft_link = await person.client.post(
        f"/api/v1/finance/invoices/{draft['id']}/link", headers=person.headers()
    )
    draft_pdf = await person.client.get(
        f"/api/v1/finance/invoices/{draft['id']}/pdf", headers=person.headers()
    )
    answers = [
        await other.client.get(f"{base}/pdf", headers=other.headers()),
        await other.client.post(f"{base}/link", headers=other.headers()),
        await other.client.delete(f"{base}/link", headers=other.headers()),
        await other.client.post(f"{base}/send-email", headers=other.headers()),
        await other.client.get(f"{base}/document", headers=other.headers()),
    ]

    assert draft_link.status_code == 409
    assert draft_link.headers["content-type"] == "application/problem+json"
    assert draft_pdf.status_code == 200  # the owner may preview a draft
    assert "Borrador" in pdf_text(draft_pdf.content)
    assert [answer.status_code for answer in answers] == [404] * 5
    assert all(a.headers["content-type"] == "application/problem+json" for a in answers)
    await other.client.aclose()


async def test_language_and_payment_instructions_change_the_documents(shop):
    person = shop["person"]
    invoice = await sent_invoice(person, shop["customer"])
    settings = await person.client.put(
        "/api/v1/finance/document-settings",
        json={"payment_instructions": "Transferencia SPEI\nCLABE 012180001234567891"},
        headers=person.headers(),
    )
    changed = await person.client.patch(
        f"/api/v1/finance/invoices/{invoice['id']}/document",
        json={"language": "en"},
        headers=person.headers(),
    )
    refused = await person.client.patch(
        f"/api/v1/finance/invoices/{invoice['id']}/document",
        json={"language": "fr"},
        headers=person.headers(),
    )
    pdf = await person.client.get(
        f"/api/v1/finance/invoices/{invoice['id']}/pdf", headers=person.headers()
    )

    assert settings.json() == {
        "payment_instructions": "Transferencia SPEI\nCLABE 012180001234567891"
    }
    assert changed.json()["language"] == "en"
    assert refused.status_code == 422
    assert [error["field"] for error in refused.json()["errors"]] == ["body.language"]
    assert pdf.headers["content-disposition"].startswith(
        'attachment; filename="Invoice-INV-0001.pdf"'
    )
    text = pdf_text(pdf.content)
    assert "Invoice INV-0001" in text
    assert "December 2, 2026" in text
    assert "MX$1,044.00" in text
    assert "CLABE 012180001234567891" in text


class SmtpInbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content or b""))
        return "250 OK"


async def test_through_smtp_the_pdf_is_a_mime_attachment(make_app, client_for, owner_conn):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        app = make_app(smtp_url=SecretStr(f"smtp://127.0.0.1:{port}"))
        person = await sign_up(client_for(app))
        await create_org(person, "Panadería Sol", currency="MXN", default_language="es")
        email = f"smtp-{uuid.uuid4().hex[:8]}@example.mx"
        invoice = await sent_invoice(person, await new_customer(person, email=email))
        response = await person.client.post(
            f"/api/v1/finance/invoices/{invoice['id']}/send-email", headers=person.headers()
        )
    finally:
        controller.stop()

    assert response.json()["state"] == "sent"
    [raw] = [content for recipients, content in inbox.messages if recipients == [email]]
    message = message_from_bytes(raw, policy=policy.default)
    [attachment] = list(message.iter_attachments())
    assert message["Subject"] == "Factura INV-0001 de Panadería Sol"
    assert attachment.get_filename() == "Factura-INV-0001.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert "INV-0001" in pdf_text(attachment.get_payload(decode=True))
    assert mails_to(owner_conn, email) == []
    await person.client.aclose()


async def test_a_mail_that_left_but_was_not_marked_is_never_sent_again(
    shop, owner_conn, app_engine, system_engine, redis_client, relay, stream, monkeypatch
):
    from xentri.categories.finance import invoice_mail_outbox

    class Recording:
        def __init__(self) -> None:
            self.sent: list[Mail] = []

        async def send(self, mail: Mail, *, tx) -> None:
            self.sent.append(mail)

    finish = invoice_mail_outbox._finish

    async def crash_before_marking_sent(tx, email_id, *, state, error=None):
        if state == "sent":
            raise RuntimeError("the process died here")
        await finish(tx, email_id, state=state, error=error)

    documents = consumer(
        "documents", app_engine=app_engine, redis_client=redis_client, stream=stream
    )
    invoice = await sent_invoice(shop["person"], shop["customer"])
    await drain(relay, [documents])
    mailer = Recording()
    monkeypatch.setattr(invoice_mail_outbox, "_finish", crash_before_marking_sent)
    first = await send_due(system_engine, app_engine, mailer=mailer)
    monkeypatch.setattr(invoice_mail_outbox, "_finish", finish)
    second = await send_due(system_engine, app_engine, mailer=mailer)

    with as_org(owner_conn, shop["org"]):
        state = owner_conn.execute(
            "select state from finance_invoice_emails where invoice_id = %s", (invoice["id"],)
        ).fetchone()[0]
    assert (first.sent, second.sent, len(mailer.sent)) == (0, 0, 1)
    assert state == "sending"
