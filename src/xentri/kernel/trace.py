"""The trace id of the work in progress (a request, or a handled event), for logs and events."""

from __future__ import annotations

import secrets
from contextvars import ContextVar

_trace_id: ContextVar[str | None] = ContextVar("xentri_trace_id", default=None)


def current_trace_id() -> str | None:
    return _trace_id.get()


def set_trace_id(trace_id: str | None) -> None:
    _trace_id.set(trace_id)


def new_trace_id() -> str:
    return secrets.token_hex(16)
