"""XENTRI_HOME: the directory holding embedded data and the generated secret key."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from pydantic import SecretStr

from xentri.kernel.config import Settings
from xentri.kernel.errors import StartupError

SECRET_FILE = "secret_key"  # noqa: S105 - a file name, not a secret


def ensure_home(home: Path) -> Path:
    """Create XENTRI_HOME if needed and prove it is writable."""
    try:
        home.mkdir(parents=True, exist_ok=True)
        probe = home / ".write-probe"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        raise StartupError(f"XENTRI_HOME {home} is not writable: {exc.strerror or exc}") from exc
    return home


def with_secret_key(settings: Settings) -> Settings:
    """Return settings whose secret key is set, generating and keeping one in XENTRI_HOME."""
    if settings.secret_key is not None:
        return settings
    if settings.environment == "production":
        raise StartupError(
            "XENTRI_SECRET_KEY must be set in production (every replica needs the same one)"
        )
    path = ensure_home(settings.home) / SECRET_FILE
    if path.exists():
        key = path.read_text().strip()
    else:
        key = secrets.token_urlsafe(48)
        # Created 0600 before the key is written so it is never readable by others.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
    return settings.model_copy(update={"secret_key": SecretStr(key)})
