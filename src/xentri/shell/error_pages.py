"""A page, not a problem document, when a person's browser asks for something that is not there.

API clients, health checks and assets keep RFC 9457 problems (the kernel's handler); only a
browser navigation (Accept: text/html) to a page path gets this page, in the person's language.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import cast

import structlog
from fastapi import FastAPI, Request
from starlette.exceptions import HTTPException
from starlette.responses import Response

from xentri.shell.templating import render
from xentri.shell.visitor import current_visitor

log = structlog.get_logger("xentri.shell")

_NOT_PAGES = ("/api/", "/health", "/metrics", "/assets/", "/dev/")
_PAGE_STATUSES = frozenset({404, 405})

Handler = Callable[[Request, Exception], Awaitable[Response]]


def wants_page(request: Request) -> bool:
    if request.url.path.startswith(_NOT_PAGES):
        return False
    return "text/html" in request.headers.get("accept", "")


def install_error_pages(app: FastAPI) -> None:
    # The kernel's handler (install_problem_handlers) is a coroutine function.
    problem_handler = cast(Handler, app.exception_handlers[HTTPException])

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code not in _PAGE_STATUSES or not wants_page(request):
            return await problem_handler(request, exc)
        try:
            visitor = await current_visitor(request)
            return render(request, visitor, "errors/not_found.html", status=exc.status_code)
        # An error page must never turn a 404 into a 500 (logged, then the plain problem).
        except Exception:
            log.exception("error_page_failed", path=request.url.path)
            return await problem_handler(request, exc)

    app.add_exception_handler(HTTPException, on_http_error)
