"""The signed-in workspace: category pages, notifications (the bell's page), and the org switcher
(the dashboard is the landing Pulse, in xentri.pulse.views)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from xentri.catalog import current_statuses
from xentri.contracts.events import SYSTEM_ORG_ID
from xentri.identity import orgs
from xentri.identity.caller_org import forget_session_org
from xentri.identity.errors import OrgNotFoundError
from xentri.identity.http import engine_of, org_scope
from xentri.identity.schemas import OrgCreate
from xentri.identity.sessions import set_active_org
from xentri.kernel.db.tenant import tenant_transaction, user_transaction
from xentri.notifications import list_notifications, mark_all_read, mark_read
from xentri.notifications.errors import NotificationNotFoundError
from xentri.shell.forms import Form, field_errors, read_form
from xentri.shell.frame import SignedInVisitor, load_frame
from xentri.shell.i18n import N_
from xentri.shell.navigation import category
from xentri.shell.templating import redirect, render, safe_next
from xentri.shell.visitor import CurrentVisitor, Visitor

workspace_pages = APIRouter(include_in_schema=False)


@workspace_pages.get("/")
async def home(request: Request, visitor: CurrentVisitor) -> Response:
    return redirect(request, "/dashboard" if visitor.signed_in else "/login")


@workspace_pages.get("/c/{slug}")
async def category_page(request: Request, visitor: SignedInVisitor, slug: str) -> Response:
    found = category(slug)
    if found is None:
        raise HTTPException(status_code=404)
    frame = await load_frame(request, visitor)
    # The file's statuses are the default; an admin may have moved a module on since.
    async with tenant_transaction(engine_of(request), SYSTEM_ORG_ID) as tx:
        statuses = await current_statuses(tx=tx)
    context = {"frame": frame, "section": found.slug, "category": found, "statuses": statuses}
    return render(request, visitor, "app/category.html", context)


@workspace_pages.get("/notifications")
async def notifications_page(request: Request, visitor: SignedInVisitor) -> Response:
    number = request.query_params.get("page", "1")
    async with user_transaction(engine_of(request), visitor.user_id) as tx:
        page = await list_notifications(
            tx=tx,
            user_id=visitor.user_id,
            language=visitor.lang,
            page=int(number) if number.isdigit() and len(number) < 6 else 1,
        )
    frame = await load_frame(request, visitor)
    context = {"frame": frame, "section": "notifications", "page": page}
    response = render(request, visitor, "app/notifications.html", context)
    # Never the 10-second htmx copy: what is unread changes as soon as one is opened.
    response.headers["Cache-Control"] = "no-store"
    return response


@workspace_pages.post("/notifications/read-all")
async def read_all_notifications(request: Request, visitor: SignedInVisitor) -> Response:
    form = await read_form(request, visitor, ())
    if form.csrf_ok:
        async with user_transaction(engine_of(request), visitor.user_id) as tx:
            await mark_all_read(tx=tx, user_id=visitor.user_id)
    # Refused (a stale form): the page comes back with its items still unread, nothing lost.
    return redirect(request, "/notifications")


# A GET that marks read: opening is the act of reading, it changes nothing else, and the
# session cookie (SameSite=Lax) is not sent with another site's embedded requests.
@workspace_pages.get("/notifications/{notification_id}/open")
async def open_notification(
    request: Request, visitor: SignedInVisitor, notification_id: uuid.UUID
) -> Response:
    try:
        async with user_transaction(engine_of(request), visitor.user_id) as tx:
            opened = await mark_read(
                tx=tx,
                user_id=visitor.user_id,
                notification_id=notification_id,
                language=visitor.lang,
            )
    except NotificationNotFoundError:
        raise HTTPException(status_code=404) from None
    return redirect(request, safe_next(opened.link, default="/notifications"))


@workspace_pages.get("/orgs/new")
async def new_org_page(request: Request, visitor: SignedInVisitor) -> Response:
    form = Form(values={"name": "", "form_id": str(uuid.uuid4())}, csrf_ok=True)
    return await _new_org(request, visitor, form)


@workspace_pages.post("/orgs/new")
async def new_org_submit(request: Request, visitor: SignedInVisitor) -> Response:
    form = await read_form(request, visitor, ("name", "form_id"))
    status = 403 if not form.csrf_ok else 422
    try:
        # The form's own id becomes the org's id: a double submit finds it taken, not a twin.
        org_id = uuid.UUID(form.values["form_id"])
    except ValueError:
        org_id = uuid.uuid4()
        form.values["form_id"] = str(org_id)
    org_in: OrgCreate | None = None
    if form.csrf_ok:
        try:
            org_in = OrgCreate(name=form.values["name"], default_language=visitor.lang)
        except ValidationError as exc:
            required = {"name": N_("Enter your organization's name.")}
            form.errors = field_errors(exc, visitor, required, form.values)
    if form.ok and org_in is not None:
        user_id, session_id = visitor.caller.user_id, visitor.caller.session_id
        try:
            async with user_transaction(engine_of(request), user_id, org_id=org_id) as tx:
                await orgs.create_org(
                    tx=tx, org_id=org_id, user_id=user_id, values=org_in.model_dump()
                )
                await set_active_org(tx=tx, session_id=session_id, org_id=org_id)
        except IntegrityError:
            if not await _is_member(request, visitor, org_id):
                form.values["form_id"] = str(uuid.uuid4())
                form.form_error = visitor.gettext("Something changed meanwhile. Send it again.")
                return await _new_org(request, visitor, form, status=409)
        await forget_session_org(request)
        return redirect(request, "/dashboard", notice="org_created")
    return await _new_org(request, visitor, form, status=status)


async def _is_member(request: Request, visitor: Visitor, org_id: uuid.UUID) -> bool:
    async with user_transaction(engine_of(request), visitor.user_id) as tx:
        mine = await orgs.my_orgs(tx=tx, user_id=visitor.user_id)
    return any(row.id == org_id for row in mine)


async def _new_org(
    request: Request, visitor: Visitor, form: Form, *, status: int = 200
) -> Response:
    frame = await load_frame(request, visitor)
    context = {"frame": frame, "section": None, "form": form}
    return render(request, visitor, "app/new_org.html", context, status=status)


@workspace_pages.post("/orgs/{org_id}/switch")
async def switch_org(request: Request, visitor: SignedInVisitor, org_id: uuid.UUID) -> Response:
    form = await read_form(request, visitor, ("next",))
    back = safe_next(form.values["next"])
    if not form.csrf_ok:
        return redirect(request, back)
    try:
        async with org_scope(request, visitor.caller, org_id) as (tx, _ctx):
            await set_active_org(tx=tx, session_id=visitor.caller.session_id, org_id=org_id)
    except OrgNotFoundError:
        raise HTTPException(status_code=404) from None
    await forget_session_org(request)
    return redirect(request, back, notice="org_switched")
