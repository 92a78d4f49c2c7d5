"""Field errors of the profile, organization and region forms (wizard and settings share them),
in the visitor's language."""

from __future__ import annotations

from fastapi import Request, Response
from pydantic import ValidationError

from xentri.kernel.i18n import supported_language
from xentri.shell.formatting import DATE_FORMATS
from xentri.shell.forms import field_errors
from xentri.shell.i18n import LANG_COOKIE, LANG_COOKIE_MAX_AGE, N_
from xentri.shell.region import CURRENCIES, known_time_zone
from xentri.shell.visitor import Visitor

_PROFILE_REQUIRED = {"name": N_("Enter your name.")}
_ORG_REQUIRED = {"name": N_("Enter your organization's name.")}


def profile_errors(
    exc: ValidationError, visitor: Visitor, values: dict[str, str]
) -> dict[str, str]:
    errors = field_errors(exc, visitor, _PROFILE_REQUIRED, values)
    if "phone" in errors and values.get("phone"):
        errors["phone"] = visitor.gettext(
            "Enter a phone number with digits, spaces or dashes, and + for the country code."
        )
    return errors


def org_errors(exc: ValidationError, visitor: Visitor, values: dict[str, str]) -> dict[str, str]:
    errors = field_errors(exc, visitor, _ORG_REQUIRED, values)
    # Time zone and currency are not on the organization step: a problem with them is ours.
    return {name: text for name, text in errors.items() if name in ("name", "industry", "size")}


def region_errors(
    visitor: Visitor, values: dict[str, str], *, with_date_format: bool = False
) -> dict[str, str]:
    choose = visitor.gettext("Choose one of the options.")
    errors: dict[str, str] = {}
    if "language" in values and supported_language(values["language"]) != values["language"]:
        errors["language"] = choose
    if "time_zone" in values and known_time_zone(values["time_zone"]) is None:
        errors["time_zone"] = choose
    if "currency" in values and values["currency"] not in CURRENCIES:
        errors["currency"] = choose
    if with_date_format and values.get("date_format") not in DATE_FORMATS:
        errors["date_format"] = choose
    return errors


def set_language_cookie(request: Request, response: Response, language: str) -> None:
    response.set_cookie(
        LANG_COOKIE,
        language,
        max_age=LANG_COOKIE_MAX_AGE,
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="lax",
        path="/",
    )
