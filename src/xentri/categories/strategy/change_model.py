"""Changes to the Brief asked for in words, on a configured model (ADR 0027): one structured
call through the AI plane's runner (budget checked, usage recorded under strategy.copilot)
taking the draft and the owner's words, returning the sections it changed, each whole, and a
one-line summary in the owner's language.

A returned section replaces that section of the draft, so the model can remove an item (the
list without it) and rewrite text, which a fill-only patch (brief_patch) cannot; a section it
leaves out cannot change at all. What the change would lose is checked by brief_guard before
anything is applied.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from xentri.ai.offline import Language
from xentri.ai.runner import AgentRequest, AgentRunner
from xentri.categories.strategy.model_runner import AGENT_ID, LANGUAGE_NAMES, configured_runner
from xentri.contracts.brief import (
    Audience,
    BrandVoice,
    Brief,
    BriefSection,
    Constraints,
    Goal,
    Identity,
    Offering,
)

INSTRUCTIONS = """\
You are Xentri's Strategy Co-pilot. The owner of a small business asks, in their own words, for
a change to their Universal Brief. You get the Brief as it is now and the owner's words.

Return:
- `sections`: ONLY the sections the words ask you to change, each one WHOLE, exactly as it
  should read after the change: everything in it you keep, with your changes made. An item you
  leave out of a returned list is removed, a field you leave empty in a returned section is
  erased. Leave every other section null: a null section stays as it is. Change nothing the
  words do not ask for, never invent facts, and keep the owner's language for new text. Prices
  are integer minor units (cents) with the ISO 4217 currency code.
- `summary`: one short line, written in {language}, saying what you changed. If the words ask
  for nothing you can do to the Brief, return no sections and say so in `summary`.
"""


class ChangedSections(BaseModel):
    """The sections a change gives; None: that section is not touched."""

    model_config = ConfigDict(extra="forbid")

    identity: Identity | None = None
    offerings: tuple[Offering, ...] | None = Field(default=None, max_length=100)
    audience: Audience | None = None
    goals: tuple[Goal, ...] | None = Field(default=None, max_length=50)
    brand_voice: BrandVoice | None = None
    differentiators: tuple[str, ...] | None = Field(default=None, max_length=30)
    competitors: tuple[str, ...] | None = Field(default=None, max_length=30)
    constraints: Constraints | None = None


class ModelChange(BaseModel):
    """What the model returns for one request."""

    sections: ChangedSections = ChangedSections()
    summary: str = Field(min_length=1, max_length=300)


def changed_draft(draft: Brief, change: ModelChange) -> Brief:
    """The draft with the change's sections in place; ValueError when that is not a valid
    Brief."""
    document: dict[str, Any] = draft.model_dump(mode="json")
    for section in BriefSection:
        given = getattr(change.sections, section.value)
        if given is not None:
            document[section.value] = _dump(given)
    try:
        return Brief.model_validate(document)
    except ValidationError as exc:
        raise ValueError(f"the change makes an invalid Brief: {exc.error_count()} errors") from exc


def _dump(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return [_dump(item) for item in value] if isinstance(value, tuple) else value


class ChangeModel:
    """Runs changes asked for in words on the configured model."""

    def __init__(self, runner: AgentRunner) -> None:
        self.runner = runner

    async def propose(
        self, *, org_id: uuid.UUID, draft: Brief, words: str, language: Language
    ) -> ModelChange:
        """One call; raises the runner's ModelUnavailableError / BudgetExhaustedError."""
        prompt = json.dumps(
            {
                "brief_now": draft.model_dump(mode="json", exclude_defaults=True),
                "owner_words": words,
            },
            ensure_ascii=False,
        )
        request = AgentRequest(
            org_id=org_id,
            agent_id=AGENT_ID,
            instructions=INSTRUCTIONS.format(language=LANGUAGE_NAMES[language]),
            prompt=prompt,
        )
        return await self.runner.structured(request, ModelChange)


def change_model(state: Any) -> ChangeModel | None:
    """Changes in words on the configured model for `app.state`, or None when the offline
    engine is the model (see model_runner)."""
    runner = configured_runner(state)
    return ChangeModel(runner) if runner is not None else None
