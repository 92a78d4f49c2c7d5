"""What every object store offers: keep, read and drop objects, and hand out presigned URLs.

Keys are relative paths built by the caller from ids (`orgs/<uuid>/receipts/<uuid>`), never
from user input; anything that could climb out of a root or name another bucket is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from urllib.parse import quote

from xentri.kernel.errors import DomainError

_KEY = re.compile(r"^[a-z0-9][a-z0-9_\-]*(/[a-z0-9][a-z0-9_\-]*)*$")
MAX_KEY_LENGTH = 400
# A presigned URL is a bearer credential: short-lived by design, whatever a caller asks.
MAX_URL_SECONDS = 3600


class InvalidKeyError(ValueError):
    pass


class StorageUnavailableError(DomainError):
    """The store did not answer (a bucket down, a network fault): retry later, nothing lost."""

    status = 503
    code = "storage-unavailable"
    title = "Service Unavailable"


def check_key(key: str) -> str:
    if len(key) > MAX_KEY_LENGTH or not _KEY.fullmatch(key):
        raise InvalidKeyError(f"not an object key: {key!r}")
    return key


def url_seconds(expires_in: int) -> int:
    if not 1 <= expires_in <= MAX_URL_SECONDS:
        raise ValueError(f"a presigned URL lives 1-{MAX_URL_SECONDS} seconds, not {expires_in}")
    return expires_in


@dataclass(frozen=True)
class StoredObject:
    data: bytes
    content_type: str


@dataclass(frozen=True)
class ObjectInfo:
    size: int
    content_type: str


@dataclass(frozen=True)
class PresignedRequest:
    """How a client sends or fetches one object without our credentials: the method, the URL
    (relative for the app's own signed routes, absolute for a bucket) and the headers it must
    send exactly as given (they are part of the signature)."""

    method: str
    url: str
    expires_at: datetime
    headers: dict[str, str] = field(default_factory=dict)


class ObjectStorage(Protocol):
    def put(self, key: str, data: bytes, *, content_type: str) -> None: ...

    def get(self, key: str) -> StoredObject | None: ...

    def head(self, key: str) -> ObjectInfo | None: ...

    def read_start(self, key: str, length: int) -> bytes | None:
        """The first `length` bytes (fewer when the object is shorter); None when missing."""

    def delete(self, key: str) -> None: ...

    def exists(self, key: str) -> bool: ...

    def presign_upload(
        self, key: str, *, content_type: str, content_length: int, expires_in: int
    ) -> PresignedRequest:
        """A PUT of exactly `content_length` bytes of `content_type` to `key`, until expiry."""

    def presign_download(
        self, key: str, *, expires_in: int, filename: str | None = None
    ) -> PresignedRequest:
        """A GET of `key` until expiry; `filename` names the download."""


def content_disposition(filename: str, *, kind: str = "inline") -> str:
    """The header naming a download, in both forms (RFC 6266): an ASCII fallback and UTF-8."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename
    )
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
