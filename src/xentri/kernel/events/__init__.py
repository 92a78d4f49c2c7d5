"""The event spine: registry, transactional outbox, relay to Redis Streams, consumers, DLQ."""
