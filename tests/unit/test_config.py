"""Settings: environment prefix, masking, the generated secret key."""

from __future__ import annotations

import stat

import pytest
from pydantic import SecretStr

from xentri.kernel.config import Settings, mask_url_password
from xentri.kernel.errors import StartupError
from xentri.kernel.home import ensure_home, with_secret_key


def test_reads_prefixed_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("XENTRI_PORT", "9001")
    monkeypatch.setenv("XENTRI_HOME", str(tmp_path / "h"))
    monkeypatch.setenv("XENTRI_RATE_LIMIT_OVERRIDES", '{"POST /api/v1/auth/login": 5}')

    settings = Settings()

    assert settings.port == 9001
    assert settings.home == tmp_path / "h"
    assert settings.rate_limit_overrides == {"POST /api/v1/auth/login": 5}
    assert settings.uses_embedded_postgres
    assert settings.uses_embedded_redis


def test_masked_hides_every_secret(tmp_path):
    settings = Settings(
        home=tmp_path,
        secret_key=SecretStr("top-secret-key"),
        database_url="postgresql://owner:pa55word@db.internal:5432/xentri",
        redis_url="redis://:redispass@cache:6379/0",
        database_app_password=SecretStr("app-pass"),
    )

    masked = settings.masked()

    rendered = repr(masked)
    for secret in ("top-secret-key", "pa55word", "redispass", "app-pass"):
        assert secret not in rendered
    assert masked["database_url"] == "postgresql://owner:********@db.internal:5432/xentri"
    assert masked["redis_url"] == "redis://:********@cache:6379/0"
    assert masked["secret_key"] == "********"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u@host/db", "postgresql://u@host/db"),
        ("unix:///tmp/redis.sock", "unix:///tmp/redis.sock"),
        ("postgresql://u:p@ss@host/db", "postgresql://u:********@host/db"),
    ],
)
def test_mask_url_password(url, expected):
    assert mask_url_password(url) == expected


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = with_secret_key(Settings(home=tmp_path))
    second = with_secret_key(Settings(home=tmp_path))

    assert first.secret_key is not None
    assert first.secret_key.get_secret_value() == second.secret_key.get_secret_value()
    assert len(first.secret_key.get_secret_value()) >= 48
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600


def test_given_secret_key_is_not_replaced(tmp_path):
    settings = with_secret_key(Settings(home=tmp_path, secret_key=SecretStr("mine")))

    assert settings.secret_key.get_secret_value() == "mine"
    assert not (tmp_path / "secret_key").exists()


def test_production_refuses_a_generated_secret(tmp_path):
    with pytest.raises(StartupError, match="XENTRI_SECRET_KEY must be set"):
        with_secret_key(
            Settings(home=tmp_path, environment="production", public_url="https://x.example")
        )


def test_unwritable_home_is_a_clear_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")

    with pytest.raises(StartupError, match="is not writable"):
        ensure_home(blocker / "home")


def test_production_requires_a_public_url(tmp_path):
    # Links in email must not follow the request's Host header, which a client can forge.
    with pytest.raises(ValueError, match="XENTRI_PUBLIC_URL is required in production"):
        Settings(home=tmp_path, environment="production", secret_key=SecretStr("k"))
