"""Effective configuration: environment (XENTRI_*), optional .env, then defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "test", "production"]

SECRET_FIELDS = frozenset(
    {"secret_key", "database_app_password", "database_system_password", "smtp_url"}
)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="XENTRI_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    environment: Environment = "development"
    home: Path = Path(".xentri")
    secret_key: SecretStr | None = None

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)

    database_url: str | None = None
    database_app_url: str | None = None
    database_app_role: str = "xentri_app"
    database_app_password: SecretStr | None = None
    database_system_url: str | None = None
    database_system_role: str = "xentri_system"
    database_system_password: SecretStr | None = None
    database_pool_size: int = Field(default=10, ge=1)
    redis_url: str | None = None

    max_body_bytes: int = Field(default=1024 * 1024, ge=1)
    rate_limit_per_second: int = Field(default=100, ge=1)
    rate_limit_burst_seconds: float = Field(default=1.0, gt=0)
    rate_limit_overrides: dict[str, int] = Field(default_factory=dict)
    idempotency_ttl_hours: int = Field(default=24, ge=1)
    events_stream_maxlen: int = Field(default=100_000, ge=1000)
    dlq_alert_threshold: int = Field(default=5, ge=1)

    public_url: str | None = None  # how people reach Xentri, for links in email
    smtp_url: SecretStr | None = None  # smtp://user:pass@host:587; unset: the dev mailbox

    log_level: str = "INFO"
    log_format: Literal["auto", "json", "console"] = "auto"

    @model_validator(mode="after")
    def _production_needs_public_url(self) -> Settings:
        if self.environment == "production" and not self.public_url:
            raise ValueError("XENTRI_PUBLIC_URL is required in production (links in email)")
        return self

    @field_validator("home")
    @classmethod
    def _absolute_home(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @property
    def uses_embedded_postgres(self) -> bool:
        return self.database_url is None

    @property
    def uses_embedded_redis(self) -> bool:
        return self.redis_url is None

    def masked(self) -> dict[str, Any]:
        """Return the configuration as plain values with every secret masked."""
        values = self.model_dump(mode="json")
        for name in SECRET_FIELDS:
            if values.get(name) is not None:
                values[name] = "********"
        for name in ("database_url", "database_app_url", "database_system_url", "redis_url"):
            if values.get(name):
                values[name] = mask_url_password(values[name])
        return values


def mask_url_password(url: str) -> str:
    """Hide the password part of a connection URL."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, _, location = rest.rpartition("@")
    user, has_password, _ = credentials.partition(":")
    if not has_password:
        return url
    return f"{scheme}://{user}:********@{location}"
