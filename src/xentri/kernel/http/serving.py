"""The uvicorn server Xentri runs: it ends long-lived responses when shutdown begins.

uvicorn's graceful shutdown waits for every open response to finish, and a stream of
server-sent events never finishes by itself: an open browser tab would hold the server until
its graceful timeout. Parts that keep such streams open add a callable to
`app.state.shutdown_hooks`; this server calls them before uvicorn starts waiting.
"""

from __future__ import annotations

import socket
from collections.abc import Callable

import uvicorn
from starlette.applications import Starlette


class Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, *, app: Starlette) -> None:
        super().__init__(config)
        self._app = app

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        hooks: list[Callable[[], None]] = getattr(self._app.state, "shutdown_hooks", [])
        for hook in hooks:
            hook()
        await super().shutdown(sockets=sockets)
