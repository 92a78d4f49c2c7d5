"""Reading and seeding tenant rows from tests, as the owner role."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def as_org(owner_conn: Any, org_id: uuid.UUID) -> Iterator[Any]:
    """A transaction inside one org: FORCE RLS applies to the owner role as well."""
    with owner_conn.transaction():
        owner_conn.execute("select set_config('app.current_org_id', %s, true)", (str(org_id),))
        yield owner_conn
