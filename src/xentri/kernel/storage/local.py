"""Objects as files under a directory (XENTRI_HOME/objects by default).

One file per object plus a sidecar holding its content type; writes are atomic (a temp file
renamed into place). Presigned URLs point at the app's own signed route
(`xentri.kernel.storage.routes`), so clients upload and download the same way as with S3.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from xentri.kernel.storage.base import (
    ObjectInfo,
    PresignedRequest,
    StoredObject,
    check_key,
    url_seconds,
)
from xentri.kernel.storage.signing import UrlSigner


def _utc_now() -> datetime:
    return datetime.now(UTC)


class LocalObjectStorage:
    def __init__(
        self,
        root: Path,
        *,
        signer: UrlSigner | None = None,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.root = root
        self.signer = signer
        self._clock = clock

    def put(self, key: str, data: bytes, *, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Metadata first: a reader that finds the data always finds its type.
        self._write(_meta(path), json.dumps({"type": content_type}))
        self._write(path, data)

    def get(self, key: str) -> StoredObject | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
            content_type = self._type(path)
        except FileNotFoundError:
            return None
        return StoredObject(data=data, content_type=content_type)

    def head(self, key: str) -> ObjectInfo | None:
        path = self._path(key)
        try:
            return ObjectInfo(size=path.stat().st_size, content_type=self._type(path))
        except FileNotFoundError:
            return None

    def read_start(self, key: str, length: int) -> bytes | None:
        try:
            with self._path(key).open("rb") as handle:
                return handle.read(length)
        except FileNotFoundError:
            return None

    def delete(self, key: str) -> None:
        path = self._path(key)
        for victim in (path, _meta(path)):
            victim.unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def presign_upload(
        self, key: str, *, content_type: str, content_length: int, expires_in: int
    ) -> PresignedRequest:
        check_key(key)
        expires_at = self._expiry(expires_in)
        url = self._signer().upload_url(
            key,
            content_type=content_type,
            content_length=content_length,
            expires=int(expires_at.timestamp()),
        )
        return PresignedRequest(
            method="PUT", url=url, expires_at=expires_at, headers={"Content-Type": content_type}
        )

    def presign_download(
        self, key: str, *, expires_in: int, filename: str | None = None
    ) -> PresignedRequest:
        check_key(key)
        expires_at = self._expiry(expires_in)
        url = self._signer().download_url(
            key, expires=int(expires_at.timestamp()), filename=filename
        )
        return PresignedRequest(method="GET", url=url, expires_at=expires_at)

    def _expiry(self, expires_in: int) -> datetime:
        return (self._clock() + timedelta(seconds=url_seconds(expires_in))).replace(microsecond=0)

    def _signer(self) -> UrlSigner:
        if self.signer is None:
            raise RuntimeError("this local storage was built without a URL signer")
        return self.signer

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    @staticmethod
    def _type(path: Path) -> str:
        return str(json.loads(_meta(path).read_text("utf-8"))["type"])

    @staticmethod
    def _write(path: Path, data: bytes | str) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(raw)
            Path(temp).replace(path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise


def _meta(path: Path) -> Path:
    return path.with_name(path.name + ".meta.json")
