"""What the frame around a signed-in page needs: the person's orgs and the one they act in."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from starlette.responses import Response

from xentri.identity import orgs
from xentri.identity.http import engine_of
from xentri.kernel.db.tenant import user_transaction
from xentri.shell.templating import redirect
from xentri.shell.visitor import Visitor


@dataclass(frozen=True)
class Frame:
    orgs: list[Any]
    current: Any | None

    @property
    def current_id(self) -> uuid.UUID | None:
        return self.current.id if self.current is not None else None


async def load_frame(request: Request, visitor: Visitor) -> Frame:
    async with user_transaction(engine_of(request), visitor.user_id) as tx:
        rows = await orgs.my_orgs(tx=tx, user_id=visitor.user_id)
    active = visitor.caller.active_org_id
    # No active org yet (a fresh login): show the first one, as the API's gate would need one
    # chosen; switching makes the choice explicit.
    current = next((row for row in rows if row.id == active), rows[0] if rows else None)
    return Frame(orgs=rows, current=current)


def to_login(request: Request) -> Response:
    query = request.url.query
    here = request.url.path + (f"?{query}" if query else "")
    return redirect(request, "/login?" + urlencode({"next": here}))


def needs_sign_in(request: Request, visitor: Visitor) -> Response | None:
    return None if visitor.signed_in else to_login(request)
