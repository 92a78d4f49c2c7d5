"""Which language a person sees: their choice, their browser's, the org's, else English."""

from __future__ import annotations

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "es")
DEFAULT_LANGUAGE = "en"
# A browser never sends more than a handful; a longer header is noise or an attack.
_MAX_RANGES = 20


def supported_language(tag: str | None) -> str | None:
    """The supported language a tag names (`es-MX` → `es`), or None."""
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in SUPPORTED_LANGUAGES else None


def parse_accept_language(header: str | None) -> list[str]:
    """The language ranges of an Accept-Language header, most wanted first (q=0 left out)."""
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:_MAX_RANGES]):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip()
        if not tag:
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if 0.0 < quality <= 1.0:
            # Equal weights keep the order the browser sent them in.
            weighted.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate(
    *,
    choice: str | None = None,
    accept_language: str | None = None,
    org_default: str | None = None,
) -> str:
    """Resolve the language: the person's choice → Accept-Language → the org's default → English."""
    if chosen := supported_language(choice):
        return chosen
    for tag in parse_accept_language(accept_language):
        if tag == "*":
            break
        if found := supported_language(tag):
            return found
    return supported_language(org_default) or DEFAULT_LANGUAGE
