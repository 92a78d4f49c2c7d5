"""Receipts: ask for an upload URL, send the file there, attach it; read it back through a
short-lived URL. With the local store (the app signs and serves the URLs) and with an S3
bucket (moto's S3 server on 127.0.0.1 standing in for one)."""

from __future__ import annotations

import secrets
import uuid
from urllib.parse import parse_qsl, urlencode, urlsplit

import boto3
import httpx
import pytest
from botocore.config import Config
from moto.server import ThreadedMotoServer
from pydantic import SecretStr

from tests.conftest import make_settings
from tests.support.identity import create_org, sign_up
from xentri.composition import compose
from xentri.kernel.storage import StorageSettings

pytestmark = pytest.mark.integration

BASE = "/api/v1/finance/expenses"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + secrets.token_bytes(64)
# Over the app's 1 MiB body limit: the signed upload route takes more.
BIG_PDF = b"%PDF-1.7\n" + secrets.token_bytes(2 * 1024 * 1024)


def expense(**fields):
    return {
        "spent_on": "2026-11-03",
        "vendor": "Ferretería El Clavo",
        "category": "equipment",
        "amount_minor": 58_000,
        "tax_minor": 8_000,
        "currency": "MXN",
        **fields,
    }


async def upload(person, data: bytes, content_type: str, *, sender=None) -> str:
    """Ask for an upload URL, send the file to it, and return the key to attach."""
    issued = await person.client.post(
        f"{BASE}/receipts/uploads",
        json={"content_type": content_type, "size": len(data)},
        headers=person.headers(),
    )
    assert issued.status_code == 201, issued.text
    grant = issued.json()["upload"]
    sent = await (sender or person.client).request(
        grant["method"], grant["url"], content=data, headers=grant["headers"]
    )
    assert sent.status_code in (200, 204), sent.text
    return issued.json()["key"]


@pytest.fixture
async def owner(make_app, client_for):
    app = make_app()
    async with client_for(app) as client:
        person = await sign_up(client)
        org = await create_org(person)
        yield app, person, org


async def test_a_receipt_goes_up_through_a_signed_url_and_comes_back(owner):
    app, person, org = owner

    key = await upload(person, PNG, "image/png")
    created = await person.client.post(
        BASE,
        json=expense(receipt={"key": key, "filename": "C:\\fotos\\ticket café.png"}),
        headers=person.headers(),
    )
    link = await person.client.get(
        f"{BASE}/{created.json()['id']}/receipt", headers=person.headers()
    )
    fetched = await person.client.get(link.headers["location"])

    assert created.status_code == 201, created.text
    assert created.json()["receipt"] == {
        "content_type": "image/png",
        "size": len(PNG),
        "filename": "ticket café.png",
    }
    assert link.status_code == 307
    assert urlsplit(link.headers["location"]).path == f"/api/v1/storage/objects/{key}"
    assert fetched.status_code == 200
    assert fetched.content == PNG
    assert fetched.headers["content-type"] == "image/png"
    assert "filename*=UTF-8''ticket%20caf%C3%A9.png" in fetched.headers["content-disposition"]
    assert key.startswith(f"orgs/{org}/receipts/")
    assert app.state.storage.head(key).size == len(PNG)


async def test_a_receipt_over_the_apps_body_limit_uploads_and_replacing_it_drops_the_old(owner):
    app, person, _org = owner
    created = await person.client.post(BASE, json=expense(), headers=person.headers())
    expense_id = created.json()["id"]

    first = await upload(person, PNG, "image/png")
    attached = await person.client.put(
        f"{BASE}/{expense_id}/receipt", json={"key": first}, headers=person.headers()
    )
    big = await upload(person, BIG_PDF, "application/pdf")
    replaced = await person.client.put(
        f"{BASE}/{expense_id}/receipt", json={"key": big}, headers=person.headers()
    )
    deleted = await person.client.delete(f"{BASE}/{expense_id}", headers=person.headers())

    assert attached.json()["receipt"]["content_type"] == "image/png"
    assert replaced.json()["receipt"] == {
        "content_type": "application/pdf",
        "size": len(BIG_PDF),
        "filename": None,
    }
    assert app.state.storage.exists(first) is False
    assert deleted.status_code == 204
    assert app.state.storage.exists(big) is False


