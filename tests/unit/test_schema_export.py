"""The exported event catalogue: JSON Schemas, the AsyncAPI document and the drift check."""

from __future__ import annotations

import json
import posixpath
from pathlib import Path
from typing import Any

import yaml

from xentri import __version__
from xentri.contracts.events import EventPayload
from xentri.kernel.events.export import (
    ASYNCAPI_DOCUMENT,
    ENVELOPE_SCHEMA,
    EVENT_MODULES,
    JSON_SCHEMA_DIALECT,
    PROBLEM_SCHEMA,
    asyncapi_document,
    catalogue,
    export_files,
    payload_schema_path,
    stale_exports,
    write_exports,
)
from xentri.kernel.events.ops_events import OpsIncident
from xentri.kernel.events.registry import EventRegistry

REPO_ROOT = Path(__file__).resolve().parents[2]


class Sampled(EventPayload, event_type="xentri.sample.sampled.v1", schema="sample.sampled@1.0"):
    """A sample was taken."""

    sample_id: str


class SampledV2(EventPayload, event_type="xentri.sample.sampled.v1", schema="sample.sampled@2.1"):
    sample_id: str
    size: int


class Archived(EventPayload, event_type="xentri.sample.archived.v1", schema="sample.archived@1.0"):
    sample_id: str


def _registry(*models: type[EventPayload]) -> EventRegistry:
    events = EventRegistry()
    events.register(*models)
    return events


def _resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part]
    if isinstance(node, dict) and set(node) == {"$ref"}:
        return _resolve(document, node["$ref"])
    return node


def test_export_names_every_file_by_its_path():
    files = export_files(_registry(Sampled, SampledV2, Archived))

    assert list(files) == [
        ASYNCAPI_DOCUMENT,
        PROBLEM_SCHEMA,
        ENVELOPE_SCHEMA,
        "schemas/events/sample.archived/1.0.json",
        "schemas/events/sample.sampled/1.0.json",
        "schemas/events/sample.sampled/2.1.json",
    ]


def test_generation_does_not_depend_on_registration_order():
    forwards = export_files(_registry(Sampled, SampledV2, Archived))
    backwards = export_files(_registry(Archived, SampledV2, Sampled))

    assert forwards == backwards
    assert export_files(_registry(Sampled, SampledV2, Archived)) == forwards


def test_json_schemas_are_canonical_json_with_id_and_dialect():
    files = export_files(_registry(Sampled))

    for path, text in files.items():
        if not path.endswith(".json"):
            continue
        schema = json.loads(text)
        assert text == json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        assert schema["$id"] == f"https://xentri.app/{path}"
        assert schema["$schema"] == JSON_SCHEMA_DIALECT
    payload = json.loads(files["schemas/events/sample.sampled/1.0.json"])
    assert payload["title"] == "Sampled"
    assert payload["required"] == ["sample_id"]
    assert payload["additionalProperties"] is False
    assert json.loads(files[ENVELOPE_SCHEMA])["title"] == "SystemEvent"
    assert json.loads(files[PROBLEM_SCHEMA])["title"] == "Problem"


def test_asyncapi_lists_every_type_with_channel_operation_and_versioned_messages():
    events = _registry(Sampled, SampledV2, Archived)

    document = yaml.safe_load(export_files(events)[ASYNCAPI_DOCUMENT])

    assert document == asyncapi_document(events)
    assert document["asyncapi"] == "3.0.0"
    assert document["info"]["title"] == "Xentri events"
    assert document["info"]["version"] == __version__
    assert list(document["channels"]) == ["xentri.sample.archived.v1", "xentri.sample.sampled.v1"]
    sampled = document["channels"]["xentri.sample.sampled.v1"]
    assert sampled["address"] == "xentri.sample.sampled.v1"
    assert "`xentri:events`" in sampled["description"]
    assert list(sampled["messages"]) == ["sample.sampled-1.0", "sample.sampled-2.1"]
    operation = document["operations"]["send.xentri.sample.sampled.v1"]
    assert operation["action"] == "send"
    assert operation["channel"] == {"$ref": "#/channels/xentri.sample.sampled.v1"}
    assert operation["messages"] == [
        {"$ref": "#/channels/xentri.sample.sampled.v1/messages/sample.sampled-1.0"},
        {"$ref": "#/channels/xentri.sample.sampled.v1/messages/sample.sampled-2.1"},
    ]


