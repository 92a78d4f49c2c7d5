"""Which model an agent talks to, built on pydantic-ai's model classes (ADR 0010).

The provider SDKs retry timeouts, 429s and 5xx themselves (exponential backoff, honouring
Retry-After); what still fails after `XENTRI_LLM_MAX_RETRIES` surfaces as ModelUnavailable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx2
from anthropic import AsyncAnthropic
from openai import AsyncOpenAI
from pydantic_ai.models import Model
from pydantic_ai.models.anthropic import AnthropicModel
from pydantic_ai.models.openai import OpenAIChatModel
from pydantic_ai.providers.anthropic import AnthropicProvider
from pydantic_ai.providers.openai import OpenAIProvider

from xentri.ai.config import DEFAULT_MODELS, AiSettings
from xentri.kernel.errors import StartupError

UNMETERED: frozenset[str] = frozenset({"offline"})


@dataclass(frozen=True)
class ModelChoice:
    provider: str  # a Provider, or "test" (the test suite's scripted model, from the registry)
    model: str

    @property
    def metered(self) -> bool:
        """Counted against the org's token budget (cloud models cost money; offline does not)."""
        return self.provider not in UNMETERED


ModelFactory = Callable[[ModelChoice], Model]


def model_choice(
    settings: AiSettings, *, provider: str | None = None, model: str | None = None
) -> ModelChoice:
    """The operator's default, or an agent's override from the registry."""
    if provider is None or provider == settings.llm_provider:
        chosen = settings.llm_provider
        return ModelChoice(chosen, model or settings.model_name)
    return ModelChoice(provider, model or DEFAULT_MODELS[provider])


def model_factory(
    settings: AiSettings,
    *,
    offline: Model,
    test: Model | None = None,
    http_client: httpx2.AsyncClient | None = None,
) -> ModelFactory:
    """Models by choice: the offline engine, the cloud providers, and (tests only) `test`."""
    cloud: dict[ModelChoice, Model] = {}

    def build(choice: ModelChoice) -> Model:
        if choice.provider == "offline":
            return offline
        if choice.provider == "test":
            if test is None:
                raise StartupError("the `test` model provider exists only in the test suite")
            return test
        if choice not in cloud:  # one client (and connection pool) per model
            cloud[choice] = cloud_model(choice, settings, http_client=http_client)
        return cloud[choice]

    return build


def cloud_model(
    choice: ModelChoice, settings: AiSettings, *, http_client: httpx2.AsyncClient | None = None
) -> Model:
    """An Anthropic or OpenAI-compatible model with Xentri's timeout and retry policy."""
    if choice.provider == "anthropic":
        if settings.anthropic_api_key is None:
            raise StartupError(f"{choice.model}: XENTRI_ANTHROPIC_API_KEY is not set")
        client = AsyncAnthropic(
            api_key=settings.anthropic_api_key.get_secret_value(),
            http_client=http_client,
            max_retries=settings.llm_max_retries,
            timeout=settings.llm_timeout_seconds,
        )
        return AnthropicModel(choice.model, provider=AnthropicProvider(anthropic_client=client))
    if choice.provider == "openai":
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
        openai_client = AsyncOpenAI(
            # A local OpenAI-compatible server (Ollama, llama.cpp) takes any key.
            api_key=key or "not-needed",
            base_url=settings.llm_base_url,
            http_client=http_client,
            max_retries=settings.llm_max_retries,
            timeout=settings.llm_timeout_seconds,
        )
        return OpenAIChatModel(choice.model, provider=OpenAIProvider(openai_client=openai_client))
    raise ValueError(f"{choice.provider} is not a cloud provider")
