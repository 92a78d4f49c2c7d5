"""How the offline engine answers a copilot question with no cloud model configured.

It answers what the scope's own data can answer (what happened recently, from the events the
scope follows; counts and totals through the engine's data answers) and says plainly, in the
user's language, when a question needs a cloud model. It never invents an answer.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime

from xentri.ai.asks import Ask
from xentri.ai.context import ScopeContext
from xentri.ai.offline import DataAnswer, DataContext, EventRecord, answer_question
from xentri.ai.offline_model import OfflinePrompt, OfflineResponder

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


def copilot_responder(ask: Ask, context: ScopeContext) -> OfflineResponder:
    def respond(prompt: OfflinePrompt) -> str:
        language = ask.language
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
