"""XENTRI_LLM_* and the providers' keys: which model every agent uses unless the registry says
otherwise, how long to wait for it, and each org's token budget per window."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Provider = Literal["offline", "anthropic", "openai"]

DEFAULT_MODELS: dict[str, str] = {
    "offline": "xentri-offline",
    "anthropic": "claude-sonnet-4-6",
    "openai": "gpt-5.6-luna",
    "test": "scripted",  # the test suite's deterministic model; never an operator's choice
}


class AiSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="XENTRI_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    llm_provider: Provider = "offline"
    llm_model: str | None = None  # unset: the provider's default above
    llm_base_url: str | None = None  # an OpenAI-compatible server: Ollama, vLLM, llama.cpp
    anthropic_api_key: SecretStr | None = None
    openai_api_key: SecretStr | None = None
    llm_timeout_seconds: float = Field(default=60.0, gt=0, le=600)
    llm_max_retries: int = Field(default=3, ge=0, le=10)
    llm_max_output_tokens: int = Field(default=4096, ge=16, le=64_000)
    # Tokens (input + output) an org may spend on cloud models per budget window; the offline
    # model costs nothing and is not metered.
    llm_tokens_per_window: int = Field(default=200_000, ge=1)
    # A category whose worker has not refreshed its heartbeat for this long is down: its copilot
    # answers 503. Workers refresh it three times per period.
    agent_heartbeat_seconds: float = Field(default=15.0, ge=0.5, le=300)

    @model_validator(mode="after")
    def _keys_for_cloud_providers(self) -> AiSettings:
        if self.llm_provider == "anthropic" and self.anthropic_api_key is None:
            raise ValueError("XENTRI_LLM_PROVIDER=anthropic needs XENTRI_ANTHROPIC_API_KEY")
        if (
            self.llm_provider == "openai"
            and self.openai_api_key is None
            and self.llm_base_url is None
        ):
            raise ValueError(
                "XENTRI_LLM_PROVIDER=openai needs XENTRI_OPENAI_API_KEY "
                "(or XENTRI_LLM_BASE_URL for a local OpenAI-compatible server)"
            )
        return self

    @property
    def model_name(self) -> str:
        return self.llm_model or DEFAULT_MODELS[self.llm_provider]
