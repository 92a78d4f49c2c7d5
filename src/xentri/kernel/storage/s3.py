"""Objects in an S3-compatible bucket (AWS S3, MinIO, R2...), through boto3.

boto3 is synchronous like the rest of ObjectStorage: callers run it in a worker thread
(`asyncio.to_thread`). Presigning is a local computation (no request to the bucket).
Browser uploads straight to the bucket also need a CORS rule on it allowing PUT from the
app's origin (docs/adr/0015-object-storage-and-presigned-urls.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from xentri.kernel.storage.base import (
    ObjectInfo,
    PresignedRequest,
    StorageUnavailableError,
    StoredObject,
    check_key,
    content_disposition,
    url_seconds,
)
from xentri.kernel.storage.settings import StorageSettings

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

_MISSING = frozenset({"404", "NoSuchKey", "NotFound"})


def _utc_now() -> datetime:
    return datetime.now(UTC)


def s3_client(settings: StorageSettings) -> S3Client:
    secret = settings.s3_secret_access_key
    client: S3Client = boto3.session.Session().client(
        "s3",
        endpoint_url=settings.s3_endpoint_url,
        region_name=settings.s3_region,
        aws_access_key_id=settings.s3_access_key_id,
        aws_secret_access_key=secret.get_secret_value() if secret is not None else None,
        config=Config(
            signature_version="s3v4",
            s3={"addressing_style": settings.s3_addressing_style},
            retries={"max_attempts": 3, "mode": "standard"},
            connect_timeout=5,
            read_timeout=30,
        ),
    )
    return client


class S3ObjectStorage:
    def __init__(
        self, client: S3Client, bucket: str, *, clock: Callable[[], datetime] = _utc_now
    ) -> None:
        self.client = client
        self.bucket = bucket
        self._clock = clock

    def __repr__(self) -> str:  # never the client: its credentials stay out of logs
        return f"S3ObjectStorage(bucket={self.bucket!r})"

    def put(self, key: str, data: bytes, *, content_type: str) -> None:
        with _answered():
            self.client.put_object(
                Bucket=self.bucket, Key=check_key(key), Body=data, ContentType=content_type
            )

    def get(self, key: str) -> StoredObject | None:
        with _answered():
            try:
                found = self.client.get_object(Bucket=self.bucket, Key=check_key(key))
            except ClientError as exc:
                if _missing(exc):
                    return None
                raise
            return StoredObject(
                data=found["Body"].read(), content_type=_type(found.get("ContentType"))
            )

    def head(self, key: str) -> ObjectInfo | None:
        with _answered():
            try:
                found = self.client.head_object(Bucket=self.bucket, Key=check_key(key))
            except ClientError as exc:
                if _missing(exc):
                    return None
                raise
        return ObjectInfo(
            size=int(found["ContentLength"]), content_type=_type(found.get("ContentType"))
        )

    def read_start(self, key: str, length: int) -> bytes | None:
        with _answered():
            try:
                found = self.client.get_object(
                    Bucket=self.bucket, Key=check_key(key), Range=f"bytes=0-{max(length, 1) - 1}"
                )
            except ClientError as exc:
                if _missing(exc):
                    return None
                raise
            return found["Body"].read()[:length]

    def delete(self, key: str) -> None:
        with _answered():
            self.client.delete_object(Bucket=self.bucket, Key=check_key(key))

    def exists(self, key: str) -> bool:
        return self.head(key) is not None

    def presign_upload(
        self, key: str, *, content_type: str, content_length: int, expires_in: int
    ) -> PresignedRequest:
        seconds = url_seconds(expires_in)
        # Content-Type and Content-Length are signed headers: the bucket refuses a PUT of
        # another type or size (the attach step checks the stored object again anyway).
        url = self.client.generate_presigned_url(
            "put_object",
            Params={
                "Bucket": self.bucket,
                "Key": check_key(key),
                "ContentType": content_type,
                "ContentLength": content_length,
            },
            ExpiresIn=seconds,
        )
        return PresignedRequest(
            method="PUT",
            url=url,
            expires_at=self._expiry(seconds),
            headers={"Content-Type": content_type},
        )

    def presign_download(
        self, key: str, *, expires_in: int, filename: str | None = None
    ) -> PresignedRequest:
        seconds = url_seconds(expires_in)
        params = {"Bucket": self.bucket, "Key": check_key(key)}
        if filename:
            params["ResponseContentDisposition"] = content_disposition(filename)
        url = self.client.generate_presigned_url("get_object", Params=params, ExpiresIn=seconds)
        return PresignedRequest(method="GET", url=url, expires_at=self._expiry(seconds))

    def _expiry(self, seconds: int) -> datetime:
        return (self._clock() + timedelta(seconds=seconds)).replace(microsecond=0)


@contextmanager
def _answered() -> Iterator[None]:
    """The bucket's failures as StorageUnavailableError (503), never a 500 with its internals."""
    try:
        yield
    except (BotoCoreError, ClientError) as exc:
        raise StorageUnavailableError(
            "The file store is not answering; try again in a moment."
        ) from exc


def _missing(exc: ClientError) -> bool:
    return str(exc.response.get("Error", {}).get("Code", "")) in _MISSING


def _type(content_type: str | None) -> str:
    return content_type or "application/octet-stream"
