"""What every report endpoint shares: the period's checks, translated category labels, and the
CSV answer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import Request, Response

from xentri.categories.finance.expenses_domain import InvalidExpenseError, category_label
from xentri.contracts.problem import FieldError
from xentri.kernel.i18n import negotiate

MAX_PERIOD_DAYS = 3660  # ten years: a longer period is a mistake, not a report


def check_period(start: date, end: date) -> None:
    if end < start:
        raise InvalidExpenseError(
            [FieldError(field="query.end", message="must not be before start", code="date_order")]
        )
    if (end - start).days > MAX_PERIOD_DAYS:
        raise InvalidExpenseError(
            [
                FieldError(
                    field="query.end",
                    message=f"a report covers at most {MAX_PERIOD_DAYS} days",
                    code="period_too_long",
                )
            ]
        )


def labeller(request: Request) -> Callable[[str], str]:
    """A category's label in the caller's language (Accept-Language)."""
    # The shell loads the catalogs once at start-up; categories translate with the same ones.
    language = negotiate(choice=None, accept_language=request.headers.get("accept-language"))
    gettext = request.app.state.shell.catalogs.get(language).gettext
    return lambda category: category_label(category, gettext)


def csv_response(text: str, filename: str) -> Response:
    # A byte-order mark so spreadsheet programs read the accents as UTF-8.
    return Response(
        ("\ufeff" + text).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


CSV_RESPONSE: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}}}}
