"""Settings in a real Chromium: invite a teammate who joins from a second browser, change their
role, create an API key (shown once) and revoke it, export the data, delete the org; every
settings page without serious accessibility problems and within 360 px."""

from __future__ import annotations

import base64
import io
import uuid
import zipfile

import pytest

from tests.e2e.test_shell_journey import (
    serious_accessibility_problems,
    shot,
    sign_up_and_set_up,
)
from tests.support.identity import PASSWORD

pytestmark = pytest.mark.e2e

SECTIONS = ("profile", "organization", "region", "team", "integrations", "notifications", "danger")


def test_invite_a_teammate_then_create_and_revoke_an_api_key(browser, live_server):
    owner = {"name": "Olga", "email": f"olga-{uuid.uuid4().hex[:8]}@example.com"}
    guest_email = f"bea-{uuid.uuid4().hex[:8]}@example.com"
    first, second = browser.new_context(), browser.new_context()
    try:
        page = first.new_page()
        sign_up_and_set_up(page, live_server, owner, org="Panadería Sol")

        # Given the owner opens ⚙ Settings and its Team section
        page.get_by_role("link", name="Settings").click()
        page.wait_for_url(f"{live_server}/settings/profile")
        sections = page.get_by_role("navigation", name="Settings sections")
        sections.get_by_role("link", name="Team").click()
        page.wait_for_url(f"{live_server}/settings/team")

        # When they invite a teammate
        page.get_by_label("Email").fill(guest_email)
        page.get_by_role("button", name="Send invitation").click()
        page.wait_for_url(f"{live_server}/settings/team")
        assert page.get_by_text("Invitation sent.").is_visible()
        assert page.get_by_text(guest_email).is_visible()
        shot(page, "40-settings-team-invited")
        assert serious_accessibility_problems(page) == []

        # the teammate accepts from the mailed link in their own browser
        guest = second.new_page()
        guest.goto(f"{live_server}/dev/mailbox")
        mail = guest.locator("article", has_text=guest_email)
        mail.locator('a[href*="/invitations/accept?token="]').first.click()
        guest.get_by_role("link", name="Create an account").click()
        guest.get_by_label("Your name").fill("Bea")
        guest.get_by_label("Password", exact=True).fill(PASSWORD)
        guest.get_by_role("button", name="Create account").click()
        guest.get_by_role("button", name="Accept and join").click()
        guest.wait_for_url(f"{live_server}/dashboard")  # no wizard for a joining member
        assert guest.get_by_role("heading", name="Panadería Sol").is_visible()

        # and the owner makes them an admin
        page.reload()
        page.get_by_label("Role of Bea").select_option("admin")
        page.get_by_role("row", name="Bea").get_by_role("button", name="Change role").click()
        page.wait_for_url(f"{live_server}/settings/team")
        assert page.get_by_text("Role changed.").is_visible()
        assert page.get_by_role("row", name="Bea").locator(".badge").inner_text() == "Admin"

        # Then an API key is created, its secret shown once, and it works
        page.get_by_role("navigation", name="Settings sections").get_by_role(
            "link", name="Integrations"
        ).click()
        page.get_by_label("Name", exact=True).fill("Online shop")
        page.get_by_role("button", name="Create key").click()
        secret = page.locator("[data-secret]").inner_text().strip()
        assert secret.startswith("xk_")
        shot(page, "41-settings-key-created")
        assert serious_accessibility_problems(page) == []
        bearer = {"authorization": f"Bearer {secret}"}
        assert page.request.get(f"{live_server}/api/v1/whoami", headers=bearer).status == 200
        page.goto(f"{live_server}/settings/integrations")
        assert page.locator("[data-secret]").count() == 0  # never shown again

        # and revoking it (confirmed in a dialog) refuses it from then on
        page.get_by_role("link", name="Revoke Online shop").click()
        dialog = page.get_by_role("dialog", name="Revoke Online shop?")
        assert dialog.is_visible()
        shot(page, "42-settings-revoke-dialog")
        dialog.get_by_role("button", name="Revoke the key").click()
        page.wait_for_url(f"{live_server}/settings/integrations")
        assert page.get_by_text("API key revoked.").is_visible()
        assert page.request.get(f"{live_server}/api/v1/whoami", headers=bearer).status == 401

        # Finally the teammate deletes their account: the dialog asks for their password
        guest.goto(f"{live_server}/settings/danger")
        guest.get_by_role("link", name="Delete my account…").click()
        dialog = guest.get_by_role("dialog", name="Delete your account?")
        dialog.get_by_label("Enter your password to confirm").fill("not my password")
        dialog.get_by_role("button", name="Delete my account forever").click()
        guest.wait_for_load_state("load")
        dialog = guest.get_by_role("dialog", name="Delete your account?")
        assert dialog.get_by_text("This is not your password.").is_visible()
        assert dialog.get_by_label("Enter your password to confirm").input_value() == ""
        shot(guest, "49-settings-delete-account-wrong-password")
        assert serious_accessibility_problems(guest) == []
        dialog.get_by_label("Enter your password to confirm").fill(PASSWORD)
        dialog.get_by_role("button", name="Delete my account forever").click()
        guest.wait_for_url(f"{live_server}/login")
        assert guest.get_by_text("Your account was deleted. Goodbye.").is_visible()
        page.goto(f"{live_server}/settings/team")
        assert page.get_by_role("row", name="Bea").count() == 0
    finally:
        first.close()
        second.close()


