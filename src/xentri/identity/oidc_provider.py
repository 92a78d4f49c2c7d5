"""The configured OpenID provider: discovery, signing keys, code exchange, ID token checks."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx2
import structlog
from authlib.integrations.httpx_client import AsyncOAuth2Client, OAuthError
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from xentri.identity.oidc import OidcSettings, provider_error_code, require_secure_url
from xentri.identity.oidc_errors import (
    OidcDeniedError,
    OidcIdTokenError,
    OidcNotConfiguredError,
    OidcProviderError,
)

log = structlog.get_logger("xentri.identity")

METADATA_TTL_SECONDS = 3600.0
KEYS_TTL_SECONDS = 3600.0
# However often tokens name a key we do not know, ask the provider at most this often.
KEYS_MIN_REFRESH_SECONDS = 30.0
# Signatures by the provider's own key pair only: HS* would verify with the client secret,
# which is not the provider's proof, and "none" is no signature at all.
ASYMMETRIC_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)


@dataclass(frozen=True)
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    algorithms: tuple[str, ...]
    token_auth_method: str


class OidcProvider:
    """The configured provider: discovery, signing keys (both cached), code exchange."""

    def __init__(self, settings: OidcSettings) -> None:
        if settings.issuer is None or settings.client_id is None:
            raise OidcNotConfiguredError("Sign in with your email and password.")
        self.settings = settings
        self.issuer = settings.issuer
        self.client_id = settings.client_id
        self._metadata: ProviderMetadata | None = None
        self._metadata_until = 0.0
        self._keys: KeySet | None = None
        self._keys_fetched_at = 0.0

    async def metadata(self) -> ProviderMetadata:
        now = time.monotonic()
        if self._metadata is None or now >= self._metadata_until:
            document = await self._get_json(
                f"{self.issuer.rstrip('/')}/.well-known/openid-configuration"
            )
            self._metadata = _parse_metadata(
                document, issuer=self.issuer, has_secret=self.settings.client_secret is not None
            )
            self._metadata_until = now + METADATA_TTL_SECONDS
        return self._metadata

    async def key_set(self, *, refresh: bool = False) -> KeySet:
        since = time.monotonic() - self._keys_fetched_at
        if (
            self._keys is None
            or since >= KEYS_TTL_SECONDS
            or (refresh and since >= KEYS_MIN_REFRESH_SECONDS)
        ):
            document = await self._get_json((await self.metadata()).jwks_uri)
            try:
                # Symmetric keys in a public key set are nobody's signature; leave them out.
                keys = [key for key in document["keys"] if key.get("kty") != "oct"]
                self._keys = KeySet.import_key_set({"keys": keys})
            except (JoseError, KeyError, ValueError, TypeError, AttributeError) as exc:
                log.warning("oidc_jwks_unusable", error=repr(exc))
                raise OidcProviderError("Its signing keys could not be read.") from None
            self._keys_fetched_at = time.monotonic()
        return self._keys

    async def authorization_url(
        self, *, state: str, nonce: str, verifier: str, redirect_url: str
    ) -> str:
        metadata = await self.metadata()
        async with self._oauth_client(metadata, redirect_url) as client:
            url, _ = client.create_authorization_url(
                metadata.authorization_endpoint, state=state, code_verifier=verifier, nonce=nonce
            )
        return str(url)

    async def exchange_code(self, *, code: str, verifier: str, redirect_url: str) -> dict[str, Any]:
        metadata = await self.metadata()
        try:
            async with self._oauth_client(metadata, redirect_url) as client:
                token = await client.fetch_token(
                    metadata.token_endpoint,
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=verifier,
                )
        except OAuthError as exc:
            log.warning("oidc_code_refused", provider_error=exc.error)
            raise OidcDeniedError(
                "It refused the sign-in code. Start the sign-in again.",
                provider_error=provider_error_code(exc.error),
            ) from None
        except (httpx2.HTTPError, ValueError) as exc:
            log.warning("oidc_token_endpoint_failed", error=repr(exc))
            raise OidcProviderError("Its token endpoint failed. Try again shortly.") from None
        return dict(token)

    async def verify_id_token(
        self, id_token: str, *, nonce: str, access_token: str | None
    ) -> dict[str, Any]:
        """Check the signature against the provider's keys, then iss, aud, exp, iat, nonce."""
        metadata = await self.metadata()
        try:
            try:
                token = jwt.decode(id_token, await self.key_set(), algorithms=metadata.algorithms)
            except InvalidKeyIdError:
                # An unknown key id usually means the provider rotated its keys.
                keys = await self.key_set(refresh=True)
                token = jwt.decode(id_token, keys, algorithms=metadata.algorithms)
            claims = CodeIDToken(
                token.claims,
                token.header,
                options={
                    "iss": {"essential": True, "value": metadata.issuer},
                    "aud": {"essential": True, "value": self.client_id},
                },
                params={"nonce": nonce, "client_id": self.client_id, "access_token": access_token},
            )
            claims.validate(leeway=self.settings.clock_skew_seconds)
        except (JoseError, ValueError, TypeError) as exc:
            log.warning("oidc_id_token_refused", error=type(exc).__name__, reason=str(exc))
            raise OidcIdTokenError(
                "Its ID token did not pass verification. Start the sign-in again."
            ) from None
        return dict(claims)

    def _oauth_client(self, metadata: ProviderMetadata, redirect_url: str) -> Any:
        secret = self.settings.client_secret
        return AsyncOAuth2Client(
            client_id=self.client_id,
            client_secret=secret.get_secret_value() if secret is not None else None,
            token_endpoint_auth_method=metadata.token_auth_method,
            scope=self.settings.scopes,
            redirect_uri=redirect_url,
            code_challenge_method="S256",
            timeout=self.settings.timeout_seconds,
        )

    async def _get_json(self, url: str) -> dict[str, Any]:
        try:
            async with httpx2.AsyncClient(timeout=self.settings.timeout_seconds) as client:
                response = await client.get(url, headers={"accept": "application/json"})
                response.raise_for_status()
                document = response.json()
        except (httpx2.HTTPError, ValueError) as exc:
            log.warning("oidc_provider_unreachable", url=url, error=repr(exc))
            raise OidcProviderError("It could not be reached. Try again shortly.") from None
        if not isinstance(document, dict):
            raise OidcProviderError("It answered with something other than a JSON object.")
        return document