def test_catalogue_holds_what_the_event_modules_define_and_nothing_else():
    # As in a test run, where test-only event types sit in the process-wide registry.
    process_wide = _registry(OpsIncident, Sampled, Archived)

    events = catalogue(source=process_wide)

    assert events.types() == ["xentri.ops.incident.v1"]
    assert {model.__module__ for model in events.models()} <= set(EVENT_MODULES)


def test_every_catalogued_event_type_has_a_channel_and_a_message_with_its_payload_schema():
    events = catalogue()
    files = export_files(events)
    document = yaml.safe_load(files[ASYNCAPI_DOCUMENT])
    docs_dir = posixpath.dirname(ASYNCAPI_DOCUMENT)

    assert events.types(), "no event module registered anything"
    assert set(document["channels"]) == set(events.types())
    for model in events.models():
        channel = document["channels"][model.event_type]
        assert channel["address"] == model.event_type
        messages = [_resolve(document, ref["$ref"]) for ref in channel["messages"].values()]
        message = next(m for m in messages if m["title"].endswith(f"({model.payload_schema})"))
        envelope, constraint = message["payload"]["allOf"]
        payload_ref = constraint["properties"]["payload"]["$ref"]
        assert posixpath.normpath(posixpath.join(docs_dir, envelope["$ref"])) == ENVELOPE_SCHEMA
        assert posixpath.normpath(posixpath.join(docs_dir, payload_ref)) == payload_schema_path(
            model.payload_schema
        )
        assert payload_schema_path(model.payload_schema) in files
        assert constraint["properties"]["type"] == {"const": model.event_type}
        assert constraint["properties"]["payload_schema"] == {"const": model.payload_schema}
        operation = document["operations"][f"send.{model.event_type}"]
        for ref in operation["messages"]:
            assert _resolve(document, ref["$ref"]) in messages


def test_stale_exports_is_empty_right_after_writing(tmp_path):
    events = _registry(Sampled, Archived)

    written = write_exports(tmp_path, events=events)

    assert sorted(path.relative_to(tmp_path).as_posix() for path in written) == sorted(
        export_files(events)
    )
    assert stale_exports(tmp_path, events=events) == []
    assert write_exports(tmp_path, events=events) == []


def test_stale_exports_names_a_modified_a_missing_and_an_extra_file(tmp_path):
    events = _registry(Sampled, Archived)
    write_exports(tmp_path, events=events)
    envelope = tmp_path / ENVELOPE_SCHEMA
    envelope.write_text(envelope.read_text().replace('"SystemEvent"', '"Edited"'))
    (tmp_path / "schemas/events/sample.archived/1.0.json").unlink()
    (tmp_path / "schemas/events/sample.gone").mkdir()
    (tmp_path / "schemas/events/sample.gone/1.0.json").write_text("{}\n")

    stale = stale_exports(tmp_path, events=events)

    assert stale == [
        "schemas/envelope/system-event.json: differs",
        "schemas/events/sample.archived/1.0.json: missing",
        "schemas/events/sample.gone/1.0.json: extra",
    ]


def test_write_exports_repairs_drift_and_removes_what_is_no_longer_generated(tmp_path):
    events = _registry(Sampled, Archived)
    write_exports(tmp_path, events=events)
    write_exports(tmp_path, events=_registry(Sampled, SampledV2, Archived))

    touched = write_exports(tmp_path, events=events)

    assert [path.relative_to(tmp_path).as_posix() for path in touched] == [
        ASYNCAPI_DOCUMENT,
        "schemas/events/sample.sampled/2.1.json",
    ]
    assert stale_exports(tmp_path, events=events) == []
    assert (tmp_path / "schemas/events/sample.sampled").is_dir()


def test_extra_file_removal_prunes_empty_folders(tmp_path):
    write_exports(tmp_path, events=_registry(Sampled, Archived))

    write_exports(tmp_path, events=_registry(Sampled))

    assert not (tmp_path / "schemas/events/sample.archived").exists()
    assert (tmp_path / "schemas/events").is_dir()


def test_committed_exports_match_the_code():
    from xentri.composition import EVENT_MODULES

    stale = stale_exports(REPO_ROOT, events=catalogue(EVENT_MODULES))

    assert stale == [], "run `xentri schemas export` and commit the result"
