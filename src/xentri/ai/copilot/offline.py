"""How the offline engine answers a copilot question with no cloud model configured.

It answers what the scope's own data can answer (what happened recently, from the events the
scope follows; counts and totals through the engine's data answers) and says plainly, in the
user's language, when a question needs a cloud model. It never invents an answer.

When the question's subject (`xentri.ai.offline.question_intent`) is one a category answers
with a tool the agent holds, it calls that tool and answers with the tool's own words. Which
tool answers which subject is data the composition root hands in (`ToolIntents`), so neither
the engine nor this module knows a category.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime

from xentri.ai.asks import Ask
from xentri.ai.context import ScopeContext
from xentri.ai.offline import (
    DataAnswer,
    DataContext,
    EventRecord,
    answer_question,
    question_intent,
)
from xentri.ai.offline_model import OfflinePrompt, OfflineResponder, OfflineToolCall, tool_answer

# A question's subject (an `xentri.ai.offline.Intent`) → the tools (model-facing names, first
# one the agent holds wins) that answer it.
ToolIntents = Mapping[str, Sequence[str]]

_ACTIVITY = re.compile(
    r"\b(what happened|what's new|whats new|recent|activity|latest|"
    r"qu[eé] (ha )?pas[oó]|novedades|reciente|actividad|[uú]ltim[oa]s?)\b",
    re.IGNORECASE,
)

_NOTHING_YET = {
    "en": "Nothing has happened here yet.",
    "es": "Todavía no ha pasado nada aquí.",
}
_RECENT = {
    "en": "The latest {count} events here, newest first:",
    "es": "Los últimos {count} eventos aquí, del más reciente al más antiguo:",
}


def copilot_responder_with(
    tool_intents: ToolIntents,
) -> Callable[[Ask, ScopeContext], OfflineResponder]:
    """The copilot's offline responder, answering the subjects in `tool_intents` by tool."""

    def responder_for(ask: Ask, context: ScopeContext) -> OfflineResponder:
        return copilot_responder(ask, context, tool_intents=tool_intents)

    return responder_for


def copilot_responder(
    ask: Ask, context: ScopeContext, *, tool_intents: ToolIntents | None = None
) -> OfflineResponder:
    def respond(prompt: OfflinePrompt) -> str | OfflineToolCall:
        language = ask.language
        if prompt.tool_results:
            return "\n\n".join(tool_answer(result) for result in prompt.tool_results)
        call = _tool_call(prompt, tool_intents or {}, language=language)
        if call is not None:
            return call
        if not _ACTIVITY.search(prompt.text):
            # Counts, totals, trends: the engine's data answers; advice and open questions get
            # its plain "this needs a cloud model" explanation, never a guess.
            data = DataContext(
                events=tuple(
                    EventRecord(type=event.type, occurred_at=event.occurred_at)
                    for event in context.events
                )
            )
            found = answer_question(
                prompt.text, data, today=datetime.now(UTC).date(), language=language
            )
            return found.text if isinstance(found, DataAnswer) else found.explanation
        if not context.events:
            return _NOTHING_YET[language]
        counts = Counter(event.type for event in context.events)
        lines = [_RECENT[language].format(count=len(context.events))]
        lines += [
            f"- {event.occurred_at:%Y-%m-%d %H:%M} UTC · {event.type}" for event in context.events
        ]
        summary = ", ".join(f"{kind}: {n}" for kind, n in counts.most_common())
        lines.append(summary)
        return "\n".join(lines)

    return respond


def _tool_call(
    prompt: OfflinePrompt, intents: ToolIntents, *, language: str
) -> OfflineToolCall | None:
    intent = question_intent(prompt.text)
    if intent is None:
        return None
    for name in intents.get(intent, ()):
        tool = prompt.tool(name)
        if tool is None:
            continue
        # The only argument the offline model fills: the asker's language, so the tool's
        # figures come back written the way the asker reads them.
        properties = tool.parameters_json_schema.get("properties", {})
        return OfflineToolCall(name, {"language": language} if "language" in properties else {})
    return None