def test_export_then_delete_the_org(page, live_server):
    owner = {"name": "Olga", "email": f"olga-{uuid.uuid4().hex[:8]}@example.com"}
    sign_up_and_set_up(page, live_server, owner, org="Prueba Borrar")
    page.goto(f"{live_server}/settings/danger")
    shot(page, "43-settings-danger")
    assert serious_accessibility_problems(page) == []

    with page.expect_download() as download:
        page.get_by_role("button", name="Download the export").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    assert "organizations.json" in archive.namelist()
    assert b"Prueba Borrar" in archive.read("organizations.json")

    page.get_by_role("link", name="Delete the organization…").click()
    dialog = page.get_by_role("dialog", name="Delete Prueba Borrar?")
    dialog.get_by_label("Type Prueba Borrar to confirm").fill("Prueba")
    dialog.get_by_role("button", name="Delete forever").click()
    page.wait_for_load_state("load")
    assert page.get_by_text(
        "Type the organization's name exactly as shown to confirm."
    ).is_visible()
    page.get_by_label("Type Prueba Borrar to confirm").fill("Prueba Borrar")
    page.get_by_role("button", name="Delete forever").click()
    page.wait_for_url(f"{live_server}/dashboard")
    assert page.get_by_text("The organization and all its data were deleted.").is_visible()
    assert page.get_by_role("heading", name="Set up your organization").is_visible()
    shot(page, "44-org-deleted")


@pytest.mark.parametrize("width", [1280, 360])
def test_settings_pages_are_accessible_and_fit_the_screen(browser, live_server, width):
    owner = {"name": "Olga", "email": f"olga-{uuid.uuid4().hex[:8]}@example.com"}
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    found: dict[str, list[str]] = {}
    try:
        sign_up_and_set_up(page, live_server, owner)
        for section in SECTIONS:
            page.goto(f"{live_server}/settings/{section}")
            found[section] = serious_accessibility_problems(page)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, section
            shot(page, f"45-{width}-settings-{section}")
    finally:
        context.close()
    assert {section: problems for section, problems in found.items() if problems} == {}


