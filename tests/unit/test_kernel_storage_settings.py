"""Storage settings: S3 only when a bucket is named, keys in pairs, secrets never shown."""

from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError

from xentri.kernel.config import Settings
from xentri.kernel.storage import LocalObjectStorage, StorageSettings, object_storage_for
from xentri.kernel.storage.s3 import S3ObjectStorage


def test_without_a_bucket_objects_stay_in_the_home_directory(tmp_path):
    storage = object_storage_for(
        Settings(home=tmp_path, secret_key=SecretStr("k")), StorageSettings()
    )

    assert isinstance(storage, LocalObjectStorage)
    assert storage.root == tmp_path / "objects"
    assert storage.signer is not None


def test_a_bucket_makes_an_s3_store_whose_secret_never_shows(tmp_path):
    settings = StorageSettings(
        s3_bucket="receipts",
        s3_endpoint_url="http://127.0.0.1:9000",
        s3_access_key_id="AKIAEXAMPLE",
        s3_secret_access_key=SecretStr("very-secret-value"),
    )

    storage = object_storage_for(Settings(home=tmp_path), settings)

    assert isinstance(storage, S3ObjectStorage)
    assert storage.bucket == "receipts"
    assert "very-secret-value" not in repr(storage)
    assert "very-secret-value" not in repr(settings)
    assert "very-secret-value" not in str(settings.model_dump())


@pytest.mark.parametrize(
    "values",
    [
        {"s3_bucket": "receipts", "s3_access_key_id": "AKIA"},
        {"s3_bucket": "receipts", "s3_secret_access_key": "x"},
        {"s3_endpoint_url": "http://127.0.0.1:9000"},
        {"s3_bucket": "ab"},
    ],
)
def test_half_an_s3_configuration_is_refused(values):
    with pytest.raises(ValidationError):
        StorageSettings(**values)
