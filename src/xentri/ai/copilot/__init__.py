"""The copilot API (ADR-012): quick answers streamed over SSE, and stateful threads."""
