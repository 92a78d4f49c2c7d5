"""What the frame around a signed-in page needs: the person's orgs and the one they act in."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Request
from starlette.responses import Response

from xentri.identity import orgs
from xentri.identity.http import engine_of
from xentri.kernel.db.tenant import user_transaction
from xentri.notifications import unread_count
from xentri.shell.formatting import DEFAULT_REGION, Region
from xentri.shell.org_preferences import date_format_of
from xentri.shell.templating import redirect
from xentri.shell.visitor import CurrentVisitor, Visitor


@dataclass(frozen=True)
class Frame:
    orgs: list[Any]
    current: Any | None
    # How the current org writes dates and money; `render` hands it to the |date, |datetime
    # and |money filters of the page.
    region: Region = DEFAULT_REGION
    unread: int = 0  # the bell's count

    @property
    def current_id(self) -> uuid.UUID | None:
        return self.current.id if self.current is not None else None


async def load_frame(request: Request, visitor: Visitor) -> Frame:
    active = visitor.caller.active_org_id
    engine = engine_of(request)
    date_format: str | None = None
    async with user_transaction(engine, visitor.user_id, org_id=active) as tx:
        rows = await orgs.my_orgs(tx=tx, user_id=visitor.user_id)
        unread = await unread_count(tx=tx, user_id=visitor.user_id)
        # No active org yet (a fresh login): show the first one, as the API's gate would need
        # one chosen; switching makes the choice explicit.
        current = next((row for row in rows if row.id == active), rows[0] if rows else None)
        # The org's own tables are read only for an org the membership rows just vouched for.
        if current is not None and current.id == active:
            date_format = await date_format_of(tx=tx, org_id=current.id)
    if current is None:
        return Frame(orgs=rows, current=None, unread=unread)
    if date_format is None:
        async with user_transaction(engine, visitor.user_id, org_id=current.id) as tx:
            date_format = await date_format_of(tx=tx, org_id=current.id)
    region = Region(time_zone=current.time_zone, date_format=date_format, currency=current.currency)
    return Frame(orgs=rows, current=current, region=region, unread=unread)


def to_login(request: Request) -> Response:
    query = request.url.query
    here = request.url.path + (f"?{query}" if query else "")
    return redirect(request, "/login?" + urlencode({"next": here}))


def needs_sign_in(request: Request, visitor: Visitor) -> Response | None:
    return None if visitor.signed_in else to_login(request)


class SignInRequiredError(Exception):
    """A page for signed-in people was asked for without a session: the login page answers,
    with the page to come back to (install_sign_in)."""


async def signed_in_visitor(visitor: CurrentVisitor) -> Visitor:
    if not visitor.signed_in:
        raise SignInRequiredError
    return visitor


# A page route's visitor when the page is for signed-in people only.
SignedInVisitor = Annotated[Visitor, Depends(signed_in_visitor)]


def install_sign_in(app: FastAPI) -> None:
    async def on_sign_in_required(request: Request, exc: Exception) -> Response:
        return to_login(request)

    app.add_exception_handler(SignInRequiredError, on_sign_in_required)
