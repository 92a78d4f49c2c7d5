"""The offline model calls an agent's tool when its responder asks for one, and answers from the
result; results from a thread's earlier turns are not taken for the new question's."""

from __future__ import annotations

import pytest
from pydantic import BaseModel
from pydantic_ai import Agent, Tool

from xentri.ai.offline_model import (
    OfflinePrompt,
    OfflineToolCall,
    offline_model,
    tool_answer,
)


class Counted(BaseModel):
    answer: str


def make_agent(calls: list[str]) -> Agent[None, str]:
    def count_things(language: str = "en") -> Counted:
        calls.append(language)
        return Counted(answer=f"call {len(calls)} in {language}")

    def respond(prompt: OfflinePrompt) -> str | OfflineToolCall:
        if prompt.tool_results:
            return " / ".join(tool_answer(result) for result in prompt.tool_results)
        if prompt.tool("count_things") is not None and "count" in prompt.text:
            return OfflineToolCall("count_things", {"language": "es"})
        return "no tool for that"

    return Agent(offline_model(respond), tools=[Tool(count_things)])


async def test_a_tool_is_called_and_its_answer_quoted_in_each_turn() -> None:
    calls: list[str] = []
    agent = make_agent(calls)

    first = await agent.run("count them")
    second = await agent.run("count them again", message_history=first.all_messages())
    async with agent.run_stream("count once more", message_history=second.all_messages()) as run:
        streamed = await run.get_output()
    other = await agent.run("hello", message_history=second.all_messages())

    assert (first.output, second.output, streamed) == (
        "call 1 in es",
        "call 2 in es",
        "call 3 in es",
    )
    assert other.output == "no tool for that"
    assert calls == ["es", "es", "es"]


async def test_asking_for_the_same_tool_twice_fails_instead_of_looping() -> None:
    def count_things() -> str:
        return "3"

    agent = Agent(
        offline_model(lambda prompt: OfflineToolCall("count_things", {})),
        tools=[Tool(count_things)],
    )
    with pytest.raises(RuntimeError, match="called count_things twice"):
        await agent.run("count")
