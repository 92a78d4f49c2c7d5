"""JSON API of invitations: an org's invitations, and the public accept flow of a mailed link."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request, status

from xentri.identity import invitations
from xentri.identity.caller_org import forget_session_org
from xentri.identity.http import CurrentCaller, base_url_of, engine_of, mailer_of, org_scope
from xentri.identity.invitation_schemas import (
    InvitationAcceptIn,
    InvitationAcceptRead,
    InvitationCreate,
    InvitationPreviewRead,
    InvitationRead,
)
from xentri.identity.schemas import TokenIn
from xentri.identity.throttle import throttle

invitations_router = APIRouter(tags=["invitations"])

# (hits, seconds): per org and invited address (no mail-bombing one inbox), per caller address
# (no bulk mail from one machine through many orgs).
INVITE_PER_RECIPIENT = (5, 60 * 60)
INVITE_PER_ADDRESS = (100, 60 * 60)


@invitations_router.post(
    "/api/v1/orgs/{org_id}/invitations",
    status_code=status.HTTP_201_CREATED,
    summary="Invite someone by email (replaces a pending invitation to the same address)",
)
async def create_invitation(
    request: Request, caller: CurrentCaller, org_id: uuid.UUID, invitation_in: InvitationCreate
) -> InvitationRead:
    async with org_scope(request, caller, org_id) as (tx, ctx):
        await throttle(
            request,
            action="invite",
            account=f"{org_id}:{invitation_in.email}",
            per_account=INVITE_PER_RECIPIENT,
            per_address=INVITE_PER_ADDRESS,
        )
        invitation_id = await invitations.invite(
            tx=tx,
            ctx=ctx,
            email=invitation_in.email,
            role=invitation_in.role,
            mailer=mailer_of(request),
            base_url=base_url_of(request),
        )
        row = await invitations.get_invitation(tx=tx, ctx=ctx, invitation_id=invitation_id)
    return _invitation_read(row)


@invitations_router.get(
    "/api/v1/orgs/{org_id}/invitations", summary="Pending invitations of an organization"
)
async def list_invitations(
    request: Request, caller: CurrentCaller, org_id: uuid.UUID
) -> list[InvitationRead]:
    async with org_scope(request, caller, org_id) as (tx, ctx):
        rows = await invitations.list_invitations(tx=tx, ctx=ctx)
    return [_invitation_read(row) for row in rows]


@invitations_router.delete(
    "/api/v1/orgs/{org_id}/invitations/{invitation_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Withdraw an invitation (its link stops working)",
)
async def revoke_invitation(
    request: Request, caller: CurrentCaller, org_id: uuid.UUID, invitation_id: uuid.UUID
) -> None:
    async with org_scope(request, caller, org_id) as (tx, ctx):
        await invitations.revoke_invitation(tx=tx, ctx=ctx, invitation_id=invitation_id)


@invitations_router.post(
    "/api/v1/invitations/preview",
    summary="What an invitation link offers: org, role, inviter, address, expiry (no sign-in)",
)
async def preview_invitation(request: Request, token_in: TokenIn) -> InvitationPreviewRead:
    # The token travels in the body, never the path: paths end up in access logs.
    preview = await invitations.preview_invitation(engine=engine_of(request), token=token_in.token)
    return InvitationPreviewRead(
        org_name=preview.org_name,
        role=preview.role,
        inviter_name=preview.inviter_name,
        email=preview.email,
        expires_at=preview.expires_at,
    )


@invitations_router.post(
    "/api/v1/invitations/accept",
    summary="Accept an invitation as the signed-in user it was sent to (the org becomes active)",
)
async def accept_invitation(
    request: Request, caller: CurrentCaller, accept_in: InvitationAcceptIn
) -> InvitationAcceptRead:
    accepted = await invitations.accept_invitation(
        engine=engine_of(request),
        token=accept_in.token,
        user_id=caller.user_id,
        session_id=caller.session_id,
    )
    await forget_session_org(request)
    return InvitationAcceptRead(
        org_id=accepted.org_id,
        org_name=accepted.org_name,
        role=accepted.role,
        already_member=accepted.already_member,
    )


def _invitation_read(row: Any) -> InvitationRead:
    return InvitationRead(
        id=row.id,
        email=row.email,
        role=row.role,
        invited_by=row.invited_by,
        inviter_name=row.inviter_name,
        expires_at=row.expires_at,
        created_at=row.created_at,
    )
