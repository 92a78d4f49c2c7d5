"""Copilot questions travel to the category's agent worker over Redis Streams, and the answer
streams back on a stream of its own (ADR-004: agents run in their category's worker).

`agents:{category}:asks` is read by the category's workers as one consumer group; each reply is
written to `agents:reply:{ask_id}` as deltas and then one `done` or `error` entry, so the web
process can relay it to the browser as it comes.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, Field
from redis.asyncio import Redis
from redis.exceptions import TimeoutError as RedisTimeoutError

from xentri.ai.errors import ModelUnavailableError
from xentri.contracts.brief import BriefSection
from xentri.kernel.events.envelope_rows import field_text

REPLY_TTL_SECONDS = 300
_READ_BLOCK_MS = 200
_ALIVE_CHECK_SECONDS = 1.0
ASKS_MAXLEN = 10_000


def asks_stream(category: str) -> str:
    return f"agents:{category}:asks"


def reply_stream(ask_id: uuid.UUID) -> str:
    return f"agents:reply:{ask_id}"


class Ask(BaseModel):
    """One question for a copilot, with what the worker needs to answer it."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    org_id: uuid.UUID
    user_id: uuid.UUID
    scope: str
    prompt: str
    language: Literal["en", "es"] = "en"
    history: str | None = None  # pydantic-ai messages as JSON: a thread's earlier turns
    brief_section: BriefSection | None = None  # what the asker was looking at (the widget)
    # A worker that picks the ask up later (it was down, the web process gave up) drops it.
    expires_at: datetime = Field(default_factory=lambda: datetime.now(UTC) + timedelta(seconds=120))


@dataclass(frozen=True)
class ReplyItem:
    kind: Literal["delta", "done", "error"]
    text: str = ""
    data: dict[str, Any] | None = None


async def send_ask(redis: Redis, category: str, ask: Ask) -> None:
    await redis.xadd(
        asks_stream(category),
        {"ask": ask.model_dump_json()},
        maxlen=ASKS_MAXLEN,
        approximate=True,
    )


async def write_reply(redis: Redis, ask_id: uuid.UUID, item: ReplyItem) -> None:
    fields: dict[str, str] = {"kind": item.kind, "text": item.text}
    if item.data is not None:
        fields["data"] = json.dumps(item.data, default=str)
    stream = reply_stream(ask_id)
    async with redis.pipeline(transaction=False) as pipe:
        pipe.xadd(stream, fields)  # type: ignore[arg-type]
        pipe.expire(stream, REPLY_TTL_SECONDS)
        await pipe.execute()


async def read_reply(
    redis: Redis,
    ask_id: uuid.UUID,
    *,
    first_timeout: float,
    idle_timeout: float,
    worker_alive: Callable[[], Awaitable[bool]] | None = None,
) -> AsyncIterator[ReplyItem]:
    """The reply's items until `done` or `error`; a worker silent for too long is an error, and
    so is one whose heartbeat stops while we wait (it died with the ask in hand).

    Reads block briefly and repeat until the deadline: the web process's Redis client has a
    short socket timeout, which one long blocking read would exceed.
    """
    stream = reply_stream(ask_id)
    last = "0-0"
    loop = asyncio.get_running_loop()
    deadline = loop.time() + first_timeout
    next_check = loop.time() + _ALIVE_CHECK_SECONDS
    while True:
        now = loop.time()
        if now > deadline:
            raise ModelUnavailableError()
        if worker_alive is not None and now > next_check:
            next_check = now + _ALIVE_CHECK_SECONDS
            if not await worker_alive():
                raise ModelUnavailableError()
        try:
            response: Any = await redis.xread({stream: last}, count=100, block=_READ_BLOCK_MS)
        except RedisTimeoutError:
            # A busy server answered late; the deadline, not one slow read, decides.
            continue
        for _stream, entries in response or []:
            for entry_id, fields in entries:
                last = field_text(entry_id)
                decoded = {field_text(k): field_text(v) for k, v in fields.items()}
                item = ReplyItem(
                    kind=decoded["kind"],  # type: ignore[arg-type]
                    text=decoded.get("text", ""),
                    data=json.loads(decoded["data"]) if "data" in decoded else None,
                )
                yield item
                if item.kind in ("done", "error"):
                    return
            deadline = loop.time() + idle_timeout
