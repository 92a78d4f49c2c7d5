"""The composition root: the one place the app is assembled from settings and its parts."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from pydantic import ValidationError

from xentri.ai.config import AiSettings
from xentri.ai.copilot import api as copilot_api
from xentri.ai.memory.embeddings import (
    Embedder,
    MemorySettings,
    embedder_from_settings,
)
from xentri.ai.registry import AgentRegistry, RegistryError, load_agent_registry
from xentri.brief_offerings import ApprovedBriefOfferings
from xentri.catalog import api as catalog_api
from xentri.categories.finance import api as finance_api
from xentri.categories.finance import expenses_api, reports_api
from xentri.categories.finance import views as finance_views
from xentri.categories.finance.invoice_documents_api import router as invoice_documents_api
from xentri.categories.finance.invoice_public_views import public_invoice_pages
from xentri.categories.strategy import api as strategy_api
from xentri.categories.strategy import views as strategy_views
from xentri.copilot_badges import BADGE_SOURCES
from xentri.identity import api as identity_api
from xentri.identity import events as _identity_events  # noqa: F401 - registers the events
from xentri.identity.caller_org import CallerOrgMiddleware
from xentri.identity.mailer import DevMailbox, Mailer, SmtpMailer
from xentri.identity.oidc import OidcSettings
from xentri.kernel.config import Settings
from xentri.kernel.dataplane import DataPlane
from xentri.kernel.errors import StartupError
from xentri.kernel.http.app import create_app
from xentri.kernel.storage import LOCAL_OBJECTS_PATH, StorageSettings, object_storage_for
from xentri.kernel.storage import routes as storage_routes
from xentri.notifications import api as notifications_api
from xentri.pulse import api as pulse_api
from xentri.pulse.live import install_live_pulse
from xentri.pulse.views import pulse_pages
from xentri.shell import install_shell, shell_routers
from xentri.shell import larger_bodies as shell_larger_bodies

# Modules whose payload models make up the published event catalogue (`xentri schemas export`).
EVENT_MODULES = (
    "xentri.kernel.events.ops_events",
    "xentri.identity.events",
    "xentri.identity.api_key_events",
    "xentri.identity.invitation_events",
    "xentri.catalog.events",
    "xentri.categories.strategy.events",
    "xentri.pulse.events",
    "xentri.categories.finance.expense_events",
    "xentri.categories.finance.events",
)

# Categories whose HTML pages (views.py + templates/) the shell renders inside its frame.
CATEGORY_TEMPLATES = ("xentri.categories.strategy", "xentri.categories.finance")


def build_app(
    settings: Settings, plane: DataPlane, *, ai_settings: AiSettings | None = None
) -> FastAPI:
    return compose(
        settings,
        database_url=plane.app_database_url,
        redis_url=plane.redis_url,
        ai_settings=ai_settings,
    )


def compose(
    settings: Settings,
    *,
    database_url: str,
    redis_url: str,
    extra_routers: tuple[APIRouter, ...] = (),
    oidc_settings: OidcSettings | None = None,
    ai_settings: AiSettings | None = None,
    storage_settings: StorageSettings | None = None,
) -> FastAPI:
    """The whole app from settings and URLs (tests call this with the test run's servers)."""
    storage_settings = storage_settings or storage_from_environment()
    app = create_app(
        settings,
        database_url=database_url,
        redis_url=redis_url,
        routers=(
            *identity_api.routers,
            *catalog_api.routers,
            *notifications_api.routers,
            *copilot_api.routers,
            *strategy_api.routers,
            *expenses_api.routers,
            *reports_api.routers,
            storage_routes.router,
            *pulse_api.routers,
            pulse_pages,
            *finance_api.routers,
            invoice_documents_api,
            public_invoice_pages,
            *strategy_views.routers,
            *finance_views.routers,
            *shell_routers,
            *extra_routers,
        ),
        caller_middleware=CallerOrgMiddleware,
        larger_bodies={
            **shell_larger_bodies,
            **finance_views.LARGER_BODIES,
            LOCAL_OBJECTS_PATH: storage_settings.storage_max_upload_bytes,
        },
    )
    app.state.mailer = mailer_for(settings)
    # Uploaded files (receipts): XENTRI_HOME/objects, or the bucket XENTRI_S3_* names.
    app.state.storage = object_storage_for(settings, storage_settings)
    install_live_pulse(app)
    # Finance picks invoice lines from the approved Brief's offerings (when there is one).
    app.state.finance_offerings = ApprovedBriefOfferings()
    install_shell(app, template_packages=CATEGORY_TEMPLATES)
    app.state.copilot_badge_sources = BADGE_SOURCES
    app.state.ai_settings = (
        ai_settings if ai_settings is not None else ai_settings_from_environment()
    )
    app.state.oidc_settings = (
        oidc_settings if oidc_settings is not None else oidc_from_environment()
    )
    return app


def agent_registry_at_startup() -> AgentRegistry:
    """The agents, souls and tools, checked once: a broken registry stops the start."""
    try:
        return load_agent_registry()
    except RegistryError as exc:
        raise StartupError(f"agent registry: {exc}") from None


def embedder_at_startup() -> Embedder | None:
    """XENTRI_EMBEDDINGS: the embedding model, loaded once. A missing extra stops the start
    (EmbeddingsUnavailableError is a StartupError: one line, no traceback)."""
    try:
        return embedder_from_settings(MemorySettings())
    except ValidationError as exc:
        raise StartupError(f"invalid setting XENTRI_EMBEDDINGS: {exc.errors()[0]['msg']}") from None


def ai_settings_from_environment() -> AiSettings:
    """XENTRI_LLM_* and the providers' keys; a cloud provider without its key stops the start."""
    try:
        return AiSettings()
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        where = f"XENTRI_{field.upper()}: " if field else ""
        raise StartupError(f"invalid AI setting {where}{first['msg']}") from None


def oidc_from_environment() -> OidcSettings:
    """XENTRI_OIDC_* (optional sign-in through an OpenID provider); bad values stop the start."""
    try:
        return OidcSettings()
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise StartupError(f"invalid setting XENTRI_OIDC_{field.upper()}: {first['msg']}") from None


def storage_from_environment() -> StorageSettings:
    """XENTRI_S3_* (an S3-compatible bucket) and XENTRI_STORAGE_*; bad values stop the start."""
    try:
        return StorageSettings()
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        where = f"XENTRI_{field.upper()}: " if field else ""
        raise StartupError(f"invalid storage setting {where}{first['msg']}") from None


def mailer_for(settings: Settings) -> Mailer:
    if settings.smtp_url is not None:
        return SmtpMailer(settings.smtp_url.get_secret_value())
    return DevMailbox()


def app_from_environment() -> FastAPI:
    """Uvicorn factory for the split shape: external servers only, settings from the environment."""
    from xentri.kernel.dataplane import start_data_plane
    from xentri.kernel.home import with_secret_key
    from xentri.kernel.logging import configure_logging

    settings = with_secret_key(Settings())
    configure_logging(level=settings.log_level, fmt=settings.log_format)
    return build_app(settings, start_data_plane(settings))
