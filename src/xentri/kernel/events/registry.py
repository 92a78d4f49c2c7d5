"""Which event types exist and what their payloads look like; emit and consume validate here."""

from __future__ import annotations

from pydantic import ValidationError

from xentri.contracts.events import EventPayload, SystemEvent


class UnknownEventTypeError(LookupError):
    """The event type was never registered."""


class InvalidEventError(ValueError):
    """The envelope and the registered payload model disagree."""


class EventRegistry:
    def __init__(self) -> None:
        self._current: dict[str, type[EventPayload]] = {}
        self._by_schema: dict[tuple[str, int], type[EventPayload]] = {}

    def register(self, *models: type[EventPayload]) -> None:
        """Register payload models; the highest schema version of a type is the one emitted."""
        for model in models:
            if not getattr(model, "event_type", None):
                raise TypeError(f"{model.__name__} declares no event_type/schema")
            name, major = _split(model.payload_schema)
            known = self._by_schema.get((name, major))
            if known is not None and known is not model:
                raise ValueError(f"{model.payload_schema} is already registered by {known}")
            self._by_schema[(name, major)] = model
            current = self._current.get(model.event_type)
            if current is None or _version(model) > _version(current):
                self._current[model.event_type] = model

    def types(self) -> list[str]:
        return sorted(self._current)

    def models(self) -> list[type[EventPayload]]:
        return sorted(self._by_schema.values(), key=lambda m: (m.event_type, _version(m)))

    def model_for(self, event_type: str) -> type[EventPayload]:
        try:
            return self._current[event_type]
        except KeyError:
            raise UnknownEventTypeError(f"event type {event_type!r} is not registered") from None

    def validate(
        self, event: SystemEvent, *, older_majors: frozenset[int] = frozenset()
    ) -> EventPayload:
        """Check the envelope against its payload schema: the current one, or an older major
        the caller declares it still understands (N-1 support for consumers)."""
        current = self.model_for(event.type)
        model = self._by_schema.get((event.schema_name, event.schema_major))
        if model is None or model.event_type != event.type:
            raise InvalidEventError(
                f"{event.type} has no payload schema {event.payload_schema} "
                f"(current: {current.payload_schema})"
            )
        if model is not current and event.schema_major not in older_majors:
            raise InvalidEventError(
                f"{event.payload_schema} is not the current schema of {event.type} "
                f"({current.payload_schema}) and is not accepted here"
            )
        try:
            return model.model_validate(event.payload)
        except ValidationError as exc:
            raise InvalidEventError(f"invalid payload for {event.type}: {exc}") from exc


def _split(payload_schema: str) -> tuple[str, int]:
    name, version = payload_schema.split("@", 1)
    return name, int(version.split(".", 1)[0])


def _version(model: type[EventPayload]) -> tuple[int, int]:
    major, minor = model.payload_schema.split("@", 1)[1].split(".", 1)
    return int(major), int(minor)


registry = EventRegistry()
"""The process-wide registry, like SQLAlchemy's metadata: filled by each area's events module."""
