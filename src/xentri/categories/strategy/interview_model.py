"""The interview on a configured model (XENTRI_LLM_PROVIDER=anthropic|openai): one structured
call per answer through the AI plane's runner (budget checked, usage recorded under
strategy.copilot), returning the facts the answer states as a partial Brief, the next question
in the owner's language, and whether a first draft can be written. See ADR 0025.

The web process calls the model itself, with a runner built once from the app's AI settings:
an interview turn is a request/response the page waits on, and going through the strategy
worker's ask stream would add a hop without adding anything the runner does not already do.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

from pydantic import BaseModel, Field

from xentri.ai.offline import KnownFacts, Language
from xentri.ai.offline.facts import Money, Price
from xentri.ai.offline.known import Constraints, Identity, KnownGoal, KnownOffering
from xentri.ai.runner import AgentRequest, AgentRunner
from xentri.categories.strategy.model_runner import AGENT_ID, LANGUAGE_NAMES, configured_runner
from xentri.contracts.brief import Brief

INSTRUCTIONS = """\
You are Xentri's Strategy Co-pilot. You interview the owner of a small business, one question at
a time, to write their Universal Brief: identity (name, location, year founded, mission), what
they offer and at what price, who buys it, their goals (with a number and a date), brand voice,
what makes them different, competitors, and constraints (team size, budget).

For every answer, write the fields in this order:
- `reply`: one short, friendly question about the most important thing still missing or vague,
  written in {language}. If the answer held nothing usable, say so politely and ask again.
- `facts`: ONLY what this answer states, in the Brief's shape; leave everything else empty (an
  empty field means "not mentioned"). Prices are integer minor units (cents) with the ISO 4217
  currency code; never invent a fact the owner did not state.
- `complete`: true once the name, offerings, audience, location and at least one goal are
  known; then `reply` thanks the owner and says you can draft the Brief (no question).
"""


class InterviewStep(BaseModel):
    """What the model returns for one answer. The reply comes first so that, streamed, the
    owner reads it as it is written (models write the fields in the schema's order)."""

    reply: str = Field(min_length=1, max_length=1000)
    facts: Brief = Brief()
    complete: bool = False


class InterviewModel:
    """Runs interview turns on the configured model."""

    def __init__(self, runner: AgentRunner) -> None:
        self.runner = runner

    async def step(
        self,
        *,
        org_id: uuid.UUID,
        draft: Brief,
        question: str | None,
        text: str,
        language: Language,
    ) -> InterviewStep:
        """One turn; raises the runner's ModelUnavailableError / BudgetExhaustedError."""
        return await self.runner.structured(
            self._request(org_id, draft, question, text, language), InterviewStep
        )

    async def stream(
        self,
        *,
        org_id: uuid.UUID,
        draft: Brief,
        question: str | None,
        text: str,
        language: Language,
    ) -> AsyncIterator[str | InterviewStep]:
        """One turn streamed: the reply's new text as the model writes it, then the whole
        step. Raises as `step` does, also after some text was yielded."""
        request = self._request(org_id, draft, question, text, language)
        shown = ""
        async for output, whole in self.runner.stream_structured(request, InterviewStep):
            if whole:
                yield output
                return
            if output.reply.startswith(shown) and len(output.reply) > len(shown):
                yield output.reply[len(shown) :]
                shown = output.reply

    def _request(
        self, org_id: uuid.UUID, draft: Brief, question: str | None, text: str, language: Language
    ) -> AgentRequest:
        prompt = json.dumps(
            {
                "brief_so_far": draft.model_dump(mode="json", exclude_defaults=True),
                "your_last_question": question,
                "owner_answer": text,
            },
            ensure_ascii=False,
        )
        return AgentRequest(
            org_id=org_id,
            agent_id=AGENT_ID,
            instructions=INSTRUCTIONS.format(language=LANGUAGE_NAMES[language]),
            prompt=prompt,
        )


def interview_model(state: Any) -> InterviewModel | None:
    """The interview on the configured model for `app.state`, or None when the offline engine
    is the model (see model_runner)."""
    runner = configured_runner(state)
    return InterviewModel(runner) if runner is not None else None


def known_from(draft: Brief, *, asked: tuple[str, ...], language: Language) -> KnownFacts:
    """The offline engine's view of a draft the model wrote, for a turn it takes over (a failed
    model call): what it can hold of the Brief, so it does not ask again for what is there."""
    identity = draft.identity
    place = identity.locations[0] if identity.locations else None
    country = place.country if place and place.country and len(place.country) == 2 else None
    return KnownFacts(
        language=language,
        identity=Identity(
            name=identity.name,
            city=place.city if place else None,
            region=place.region if place else None,
            country=country,
            year_founded=identity.year_founded,
        ),
        offerings=tuple(
            KnownOffering(
                name=offering.name,
                price=Price(
                    money=Money(minor_units=offering.price_minor, currency=offering.currency),
                    unit=offering.unit,
                )
                if offering.price_minor is not None and offering.currency
                else None,
            )
            for offering in draft.offerings
        ),
        audience=tuple(segment.name for segment in draft.audience.segments),
        goals=tuple(
            KnownGoal(statement=goal.statement, metric=goal.metric, deadline=goal.deadline)
            for goal in draft.goals
        ),
        tone_words=draft.brand_voice.tone_words,
        differentiators=draft.differentiators,
        competitors=draft.competitors,
        constraints=Constraints(team_size=draft.constraints.team_size),
        asked=asked,
    )
