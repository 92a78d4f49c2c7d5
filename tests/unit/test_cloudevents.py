"""SystemEvent <-> CloudEvents 1.0 structured JSON: exact mapping, round trip, refusals."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xentri.contracts.events import (
    EVENT_TYPE_PATTERN,
    PAYLOAD_SCHEMA_PATTERN,
    Actor,
    EventMeta,
    SystemEvent,
)
from xentri.kernel.events.cloudevents import (
    ATTRIBUTE_NAME,
    EXTENSION_ATTRIBUTES,
    REQUIRED_ATTRIBUTES,
    InvalidCloudEventError,
    from_cloudevent,
    to_cloudevent,
)

# The context attributes CloudEvents 1.0 itself defines, plus the JSON format's data members.
SPEC_ATTRIBUTES = {
    "specversion",
    "id",
    "source",
    "type",
    "subject",
    "time",
    "datacontenttype",
    "dataschema",
    "data",
    "data_base64",
}

ORG = uuid.UUID("7d0c7a3e-2f59-4a37-9a2e-0b7c1f3f4d10")
EVENT_ID = uuid.UUID("0f4f8c1e-8f7b-4f3c-9d1a-3c2b1a0e9f88")


def _incident(**overrides: Any) -> SystemEvent:
    fields: dict[str, Any] = {
        "id": EVENT_ID,
        "type": "xentri.ops.incident.v1",
        "occurred_at": datetime(
            2025, 3, 4, 10, 30, 15, 250000, tzinfo=timezone(timedelta(hours=2))
        ),
        "org_id": ORG,
        "actor": Actor(type="job", id="dlq-watch"),
        "payload_schema": "ops.incident@1.0",
        "payload": {"severity": "P2", "kind": "dlq_depth", "summary": "12 dead letters"},
        "correlation_id": "corr-1",
        "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
        "meta": EventMeta(source="kernel/dlq", environment="prod"),
    }
    return SystemEvent(**(fields | overrides))


def test_maps_the_envelope_to_core_and_extension_attributes():
    cloudevent = to_cloudevent(_incident())

    assert cloudevent == {
        "specversion": "1.0",
        "id": "0f4f8c1e-8f7b-4f3c-9d1a-3c2b1a0e9f88",
        "source": "xentri://kernel/dlq",
        "type": "xentri.ops.incident.v1",
        "subject": "orgs/7d0c7a3e-2f59-4a37-9a2e-0b7c1f3f4d10",
        "time": "2025-03-04T08:30:15.250000Z",
        "datacontenttype": "application/json",
        "dataschema": "https://xentri.app/schemas/events/ops.incident/1.0.json",
        "data": {"severity": "P2", "kind": "dlq_depth", "summary": "12 dead letters"},
        "orgid": "7d0c7a3e-2f59-4a37-9a2e-0b7c1f3f4d10",
        "actortype": "job",
        "actorid": "dlq-watch",
        "envelopeversion": "1.0",
        "payloadschema": "ops.incident@1.0",
        "correlationid": "corr-1",
        "traceid": "4bf92f3577b34da6a3ce929d0e0e4736",
        "environment": "prod",
    }


def test_absent_optional_fields_are_left_out_and_come_back_as_none():
    event = _incident(correlation_id=None, trace_id=None, meta=EventMeta(source="kernel"))

    cloudevent = to_cloudevent(event)

    assert {"dedupekey", "correlationid", "traceid", "environment"}.isdisjoint(cloudevent)
    assert from_cloudevent(cloudevent) == event


def test_extension_attribute_names_are_legal_and_do_not_shadow_spec_attributes():
    produced = set(to_cloudevent(_incident(dedupe_key="once"))) - SPEC_ATTRIBUTES

    assert produced == set(EXTENSION_ATTRIBUTES)
    for name in EXTENSION_ATTRIBUTES:
        assert ATTRIBUTE_NAME.fullmatch(name), name
    assert SPEC_ATTRIBUTES.isdisjoint(EXTENSION_ATTRIBUTES)


def test_a_source_that_is_not_uri_safe_is_escaped_and_restored():
    event = _incident(meta=EventMeta(source="finance invoices/ñ?#%"))

    cloudevent = to_cloudevent(event)

    assert cloudevent["source"] == "xentri://finance%20invoices/%C3%B1%3F%23%25"
    assert from_cloudevent(cloudevent).meta.source == "finance invoices/ñ?#%"


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(), children, max_size=3)
    ),
    max_leaves=12,
)
optional_text = st.none() | st.text(max_size=64)
system_events = st.builds(
    SystemEvent,
    id=st.uuids(),
    type=st.from_regex(EVENT_TYPE_PATTERN, fullmatch=True),
    occurred_at=st.datetimes(
        min_value=datetime(1971, 1, 1),
        max_value=datetime(2200, 1, 1),
        timezones=st.builds(
            timezone,
            st.timedeltas(
                min_value=timedelta(hours=-23, minutes=-59),
                max_value=timedelta(hours=23, minutes=59),
            ),
        ),
    ),
    org_id=st.uuids(),
    actor=st.builds(
        Actor, type=st.sampled_from(["user", "system", "job"]), id=st.text(min_size=1, max_size=200)
    ),
    payload_schema=st.from_regex(PAYLOAD_SCHEMA_PATTERN, fullmatch=True),
    payload=st.dictionaries(st.text(), json_values, max_size=5),
    dedupe_key=optional_text,
    correlation_id=optional_text,
    trace_id=optional_text,
    meta=st.builds(
        EventMeta,
        source=st.text(min_size=1, max_size=100),
        environment=st.none() | st.sampled_from(["local", "test", "staging", "prod"]),
    ),
)


@given(system_events)
def test_any_envelope_survives_the_round_trip_through_json(event):
    wire = json.dumps(to_cloudevent(event))

    restored = from_cloudevent(json.loads(wire))

    assert restored == event
    assert restored.occurred_at.utcoffset() == timedelta(0)


@given(system_events)
def test_every_attribute_name_produced_is_legal(event):
    cloudevent = to_cloudevent(event)

    for name in set(cloudevent) - SPEC_ATTRIBUTES:
        assert ATTRIBUTE_NAME.fullmatch(name), name
    assert datetime.fromisoformat(cloudevent["time"]) == event.occurred_at.astimezone(UTC)


@pytest.mark.parametrize("attribute", REQUIRED_ATTRIBUTES)
def test_a_missing_required_attribute_is_refused_by_name(attribute):
    cloudevent = to_cloudevent(_incident())
    del cloudevent[attribute]

    with pytest.raises(InvalidCloudEventError) as refused:
        from_cloudevent(cloudevent)

    assert str(refused.value) == f"CloudEvent lacks required attribute(s): {attribute}"


def test_every_missing_attribute_is_named_at_once():
    with pytest.raises(InvalidCloudEventError) as refused:
        from_cloudevent({"specversion": "1.0", "id": str(EVENT_ID), "data": {}})

    assert str(refused.value) == (
        "CloudEvent lacks required attribute(s): "
        "source, type, time, orgid, actortype, actorid, payloadschema"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"specversion": "0.3"}, "unsupported CloudEvents specversion '0.3' (expected 1.0)"),
        (
            {"source": "https://example.com/x"},
            "source 'https://example.com/x' is not xentri://<component>",
        ),
        ({"time": "1741077015"}, "time '1741077015' is not an RFC 3339 timestamp"),
        (
            {"time": "2025-03-04T08:30:15Z\n"},
            "time '2025-03-04T08:30:15Z\\n' is not an RFC 3339 timestamp",
        ),
        ({"id": 42}, "id must be a string, not 42"),
        (
            {"datacontenttype": "text/xml"},
            "datacontenttype 'text/xml' is not supported (expected application/json)",
        ),
        ({"data_base64": "e30="}, "binary data (data_base64) is not a Xentri event payload"),
        (
            {"subject": "orgs/00000000-0000-0000-0000-000000000000"},
            "subject 'orgs/00000000-0000-0000-0000-000000000000' disagrees with the event "
            "(expected 'orgs/7d0c7a3e-2f59-4a37-9a2e-0b7c1f3f4d10')",
        ),
        (
            {"dataschema": "https://xentri.app/schemas/events/ops.incident/9.9.json"},
            "dataschema 'https://xentri.app/schemas/events/ops.incident/9.9.json' disagrees with "
            "the event (expected 'https://xentri.app/schemas/events/ops.incident/1.0.json')",
        ),
    ],
)
def test_a_cloudevent_xentri_did_not_write_is_refused_with_the_reason(change, message):
    cloudevent = to_cloudevent(_incident()) | change

    with pytest.raises(InvalidCloudEventError) as refused:
        from_cloudevent(cloudevent)

    assert str(refused.value) == message


def test_envelope_validation_errors_name_the_cloudevent_attribute():
    cloudevent = to_cloudevent(_incident()) | {
        "orgid": "not-a-uuid",
        "actortype": "robot",
        "data": [],
    }

    with pytest.raises(InvalidCloudEventError) as refused:
        from_cloudevent(cloudevent)

    message = str(refused.value)
    assert message.startswith("invalid CloudEvent: ")
    assert "orgid: Input should be a valid UUID" in message
    assert "actortype: Input should be 'user', 'system' or 'job'" in message
    assert "data: Input should be a valid dictionary" in message


def test_unknown_extensions_are_ignored():
    event = _incident()

    restored = from_cloudevent(to_cloudevent(event) | {"traceparent": "00-abc-def-01"})

    assert restored == event


def test_a_non_object_is_refused():
    with pytest.raises(InvalidCloudEventError, match="is a JSON object"):
        from_cloudevent([])
