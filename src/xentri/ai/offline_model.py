"""The offline engine hosted as a pydantic-ai function model, so agents run the same code with or
without a cloud model.

The engine works on typed context (the Brief, records), not on prompt text: the caller hands it a
responder for the task at hand, which the model function calls with the user's words. A
structured-output request gets the responder's dict as the output tool's arguments.

A responder may also call one of the agent's tools (`OfflineToolCall`): pydantic-ai runs it as
it would for a cloud model, and the responder is called again with the tool's result
(`OfflinePrompt.tool_results`) to write the answer. A tool meant to be quoted by the offline
model returns its plain-words answer in an `answer` field (`tool_answer`).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import AsyncIterator, Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic_ai import ModelMessage, ModelRequest, ModelResponse, TextPart, ToolCallPart
from pydantic_ai.messages import ToolReturnPart, UserPromptPart
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, FunctionModel
from pydantic_ai.tools import ToolDefinition


@dataclass(frozen=True)
class ToolResult:
    name: str
    content: Any  # what the tool returned (a model in this run, plain JSON from a history)


@dataclass(frozen=True)
class OfflineToolCall:
    """The responder's choice to call one of the agent's tools before it answers."""

    name: str
    args: dict[str, Any]


@dataclass(frozen=True)
class OfflinePrompt:
    text: str  # the user's latest words
    wants_structure: bool  # an output model is expected: answer with its fields as a dict
    tools: tuple[ToolDefinition, ...] = ()  # the agent's tools the model may call now
    tool_results: tuple[ToolResult, ...] = ()  # what tools returned since the user's words

    def tool(self, name: str) -> ToolDefinition | None:
        return next((tool for tool in self.tools if tool.name == name), None)


# What the offline engine says to a prompt: text, a structured output's fields, or a tool call.
OfflineResponder = Callable[[OfflinePrompt], "str | dict[str, Any] | OfflineToolCall"]

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
        if isinstance(answer, OfflineToolCall):
            return ModelResponse(parts=[ToolCallPart(answer.name, answer.args)])
        if info.output_tools:
            if not isinstance(answer, dict):
                answer = {"text": answer}
            return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, answer)])
        return ModelResponse(parts=[TextPart(answer if isinstance(answer, str) else str(answer))])

    async def stream(
        messages: list[ModelMessage], info: AgentInfo
    ) -> AsyncIterator[str | dict[int, DeltaToolCall]]:
        answer = _answer(messages, info, default)
        if isinstance(answer, OfflineToolCall):
            yield {0: DeltaToolCall(name=answer.name, json_args=json.dumps(answer.args))}
            return
        text = answer if isinstance(answer, str) else str(answer)
        # Word by word, as a cloud model streams, so the client's rendering path is the same.
        for chunk in re.findall(r"\S+\s*|\s+", text):
            yield chunk

    return FunctionModel(respond, stream_function=stream, model_name="xentri-offline")


def _answer(
    messages: list[ModelMessage], info: AgentInfo, default: OfflineResponder
) -> str | dict[str, Any] | OfflineToolCall:
    responder = _responder.get() or default
    results = _tool_results(messages)
    answer = responder(
        OfflinePrompt(
            text=_last_user_text(messages),
            wants_structure=bool(info.output_tools),
            tools=tuple(info.function_tools),
            tool_results=results,
        )
    )
    if isinstance(answer, OfflineToolCall) and any(r.name == answer.name for r in results):
        # A responder that asks for the same tool again would loop until the request limit.
        raise RuntimeError(f"the offline responder called {answer.name} twice for one question")
    return answer


def tool_answer(result: ToolResult) -> str:
    """The plain-words answer a tool returned, for the offline model to quote."""
    content = result.content
    if isinstance(content, BaseModel):
        content = content.model_dump(mode="json")
    if isinstance(content, dict) and isinstance(content.get("answer"), str):
        return str(content["answer"])
    return content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)


def _tool_results(messages: list[ModelMessage]) -> tuple[ToolResult, ...]:
    """The tool returns after the user's latest words (a thread's older turns have their own)."""
    found: list[ToolResult] = []
    for message in reversed(messages):
        if not isinstance(message, ModelRequest):
            continue
        for part in reversed(message.parts):
            if isinstance(part, UserPromptPart):
                return tuple(reversed(found))
            if isinstance(part, ToolReturnPart):
                found.append(ToolResult(name=part.tool_name, content=part.content))
    return tuple(reversed(found))


def _last_user_text(messages: list[ModelMessage]) -> str:
    for message in reversed(messages):
        if isinstance(message, ModelRequest):
            for part in reversed(message.parts):
                if isinstance(part, UserPromptPart) and isinstance(part.content, str):
                    return part.content
    return ""
