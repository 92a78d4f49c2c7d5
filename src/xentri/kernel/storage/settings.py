"""Where objects live: XENTRI_S3_* names an S3-compatible bucket, otherwise a local directory."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MAX_UPLOAD_BYTES = 25 * 1024 * 1024


class StorageSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="XENTRI_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    s3_bucket: str | None = Field(default=None, min_length=3, max_length=63)
    # Unset: AWS itself. Set for MinIO, Cloudflare R2, DigitalOcean Spaces, a local moto...
    s3_endpoint_url: str | None = None
    s3_region: str = "us-east-1"
    # Unset keys: boto3's own chain (AWS_* variables, instance or pod roles).
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None
    s3_addressing_style: Literal["auto", "path", "virtual"] = "auto"
    # The largest body the app's own signed upload route takes (the local store's uploads);
    # each signed URL still allows only the exact size it was signed for.
    storage_max_upload_bytes: int = Field(default=DEFAULT_MAX_UPLOAD_BYTES, ge=1024)

    @model_validator(mode="after")
    def _keys_in_pairs(self) -> StorageSettings:
        if (self.s3_access_key_id is None) != (self.s3_secret_access_key is None):
            raise ValueError(
                "set both XENTRI_S3_ACCESS_KEY_ID and XENTRI_S3_SECRET_ACCESS_KEY, or neither"
            )
        if self.s3_bucket is None and (self.s3_endpoint_url or self.s3_access_key_id):
            raise ValueError("XENTRI_S3_BUCKET is required when S3 is configured")
        return self

    @property
    def uses_s3(self) -> bool:
        return self.s3_bucket is not None
