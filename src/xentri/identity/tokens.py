"""Opaque secrets handed to people (session cookies, email links): only their hash is stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_secret() -> tuple[str, str]:
    """A fresh secret and the hash to store (the secret itself is never stored)."""
    secret = secrets.token_urlsafe(32)
    return secret, hash_secret(secret)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def signed(key: str, message: str) -> str:
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()


def same(a: str, b: str) -> bool:
    """Compare secrets in constant time."""
    return hmac.compare_digest(a.encode(), b.encode())
