"""A tiny real OpenID provider on 127.0.0.1 for the OIDC tests.

It serves discovery and a JWKS with an RSA key made for the test, an authorization endpoint
that redirects straight back with a code (a person who consented), and a token endpoint that
checks the client, the redirect URI and the PKCE verifier before signing an ID token.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import socket
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

import uvicorn
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from xentri.identity.oidc import OidcSettings

KEY_ID = "test-key-1"
CALLBACK = "http://testserver/api/v1/auth/oidc/callback"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def new_key(kid: str = KEY_ID) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class FakeProvider:
    def __init__(self) -> None:
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.client_id = "xentri-test"
        self.client_secret = secrets.token_urlsafe(16)
        self.published_key = new_key()
        self.signing_key = self.published_key  # a test may sign with a key it does not publish
        # The person who consents next, and what a test changes in or does to their ID token.
        self.person: dict[str, Any] = {}
        self.overrides: dict[str, Any] = {}
        self.tamper: Callable[[str], str] | None = None
        self.deny_with: str | None = None
        self.token_status: int | None = None  # answer the token endpoint with this, bare
        self.authorize_requests: list[dict[str, str]] = []
        self.token_requests: list[dict[str, str]] = []
        self.refusals: list[str] = []
        self._codes: dict[str, dict[str, str]] = {}
        self._server = uvicorn.Server(
            uvicorn.Config(
                Starlette(
                    routes=[
                        Route("/.well-known/openid-configuration", self._discovery),
                        Route("/jwks", self._jwks),
                        Route("/authorize", self._authorize),
                        Route("/token", self._token, methods=["POST"]),
                    ]
                ),
                host="127.0.0.1",
                port=self.port,
                log_config=None,
                access_log=False,
            )
        )
        self._thread = threading.Thread(target=self._server.run, name="fake-idp", daemon=True)

    def settings(self, **overrides: Any) -> OidcSettings:
        values: dict[str, Any] = {
            "issuer": self.issuer,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "redirect_url": CALLBACK,
        }
        values.update(overrides)
        return OidcSettings(_env_file=None, **values)

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the fake OpenID provider did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)

    async def _discovery(self, request: Request) -> Response:
        return JSONResponse(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            }
        )

    async def _jwks(self, request: Request) -> Response:
        return JSONResponse(KeySet([self.published_key]).as_dict(private=False))

    async def _authorize(self, request: Request) -> Response:
        params = dict(request.query_params)
        self.authorize_requests.append(params)
        if (
            params.get("client_id") != self.client_id
            or params.get("response_type") != "code"
            or params.get("code_challenge_method") != "S256"
            or "openid" not in params.get("scope", "").split()
        ):
            return JSONResponse({"error": "invalid_request"}, status_code=400)
        back = params["redirect_uri"]
        if self.deny_with:
            query = {"error": self.deny_with, "state": params["state"]}
            return RedirectResponse(f"{back}?{urlencode(query)}", status_code=302)
        code = secrets.token_urlsafe(24)
        self._codes[code] = params
        query = {"code": code, "state": params["state"]}
        return RedirectResponse(f"{back}?{urlencode(query)}", status_code=302)

    async def _token(self, request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode()))
        self.token_requests.append(form)
        if self.token_status is not None:
            return Response("unavailable", status_code=self.token_status)
        expected_auth = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode())
        if request.headers.get("authorization") != f"Basic {expected_auth.decode()}":
            return self._refuse("invalid_client", status=401)
        grant = self._codes.pop(form.get("code", ""), None)
        if grant is None or form.get("grant_type") != "authorization_code":
            return self._refuse("invalid_grant")
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return self._refuse("invalid_grant")
        if s256(form.get("code_verifier", "")) != grant["code_challenge"]:
            return self._refuse("invalid_grant", reason="pkce")
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": self.person.get("sub", "person-1"),
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            **self.person,
            **self.overrides,
        }
        id_token = jwt.encode(
            {"alg": "RS256", "kid": self.signing_key.kid}, claims, self.signing_key
        )
        if self.tamper is not None:
            id_token = self.tamper(id_token)
        return JSONResponse(
            {
                "access_token": secrets.token_urlsafe(24),
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": id_token,
            }
        )

    def _refuse(self, error: str, *, status: int = 400, reason: str | None = None) -> Response:
        self.refusals.append(reason or error)
        return JSONResponse({"error": error}, status_code=status)
