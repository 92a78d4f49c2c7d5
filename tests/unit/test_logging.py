"""Log events never carry emails, phone numbers, tokens or passwords."""

from __future__ import annotations

import json
import logging

import pytest
import structlog

from xentri.kernel.logging import REDACTED, configure_logging, scrub_processor, scrub_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("write to ana.lopez@cafe-oaxaca.mx today", "write to [email] today"),
        ("call +52 951 123 4567", "call [phone]"),
        ("tel (555) 123-4567", "tel [phone]"),
        ("Authorization: Bearer eyJhbGciOi.payload.sig", "Authorization: Bearer " + REDACTED),
        ("GET /reset?token=abc123&x=1", "GET /reset?token=" + REDACTED + "&x=1"),
        ("postgresql://owner:s3cret@db/xentri", "postgresql://owner:" + REDACTED + "@db/xentri"),
    ],
)
def test_personal_data_is_scrubbed(raw, expected):
    assert scrub_text(raw) == expected


@pytest.mark.parametrize(
    "kept",
    [
        "listening on http://127.0.0.1:8000",
        "at 2026-11-25 20:36:42",
        "order 12345 of 99",
        "id 8f14e45f-ceea-467f-a0e6-2a9b1c3d4e5f",
    ],
)
def test_ordinary_text_is_kept(kept):
    assert scrub_text(kept) == kept


def test_secret_named_fields_are_redacted_whole():
    event = scrub_processor(
        None,
        "info",
        {
            "event": "login",
            "password": "hunter2",
            "api_key": "xk_live_1",
            "headers": {"authorization": "Basic abc", "accept": "json"},
            "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
        },
    )

    assert event["password"] == REDACTED
    assert event["api_key"] == REDACTED
    assert event["headers"] == {"authorization": REDACTED, "accept": "json"}
    assert event["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736"


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    structlog.reset_defaults()


def test_json_lines_carry_context_and_no_pii(capsys, restore_logging):
    configure_logging(level="INFO", fmt="json")
    structlog.contextvars.bind_contextvars(trace_id="t-1", org_id="o-1")
    try:
        structlog.get_logger("test").info("signup", email="ana@example.com", note="ok")
        logging.getLogger("uvicorn.error").info("hello from %s", "ana@example.com")
    finally:
        structlog.contextvars.clear_contextvars()

    lines = [json.loads(line) for line in capsys.readouterr().err.strip().splitlines()]
    assert lines[0]["event"] == "signup"
    assert lines[0]["email"] == "[email]"
    assert lines[0]["trace_id"] == "t-1"
    assert lines[0]["org_id"] == "o-1"
    assert lines[0]["level"] == "info"
    assert lines[1]["event"] == "hello from [email]"
