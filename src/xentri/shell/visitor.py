"""Who is looking at a page: their session (if any), profile, language and form token."""

from __future__ import annotations

import gettext
import uuid
from dataclasses import dataclass
from typing import Annotated, Any

import structlog
from fastapi import Depends, Request

from xentri.contracts.events import SYSTEM_ORG_ID
from xentri.identity import accounts
from xentri.identity.http import SESSION_COOKIE, Caller, engine_of
from xentri.identity.sessions import SessionInfo, resolve_session
from xentri.kernel.db.tenant import user_transaction
from xentri.shell import csrf
from xentri.shell.i18n import page_language


@dataclass
class Visitor:
    session: SessionInfo | None
    user: Any | None
    lang: str
    translations: gettext.NullTranslations
    form_nonce: str
    # A nonce made for this response: the page sets its cookie when it renders a form.
    nonce_is_new: bool
    csrf: str

    @property
    def signed_in(self) -> bool:
        return self.session is not None

    @property
    def caller(self) -> Caller:
        if self.session is None:
            raise RuntimeError("only for signed-in visitors")
        return Caller(
            user_id=self.session.user_id,
            session_id=self.session.session_id,
            active_org_id=self.session.active_org_id,
        )

    @property
    def user_id(self) -> uuid.UUID:
        return self.caller.user_id

    def gettext(self, message: str, **params: object) -> str:
        text = self.translations.gettext(message)
        return text % params if params else text


async def current_visitor(request: Request) -> Visitor:
    session: SessionInfo | None = None
    user: Any | None = None
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        async with user_transaction(engine_of(request), SYSTEM_ORG_ID) as tx:
            session = await resolve_session(tx=tx, token=token)
            if session is not None:
                user = await accounts.get_profile(tx=tx, user_id=session.user_id)
    if session is not None:
        request.state.user_id = str(session.user_id)
        structlog.contextvars.bind_contextvars(user_id=str(session.user_id))
    lang = page_language(request, account_language=user.preferred_language if user else None)
    nonce = request.cookies.get(csrf.FORM_COOKIE)
    nonce_is_new = not nonce
    nonce = nonce or csrf.new_form_nonce()
    return Visitor(
        session=session,
        user=user,
        lang=lang,
        translations=request.app.state.shell.catalogs.get(lang),
        form_nonce=nonce,
        nonce_is_new=nonce_is_new,
        csrf=csrf.token_for(
            request, session_id=session.session_id if session else None, nonce=nonce
        ),
    )


CurrentVisitor = Annotated[Visitor, Depends(current_visitor)]
