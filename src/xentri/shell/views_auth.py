"""Sign-up, login and logout pages, through identity's account use cases."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.responses import Response

from xentri.identity import sign_in
from xentri.identity.errors import EmailTakenError, TooManyAttemptsError, WeakPasswordError
from xentri.identity.http import (
    account_scope,
    clear_session_cookie,
    set_session_cookie,
)
from xentri.identity.schemas import LoginIn, SignupIn
from xentri.identity.sessions import revoke_session
from xentri.shell import messages
from xentri.shell.forms import Form, field_errors, read_form
from xentri.shell.i18n import N_
from xentri.shell.templating import redirect, render, safe_next
from xentri.shell.visitor import CurrentVisitor, Visitor

auth_pages = APIRouter(include_in_schema=False)

_SIGNUP_REQUIRED = {
    "name": N_("Enter your name."),
    "email": N_("Enter your email address."),
    "password": N_("Choose a password."),
}
_LOGIN_REQUIRED = {"email": N_("Enter your email address."), "password": N_("Enter your password.")}


@auth_pages.get("/signup")
async def signup_page(
    request: Request, visitor: CurrentVisitor, next: str | None = None, email: str = ""
) -> Response:
    if visitor.signed_in:
        return redirect(request, safe_next(next))
    values = {"name": "", "email": email[:320], "next": safe_next(next)}
    return _signup(request, visitor, Form(values=values, csrf_ok=True))


@auth_pages.post("/signup")
async def signup_submit(request: Request, visitor: CurrentVisitor) -> Response:
    form = await read_form(request, visitor, ("name", "email", "password", "next"))
    status = 403 if not form.csrf_ok else 422
    signup_in: SignupIn | None = None
    if form.csrf_ok:
        try:
            signup_in = SignupIn(
                name=form.values["name"],
                email=form.values["email"],
                password=form.values["password"],
                preferred_language=visitor.lang,  # the language they signed up in is their choice
            )
        except ValidationError as exc:
            form.errors = field_errors(exc, visitor, _SIGNUP_REQUIRED, form.values)
    if form.ok and signup_in is not None:
        try:
            token = await _sign_up(request, signup_in)
        except TooManyAttemptsError as exc:
            form.form_error, status = messages.too_many_attempts(visitor, exc), 429
        except WeakPasswordError as exc:
            form.errors["password"] = messages.weak_password(visitor, exc)
        except EmailTakenError:
            form.errors["email"] = visitor.gettext(
                "An account with this email already exists. Sign in instead, or reset your "
                "password."
            )
            status = 409
        else:
            response = redirect(request, safe_next(form.values["next"]), notice="signed_up")
            set_session_cookie(request, response, token)
            return response
    return _signup(request, visitor, form, status=status)


async def _sign_up(request: Request, signup_in: SignupIn) -> str:
    """Create the account and its first session in one transaction: all of it, or nothing."""
    _user_id, _session_id, token = await sign_in.sign_up(request, signup_in)
    return token


def _signup(request: Request, visitor: Visitor, form: Form, *, status: int = 200) -> Response:
    return render(request, visitor, "auth/signup.html", {"form": form}, status=status)


@auth_pages.get("/login")
async def login_page(
    request: Request, visitor: CurrentVisitor, next: str | None = None, email: str = ""
) -> Response:
    if visitor.signed_in:
        return redirect(request, safe_next(next))
    values = {"email": email[:320], "next": safe_next(next)}
    return _login(request, visitor, Form(values=values, csrf_ok=True))


@auth_pages.post("/login")
async def login_submit(request: Request, visitor: CurrentVisitor) -> Response:
    form = await read_form(request, visitor, ("email", "password", "next"))
    status = 403 if not form.csrf_ok else 422
    login_in: LoginIn | None = None
    if form.csrf_ok:
        try:
            login_in = LoginIn(email=form.values["email"], password=form.values["password"])
        except ValidationError as exc:
            form.errors = field_errors(exc, visitor, _LOGIN_REQUIRED, form.values)
    if form.ok and login_in is not None:
        try:
            token = await _log_in(request, login_in)
        except TooManyAttemptsError as exc:
            form.form_error, status = messages.too_many_attempts(visitor, exc), 429
        else:
            if token is not None:
                response = redirect(request, safe_next(form.values["next"]), notice="signed_in")
                set_session_cookie(request, response, token)
                return response
            # One message whether the email exists or not, as the API answers.
            form.form_error, status = visitor.gettext("Email or password is incorrect."), 401
    return _login(request, visitor, form, status=status)


async def _log_in(request: Request, login_in: LoginIn) -> str | None:
    signed_in = await sign_in.log_in(request, login_in)
    return signed_in[2] if signed_in else None


def _login(request: Request, visitor: Visitor, form: Form, *, status: int = 200) -> Response:
    return render(request, visitor, "auth/login.html", {"form": form}, status=status)


@auth_pages.post("/logout")
async def logout(request: Request, visitor: CurrentVisitor) -> Response:
    form = await read_form(request, visitor, ())
    if visitor.session is not None and form.csrf_ok:
        async with account_scope(request) as tx:
            await revoke_session(tx=tx, session_id=visitor.session.session_id)
    elif visitor.session is not None:
        # A logout another site triggers is refused: back to where the person was.
        return redirect(request, "/dashboard")
    response = redirect(request, "/login", notice="signed_out")
    clear_session_cookie(response)
    return response
