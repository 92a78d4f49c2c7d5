"""The Brief as the agents read it: the latest approved version, as prompt text. The AI plane's
semantic memory caches it (xentri.ai.memory.brief_cache) and drops it when a version is approved.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from xentri.categories.strategy.tables import brief_versions
from xentri.contracts.brief import Brief
from xentri.kernel.db.tenant import tenant_transaction


class ApprovedBriefSource:
    async def brief_text(self, *, engine: AsyncEngine, org_id: uuid.UUID) -> str | None:
        async with tenant_transaction(engine, org_id) as tx:
            document = await tx.scalar(
                select(brief_versions.c.document).order_by(brief_versions.c.version.desc()).limit(1)
            )
        return render(Brief.model_validate(document)) if document is not None else None


def render(brief: Brief) -> str:
    """The Brief as compact lines; empty sections are left out."""
    return "\n".join([*_identity_lines(brief), *_market_lines(brief), *_voice_lines(brief)])


def _identity_lines(brief: Brief) -> list[str]:
    who = brief.identity
    lines: list[str] = []
    if who.name:
        lines.append(f"Business: {who.name}" + (f" ({who.legal_name})" if who.legal_name else ""))
    for label, value in (("Tagline", who.tagline), ("Mission", who.mission), ("Story", who.story)):
        if value:
            lines.append(f"{label}: {value}")
    places = [
        ", ".join(p for p in (loc.city, loc.region, loc.country) if p) for loc in who.locations
    ]
    if places:
        lines.append(f"Locations: {'; '.join(places)}")
    if who.year_founded:
        lines.append(f"Founded: {who.year_founded}")
    return lines


def _market_lines(brief: Brief) -> list[str]:
    lines: list[str] = []
    for offering in brief.offerings:
        price = ""
        if offering.price_minor is not None and offering.currency:
            price = f" — {offering.price_minor} minor units of {offering.currency}"
            price += f" per {offering.unit}" if offering.unit else ""
        lines.append(f"Offering: {offering.name}{price}")
    lines.extend(f"Audience: {segment.name}" for segment in brief.audience.segments)
    if brief.audience.ideal_customer:
        lines.append(f"Ideal customer: {brief.audience.ideal_customer}")
    for goal in brief.goals:
        detail = ", ".join(
            part
            for part in (
                f"target {goal.target}" if goal.target else "",
                f"by {goal.deadline.isoformat()}" if goal.deadline else "",
            )
            if part
        )
        lines.append(f"Goal: {goal.statement}" + (f" ({detail})" if detail else ""))
    return lines


def _voice_lines(brief: Brief) -> list[str]:
    lines: list[str] = []
    if brief.brand_voice.tone_words:
        lines.append(f"Tone: {', '.join(brief.brand_voice.tone_words)}")
    lines.extend(f"Differentiator: {value}" for value in brief.differentiators)
    lines.extend(f"Competitor: {value}" for value in brief.competitors)
    if brief.constraints.team_size:
        lines.append(f"Team size: {brief.constraints.team_size}")
    if brief.constraints.budget:
        lines.append(f"Budget: {brief.constraints.budget}")
    return lines
