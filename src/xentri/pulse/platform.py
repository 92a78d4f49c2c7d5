"""Producers for the platform's own events (people joining and leaving the org).

They stand in for the Team co-pilot until that category lands: a change of people belongs to
its directory module, and is marked for promotion so the levels above judge it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.contracts.events import SystemEvent
from xentri.identity.events import MemberRemoved
from xentri.identity.invitation_events import InvitationAccepted
from xentri.identity.tables import users
from xentri.pulse.i18n import N_
from xentri.pulse.producers import PulseDraft, PulseProducers

TEAM_DIRECTORY = "module.team.directory"
_ROLE_WORDS = {
    "owner": {"en": "owner", "es": "propietario"},
    "admin": {"en": "admin", "es": "administrador"},
    "member": {"en": "member", "es": "miembro"},
}


def register(producers: PulseProducers) -> None:
    producers.produce(InvitationAccepted.event_type, member_joined)
    producers.produce(MemberRemoved.event_type, member_left)


async def member_joined(event: SystemEvent, tx: AsyncSession) -> PulseDraft | None:
    accepted = InvitationAccepted.model_validate(event.payload)
    if accepted.already_member:
        return None
    return PulseDraft(
        scope=TEAM_DIRECTORY,
        importance=3,
        title=N_("%(name)s joined your team"),
        summary=N_("They joined as %(role)s through an invitation."),
        params={"name": await _name(tx, accepted.user_id), "role": _ROLE_WORDS[accepted.role]},
        action_url="/settings/team",
        promote=True,
    )


async def member_left(event: SystemEvent, tx: AsyncSession) -> PulseDraft | None:
    removed = MemberRemoved.model_validate(event.payload)
    # Someone leaving on their own is news to the owner; a removal an admin made is known.
    return PulseDraft(
        scope=TEAM_DIRECTORY,
        importance=2 if removed.left else 3,
        title=N_("%(name)s left your team") if removed.left else N_("%(name)s was removed"),
        summary=N_("They no longer have access to this organization."),
        params={"name": await _name(tx, removed.user_id)},
        action_required=removed.left,  # their work and access may need handing over
        action_url="/settings/team",
        promote=True,
    )


async def _name(tx: AsyncSession, user_id: object) -> str:
    found = await tx.execute(select(users.c.name).where(users.c.id == user_id))
    return found.scalar_one_or_none() or "—"
