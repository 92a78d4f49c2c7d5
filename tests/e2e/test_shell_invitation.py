"""An invited person accepts in their own browser: from the mailed link, through sign-up, to the
inviting organization's dashboard."""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.test_shell_journey import serious_accessibility_problems, shot, sign_up_and_set_up
from tests.support.identity import PASSWORD

pytestmark = pytest.mark.e2e


def test_an_invited_person_signs_up_from_the_link_and_joins(browser, live_server):
    owner = {"name": "Olga", "email": f"olga-{uuid.uuid4().hex[:8]}@example.com"}
    guest_email = f"bea-{uuid.uuid4().hex[:8]}@example.com"
    first = browser.new_context()
    second = browser.new_context()
    try:
        # Given an owner with an org who invites someone (the Team settings page will do this;
        # until then the JSON API, with the session's CSRF token, as a page script would)
        page = first.new_page()
        sign_up_and_set_up(page, live_server, owner, org="Panadería Sol")
        session = page.request.get(f"{live_server}/api/v1/auth/session").json()
        org_id = session["active_org_id"]
        invited = page.request.post(
            f"{live_server}/api/v1/orgs/{org_id}/invitations",
            data={"email": guest_email, "role": "member"},
            headers={"x-csrf-token": session["csrf_token"]},
        )
        assert invited.status == 201

        # When the invited person opens the mailed link in their own browser
        guest = second.new_page()
        guest.goto(f"{live_server}/dev/mailbox")
        mail = guest.locator("article", has_text=guest_email)
        mail.locator('a[href*="/invitations/accept?token="]').first.click()
        assert guest.get_by_text("Olga invited you to join Panadería Sol as Member.").is_visible()
        shot(guest, "20-invitation")
        assert serious_accessibility_problems(guest) == []
        guest.get_by_role("link", name="Create an account").click()
        assert guest.get_by_label("Email").input_value() == guest_email
        guest.get_by_label("Your name").fill("Bea")
        guest.get_by_label("Password", exact=True).fill(PASSWORD)
        guest.get_by_role("button", name="Create account").click()
        guest.get_by_role("button", name="Accept and join").click()

        # Then they land in the org's dashboard, as a member
        guest.wait_for_url(f"{live_server}/dashboard")
        assert guest.get_by_role("heading", name="Panadería Sol").is_visible()
        assert guest.get_by_text("You joined the organization.").is_visible()
        shot(guest, "21-joined")
    finally:
        first.close()
        second.close()
