"""Org logos: what we accept (PNG, JPEG, WebP, recognised by their bytes, not by the name or the
type the browser claims), how big, and where they live in object storage.

SVG is refused rather than sanitised: an SVG is a document that can carry scripts and links,
and a sanitiser that misses one turns a logo into stored cross-site scripting.
"""

from __future__ import annotations

import uuid

MAX_LOGO_BYTES = 512 * 1024
LOGO_FORM_PATH = "/settings/organization/logo"
# The logo form's body limit, above the app's (XENTRI_MAX_BODY_BYTES, 1 MiB): a photo straight
# off a phone gets the form back with a field error instead of the body limit's bare 413
# problem. Memory stays bounded: Starlette spools a file part to disk past 1 MB and the route
# reads at most MAX_LOGO_BYTES + 1 of it. Bodies beyond this still get the kernel's 413.
LOGO_FORM_MAX_BYTES = 32 * 1024 * 1024

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


class LogoRefusedError(ValueError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "svg", "type", "size" or "empty"


def logo_key(org_id: uuid.UUID) -> str:
    return f"orgs/{org_id}/logo"


def logo_type(data: bytes) -> str:
    """The image type of an upload, or LogoRefusedError saying why it is not accepted."""
    if not data:
        raise LogoRefusedError("empty")
    if len(data) > MAX_LOGO_BYTES:
        raise LogoRefusedError("size")
    for signature, content_type in _SIGNATURES:
        if data.startswith(signature):
            return content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    head = data[:512].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml", b"<!doctype svg")) or b"<svg" in head:
        raise LogoRefusedError("svg")
    raise LogoRefusedError("type")
