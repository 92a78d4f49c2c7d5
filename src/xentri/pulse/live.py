"""Live Pulse: server-sent events that tell open pages about new and withdrawn items, without a
reload.

One LISTEN connection per web process (not one per page) receives the NOTIFY that
`service.record_item` and `service.withdraw_items` send at commit, and fans it out to the open
streams of that org; each stream sends only what its reader may see, with the fresh count of
their landing Pulse (the badge). NOTIFY is a wake-up, not a queue: when the listening connection
is lost, every stream is told to `resync`, and a browser that reconnects refetches what it
shows, so a lost wake-up never loses an item (the items are in PostgreSQL). Streams end when the
server starts stopping (see `ShutdownHooks`), and after a bounded lifetime in any case;
EventSource reconnects by itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import psycopg
import structlog
from fastapi import APIRouter, FastAPI, Request
from starlette.responses import StreamingResponse

from xentri.identity.http import CurrentCaller, org_scope, requested_org
from xentri.kernel.db.urls import libpq_uri
from xentri.pulse import reading, service
from xentri.pulse.landing import landing_scope

log = structlog.get_logger("xentri.pulse.live")

RESYNC = "resync"
_CLOSE = "close"
QUEUE_SIZE = 100


class PulseHub:
    """The process's listener and the queues of its open streams, by org."""

    def __init__(self, database_url: str, *, retry_seconds: float = 1.0) -> None:
        self._url = libpq_uri(database_url)
        self._retry = retry_seconds
        self._queues: dict[uuid.UUID, set[asyncio.Queue[str]]] = {}
        self._task: asyncio.Task[None] | None = None
        self.closed = False
        self.listening = asyncio.Event()  # set once LISTEN is in place (tests wait for it)

    def subscribe(self, org_id: uuid.UUID) -> asyncio.Queue[str]:
        queue: asyncio.Queue[str] = asyncio.Queue(maxsize=QUEUE_SIZE)
        if self.closed:
            queue.put_nowait(_CLOSE)
            return queue
        self._queues.setdefault(org_id, set()).add(queue)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._listen())
        return queue

    def unsubscribe(self, org_id: uuid.UUID, queue: asyncio.Queue[str]) -> None:
        found = self._queues.get(org_id)
        if found is not None:
            found.discard(queue)
            if not found:
                del self._queues[org_id]

    def close(self) -> None:
        """End every open stream now (the server is stopping); new ones end at once."""
        self.closed = True
        for queues in self._queues.values():
            for queue in queues:
                _offer(queue, _CLOSE)
        if self._task is not None:
            self._task.cancel()

    async def _listen(self) -> None:
        lost = False
        while not self.closed:
            try:
                async with await psycopg.AsyncConnection.connect(
                    self._url, autocommit=True
                ) as conn:
                    await conn.execute(f"listen {service.NOTIFY_CHANNEL}")
                    self.listening.set()
                    if lost:  # whatever was sent meanwhile was missed: pages refetch
                        self._broadcast(RESYNC)
                    async for notice in conn.notifies():
                        self._deliver(notice.payload)
            except psycopg.Error as exc:
                self.listening.clear()
                log.warning("pulse_listen_failed", error=str(exc))
                lost = True
                await asyncio.sleep(self._retry)

    def _deliver(self, payload: str) -> None:
        try:
            org_id = uuid.UUID(json.loads(payload)["org_id"])
        except (ValueError, KeyError, TypeError):
            return
        for queue in self._queues.get(org_id, ()):
            _offer(queue, payload)

    def _broadcast(self, message: str) -> None:
        for queues in self._queues.values():
            for queue in queues:
                _offer(queue, message)


def _offer(queue: asyncio.Queue[str], message: str) -> None:
    # A reader too slow to keep up gets one `resync` instead of an unbounded backlog.
    try:
        queue.put_nowait(message)
    except asyncio.QueueFull:
        with contextlib.suppress(asyncio.QueueEmpty):
            queue.get_nowait()
        queue.put_nowait(RESYNC)


def install_live_pulse(
    app: FastAPI, *, heartbeat_seconds: float = 15, lifetime_seconds: float = 300
) -> None:
    """Give the app its hub, and let the server end the streams when it starts stopping."""
    app.state.pulse_hub = PulseHub(app.state.engine.url.render_as_string(hide_password=False))
    app.state.pulse_stream_timing = (heartbeat_seconds, lifetime_seconds)
    hooks: list[Callable[[], None]] = getattr(app.state, "shutdown_hooks", [])
    hooks.append(app.state.pulse_hub.close)
    app.state.shutdown_hooks = hooks


router = APIRouter(prefix="/api/v1/pulse", tags=["pulse"])


@router.get(
    "/stream",
    summary="Pulse items as server-sent events (`item`, `withdrawn`, `count`, `resync`)",
    response_class=StreamingResponse,
)
async def stream(
    request: Request, caller: CurrentCaller, org: uuid.UUID | None = None
) -> StreamingResponse:
    # EventSource sends no headers: the page names its org in the query (the gate still checks
    # membership), else the x-org-id header or the session's active org as everywhere.
    org_id = org or requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        viewer = await reading.viewer_of(tx=tx, ctx=ctx)
    hub: PulseHub = request.app.state.pulse_hub
    heartbeat, lifetime = request.app.state.pulse_stream_timing
    queue = hub.subscribe(org_id)

    async def count() -> str:
        async with org_scope(request, caller, org_id) as (tx, ctx):
            last = await service.last_scope(tx=tx, user_id=ctx.user_id)
            scope = landing_scope(viewer, last=last)
            found = await service.count_in(
                tx=tx, scope=scope, user_id=ctx.user_id, now=datetime.now(UTC)
            )
        return _event("count", {"scope": scope, "count": found})

    async def events() -> AsyncIterator[str]:
        loop = asyncio.get_running_loop()
        ends = loop.time() + lifetime
        try:
            yield "retry: 3000\n\n"
            # The first count promises that what follows is heard: wait (briefly) for LISTEN.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(hub.listening.wait(), timeout=2)
            yield await count()
            while (left := ends - loop.time()) > 0:
                try:
                    message = await asyncio.wait_for(queue.get(), timeout=min(heartbeat, left))
                except TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                if message == _CLOSE:
                    return
                if message == RESYNC:
                    yield _event(RESYNC, {})
                    yield await count()
                    continue
                notice = json.loads(message)
                if viewer.may_see(notice["scope"]):
                    kind = "withdrawn" if notice.get("withdrawn") else "item"
                    yield _event(kind, {"id": notice["id"], "scope": notice["scope"]})
                    yield await count()
        finally:
            hub.unsubscribe(org_id, queue)

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def _event(name: str, data: dict[str, object]) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"