async def test_the_signed_upload_url_accepts_only_what_was_signed(owner):
    app, person, _org = owner
    issued = await person.client.post(
        f"{BASE}/receipts/uploads",
        json={"content_type": "image/png", "size": len(PNG)},
        headers=person.headers(),
    )
    url = issued.json()["upload"]["url"]
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    tampered = f"{parts.path}?{urlencode({**query, 'length': 10 * len(PNG)})}"
    key = issued.json()["key"]
    other_key = url.replace(key, key.rsplit("/", 1)[0] + "/" + uuid.uuid4().hex)

    forged = await person.client.put(
        tampered, content=PNG * 10, headers={"content-type": "image/png"}
    )
    moved = await person.client.put(other_key, content=PNG, headers={"content-type": "image/png"})
    as_html = await person.client.put(url, content=PNG, headers={"content-type": "text/html"})
    longer = await person.client.put(url, content=PNG + b"x", headers={"content-type": "image/png"})
    shorter = await person.client.put(url, content=PNG[:-1], headers={"content-type": "image/png"})
    unsigned = await person.client.put(
        parts.path, content=PNG, headers={"content-type": "image/png"}
    )

    assert (forged.status_code, forged.json()["type"].rsplit("/", 1)[1]) == (
        403,
        "invalid-signature",
    )
    assert moved.status_code == 403
    assert (as_html.status_code, as_html.json()["type"].rsplit("/", 1)[1]) == (
        415,
        "content-type-mismatch",
    )
    assert longer.status_code == 413
    assert (shorter.status_code, shorter.json()["type"].rsplit("/", 1)[1]) == (
        400,
        "length-mismatch",
    )
    assert unsigned.status_code == 403
    assert forged.headers["content-type"] == "application/problem+json"
    assert app.state.storage.exists(key) is False


async def test_what_is_attached_is_checked_not_believed(owner, make_app, client_for):
    app, person, org = owner
    disguised = await upload(person, b"<html><script>alert(1)</script></html>", "image/png")
    never_sent = f"orgs/{org}/receipts/{uuid.uuid4().hex}"
    good = await upload(person, PNG, "image/png")
    used = await person.client.post(
        BASE, json=expense(receipt={"key": good}), headers=person.headers()
    )
    async with client_for(app) as other_client:
        other = await sign_up(other_client, name="Beto")
        await create_org(other, name="Taller Beto")
        stolen = await other.client.post(
            BASE, json=expense(receipt={"key": good}), headers=other.headers()
        )

    refused = {}
    for name, key in {
        "disguised": disguised,
        "never_sent": never_sent,
        "reused": good,
        "escaping": "../../etc/passwd",
    }.items():
        response = await person.client.post(
            BASE, json=expense(receipt={"key": key}), headers=person.headers()
        )
        refused[name] = (response.status_code, [e["code"] for e in response.json()["errors"]])
    listed = await person.client.get(BASE, headers=person.headers())

    assert used.status_code == 201
    assert (stolen.status_code, stolen.json()["errors"][0]["code"]) == (422, "receipt_not_yours")
    assert refused == {
        "disguised": (422, ["receipt_content_mismatch"]),
        "never_sent": (422, ["receipt_missing"]),
        "reused": (422, ["receipt_in_use"]),
        "escaping": (422, ["receipt_not_yours"]),
    }
    assert listed.json()["total"] == 1


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"content_type": "image/svg+xml", "size": 10}, "body.content_type", "literal_error"),
        ({"content_type": "text/html", "size": 10}, "body.content_type", "literal_error"),
        ({"content_type": "image/png", "size": 0}, "body.size", "greater_than_equal"),
        (
            {"content_type": "image/png", "size": 10 * 1024 * 1024 + 1},
            "body.size",
            "less_than_equal",
        ),
    ],
)
async def test_an_upload_url_is_only_issued_for_images_and_pdfs_of_bounded_size(
    owner, body, field, code
):
    _app, person, _org = owner

    response = await person.client.post(
        f"{BASE}/receipts/uploads", json=body, headers=person.headers()
    )

    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [(field, code)]


