"""Every error leaves as application/problem+json with a trace id and never a stack trace."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from xentri.contracts.problem import PROBLEM_BASE, PROBLEM_MEDIA_TYPE, FieldError, Problem
from xentri.kernel.errors import DomainError
from xentri.kernel.trace import current_trace_id

_TYPE_BY_STATUS = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation-failed",
    429: "rate-limited",
    500: "internal-error",
    503: "unavailable",
}


class ProblemError(Exception):
    """Raise from anywhere to answer with a problem; extra keyword fields go into the body."""

    def __init__(
        self,
        status: int,
        *,
        detail: str | None = None,
        slug: str | None = None,
        title: str | None = None,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail or title or HTTPStatus(status).phrase)
        self.status = status
        self.detail = detail
        self.slug = slug
        self.title = title
        self.headers = headers or {}
        self.extensions = extensions


def problem_type(status: int, slug: str | None = None) -> str:
    return PROBLEM_BASE + (slug or _TYPE_BY_STATUS.get(status, "http-" + str(status)))


def problem_response(
    status: int,
    *,
    detail: str | None = None,
    slug: str | None = None,
    title: str | None = None,
    instance: str | None = None,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> Response:
    problem = Problem(
        type=problem_type(status, slug),
        title=title or HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=instance,
        trace_id=current_trace_id(),
        errors=errors,
        **extensions,
    )
    body = orjson.dumps(problem.model_dump(exclude_none=True))
    return Response(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


async def _on_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)
    return problem_response(
        exc.status,
        detail=exc.detail,
        slug=exc.slug,
        title=exc.title,
        instance=request.url.path,
        headers=exc.headers,
        **exc.extensions,
    )


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    detail: str | None = exc.detail if isinstance(exc.detail, str) else None
    if detail == HTTPStatus(exc.status_code).phrase:
        detail = None
    return problem_response(
        exc.status_code,
        detail=detail,
        instance=request.url.path,
        headers=dict(exc.headers or {}),
    )


async def _on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    raw = exc.errors()
    if any(error.get("type") == "json_invalid" for error in raw):
        return problem_response(
            400,
            slug="malformed-json",
            title="Malformed JSON",
            detail="The request body is not valid JSON.",
            instance=request.url.path,
        )
    if _is_body_error(raw) and not _is_json_or_form(request.headers.get("content-type")):
        return problem_response(
            415,
            detail="Send the request body as application/json.",
            instance=request.url.path,
        )
    errors = [
        FieldError(
            field=".".join(str(part) for part in error.get("loc", ())),
            message=str(error.get("msg", "invalid")),
            code=str(error.get("type", "invalid")),
        )
        for error in raw
    ]
    return problem_response(
        422,
        detail="The request has invalid fields.",
        instance=request.url.path,
        errors=errors,
    )


def _is_body_error(errors: Any) -> bool:
    return any(tuple(error.get("loc", ()))[:1] == ("body",) for error in errors)


def _is_json_or_form(content_type: str | None) -> bool:
    if not content_type:
        return True
    media_type = content_type.split(";", 1)[0].strip().lower()
    return (
        media_type == "application/json"
        or media_type.endswith("+json")
        or media_type in {"application/x-www-form-urlencoded", "multipart/form-data"}
    )


async def _on_domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    extensions: dict[str, Any] = dict(exc.extensions)
    retry_after = extensions.get("retry_after")
    return problem_response(
        exc.status,
        slug=exc.code,
        title=exc.title,
        detail=exc.detail,
        instance=request.url.path,
        headers={"Retry-After": str(retry_after)} if retry_after is not None else None,
        **extensions,
    )


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(DomainError, _on_domain_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
