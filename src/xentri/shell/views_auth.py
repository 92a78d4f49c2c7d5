"""Sign-up, login and logout pages, through identity's account use cases."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.responses import Response

from xentri.identity import accounts
from xentri.identity.errors import EmailTakenError, TooManyAttemptsError, WeakPasswordError
from xentri.identity.http import (
    account_scope,
    base_url_of,
    clear_session_cookie,
    mailer_of,
    set_session_cookie,
)
from xentri.identity.schemas import LoginIn, SignupIn
from xentri.identity.sessions import revoke_session
from xentri.identity.throttle import (
    LOGIN_PER_ACCOUNT,
    LOGIN_PER_ADDRESS,
    SIGNUP_PER_ACCOUNT,
    SIGNUP_PER_ADDRESS,
    throttle,
)
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
    await throttle(
        request,
        action="signup",
        account=signup_in.email,
        per_account=SIGNUP_PER_ACCOUNT,
        per_address=SIGNUP_PER_ADDRESS,
    )
    async with account_scope(request) as tx:
        await accounts.signup(
            tx=tx,
            signup_in=accounts.SignupIn(
                email=signup_in.email,
                password=signup_in.password,
                name=signup_in.name,
                preferred_language=signup_in.preferred_language,
            ),
            mailer=mailer_of(request),
            base_url=base_url_of(request),
        )
        signed_in = await accounts.login(
            tx=tx,
            email=signup_in.email,
            password=signup_in.password,
            ip=_ip(request),
            user_agent=request.headers.get("user-agent"),
        )
        if signed_in is None:  # the account was made with this very password a moment ago
            raise RuntimeError("a new account could not sign in")
    return signed_in[2]


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
    try:
        await throttle(
            request,
            action="login",
            account=login_in.email,
            per_account=LOGIN_PER_ACCOUNT,
            per_address=LOGIN_PER_ADDRESS,
        )
    except TooManyAttemptsError:
        async with account_scope(request) as tx:
            await accounts.record_throttled_login(tx=tx, ip=_ip(request))
        raise
    async with account_scope(request) as tx:
        signed_in = await accounts.login(
            tx=tx,
            email=login_in.email,
            password=login_in.password,
            ip=_ip(request),
            user_agent=request.headers.get("user-agent"),
        )
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


def _ip(request: Request) -> str | None:
    return request.client.host if request.client else None
