"""Jinja environments (one per language, gettext installed) and the page response."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    PackageLoader,
    StrictUndefined,
    pass_context,
    select_autoescape,
)
from jinja2.runtime import Context
from starlette.responses import HTMLResponse, RedirectResponse, Response

from xentri.kernel.i18n import SUPPORTED_LANGUAGES, Catalogs
from xentri.shell import csrf
from xentri.shell.assets import Assets
from xentri.shell.formatting import (
    DEFAULT_REGION,
    Region,
    date_in,
    datetime_in,
    money_in,
    number_in,
)
from xentri.shell.i18n import LANGUAGE_NAMES
from xentri.shell.navigation import (
    ROLE_NAMES,
    STATUS_MESSAGES,
    STATUS_NAMES,
    STATUS_TONES,
    categories,
)
from xentri.shell.notices import NOTICE_COOKIE, pending_notice, set_notice
from xentri.shell.visitor import Visitor

THEME_COOKIE = "xentri_theme"
_THEMES = frozenset({"light", "dark"})
# htmx navigations (and their hover prefetches) may be reused briefly by this browser only;
# full page loads are never stored, so the back button after logout shows nothing private.
_HTMX_CACHE = "private, max-age=10"


class Renderer:
    def __init__(
        self, catalogs: Catalogs, assets: Assets, template_packages: tuple[str, ...] = ()
    ) -> None:
        loader = template_loader(template_packages)
        self.envs = {
            lang: self._env(lang, catalogs, assets, loader) for lang in SUPPORTED_LANGUAGES
        }

    @staticmethod
    def _env(lang: str, catalogs: Catalogs, assets: Assets, loader: BaseLoader) -> Environment:
        env = Environment(
            loader=loader,
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.install_gettext_translations(catalogs.get(lang), newstyle=True)  # type: ignore[attr-defined]
        env.globals.update(
            lang=lang,
            asset=assets.url,
            has_asset=assets.has,
            languages=LANGUAGE_NAMES,
            categories=categories(),
            role_names=ROLE_NAMES,
            status_names=STATUS_NAMES,
            status_messages=STATUS_MESSAGES,
            status_tones=STATUS_TONES,
        )

        # The language is the environment's; the org's time zone, date format and currency are
        # the page's (`region`, put in the context by `render`), so one environment per
        # language serves every org.
        @pass_context
        def datetime_filter(ctx: Context, value: Any, fmt: str = "medium") -> str:
            return datetime_in(value, lang, fmt, region=region_of(ctx))

        @pass_context
        def date_filter(ctx: Context, value: Any, fmt: str = "medium") -> str:
            return date_in(value, lang, fmt, region=region_of(ctx))

        @pass_context
        def money_filter(ctx: Context, minor: Any, currency: str | None = None) -> str:
            return money_in(minor, currency or region_of(ctx).currency, lang)

        env.filters["datetime"] = datetime_filter
        env.filters["date"] = date_filter
        env.filters["money"] = money_filter

        @pass_context
        def number_filter(ctx: Context, value: Any) -> str:
            return number_in(value, lang, region_of(ctx).currency)

        env.filters["number"] = number_filter
        return env

    def render(self, lang: str, template: str, context: dict[str, Any]) -> str:
        return self.envs[lang].get_template(template).render(context)


def template_loader(packages: tuple[str, ...]) -> BaseLoader:
    """The shell's templates, then each category's `templates/` (its views own their pages and
    extend the shell's frame and macros). A category keeps its pages under a folder named after
    it (`strategy/brief.html`), so no two packages offer the same name."""
    return ChoiceLoader(
        [
            PackageLoader("xentri.shell", "templates"),
            *(PackageLoader(package, "templates") for package in packages),
        ]
    )


def region_of(ctx: Context) -> Region:
    # A macro imported without context has no page variables: it formats as the default region.
    region = ctx.get("region")
    return region if isinstance(region, Region) else DEFAULT_REGION


def page_region(context: dict[str, Any]) -> Region:
    """The view's explicit `region`, else the current org's (from the frame), else UTC."""
    explicit = context.get("region")
    if isinstance(explicit, Region):
        return explicit
    frame_region = getattr(context.get("frame"), "region", None)
    return frame_region if isinstance(frame_region, Region) else DEFAULT_REGION


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def render(
    request: Request,
    visitor: Visitor,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> HTMLResponse:
    notice = pending_notice(request)
    theme = request.cookies.get(THEME_COOKIE)
    page: dict[str, Any] = {
        "request": request,
        "visitor": visitor,
        "user": visitor.user,
        "csrf_token": visitor.csrf,
        "csrf_field_name": csrf.FIELD,
        "current_path": request.url.path,
        "current_url": _local_url(request),
        "notice": notice,
        "theme": theme if theme in _THEMES else None,
        **(context or {}),
    }
    page["region"] = page_region(page)
    html = request.app.state.shell.renderer.render(visitor.lang, template, page)
    response = HTMLResponse(html, status_code=status)
    response.headers["Content-Language"] = visitor.lang
    cacheable = is_htmx(request) and request.method == "GET" and status == 200 and not notice
    response.headers["Cache-Control"] = _HTMX_CACHE if cacheable else "no-store"
    response.headers["Vary"] = "HX-Request, Cookie, Accept-Language"
    if visitor.nonce_is_new:
        csrf.set_form_cookie(request, response, visitor.form_nonce)
    if notice:
        response.delete_cookie(NOTICE_COOKIE, path="/")
    return response


def redirect(request: Request, url: str, *, notice: str | None = None) -> Response:
    """303 to `url`; an htmx request gets HX-Redirect so the whole page changes, not a part."""
    response: Response
    if is_htmx(request):
        response = Response(status_code=204, headers={"HX-Redirect": url})
    else:
        response = RedirectResponse(url, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    if notice:
        set_notice(request, response, notice)
    return response


def safe_next(value: str | None, default: str = "/dashboard") -> str:
    """Only a path on this site: never another origin (`//evil`, `/\\evil`, `https://…`)."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return default
    if any(ch in value for ch in "\r\n\t") or "\\" in value:
        return default
    return value


def _local_url(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")
