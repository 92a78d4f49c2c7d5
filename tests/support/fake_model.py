"""A real HTTP server on 127.0.0.1 answering like an OpenAI-compatible chat completions API,
for proving what Xentri does with a configured cloud model (XENTRI_LLM_PROVIDER=openai).

Each request takes the next queued reply: a dict is the structured output's arguments (the
output tool's call), an int an HTTP error status. A streamed request (`"stream": true`) gets
the arguments as server-sent chunks of `chunk` characters, `delay` seconds apart; `Cut(n)`
ends the stream after n characters without finishing (a provider dropping mid-reply)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from xentri.ai.config import AiSettings


@dataclass(frozen=True)
class Cut:
    """A streamed reply that stops after `after` characters of its arguments."""

    arguments: dict[str, Any]
    after: int


class FakeModelServer:
    """/v1/chat/completions answering with the output tool call it is given (or an error)."""

    def __init__(self, *, chunk: int = 8, delay: float = 0.0) -> None:
        self.requests: list[dict[str, Any]] = []
        self.replies: list[dict[str, Any] | int | Cut] = []
        self.chunk = chunk
        self.delay = delay
        self.hold = threading.Event()  # cleared: a request waits here before answering
        self.hold.set()
        self.received = threading.Event()  # set when a request has arrived
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["content-length"])))
                server.requests.append({"path": self.path, "body": body})
                server.received.set()
                server.hold.wait(timeout=30)
                reply = server.replies.pop(0)
                if isinstance(reply, int):
                    self._send(reply, {"error": {"message": "overloaded", "type": "server"}})
                    return
                tool = body["tools"][0]["function"]["name"]  # the structured output's tool
                if body.get("stream"):
                    self._stream(body, tool, reply)
                    return
                call = {"name": tool, "arguments": json.dumps(reply)}
                message = {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [{"id": "call_1", "type": "function", "function": call}],
                }
                self._send(
                    200,
                    {
                        **_head(body, "chat.completion"),
                        "choices": [
                            {"index": 0, "message": message, "finish_reason": "tool_calls"}
                        ],
                        "usage": _USAGE,
                    },
                )

            def _stream(self, body: dict[str, Any], tool: str, reply: dict[str, Any] | Cut) -> None:
                arguments = json.dumps(reply.arguments if isinstance(reply, Cut) else reply)
                if isinstance(reply, Cut):
                    arguments = arguments[: reply.after]
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.end_headers()
                head = _head(body, "chat.completion.chunk")
                call = {"index": 0, "id": "call_1", "type": "function"}
                self._chunk(
                    {**head, "choices": [_delta({"role": "assistant", "tool_calls": [
                        {**call, "function": {"name": tool, "arguments": ""}}
                    ]})]}
                )  # fmt: skip
                for start in range(0, len(arguments), server.chunk):
                    piece = arguments[start : start + server.chunk]
                    time.sleep(server.delay)
                    self._chunk(
                        {**head, "choices": [_delta({"tool_calls": [
                            {"index": 0, "function": {"arguments": piece}}
                        ]})]}
                    )  # fmt: skip
                if isinstance(reply, Cut):
                    return  # the connection closes mid-reply
                self._chunk({**head, "choices": [_delta({}, finish="tool_calls")]})
                self._chunk({**head, "choices": [], "usage": _USAGE})
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

            def _chunk(self, payload: dict[str, Any]) -> None:
                self.wfile.write(f"data: {json.dumps(payload)}\n\n".encode())
                self.wfile.flush()

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:  # keep the test output quiet
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.http.server_address[1]}/v1"

    def settings(self) -> AiSettings:
        """What XENTRI_LLM_PROVIDER=openai, XENTRI_LLM_BASE_URL and a key configure."""
        return AiSettings(
            llm_provider="openai",
            llm_base_url=self.base_url,
            openai_api_key="sk-dummy",
            llm_model="fake-llm",
            llm_max_retries=0,
        )

    def __enter__(self) -> FakeModelServer:
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.hold.set()
        self.http.shutdown()
        self.http.server_close()


_USAGE = {"prompt_tokens": 300, "completion_tokens": 60, "total_tokens": 360}


def _head(body: dict[str, Any], kind: str) -> dict[str, Any]:
    return {"id": "chatcmpl-1", "object": kind, "created": 1764072000, "model": body["model"]}


def _delta(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {"index": 0, "delta": delta, "finish_reason": finish}


@pytest.fixture
def fake_model() -> Iterator[FakeModelServer]:
    with FakeModelServer() as server:
        yield server