def _parse_metadata(document: dict[str, Any], *, issuer: str, has_secret: bool) -> ProviderMetadata:
    """Validate the discovery document (OpenID Connect Discovery 1.0, section 4.3)."""
    try:
        declared = str(document["issuer"])
        if declared.rstrip("/") != issuer.rstrip("/"):
            raise ValueError(f"the document is for issuer {declared!r}, not {issuer!r}")
        endpoints = [
            require_secure_url(str(document[name]))
            for name in ("authorization_endpoint", "token_endpoint", "jwks_uri")
        ]
        offered = document.get("id_token_signing_alg_values_supported") or ["RS256"]
        algorithms = tuple(alg for alg in offered if alg in ASYMMETRIC_ALGORITHMS)
        if not algorithms:
            raise ValueError(f"it signs ID tokens only with {offered}")
        challenges = document.get("code_challenge_methods_supported")
        if challenges is not None and "S256" not in challenges:
            raise ValueError("it does not support PKCE with S256")
        methods = document.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
        auth_method = "none"
        if has_secret:
            usable = [m for m in ("client_secret_basic", "client_secret_post") if m in methods]
            if not usable:
                raise ValueError(f"it authenticates clients only with {methods}")
            auth_method = usable[0]
    except (KeyError, ValueError, TypeError) as exc:
        log.warning("oidc_discovery_unusable", issuer=issuer, error=str(exc))
        raise OidcProviderError("Its configuration document is not usable.") from None
    authorization, token, jwks = endpoints
    return ProviderMetadata(
        issuer=declared,
        authorization_endpoint=authorization,
        token_endpoint=token,
        jwks_uri=jwks,
        algorithms=algorithms,
        token_auth_method=auth_method,
    )
