"""SystemEvent <-> CloudEvents 1.0 in structured JSON mode, for webhooks to the outside.

Core attributes carry what CloudEvents defines (id, source, type, time, data); every other
envelope field becomes an extension attribute, so the mapping loses nothing. `time` is written
in UTC: the instant survives, the emitter's offset does not (PostgreSQL keeps no offset either).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, unquote

from pydantic import ValidationError

from xentri.contracts.events import SystemEvent
from xentri.kernel.events.export import payload_schema_id

SPEC_VERSION = "1.0"
MEDIA_TYPE = "application/cloudevents+json"
DATA_CONTENT_TYPE = "application/json"
SOURCE_PREFIX = "xentri://"
SUBJECT_PREFIX = "orgs/"

# Extension attribute -> envelope field path. CloudEvents 1.0 allows lowercase ASCII letters
# and digits only in attribute names (no `_`), and recommends at most 20 characters.
EXTENSION_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "orgid": ("org_id",),
    "actortype": ("actor", "type"),
    "actorid": ("actor", "id"),
    "envelopeversion": ("envelope_version",),
    "payloadschema": ("payload_schema",),
    "dedupekey": ("dedupe_key",),
    "correlationid": ("correlation_id",),
    "traceid": ("trace_id",),
    "environment": ("meta", "environment"),
}
CORE_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "source": ("meta", "source"),
    "type": ("type",),
    "time": ("occurred_at",),
    "data": ("payload",),
}
REQUIRED_ATTRIBUTES = (
    "specversion",
    "id",
    "source",
    "type",
    "time",
    "data",
    "orgid",
    "actortype",
    "actorid",
    "payloadschema",
)
ATTRIBUTE_NAME = re.compile(r"^[a-z0-9]{1,20}$")
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


class InvalidCloudEventError(ValueError):
    """The CloudEvent cannot be read as a Xentri SystemEvent."""


def to_cloudevent(event: SystemEvent) -> dict[str, Any]:
    """The event as a structured-mode CloudEvent, to send as `application/cloudevents+json`."""
    envelope = event.model_dump(mode="json")
    cloudevent: dict[str, Any] = {
        "specversion": SPEC_VERSION,
        "id": envelope["id"],
        "source": SOURCE_PREFIX + quote(event.meta.source),
        "type": event.type,
        "subject": _subject(envelope["org_id"]),
        "time": _rfc3339_utc(event.occurred_at),
        "datacontenttype": DATA_CONTENT_TYPE,
        "dataschema": payload_schema_id(event.payload_schema),
        "data": envelope["payload"],
    }
    for attribute, path in EXTENSION_ATTRIBUTES.items():
        value = _get(envelope, path)
        if value is not None:
            cloudevent[attribute] = value
    return cloudevent


def from_cloudevent(data: Mapping[str, Any]) -> SystemEvent:
    """Read a structured-mode CloudEvent; extensions this mapping does not know are ignored."""
    if not isinstance(data, Mapping):
        raise InvalidCloudEventError("a CloudEvent in structured JSON mode is a JSON object")
    missing = [name for name in REQUIRED_ATTRIBUTES if data.get(name) is None]
    if missing:
        raise InvalidCloudEventError(
            f"CloudEvent lacks required attribute(s): {', '.join(missing)}"
        )
    _check_attributes(data)
    values = dict(data, source=unquote(data["source"].removeprefix(SOURCE_PREFIX)))
    envelope: dict[str, Any] = {"actor": {}, "meta": {}}
    for attribute, path in (CORE_ATTRIBUTES | EXTENSION_ATTRIBUTES).items():
        if values.get(attribute) is not None:
            _set(envelope, path, values[attribute])
    try:
        event = SystemEvent.model_validate(envelope)
    except ValidationError as exc:
        reasons = "; ".join(
            f"{_attribute_for(error['loc'])}: {error['msg']}" for error in exc.errors()
        )
        raise InvalidCloudEventError(f"invalid CloudEvent: {reasons}") from exc
    _check_derived(data, event)
    return event


def _check_attributes(data: Mapping[str, Any]) -> None:
    for name in ("specversion", "id", "source", "type", "time"):
        if not isinstance(data[name], str):
            raise InvalidCloudEventError(f"{name} must be a string, not {data[name]!r}")
    if data["specversion"] != SPEC_VERSION:
        raise InvalidCloudEventError(
            f"unsupported CloudEvents specversion {data['specversion']!r} (expected {SPEC_VERSION})"
        )
    if not data["source"].startswith(SOURCE_PREFIX):
        raise InvalidCloudEventError(f"source {data['source']!r} is not {SOURCE_PREFIX}<component>")
    if not _RFC3339.fullmatch(data["time"]):
        raise InvalidCloudEventError(f"time {data['time']!r} is not an RFC 3339 timestamp")
    if "data_base64" in data:
        raise InvalidCloudEventError("binary data (data_base64) is not a Xentri event payload")
    content_type = data.get("datacontenttype", DATA_CONTENT_TYPE)
    if content_type != DATA_CONTENT_TYPE:
        raise InvalidCloudEventError(
            f"datacontenttype {content_type!r} is not supported (expected {DATA_CONTENT_TYPE})"
        )


def _check_derived(data: Mapping[str, Any], event: SystemEvent) -> None:
    """`subject` and `dataschema` repeat envelope fields; refuse an event where they disagree."""
    derived = {
        "subject": _subject(str(event.org_id)),
        "dataschema": payload_schema_id(event.payload_schema),
    }
    for attribute, expected in derived.items():
        value = data.get(attribute)
        if value is not None and value != expected:
            raise InvalidCloudEventError(
                f"{attribute} {value!r} disagrees with the event (expected {expected!r})"
            )


def _subject(org_id: str) -> str:
    return SUBJECT_PREFIX + org_id


def _rfc3339_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


def _get(envelope: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = envelope
    for key in path:
        value = value[key]
    return value


def _set(envelope: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    *parents, last = path
    target = envelope
    for key in parents:
        target = target[key]
    target[last] = value


def _attribute_for(loc: tuple[int | str, ...]) -> str:
    """Name the CloudEvent attribute behind a validation error on the envelope."""
    for attribute, path in (CORE_ATTRIBUTES | EXTENSION_ATTRIBUTES).items():
        if loc[: len(path)] == path:
            rest = loc[len(path) :]
            return ".".join([attribute, *(str(part) for part in rest)])
    return ".".join(str(part) for part in loc)
