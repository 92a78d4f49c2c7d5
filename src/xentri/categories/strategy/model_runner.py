"""The Strategy Co-pilot's runner on the configured cloud model, one per app.

Every Strategy capability that can use a configured model (the interview, goal and module
recommendations, changes asked for in words) takes its runner from here. It is built on first
use and kept on `app.state`: the model factory holds one HTTP client (and its connection pool)
per model, which must not be rebuilt on every call. With no cloud provider configured there is
no runner, and each capability runs on the offline engine.
"""

from __future__ import annotations

from typing import Any

from xentri.ai.config import AiSettings
from xentri.ai.offline_model import offline_model
from xentri.ai.providers import model_factory
from xentri.ai.runner import AgentRunner

AGENT_ID = "strategy.copilot"
LANGUAGE_NAMES = {"en": "English", "es": "Spanish (Mexico)"}


def configured_runner(state: Any) -> AgentRunner | None:
    """The runner for `app.state` (or any object with `ai_settings`, `engine` and `redis`), or
    None when the offline engine is the model."""
    settings: AiSettings | None = getattr(state, "ai_settings", None)
    if settings is None or settings.llm_provider == "offline":
        return None
    built: AgentRunner | None = getattr(state, "strategy_runner", None)
    if built is None or built.settings is not settings:
        built = AgentRunner(
            settings=settings,
            engine=state.engine,
            redis=state.redis,
            models=model_factory(settings, offline=offline_model(_not_offline)),
        )
        state.strategy_runner = built
    return built


def _not_offline(prompt: object) -> str:
    # These runners only ever run the configured cloud model.
    return "The offline engine was asked without a task."
