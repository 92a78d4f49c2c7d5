"""OIDC settings and the pure rules of the flow: what is refused before any request is made."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from xentri.identity.oidc import OidcSettings, identity_from_claims, safe_next_path
from xentri.identity.oidc_errors import OidcEmailUnverifiedError


def settings(**values) -> OidcSettings:
    return OidcSettings(_env_file=None, **values)


def test_unset_means_off():
    assert settings().configured is False
    assert settings(issuer="", client_id="").configured is False


@pytest.mark.parametrize(
    "issuer",
    ["https://id.example.com", "http://127.0.0.1:9000", "http://localhost:8080/realms/x"],
)
def test_https_or_loopback_issuers_are_accepted(issuer):
    assert settings(issuer=issuer, client_id="xentri").configured is True


@pytest.mark.parametrize("issuer", ["http://id.example.com", "ftp://id.example.com", "id.example"])
def test_other_issuers_are_refused(issuer):
    with pytest.raises(ValidationError, match="https"):
        settings(issuer=issuer, client_id="xentri")


def test_issuer_and_client_id_come_together():
    with pytest.raises(ValidationError, match="both"):
        settings(issuer="https://id.example.com")


def test_scopes_must_ask_for_openid_and_email():
    assert settings(scopes="openid,email email profile").scopes == "openid email profile"
    with pytest.raises(ValidationError, match="email"):
        settings(scopes="openid profile")


@pytest.mark.parametrize(
    ("asked", "landing"),
    [
        (None, "/"),
        ("/orgs?tab=1", "/orgs?tab=1"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("/ok\r\nSet-Cookie: x=1", "/"),
    ],
)
def test_only_paths_on_this_site_are_landed_on(asked, landing):
    assert safe_next_path(asked) == landing


@pytest.mark.parametrize("flag", [False, "false", None, 1])
def test_only_a_verified_email_is_taken(flag):
    claims = {"sub": "1", "email": "ana@example.com", "email_verified": flag}
    with pytest.raises(OidcEmailUnverifiedError):
        identity_from_claims(claims, org_claim=None)


def test_a_verified_identity_keeps_what_xentri_uses():
    claims = {
        "sub": "1",
        "email": "Ana@Example.COM",
        "email_verified": "true",
        "given_name": "Ana",
        "family_name": "Ruiz",
        "locale": "es-MX",
        "picture": "http://insecure.example/a.png",
        "org_id": "not-an-org-id",
    }

    identity = identity_from_claims(claims, org_claim="org_id")

    assert identity.email == "Ana@example.com"
    assert identity.name == "Ana Ruiz"
    assert identity.preferred_language == "es"
    assert identity.avatar_url is None
    assert identity.org_id is None
