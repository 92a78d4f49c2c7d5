"""Team settings: members and pending invitations; invite, change a role, remove, withdraw an
invitation, leave. Every rule (who may, and that an org keeps an owner) is identity's."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.responses import Response

from xentri.identity import invitations, orgs
from xentri.identity.caller_org import forget_session_org
from xentri.identity.errors import ForbiddenError, LastOwnerError, MemberNotFoundError
from xentri.identity.http import base_url_of, mailer_of, org_scope
from xentri.identity.invitation_errors import (
    AlreadyMemberError,
    InvitationAlreadyAcceptedError,
    InvitationNotFoundError,
)
from xentri.identity.invitation_schemas import InvitationCreate
from xentri.identity.permissions import RANK, Permission, Role
from xentri.shell.forms import Form, field_errors, read_form
from xentri.shell.frame import Frame, SignedInVisitor, load_frame
from xentri.shell.i18n import N_
from xentri.shell.settings_common import allowed, refusal, role_in, settings_page
from xentri.shell.templating import redirect
from xentri.shell.visitor import Visitor

team_pages = APIRouter(include_in_schema=False)

_HERE = "/settings/team"


@team_pages.get(_HERE)
async def team_page(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    form = Form(values={"email": "", "role": Role.MEMBER.value}, csrf_ok=True)
    return await _team(request, visitor, frame, form)


@team_pages.post(f"{_HERE}/invite")
async def invite(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ("email", "role"))
    status = 403 if not form.csrf_ok else 422
    if frame.current is None:
        return redirect(request, _HERE)
    if form.csrf_ok:
        try:
            invite_in = InvitationCreate(email=form.values["email"], role=form.values["role"])
        except ValidationError as exc:
            required = {"email": N_("Enter the email address of the person to invite.")}
            form.errors = field_errors(exc, visitor, required, form.values)
    if form.ok:
        try:
            async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
                await invitations.invite(
                    tx=tx,
                    ctx=ctx,
                    email=invite_in.email,
                    role=invite_in.role,
                    mailer=mailer_of(request),
                    base_url=base_url_of(request),
                )
        except AlreadyMemberError:
            form.errors["email"] = visitor.gettext("This person is already a member.")
            status = 409
        except ForbiddenError as exc:
            form.form_error, status = refusal(visitor, exc)
        else:
            return redirect(request, _HERE, notice="invitation_sent")
    return await _team(request, visitor, frame, form, status=status)


@team_pages.post(f"{_HERE}/members/{{member_id}}/role")
async def change_role(request: Request, visitor: SignedInVisitor, member_id: uuid.UUID) -> Response:
    form = await read_form(request, visitor, ("role",))
    try:
        new_role = Role(form.values["role"])
    except ValueError:
        new_role = None

    async def act(org_id: uuid.UUID) -> None:
        if new_role is None:
            raise MemberNotFoundError("not a role")
        async with org_scope(request, visitor.caller, org_id) as (tx, ctx):
            await orgs.change_role(tx=tx, ctx=ctx, member_id=member_id, new_role=new_role)

    return await _act(request, visitor, form, act, notice="role_changed")


@team_pages.post(f"{_HERE}/members/{{member_id}}/remove")
async def remove_member(
    request: Request, visitor: SignedInVisitor, member_id: uuid.UUID
) -> Response:
    form = await read_form(request, visitor, ())
    leaving = member_id == visitor.user_id

    async def act(org_id: uuid.UUID) -> None:
        async with org_scope(request, visitor.caller, org_id) as (tx, ctx):
            await orgs.remove_member(tx=tx, ctx=ctx, member_id=member_id)

    response = await _act(
        request,
        visitor,
        form,
        act,
        notice="left_org" if leaving else "member_removed",
        done="/dashboard" if leaving else _HERE,
    )
    if leaving:
        await forget_session_org(request)
    return response


@team_pages.post(f"{_HERE}/invitations/{{invitation_id}}/revoke")
async def revoke_invitation(
    request: Request, visitor: SignedInVisitor, invitation_id: uuid.UUID
) -> Response:
    form = await read_form(request, visitor, ())

    async def act(org_id: uuid.UUID) -> None:
        async with org_scope(request, visitor.caller, org_id) as (tx, ctx):
            await invitations.revoke_invitation(tx=tx, ctx=ctx, invitation_id=invitation_id)

    return await _act(request, visitor, form, act, notice="invitation_revoked")


async def _act(
    request: Request,
    visitor: Visitor,
    form: Form,
    act: Callable[[uuid.UUID], Awaitable[None]],
    *,
    notice: str,
    done: str = _HERE,
) -> Response:
    """Run one team change; a refusal shows the page again with the reason, nothing changed."""
    frame = await load_frame(request, visitor)
    page_form = Form(values={"email": "", "role": Role.MEMBER.value}, csrf_ok=form.csrf_ok)
    if frame.current is None:
        return redirect(request, _HERE)
    if not form.csrf_ok:
        page_form.form_error = form.form_error
        return await _team(request, visitor, frame, page_form, status=403)
    try:
        await act(frame.current.id)
    except (ForbiddenError, LastOwnerError) as exc:
        page_form.form_error, status = refusal(visitor, exc)
        return await _team(request, visitor, frame, page_form, status=status)
    except (MemberNotFoundError, InvitationNotFoundError, InvitationAlreadyAcceptedError) as exc:
        page_form.form_error, _status = refusal(visitor, exc)
        return await _team(request, visitor, frame, page_form, status=409)
    return redirect(request, done, notice=notice)


async def _team(
    request: Request, visitor: Visitor, frame: Frame, form: Form, *, status: int = 200
) -> Response:
    members: list[object] = []
    pending: list[object] = []
    if frame.current is not None:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            members = await orgs.list_members(tx=tx, ctx=ctx)
            if allowed(frame, Permission.MEMBERS_MANAGE):
                pending = await invitations.list_invitations(tx=tx, ctx=ctx)
    role = role_in(frame)
    grantable = [r for r in Role if role is not None and RANK[r] <= RANK[role]]
    _ = visitor.gettext
    role_names = {"owner": _("Owner"), "admin": _("Admin"), "member": _("Member")}
    context = {
        "form": form,
        "members": members,
        "pending": pending,
        "may_manage": allowed(frame, Permission.MEMBERS_MANAGE),
        "role_options": [(r.value, role_names[r.value]) for r in reversed(grantable)],
        "me": visitor.user_id,
    }
    return settings_page(request, visitor, frame, "team", context, status=status)
