"""An interview reply as server-sent events, for the page's script and the JSON API alike.

`delta` events carry the reply's text as it is written; one `done` event ends a stream that
went well (with what the caller adds, e.g. the conversation as it now stands), one `error`
event (a problem's status, code and detail) ends one that did not. The text already streamed
is a preview: the stored reply, which `done` lets the caller show, is what stands (a model
that failed mid-reply is replaced by the offline engine's turn).

The turn runs in its own task, not in the response's: when the owner's connection drops
mid-reply (a café's flaky Wi-Fi), the reply is still written and stored, and the page shows it
when they are back. Each task is kept referenced until it ends.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import structlog
from starlette.responses import StreamingResponse

from xentri.kernel.errors import DomainError

log = structlog.get_logger("xentri.strategy")

_running: set[asyncio.Task[None]] = set()
_END = object()


def event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def wants_stream(accept: str | None) -> bool:
    return "text/event-stream" in (accept or "")


def stream_reply(
    reply: AsyncIterator[str], done: Callable[[], Awaitable[dict[str, Any]]]
) -> StreamingResponse:
    """`reply`'s text as `delta` events, then `done()`'s data as the `done` event."""
    return StreamingResponse(
        _events(_detached(reply), done),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _events(
    reply: AsyncIterator[str], done: Callable[[], Awaitable[dict[str, Any]]]
) -> AsyncIterator[str]:
    try:
        async for text in reply:
            yield event("delta", {"text": text})
        yield event("done", await done())
    except DomainError as exc:
        yield event("error", {"status": exc.status, "code": exc.code, "detail": exc.detail})


async def _detached(reply: AsyncIterator[str]) -> AsyncIterator[str]:
    """`reply` run to its end in a task of its own, its items relayed while someone listens."""
    queue: asyncio.Queue[object] = asyncio.Queue()

    async def run() -> None:
        try:
            async for text in reply:
                queue.put_nowait(text)
        except DomainError as exc:
            queue.put_nowait(exc)
        except Exception as exc:  # the turn is lost; the answer stays waiting for a retry
            log.exception("interview_reply_failed")
            queue.put_nowait(exc)
        finally:
            queue.put_nowait(_END)

    task = asyncio.create_task(run())
    _running.add(task)
    task.add_done_callback(_running.discard)
    while (item := await queue.get()) is not _END:
        if isinstance(item, DomainError):
            raise item
        if isinstance(item, Exception):
            raise ReplyFailedError(
                "The co-pilot could not reply just now. Your answer is saved; try again."
            )
        assert isinstance(item, str)
        yield item


class ReplyFailedError(DomainError):
    status = 503
    code = "reply-failed"
    title = "No reply this time"
