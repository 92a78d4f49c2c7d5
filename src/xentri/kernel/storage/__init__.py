"""Object storage (uploaded files: org logos, receipts) behind one small interface: a local
directory under XENTRI_HOME by default, an S3-compatible bucket when XENTRI_S3_* says so."""

from __future__ import annotations

import secrets

from xentri.kernel.config import Settings
from xentri.kernel.storage.base import (
    MAX_URL_SECONDS,
    InvalidKeyError,
    ObjectInfo,
    ObjectStorage,
    PresignedRequest,
    StorageUnavailableError,
    StoredObject,
    check_key,
    content_disposition,
)
from xentri.kernel.storage.local import LocalObjectStorage
from xentri.kernel.storage.settings import StorageSettings
from xentri.kernel.storage.signing import LOCAL_OBJECTS_PATH, UrlSigner

__all__ = [
    "LOCAL_OBJECTS_PATH",
    "MAX_URL_SECONDS",
    "InvalidKeyError",
    "LocalObjectStorage",
    "ObjectInfo",
    "ObjectStorage",
    "PresignedRequest",
    "StorageSettings",
    "StorageUnavailableError",
    "StoredObject",
    "UrlSigner",
    "check_key",
    "content_disposition",
    "object_storage_for",
]


def object_storage_for(settings: Settings, storage_settings: StorageSettings) -> ObjectStorage:
    """The bucket when one is configured, else XENTRI_HOME/objects with app-signed URLs."""
    if storage_settings.s3_bucket is not None:
        # Imported here: boto3 is slow to import and the default local store never needs it.
        from xentri.kernel.storage.s3 import S3ObjectStorage, s3_client

        return S3ObjectStorage(s3_client(storage_settings), storage_settings.s3_bucket)
    secret = settings.secret_key
    # Every started app has a secret key (`xentri serve` makes one); without it the URLs are
    # signed with a key of this process only, which is still safe, just not shared.
    key = secret.get_secret_value().encode() if secret is not None else secrets.token_bytes(32)
    return LocalObjectStorage(settings.home / "objects", signer=UrlSigner(key))
