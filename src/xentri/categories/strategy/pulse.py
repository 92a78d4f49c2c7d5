"""What the Strategy Co-pilot puts in the Pulse, and how it judges what reaches the top.

Registered with the Pulse by the composition of the subscribers (`xentri.subscriptions`); the
Pulse never imports this category (ADR 0020).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from xentri.categories.strategy import service
from xentri.categories.strategy.events import BriefCreated, BriefUpdated
from xentri.categories.strategy.recommendations_service import module_names
from xentri.contracts.events import SystemEvent
from xentri.pulse import N_, Candidate, PulseDraft, PulseProducers

BRIEF_MODULE = "module.strategy.universal_brief"
_LANGUAGES = ("en", "es")


def register(producers: PulseProducers) -> None:
    producers.produce(BriefCreated.event_type, brief_approved)
    producers.produce(BriefUpdated.event_type, brief_revised)
    producers.judge("strategy", ceo_judgment)


async def brief_approved(event: SystemEvent, tx: AsyncSession) -> PulseDraft | None:
    """The first Brief is the moment to set the workspace up: name the modules to start with.

    This runs inside the Pulse consumer's transaction, so it never asks a model: it names the
    kept recommendations when someone has read them already, else the offline rules' (ADR 0026).
    """
    current = await service.current_brief(tx=tx)
    names = {lang: await module_names(tx=tx, version=current, language=lang) for lang in _LANGUAGES}
    if not names["en"]:
        return PulseDraft(
            scope=BRIEF_MODULE,
            importance=2,
            title=N_("Your Brief is approved"),
            summary=N_("Every co-pilot now works from it. Next: set up your goals."),
            action_url="/c/strategy/goals",
            promote=True,
        )
    return PulseDraft(
        scope=BRIEF_MODULE,
        importance=1,
        title=N_("Your Brief is approved"),
        summary=N_("Next: the modules recommended for your business: %(modules)s."),
        params={"modules": names},
        action_required=True,
        action_url="/c/strategy/recommendations",
        promote=True,
    )


async def brief_revised(event: SystemEvent, tx: AsyncSession) -> PulseDraft | None:
    revised = BriefUpdated.model_validate(event.payload)
    return PulseDraft(
        scope=BRIEF_MODULE,
        importance=3,
        title=N_("Your Brief was updated (version %(version)s)"),
        summary=N_("Every co-pilot now works from the new version."),
        params={"version": str(revised.version)},
        action_url="/c/strategy/brief",
        promote=True,
    )


async def ceo_judgment(candidate: Candidate, parent: str, tx: AsyncSession) -> int | None:
    """The CEO briefing keeps what needs the owner: an action waiting is one step more
    important; news that needs nothing from them is one step less."""
    if candidate.action_required:
        return max(1, candidate.importance - 1)
    return min(5, candidate.importance + 1) if candidate.importance > 1 else 1
