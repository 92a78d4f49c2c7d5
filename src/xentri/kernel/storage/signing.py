"""Signed, expiring URLs for the local object store: what S3 presigning is for a bucket.

The signature is an HMAC-SHA256, under a key derived from the app's secret key, over the
method, the object key, the expiry and (for uploads) the exact content type and length. Any
change to one of them (a longer file, another type, a later expiry, another key) makes the
signature wrong; the route checks the signature first, so a tampered URL is never judged by
the values it claims.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from urllib.parse import quote, urlencode

LOCAL_OBJECTS_PATH = "/api/v1/storage/objects"
_PURPOSE = b"xentri/storage-url/v1"


class SignatureRejectedError(Exception):
    """Why a signed request is refused; `reason` is a stable code."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class UploadGrant:
    """What a verified upload URL allows: this many bytes of this type to this key."""

    key: str
    content_type: str
    content_length: int


class UrlSigner:
    def __init__(self, secret: bytes) -> None:
        if not secret:
            raise ValueError("a URL signer needs a secret")
        # A key of its own: a signature made here can never be replayed as another of the
        # app's HMACs (CSRF tokens, service tokens) made with the same secret.
        self._key = hmac.new(secret, _PURPOSE, hashlib.sha256).digest()

    def upload_url(self, key: str, *, content_type: str, content_length: int, expires: int) -> str:
        signature = self._sign("PUT", key, expires, content_type, content_length)
        query = {"expires": expires, "type": content_type, "length": content_length}
        return _url(key, {**query, "signature": signature})

    def download_url(self, key: str, *, expires: int, filename: str | None = None) -> str:
        name = filename or ""
        signature = self._sign("GET", key, expires, name, 0)
        query: dict[str, object] = {"expires": expires}
        if name:
            query["filename"] = name
        return _url(key, {**query, "signature": signature})

    def verify_upload(
        self,
        key: str,
        query: dict[str, str],
        *,
        now: int,
        content_type: str | None,
        content_length: int | None,
    ) -> UploadGrant:
        """Check a PUT against its URL; raises SignatureRejectedError saying why not."""
        expires = _int(query.get("expires"))
        length = _int(query.get("length"))
        signed_type = query.get("type", "")
        self._check(query, self._sign("PUT", key, expires, signed_type, length))
        _not_expired(expires, now)
        sent_type = (content_type or "").split(";", 1)[0].strip().lower()
        if sent_type != signed_type:
            raise SignatureRejectedError(
                "content-type-mismatch", f"This URL accepts only {signed_type} content."
            )
        if content_length is not None and content_length > length:
            raise SignatureRejectedError("too-large", f"This URL accepts {length} bytes, no more.")
        return UploadGrant(key=key, content_type=signed_type, content_length=length)

    def verify_download(self, key: str, query: dict[str, str], *, now: int) -> str | None:
        """Check a GET against its URL; returns the download's file name, if one was signed."""
        expires = _int(query.get("expires"))
        name = query.get("filename", "")
        self._check(query, self._sign("GET", key, expires, name, 0))
        _not_expired(expires, now)
        return name or None

    @staticmethod
    def _check(query: dict[str, str], expected: str) -> None:
        if not hmac.compare_digest(expected, query.get("signature", "")):
            raise SignatureRejectedError("invalid-signature", "The URL's signature is not valid.")

    def _sign(self, method: str, key: str, expires: int, text: str, length: int) -> str:
        # A JSON array, not a joined string: no two different requests share a message.
        message = json.dumps([method, key, expires, text, length], ensure_ascii=True)
        digest = hmac.new(self._key, message.encode("utf-8"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _url(key: str, query: dict[str, object]) -> str:
    return f"{LOCAL_OBJECTS_PATH}/{quote(key)}?{urlencode(query)}"


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise SignatureRejectedError(
            "invalid-signature", "The URL's signature is not valid."
        ) from None


def _not_expired(expires: int, now: int) -> None:
    if now > expires:
        raise SignatureRejectedError("expired", "This URL has expired; ask for a new one.")
