"""How the offline engine answers a copilot question with no cloud model configured.

It answers what the scope's own data can answer (here: what happened recently, from the events
the scope follows) and says plainly, in the user's language, when a question needs a cloud
model. It never invents an answer.
"""

from __future__ import annotations

import re
from collections import Counter

from xentri.ai.asks import Ask
from xentri.ai.context import ScopeContext
from xentri.ai.offline_model import OfflinePrompt, OfflineResponder

_ACTIVITY = re.compile(
    r"\b(what happened|what's new|whats new|recent|activity|latest|"
    r"qu[eé] (ha )?pas[oó]|novedades|reciente|actividad|[uú]ltim[oa]s?)\b",
    re.IGNORECASE,
)

_NEEDS_CLOUD = {
    "en": (
        "I'm running on Xentri's offline engine, which answers from your own data but cannot "
        "give open-ended advice. To ask me anything, an administrator can set a cloud model "
        "(XENTRI_LLM_PROVIDER with an Anthropic or OpenAI key, or a local OpenAI-compatible "
        "server). Meanwhile, ask me what happened recently."
    ),
    "es": (
        "Estoy funcionando con el motor sin conexión de Xentri, que responde con tus propios "
        "datos pero no puede dar consejos abiertos. Para preguntarme cualquier cosa, un "
        "administrador puede configurar un modelo en la nube (XENTRI_LLM_PROVIDER con una clave "
        "de Anthropic u OpenAI, o un servidor local compatible con OpenAI). Mientras tanto, "
        "pregúntame qué pasó recientemente."
    ),
}
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
            return _NEEDS_CLOUD[language]
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
