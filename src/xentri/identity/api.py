"""JSON API of identity: /api/v1/auth, /api/v1/users/me, /api/v1/orgs."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request, Response, status

from xentri.identity import accounts, orgs, sign_in
from xentri.identity.api_keys_api import api_keys_router
from xentri.identity.bearer import CurrentPrincipal, principal_org_scope
from xentri.identity.caller_org import forget_session_org
from xentri.identity.dev_mailbox import dev_router
from xentri.identity.errors import InvalidCredentialsError
from xentri.identity.http import (
    CurrentCaller,
    account_scope,
    base_url_of,
    clear_session_cookie,
    mailer_of,
    org_scope,
    requested_org,
    secret_key_of,
    set_session_cookie,
)
from xentri.identity.invitations_api import invitations_router
from xentri.identity.oidc_api import oidc_router
from xentri.identity.schemas import (
    EmailIn,
    LoginIn,
    MemberRead,
    OrgCreate,
    OrgRead,
    OrgUpdate,
    OwnershipTransfer,
    PasswordChangeIn,
    PasswordResetIn,
    ProfileUpdate,
    RoleChange,
    SessionRead,
    SignupIn,
    TokenIn,
    UserRead,
)
from xentri.identity.sessions import csrf_token, revoke_all_sessions, revoke_session, set_active_org
from xentri.identity.throttle import (
    RESET_PER_ACCOUNT,
    RESET_PER_ADDRESS,
    throttle,
)
from xentri.kernel.db.tenant import user_transaction

auth_router = APIRouter(prefix="/api/v1/auth", tags=["auth"])
users_router = APIRouter(prefix="/api/v1/users", tags=["users"])
orgs_router = APIRouter(prefix="/api/v1/orgs", tags=["orgs"])


def _user_read(row: Any) -> UserRead:
    return UserRead(
        id=row.id,
        email=row.email,
        name=row.name,
        phone=row.phone,
        avatar_url=row.avatar_url,
        preferred_language=row.preferred_language,
        email_verified=row.email_verified_at is not None,
    )


def _session_read(
    request: Request, user: Any, session_id: uuid.UUID, org: uuid.UUID | None
) -> SessionRead:
    return SessionRead(
        user=_user_read(user),
        active_org_id=org,
        csrf_token=csrf_token(secret_key=secret_key_of(request), session_id=session_id),
    )


@auth_router.post(
    "/signup", status_code=status.HTTP_201_CREATED, summary="Create an account and sign in"
)
async def signup(request: Request, response: Response, signup_in: SignupIn) -> SessionRead:
    user_id, session_id, token = await sign_in.sign_up(request, signup_in)
    async with account_scope(request) as tx:
        user = await accounts.get_profile(tx=tx, user_id=user_id)
    set_session_cookie(request, response, token)
    return _session_read(request, user, session_id, None)


@auth_router.post("/login", summary="Sign in with email and password")
async def login(request: Request, response: Response, login_in: LoginIn) -> SessionRead:
    signed_in = await sign_in.log_in(request, login_in)
    if signed_in is None:
        raise InvalidCredentialsError("Check them and try again.")
    user_id, session_id, token = signed_in
    async with account_scope(request) as tx:
        user = await accounts.get_profile(tx=tx, user_id=user_id)
    set_session_cookie(request, response, token)
    return _session_read(request, user, session_id, None)


@auth_router.get("/session", summary="The signed-in user, active org and CSRF token")
async def current_session(request: Request, caller: CurrentCaller) -> SessionRead:
    async with account_scope(request) as tx:
        user = await accounts.get_profile(tx=tx, user_id=caller.user_id)
    return _session_read(request, user, caller.session_id, caller.active_org_id)


@auth_router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, summary="End this session")
async def logout(request: Request, response: Response, caller: CurrentCaller) -> None:
    async with account_scope(request) as tx:
        await revoke_session(tx=tx, session_id=caller.session_id)
    clear_session_cookie(response)


@auth_router.post(
    "/logout-everywhere",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="End every session of this account",
)
async def logout_everywhere(request: Request, response: Response, caller: CurrentCaller) -> None:
    async with account_scope(request) as tx:
        await revoke_all_sessions(tx=tx, user_id=caller.user_id)
    clear_session_cookie(response)


@auth_router.post(
    "/verify-email",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Confirm an email address with the mailed token",
)
async def verify_email(request: Request, token_in: TokenIn) -> None:
    async with account_scope(request) as tx:
        await accounts.verify_email(tx=tx, token=token_in.token)


@auth_router.post(
    "/password-reset",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Mail a password reset link (same answer whether the account exists)",
)
async def request_password_reset(request: Request, email_in: EmailIn) -> dict[str, str]:
    await throttle(
        request,
        action="reset",
        account=email_in.email,
        per_account=RESET_PER_ACCOUNT,
        per_address=RESET_PER_ADDRESS,
    )
    async with account_scope(request) as tx:
        await accounts.request_password_reset(
            tx=tx, email=email_in.email, mailer=mailer_of(request), base_url=base_url_of(request)
        )
    return {"status": "If an account exists for this email, a reset link is on its way."}


@auth_router.post(
    "/password-reset/confirm",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Set a new password with the mailed token",
)
async def confirm_password_reset(request: Request, reset_in: PasswordResetIn) -> None:
    async with account_scope(request) as tx:
        await accounts.reset_password(
            tx=tx, token=reset_in.token, new_password=reset_in.new_password
        )


@auth_router.post(
    "/password",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Change the password (other sessions end)",
)
async def change_password(
    request: Request, caller: CurrentCaller, change_in: PasswordChangeIn
) -> None:
    async with account_scope(request) as tx:
        await accounts.change_password(
            tx=tx,
            user_id=caller.user_id,
            session_id=caller.session_id,
            current_password=change_in.current_password,
            new_password=change_in.new_password,
        )


@users_router.get("/me", summary="My profile")
async def me(request: Request, caller: CurrentCaller) -> UserRead:
    async with account_scope(request) as tx:
        return _user_read(await accounts.get_profile(tx=tx, user_id=caller.user_id))


@users_router.patch("/me", summary="Update my profile")
async def update_me(request: Request, caller: CurrentCaller, profile_in: ProfileUpdate) -> UserRead:
    async with account_scope(request) as tx:
        user = await accounts.update_profile(
            tx=tx, user_id=caller.user_id, changes=profile_in.model_dump(exclude_unset=True)
        )
    return _user_read(user)


@orgs_router.post(
    "", status_code=status.HTTP_201_CREATED, summary="Create an organization (you become its owner)"
)
async def create_org(request: Request, caller: CurrentCaller, org_in: OrgCreate) -> OrgRead:
    org_id = uuid.uuid4()
    engine = request.app.state.engine
    async with user_transaction(engine, caller.user_id, org_id=org_id) as tx:
        await orgs.create_org(
            tx=tx, org_id=org_id, user_id=caller.user_id, values=org_in.model_dump()
        )
        await set_active_org(tx=tx, session_id=caller.session_id, org_id=org_id)
    await forget_session_org(request)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        return _org_read(await orgs.get_org(tx=tx, ctx=ctx), ctx.role)


@orgs_router.get("", summary="The organizations I belong to")
async def list_my_orgs(request: Request, caller: CurrentCaller) -> list[OrgRead]:
    async with user_transaction(request.app.state.engine, caller.user_id) as tx:
        rows = await orgs.my_orgs(tx=tx, user_id=caller.user_id)
    return [_org_read(row, row.role) for row in rows]


@orgs_router.get(
    "/current",
    summary="The org this request acts in: the x-org-id header, else the session's active org",
)
async def current_org(request: Request, caller: CurrentCaller) -> OrgRead:
    async with org_scope(request, caller, requested_org(request, caller)) as (tx, ctx):
        return _org_read(await orgs.get_org(tx=tx, ctx=ctx), ctx.role)


@orgs_router.get("/{org_id}", summary="An organization's settings")
async def get_org(request: Request, principal: CurrentPrincipal, org_id: uuid.UUID) -> OrgRead:
    async with principal_org_scope(request, principal, org_id) as (tx, ctx):
        return _org_read(await orgs.get_org(tx=tx, ctx=ctx), ctx.role)


@orgs_router.patch("/{org_id}", summary="Change an organization's settings")
async def update_org(
    request: Request, principal: CurrentPrincipal, org_id: uuid.UUID, org_in: OrgUpdate
) -> OrgRead:
    async with principal_org_scope(request, principal, org_id) as (tx, ctx):
        row = await orgs.update_org(tx=tx, ctx=ctx, changes=org_in.model_dump(exclude_unset=True))
        return _org_read(row, ctx.role)


@orgs_router.post("/{org_id}/switch", summary="Make this the session's active organization")
async def switch_org(request: Request, caller: CurrentCaller, org_id: uuid.UUID) -> OrgRead:
    async with org_scope(request, caller, org_id) as (tx, ctx):
        await set_active_org(tx=tx, session_id=caller.session_id, org_id=org_id)
        org = _org_read(await orgs.get_org(tx=tx, ctx=ctx), ctx.role)
    await forget_session_org(request)
    return org


@orgs_router.get("/{org_id}/members", summary="Members and their roles")
async def list_members(
    request: Request, principal: CurrentPrincipal, org_id: uuid.UUID
) -> list[MemberRead]:
    async with principal_org_scope(request, principal, org_id) as (tx, ctx):
        rows = await orgs.list_members(tx=tx, ctx=ctx)
    return [
        MemberRead(
            user_id=r.user_id, name=r.name, email=r.email, role=r.role, joined_at=r.created_at
        )
        for r in rows
    ]


@orgs_router.patch(
    "/{org_id}/members/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Change a member's role",
)
async def change_role(
    request: Request,
    caller: CurrentCaller,
    org_id: uuid.UUID,
    user_id: uuid.UUID,
    role_in: RoleChange,
) -> None:
    async with org_scope(request, caller, org_id) as (tx, ctx):
        await orgs.change_role(tx=tx, ctx=ctx, member_id=user_id, new_role=role_in.role)


@orgs_router.delete(
    "/{org_id}/members/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a member (or leave, with your own id)",
)
async def remove_member(
    request: Request, caller: CurrentCaller, org_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    async with org_scope(request, caller, org_id) as (tx, ctx):
        await orgs.remove_member(tx=tx, ctx=ctx, member_id=user_id)


@orgs_router.post(
    "/{org_id}/transfer-ownership",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Make another member the owner (you become admin)",
)
async def transfer_ownership(
    request: Request, caller: CurrentCaller, org_id: uuid.UUID, transfer_in: OwnershipTransfer
) -> None:
    async with org_scope(request, caller, org_id) as (tx, ctx):
        await orgs.transfer_ownership(tx=tx, ctx=ctx, to_user_id=transfer_in.to_user_id)


def _org_read(row: Any, role: Any) -> OrgRead:
    return OrgRead(
        id=row.id,
        name=row.name,
        industry=row.industry,
        size=row.size,
        default_language=row.default_language,
        time_zone=row.time_zone,
        currency=row.currency,
        role=role,
        created_at=row.created_at,
    )


routers = (
    auth_router,
    users_router,
    orgs_router,
    api_keys_router,
    invitations_router,
    oidc_router,
    dev_router,
)
