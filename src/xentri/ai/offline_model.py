"""The offline engine hosted as a pydantic-ai function model, so agents run the same code with or
without a cloud model.

The engine works on typed context (the Brief, records), not on prompt text: the caller hands it a
responder for the task at hand, which the model function calls with the user's words. A
structured-output request gets the responder's dict as the output tool's arguments.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator, Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from pydantic_ai import ModelMessage, ModelRequest, ModelResponse, TextPart, ToolCallPart
from pydantic_ai.messages import UserPromptPart
from pydantic_ai.models.function import AgentInfo, FunctionModel


@dataclass(frozen=True)
class OfflinePrompt:
    text: str  # the user's latest words
    wants_structure: bool  # an output model is expected: answer with its fields as a dict


# What the offline engine says to a prompt: text, or a structured output's fields.
OfflineResponder = Callable[[OfflinePrompt], "str | dict[str, Any]"]

_responder: ContextVar[OfflineResponder | None] = ContextVar("offline_responder", default=None)


@contextlib.contextmanager
def responding_with(responder: OfflineResponder) -> Iterator[None]:
    """Route offline model calls made inside the block to `responder`."""
    token = _responder.set(responder)
    try:
        yield
    finally:
        _responder.reset(token)


def offline_model(default: OfflineResponder) -> FunctionModel:
    """The offline model; `default` answers when the caller named no responder."""

    def respond(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        answer = _answer(messages, info, default)
        if info.output_tools:
            if not isinstance(answer, dict):
                answer = {"text": answer}
            return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, answer)])
        return ModelResponse(parts=[TextPart(answer if isinstance(answer, str) else str(answer))])

    async def stream(messages: list[ModelMessage], info: AgentInfo) -> AsyncIterator[str]:
        answer = _answer(messages, info, default)
        text = answer if isinstance(answer, str) else str(answer)
        # Word by word, as a cloud model streams, so the client's rendering path is the same.
        for chunk in re.findall(r"\S+\s*|\s+", text):
            yield chunk

    return FunctionModel(respond, stream_function=stream, model_name="xentri-offline")


def _answer(
    messages: list[ModelMessage], info: AgentInfo, default: OfflineResponder
) -> str | dict[str, Any]:
    responder = _responder.get() or default
    return responder(
        OfflinePrompt(text=_last_user_text(messages), wants_structure=bool(info.output_tools))
    )


def _last_user_text(messages: list[ModelMessage]) -> str:
    for message in reversed(messages):
        if isinstance(message, ModelRequest):
            for part in reversed(message.parts):
                if isinstance(part, UserPromptPart) and isinstance(part.content, str):
                    return part.content
    return ""
