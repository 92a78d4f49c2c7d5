"""Embedded PostgreSQL and Redis for the one-command default (no Docker, no system services)."""
