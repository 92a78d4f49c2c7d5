"""Alembic migrations, run as the owner role by `xentri migrate`."""