def test_settings_forms_and_confirmations_work_without_javascript(browser, live_server):
    owner = {"name": "Olga", "email": f"olga-{uuid.uuid4().hex[:8]}@example.com"}
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_up_and_set_up(page, live_server, owner, org="Sin Guion")
        page.goto(f"{live_server}/settings/profile")
        page.get_by_label("Your name").fill("Olga Ruiz")
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(f"{live_server}/settings/profile")
        assert page.get_by_text("Saved.").is_visible()
        assert page.get_by_label("Your name").input_value() == "Olga Ruiz"

        # A photo over the app's 1 MiB body limit, sent without a script to stop it, gets the
        # settings page back with the logo field's error (not the body limit's JSON)
        page.goto(f"{live_server}/settings/organization")
        photo = b"\xff\xd8\xff\xe0" + b"\0" * (2 * 1024 * 1024)
        page.get_by_label("Upload a logo").set_input_files(
            {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": photo}
        )
        page.get_by_role("button", name="Upload", exact=True).click()
        page.wait_for_load_state("load")
        assert page.get_by_role("heading", name="Logo").is_visible()
        error = page.get_by_text("The file is too large. Use an image of at most 512 KB.")
        assert error.is_visible()
        assert page.get_by_label("Upload a logo").get_attribute("aria-invalid") == "true"
        shot(page, "48-no-js-logo-too-large")

        # Team: an invitation with a mistyped address is explained and kept, then sent
        page.goto(f"{live_server}/settings/team")
        page.get_by_label("Email").fill("bea@")
        page.get_by_role("button", name="Send invitation").click()
        page.wait_for_load_state("load")
        assert page.get_by_text("Enter a valid email address").is_visible()
        assert page.get_by_label("Email").input_value() == "bea@"
        page.get_by_label("Email").fill("bea-no-js@example.com")
        page.get_by_role("button", name="Send invitation").click()
        page.wait_for_url(f"{live_server}/settings/team")
        assert page.get_by_text("Invitation sent.").is_visible()

        # The confirmation opens in place when its link is followed
        page.goto(f"{live_server}/settings/danger")
        page.get_by_role("link", name="Delete the organization…").click()
        page.get_by_label("Type Sin Guion to confirm").fill("Sin Guion")
        page.get_by_role("button", name="Delete forever").click()
        page.wait_for_url(f"{live_server}/dashboard")
        assert page.get_by_text("The organization and all its data were deleted.").is_visible()
        shot(page, "46-no-js-org-deleted")

        # Language & Region: the language is a plain select and a submit
        page.goto(f"{live_server}/settings/region")
        page.get_by_role("combobox", name="Language").select_option("es")
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(f"{live_server}/settings/region")
        assert page.locator("html").get_attribute("lang") == "es"
        assert page.get_by_text("Guardado.").is_visible()
    finally:
        context.close()


ONE_PIXEL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def test_a_logo_is_uploaded_and_shown_and_a_too_large_one_is_stopped_in_the_browser(
    page, live_server
):
    owner = {"name": "Olga", "email": f"olga-{uuid.uuid4().hex[:8]}@example.com"}
    sign_up_and_set_up(page, live_server, owner, org="Con Logo")
    page.goto(f"{live_server}/settings/organization")

    big = {"name": "big.png", "mimeType": "image/png", "buffer": b"\x89PNG" + b"\0" * 600_000}
    page.get_by_label("Upload a logo").set_input_files(big)
    assert page.get_by_label("Upload a logo").evaluate("input => input.validity.customError")
    page.get_by_label("Upload a logo").set_input_files(
        {"name": "logo.png", "mimeType": "image/png", "buffer": ONE_PIXEL_PNG}
    )
    page.get_by_role("button", name="Upload", exact=True).click()

    page.wait_for_url(f"{live_server}/settings/organization")
    assert page.get_by_text("Logo updated.").is_visible()
    logo = page.get_by_role("img", name="Logo of Con Logo")
    assert logo.evaluate("img => img.complete && img.naturalWidth") == 1
    shot(page, "47-settings-logo")
