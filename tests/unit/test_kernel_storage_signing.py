"""Signed URLs of the local object store: exactly what was signed, until it expires."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit

import pytest

from xentri.kernel.storage import LocalObjectStorage, UrlSigner
from xentri.kernel.storage.signing import LOCAL_OBJECTS_PATH, SignatureRejectedError

KEY = "orgs/abc/receipts/r1"
NOW = 1_800_000_000


def _query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def _upload(signer: UrlSigner, **changes: object) -> dict[str, str]:
    url = signer.upload_url(KEY, content_type="image/png", content_length=100, expires=NOW + 60)
    return {**_query(url), **{k: str(v) for k, v in changes.items()}}


def _verify(signer: UrlSigner, query: dict[str, str], **overrides: object):
    args: dict[str, object] = {
        "now": NOW,
        "content_type": "image/png",
        "content_length": 100,
        **overrides,
    }
    return signer.verify_upload(KEY, query, **args)  # type: ignore[arg-type]


def test_a_signed_upload_is_accepted_as_signed():
    signer = UrlSigner(b"secret")

    grant = _verify(signer, _upload(signer), content_type="image/png; charset=binary")

    assert (grant.key, grant.content_type, grant.content_length) == (KEY, "image/png", 100)


@pytest.mark.parametrize(
    "tampered",
    [
        {"length": 10_000_000},
        {"type": "text/html"},
        {"expires": NOW + 3600},
        {"signature": "A" * 43},
        {"expires": "soon"},
    ],
)
def test_a_tampered_upload_url_is_refused_as_invalid(tampered):
    signer = UrlSigner(b"secret")

    with pytest.raises(SignatureRejectedError) as refused:
        _verify(signer, _upload(signer, **tampered))

    assert refused.value.reason == "invalid-signature"


def test_a_url_signed_for_one_key_does_not_open_another():
    signer = UrlSigner(b"secret")

    with pytest.raises(SignatureRejectedError) as refused:
        signer.verify_upload(
            "orgs/other/receipts/r1",
            _upload(signer),
            now=NOW,
            content_type="image/png",
            content_length=100,
        )

    assert refused.value.reason == "invalid-signature"


def test_another_secret_does_not_verify():
    with pytest.raises(SignatureRejectedError) as refused:
        _verify(UrlSigner(b"other secret"), _upload(UrlSigner(b"secret")))

    assert refused.value.reason == "invalid-signature"


def test_an_expired_upload_url_is_refused():
    signer = UrlSigner(b"secret")

    on_time = _verify(signer, _upload(signer), now=NOW + 60)
    with pytest.raises(SignatureRejectedError) as refused:
        _verify(signer, _upload(signer), now=NOW + 61)

    assert on_time.content_length == 100
    assert refused.value.reason == "expired"


@pytest.mark.parametrize("sent", ["image/jpeg", "text/html", None, ""])
def test_an_upload_of_another_content_type_is_refused(sent):
    signer = UrlSigner(b"secret")

    with pytest.raises(SignatureRejectedError) as refused:
        _verify(signer, _upload(signer), content_type=sent)

    assert refused.value.reason == "content-type-mismatch"


def test_an_upload_larger_than_signed_is_refused():
    signer = UrlSigner(b"secret")

    with pytest.raises(SignatureRejectedError) as refused:
        _verify(signer, _upload(signer), content_length=101)

    assert refused.value.reason == "too-large"


def test_a_download_url_carries_its_file_name_under_the_signature():
    signer = UrlSigner(b"secret")
    url = signer.download_url(KEY, expires=NOW + 60, filename="factura café.pdf")

    name = signer.verify_download(KEY, _query(url), now=NOW)
    with pytest.raises(SignatureRejectedError) as renamed:
        signer.verify_download(KEY, {**_query(url), "filename": "other.html"}, now=NOW)
    with pytest.raises(SignatureRejectedError) as late:
        signer.verify_download(KEY, _query(url), now=NOW + 61)

    assert name == "factura café.pdf"
    assert renamed.value.reason == "invalid-signature"
    assert late.value.reason == "expired"


def test_the_local_store_presigns_urls_to_its_own_route(tmp_path):
    fixed = datetime.fromtimestamp(NOW, UTC)
    storage = LocalObjectStorage(tmp_path, signer=UrlSigner(b"secret"), clock=lambda: fixed)

    upload = storage.presign_upload(
        KEY, content_type="application/pdf", content_length=5, expires_in=900
    )
    download = storage.presign_download(KEY, expires_in=60)

    assert upload.method == "PUT"
    assert urlsplit(upload.url).path == f"{LOCAL_OBJECTS_PATH}/{KEY}"
    assert upload.headers == {"Content-Type": "application/pdf"}
    assert upload.expires_at == datetime.fromtimestamp(NOW + 900, UTC)
    assert _query(upload.url)["expires"] == str(NOW + 900)
    assert download.method == "GET"
    assert download.expires_at == datetime.fromtimestamp(NOW + 60, UTC)


@pytest.mark.parametrize("seconds", [0, -1, 3601])
def test_presigned_urls_are_short_lived(tmp_path, seconds):
    storage = LocalObjectStorage(tmp_path, signer=UrlSigner(b"secret"))

    with pytest.raises(ValueError, match="seconds"):
        storage.presign_download(KEY, expires_in=seconds)


def test_head_and_read_start_see_what_was_stored(tmp_path):
    storage = LocalObjectStorage(tmp_path)
    storage.put(KEY, b"%PDF-1.7 rest", content_type="application/pdf")

    info = storage.head(KEY)

    assert (info.size, info.content_type) == (13, "application/pdf")
    assert storage.read_start(KEY, 5) == b"%PDF-"
    assert storage.head("orgs/abc/receipts/none") is None
    assert storage.read_start("orgs/abc/receipts/none", 5) is None
