"""Service tokens: signed, short-lived, for one audience; anything else is refused with a 401."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from xentri.identity.credential_errors import InvalidServiceTokenError
from xentri.identity.service_tokens import (
    AUDIENCE,
    ISSUER,
    MAX_TTL,
    issue_service_token,
    verify_service_token,
)

KEY = "unit-test-secret-key-of-at-least-32-bytes"
ORG = uuid.UUID("6f1c2a54-0b7e-4f47-9a59-3c1f0e3f8a21")
TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
NOW = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)


def issue(**overrides):
    values = {"org_id": ORG, "trace_id": TRACE, "subject": "scheduler", "now": NOW}
    values.update(overrides)
    return issue_service_token(KEY, **values)


def refusal(token, *, key=KEY, now=NOW) -> str:
    with pytest.raises(InvalidServiceTokenError) as refused:
        verify_service_token(key, token, now=now)
    assert refused.value.status == 401
    return str(refused.value.extensions["reason"])


def forged(claims, *, key=KEY):
    """A token signed the way ours are (same derived key), with claims of our choosing."""
    from xentri.identity.service_tokens import _signing_key

    return jwt.encode(claims, _signing_key(key), algorithm="HS256")


def good_claims(**overrides):
    iat = int(NOW.timestamp())
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "scheduler",
        "iat": iat,
        "exp": iat + 60,
        "org_id": str(ORG),
        "trace_id": TRACE,
    }
    claims.update(overrides)
    return claims


def test_a_token_round_trips_its_org_trace_and_subject():
    token = issue(ttl=timedelta(minutes=2))

    claims = verify_service_token(KEY, token, now=NOW + timedelta(seconds=119))

    assert claims.org_id == ORG
    assert claims.trace_id == TRACE
    assert claims.subject == "scheduler"
    assert claims.issued_at == NOW
    assert claims.expires_at == NOW + timedelta(minutes=2)


def test_the_token_states_audience_issuer_and_a_lifetime_within_five_minutes():
    token = issue(ttl=MAX_TTL)

    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    body = jwt.decode(token, options={"verify_signature": False})

    assert header["alg"] == "HS256"
    assert body["aud"] == AUDIENCE
    assert body["iss"] == ISSUER
    assert body["exp"] - body["iat"] == 300
    assert set(body) == {"iss", "aud", "sub", "iat", "exp", "org_id", "trace_id"}


def test_an_expired_token_is_refused():
    token = issue(ttl=timedelta(seconds=60))

    assert refusal(token, now=NOW + timedelta(minutes=2)) == "expired"


def test_a_token_from_the_future_is_refused():
    token = issue(now=NOW + timedelta(minutes=1))

    assert refusal(token, now=NOW) == "not_yet"


@pytest.mark.parametrize(
    "ttl", [timedelta(seconds=301), timedelta(hours=1), timedelta(0), timedelta(milliseconds=500)]
)
def test_issuing_outside_one_to_three_hundred_seconds_is_refused(ttl):
    with pytest.raises(ValueError, match="1 to 300 seconds"):
        issue(ttl=ttl)


def test_a_validly_signed_token_living_longer_than_five_minutes_is_refused():
    iat = int(NOW.timestamp())

    assert refusal(forged(good_claims(exp=iat + 301))) == "ttl"


def test_a_tampered_payload_is_refused():
    header, _, signature = issue().split(".")
    other_org = base64.urlsafe_b64encode(
        json.dumps(good_claims(org_id=str(uuid.uuid4()))).encode()
    ).rstrip(b"=")

    assert refusal(f"{header}.{other_org.decode()}.{signature}") == "signature"


def test_a_token_signed_with_another_secret_key_is_refused():
    assert refusal(issue(), key="another-secret-key-of-at-least-32-bytes") == "signature"


def test_a_token_signed_with_the_raw_secret_key_is_refused():
    # The signing key is derived for this purpose; the secret key itself signs nothing valid.
    raw = jwt.encode(good_claims(), KEY, algorithm="HS256")

    assert refusal(raw) == "signature"


def test_a_wrong_audience_is_refused():
    assert refusal(forged(good_claims(aud="xentri-web"))) == "audience"


def test_a_wrong_issuer_is_refused():
    assert refusal(forged(good_claims(iss="someone-else"))) == "issuer"


def test_an_unsigned_token_is_refused():
    unsigned = jwt.encode(good_claims(), None, algorithm="none")

    assert refusal(unsigned) == "malformed"


@pytest.mark.parametrize("missing", ["org_id", "trace_id", "sub", "exp", "iat", "aud"])
def test_a_token_missing_a_claim_is_refused(missing):
    claims = good_claims()
    del claims[missing]

    assert refusal(forged(claims)) == "malformed"


@pytest.mark.parametrize(
    "bad", [{"org_id": "not-a-uuid"}, {"trace_id": "x" * 32}, {"sub": "Robert'); drop"}]
)
def test_a_token_with_malformed_claims_is_refused(bad):
    assert refusal(forged(good_claims(**bad))) == "malformed"


@pytest.mark.parametrize("token", ["", "a.b.c", "not-a-token", "x" * 5000])
def test_garbage_is_refused(token):
    assert refusal(token) == "malformed"


def test_issuing_checks_subject_and_trace_id():
    with pytest.raises(ValueError, match="trace_id"):
        issue(trace_id="not-hex")
    with pytest.raises(ValueError, match="subject"):
        issue(subject="")
    with pytest.raises(ValueError, match="secret key"):
        issue_service_token("", org_id=ORG, trace_id=TRACE, subject="scheduler")
