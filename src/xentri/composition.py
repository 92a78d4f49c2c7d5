"""The composition root: the one place the app is assembled from settings and its parts."""

from __future__ import annotations

from fastapi import FastAPI

from xentri.kernel.config import Settings
from xentri.kernel.dataplane import DataPlane
from xentri.kernel.http.app import create_app


def build_app(settings: Settings, plane: DataPlane) -> FastAPI:
    return create_app(
        settings,
        database_url=plane.app_database_url,
        redis_url=plane.redis_url,
        routers=(),
    )


def app_from_environment() -> FastAPI:
    """Uvicorn factory for the split shape: external servers only, settings from the environment."""
    from xentri.kernel.dataplane import start_data_plane
    from xentri.kernel.home import with_secret_key
    from xentri.kernel.logging import configure_logging

    settings = with_secret_key(Settings())
    configure_logging(level=settings.log_level, fmt=settings.log_format)
    return build_app(settings, start_data_plane(settings))