async def test_an_expense_without_receipt_has_no_receipt_link(owner):
    _app, person, _org = owner
    created = await person.client.post(BASE, json=expense(), headers=person.headers())

    link = await person.client.get(
        f"{BASE}/{created.json()['id']}/receipt", headers=person.headers()
    )

    assert link.status_code == 404
    assert link.headers["content-type"] == "application/problem+json"


# --- The same against an S3 bucket (moto's server on 127.0.0.1) ---------------------------


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
async def s3_owner(servers, tmp_path, s3_endpoint, client_for):
    bucket = f"receipts-{uuid.uuid4().hex[:12]}"
    storage_settings = StorageSettings(
        s3_bucket=bucket,
        s3_endpoint_url=s3_endpoint,
        s3_region="us-east-1",
        s3_access_key_id="testing",
        s3_secret_access_key=SecretStr("testing-secret"),
        s3_addressing_style="path",
    )
    admin = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing-secret",
        config=Config(s3={"addressing_style": "path"}),
    )
    admin.create_bucket(Bucket=bucket)
    app = compose(
        make_settings(servers, tmp_path),
        database_url=servers.app_url,
        redis_url=servers.redis_url,
        storage_settings=storage_settings,
    )
    try:
        async with client_for(app) as client, httpx.AsyncClient() as outside:
            person = await sign_up(client)
            org = await create_org(person)
            yield app, person, org, admin, bucket, outside
    finally:
        await app.state.redis.aclose()
        await app.state.engine.dispose()


async def test_with_a_bucket_the_receipt_goes_straight_to_it_and_back(s3_owner):
    app, person, _org, admin, bucket, outside = s3_owner

    key = await upload(person, BIG_PDF, "application/pdf", sender=outside)
    created = await person.client.post(
        BASE,
        json=expense(receipt={"key": key, "filename": "factura.pdf"}),
        headers=person.headers(),
    )
    link = await person.client.get(
        f"{BASE}/{created.json()['id']}/receipt", headers=person.headers()
    )
    fetched = await outside.get(link.headers["location"])
    stored = admin.head_object(Bucket=bucket, Key=key)
    deleted = await person.client.delete(f"{BASE}/{created.json()['id']}", headers=person.headers())
    remaining = admin.list_objects_v2(Bucket=bucket).get("KeyCount", 0)

    assert created.status_code == 201, created.text
    assert created.json()["receipt"] == {
        "content_type": "application/pdf",
        "size": len(BIG_PDF),
        "filename": "factura.pdf",
    }
    assert (stored["ContentLength"], stored["ContentType"]) == (len(BIG_PDF), "application/pdf")
    assert link.headers["location"].startswith(f"{app.state.storage.client.meta.endpoint_url}/")
    assert "X-Amz-Signature=" in link.headers["location"]
    assert fetched.content == BIG_PDF
    assert deleted.status_code == 204
    assert remaining == 0


async def test_with_a_bucket_a_disguised_file_is_refused_and_the_local_route_is_closed(s3_owner):
    _app, person, org, _admin, _bucket, outside = s3_owner

    key = await upload(person, b"MZ\x90\x00 not a picture", "image/jpeg", sender=outside)
    refused = await person.client.post(
        BASE, json=expense(receipt={"key": key}), headers=person.headers()
    )
    local = await person.client.put(
        f"/api/v1/storage/objects/orgs/{org}/receipts/{uuid.uuid4().hex}?expires=1",
        content=PNG,
        headers={"content-type": "image/png"},
    )

    assert (refused.status_code, refused.json()["errors"][0]["code"]) == (
        422,
        "receipt_content_mismatch",
    )
    assert local.status_code == 404
