"""Toasts for non-blocking notices after a redirect: a code in a short-lived cookie, never text
(so nothing a link or another site sets can put words on our pages)."""

from __future__ import annotations

from fastapi import Request, Response

from xentri.shell.i18n import N_

NOTICE_COOKIE = "xentri_notice"

NOTICES = {
    "signed_in": N_("Welcome back."),
    "signed_out": N_("You are signed out."),
    "signed_up": N_("Your account is ready. We sent you a link to confirm your email."),
    "email_verified": N_("Your email is confirmed."),
    "password_reset": N_("Your password is changed. Sign in with the new one."),
    "org_created": N_("Your organization is ready."),
    "org_switched": N_("Switched organization."),
    "invitation_accepted": N_("You joined the organization."),
    "language_changed": N_("Language changed."),
    "setup_done": N_("All set. Welcome to Xentri."),
    "settings_saved": N_("Saved."),
    "logo_saved": N_("Logo updated."),
    "logo_removed": N_("Logo removed."),
    "invitation_sent": N_("Invitation sent."),
    "invitation_revoked": N_("Invitation withdrawn."),
    "role_changed": N_("Role changed."),
    "member_removed": N_("Member removed."),
    "left_org": N_("You left the organization."),
    "api_key_revoked": N_("API key revoked. Programs using it are refused from now on."),
    "org_deleted": N_("The organization and all its data were deleted."),
    "account_deleted": N_("Your account was deleted. Goodbye."),
    "vote_recorded": N_("Thanks! Your vote is counted."),
    "vote_withdrawn": N_("Your vote is withdrawn."),
    "brief_drafted": N_("Your Brief is drafted. Check it and approve it."),
    "brief_saved": N_("Saved in the draft."),
    "brief_changed": N_("Changed in the draft. Check it below."),
    "brief_approved": N_("Brief approved. Every part of Xentri now reads this version."),
    "goal_saved": N_("Objective saved."),
    "goal_deleted": N_("Objective deleted."),
    "progress_saved": N_("Progress recorded."),
    "decision_logged": N_("Decision logged."),
    "customer_saved": N_("Customer saved."),
    "customers_imported": N_("Import finished."),
    "invoice_saved": N_("Draft saved."),
    "invoice_deleted": N_("Draft deleted."),
    "invoice_not_changed": N_(
        "That is not possible at this point. The page shows what you can do now."
    ),
    "invoice_sent": N_("Invoice sent. It is being emailed to the customer."),
    "invoice_voided": N_("Invoice voided."),
    "invoice_emailed": N_("Invoice emailed."),
    "invoice_email_skipped": N_("Not emailed: the customer has no email address."),
    "invoice_link_revoked": N_("Public links revoked: they no longer open the invoice."),
    "payment_recorded": N_("Payment recorded."),
    "payment_reversed": N_("Payment reversed."),
    "expense_saved": N_("Expense saved."),
    "expense_deleted": N_("Expense deleted."),
    "finance_settings_saved": N_("Finance settings saved."),
}


def set_notice(request: Request, response: Response, code: str) -> None:
    if code in NOTICES:
        response.set_cookie(
            NOTICE_COOKIE,
            code,
            max_age=60,
            httponly=True,
            secure=request.url.scheme == "https",
            samesite="lax",
            path="/",
        )


def pending_notice(request: Request) -> str | None:
    """The message id of the notice waiting for this page, if any."""
    return NOTICES.get(request.cookies.get(NOTICE_COOKIE, ""))
