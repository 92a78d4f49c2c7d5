"""Mount the shell on the app: its catalogs, templates, assets and pages, built at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, FastAPI

from xentri.kernel.i18n import Catalogs, load_catalogs
from xentri.kernel.storage import LocalObjectStorage, ObjectStorage
from xentri.shell.api_copilot import router as copilot_widget_api
from xentri.shell.assets import Assets, assets_router
from xentri.shell.copilot_widget import install_widget_globals
from xentri.shell.error_pages import install_error_pages
from xentri.shell.frame import install_sign_in
from xentri.shell.templating import Renderer
from xentri.shell.views_auth import auth_pages
from xentri.shell.views_invitations import invitation_pages
from xentri.shell.views_modules import module_pages
from xentri.shell.views_onboarding import onboarding_pages
from xentri.shell.views_preferences import preference_pages
from xentri.shell.views_recovery import recovery_pages
from xentri.shell.views_settings import settings_pages
from xentri.shell.views_settings_danger import danger_pages
from xentri.shell.views_settings_keys import key_pages
from xentri.shell.views_settings_org import org_settings_pages
from xentri.shell.views_settings_team import team_pages
from xentri.shell.views_workspace import workspace_pages

LOCALES_DIR = Path(__file__).resolve().parents[1] / "locales"

shell_routers: tuple[APIRouter, ...] = (
    assets_router,
    copilot_widget_api,
    auth_pages,
    recovery_pages,
    invitation_pages,
    workspace_pages,
    module_pages,
    preference_pages,
    onboarding_pages,
    settings_pages,
    org_settings_pages,
    team_pages,
    key_pages,
    danger_pages,
)


@dataclass(frozen=True)
class Shell:
    assets: Assets
    catalogs: Catalogs
    renderer: Renderer
    storage: ObjectStorage


def install_shell(app: FastAPI, *, template_packages: tuple[str, ...] = ()) -> None:
    """Load the .po catalogs (compiled in memory) and hash the assets once, at start-up.

    `template_packages`: the categories whose `templates/` the pages may render (the shell
    never imports a category; the composition root names them)."""
    catalogs = load_catalogs(LOCALES_DIR)
    assets = Assets()
    # Uploaded files (org logos) live beside the embedded data, under XENTRI_HOME.
    storage = LocalObjectStorage(app.state.settings.home / "objects")
    app.state.shell = Shell(
        assets=assets,
        catalogs=catalogs,
        renderer=Renderer(catalogs, assets, template_packages),
        storage=storage,
    )
    install_widget_globals(app.state.shell.renderer.envs)
    install_error_pages(app)
    install_sign_in(app)
