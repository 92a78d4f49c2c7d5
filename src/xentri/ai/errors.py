"""Why an agent cannot answer right now. Each is a 503 problem; tool endpoints never raise them."""

from __future__ import annotations

from datetime import datetime

from xentri.kernel.errors import DomainError

UNAVAILABLE = "Your assistant is temporarily unavailable. You can keep working; try again shortly."


class ModelUnavailableError(DomainError):
    """The model provider failed (timeout, 429, 5xx, malformed output) after its retries, or
    the worker answering went silent."""

    status = 503
    code = "assistant-unavailable"
    title = "Assistant unavailable"

    def __init__(self, detail: str = UNAVAILABLE, **extensions: object) -> None:
        super().__init__(detail, **extensions)


class BudgetExhaustedError(DomainError):
    """The org spent its tokens for this window; the assistant is back at `next_available`."""

    status = 503
    code = "assistant-on-a-break"
    title = "Assistant on a break"

    def __init__(self, detail: str, *, next_available: datetime) -> None:
        seconds = max(
            int((next_available - datetime.now(next_available.tzinfo)).total_seconds()), 1
        )
        super().__init__(detail, next_available=next_available.isoformat(), retry_after=seconds)
        self.next_available = next_available


class AgentPlaneDownError(DomainError):
    """The category's agent worker has not sent a heartbeat within its timeout."""

    status = 503
    code = "assistant-unavailable"
    title = "Assistant unavailable"
