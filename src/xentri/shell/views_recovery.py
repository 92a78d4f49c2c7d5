"""Pages behind the mailed links: confirm an email address, reset a forgotten password."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.responses import Response

from xentri.identity import accounts
from xentri.identity.errors import InvalidTokenError, TooManyAttemptsError, WeakPasswordError
from xentri.identity.http import account_scope, base_url_of, clear_session_cookie, mailer_of
from xentri.identity.schemas import EmailIn, PasswordResetIn
from xentri.identity.throttle import RESET_PER_ACCOUNT, RESET_PER_ADDRESS, throttle
from xentri.shell import messages
from xentri.shell.forms import Form, field_errors, read_form
from xentri.shell.i18n import N_
from xentri.shell.templating import redirect, render
from xentri.shell.visitor import CurrentVisitor

recovery_pages = APIRouter(include_in_schema=False)

_TOKEN_MAX = 200


@recovery_pages.get("/verify-email")
async def verify_email_page(request: Request, visitor: CurrentVisitor, token: str = "") -> Response:
    # Opening the link only shows a button: mail scanners that follow links must not use it up.
    form = Form(values={"token": token[:_TOKEN_MAX]}, csrf_ok=True)
    return render(request, visitor, "auth/verify_email.html", {"form": form, "state": "confirm"})


@recovery_pages.post("/verify-email")
async def verify_email_submit(request: Request, visitor: CurrentVisitor) -> Response:
    form = await read_form(request, visitor, ("token",))
    if not form.csrf_ok:
        context = {"form": form, "state": "confirm"}
        return render(request, visitor, "auth/verify_email.html", context, status=403)
    try:
        if not 10 <= len(form.values["token"]) <= _TOKEN_MAX:
            raise InvalidTokenError("malformed")
        async with account_scope(request) as tx:
            await accounts.verify_email(tx=tx, token=form.values["token"])
    except InvalidTokenError:
        context = {"form": form, "state": "invalid"}
        return render(request, visitor, "auth/verify_email.html", context, status=400)
    if visitor.signed_in:
        return redirect(request, "/dashboard", notice="email_verified")
    return redirect(request, "/login", notice="email_verified")


@recovery_pages.get("/forgot-password")
async def forgot_password_page(
    request: Request, visitor: CurrentVisitor, email: str = ""
) -> Response:
    form = Form(values={"email": email[:320]}, csrf_ok=True)
    return render(request, visitor, "auth/forgot_password.html", {"form": form, "sent": False})


@recovery_pages.post("/forgot-password")
async def forgot_password_submit(request: Request, visitor: CurrentVisitor) -> Response:
    form = await read_form(request, visitor, ("email",))
    status = 403 if not form.csrf_ok else 422
    email_in: EmailIn | None = None
    if form.csrf_ok:
        try:
            email_in = EmailIn(email=form.values["email"])
        except ValidationError as exc:
            required = {"email": N_("Enter your email address.")}
            form.errors = field_errors(exc, visitor, required, form.values)
    if form.ok and email_in is not None:
        try:
            await throttle(
                request,
                action="reset",
                account=email_in.email,
                per_account=RESET_PER_ACCOUNT,
                per_address=RESET_PER_ADDRESS,
            )
            async with account_scope(request) as tx:
                await accounts.request_password_reset(
                    tx=tx,
                    email=email_in.email,
                    mailer=mailer_of(request),
                    base_url=base_url_of(request),
                )
        except TooManyAttemptsError as exc:
            form.form_error, status = messages.too_many_attempts(visitor, exc), 429
        else:
            # The same page whether the account exists: nothing to learn by trying addresses.
            context = {"form": form, "sent": True}
            return render(request, visitor, "auth/forgot_password.html", context)
    context = {"form": form, "sent": False}
    return render(request, visitor, "auth/forgot_password.html", context, status=status)


@recovery_pages.get("/reset-password")
async def reset_password_page(
    request: Request, visitor: CurrentVisitor, token: str = ""
) -> Response:
    form = Form(values={"token": token[:_TOKEN_MAX]}, csrf_ok=True)
    return render(request, visitor, "auth/reset_password.html", {"form": form, "invalid": False})


@recovery_pages.post("/reset-password")
async def reset_password_submit(request: Request, visitor: CurrentVisitor) -> Response:
    form = await read_form(request, visitor, ("token", "new_password"))
    status, invalid = (403 if not form.csrf_ok else 422), False
    reset_in: PasswordResetIn | None = None
    if form.csrf_ok:
        try:
            reset_in = PasswordResetIn(
                token=form.values["token"], new_password=form.values["new_password"]
            )
        except ValidationError as exc:
            required = {"new_password": N_("Choose a new password.")}
            form.errors = field_errors(exc, visitor, required, form.values)
            invalid = "token" in form.errors
    if form.ok and reset_in is not None:
        try:
            async with account_scope(request) as tx:
                await accounts.reset_password(
                    tx=tx, token=reset_in.token, new_password=reset_in.new_password
                )
        except InvalidTokenError:
            invalid, status = True, 400
        except WeakPasswordError as exc:
            form.errors["new_password"] = messages.weak_password(visitor, exc)
        else:
            # Every session of the account just ended, this browser's included.
            response = redirect(request, "/login", notice="password_reset")
            clear_session_cookie(response)
            return response
    context = {"form": form, "invalid": invalid}
    return render(request, visitor, "auth/reset_password.html", context, status=status)
