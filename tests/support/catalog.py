"""Helpers for catalogue tests: the synced catalogue, and throw-away modules of a test's own."""

from __future__ import annotations

import json
import uuid

from xentri.catalog.sync import sync_database


async def synced(owner_url: str) -> None:
    """The shipped catalogue in the test database (what `xentri migrate` does after migrating)."""
    await sync_database(owner_url)


def fresh_module(owner_conn, *, status: str = "coming_soon", category: str = "sales") -> str:
    """A module no other test votes for, so its counts are this test's alone.

    Not in modules.yaml: a later sync retires it, as it would any module dropped from the file.
    """
    module_id = f"{category}.test_{uuid.uuid4().hex[:10]}"
    owner_conn.execute(
        "insert into modules (id, category, subcategory, name, description, icon, sort_order,"
        " status) values (%s, %s, %s, %s, %s, 'flask-conical', 100000, %s)",
        (
            module_id,
            category,
            f"{category}.crm",
            json.dumps({"en": "Test module", "es": "Módulo de prueba"}),
            json.dumps({"en": "For a test.", "es": "Para una prueba."}),
            status,
        ),
    )
    return module_id


def set_org_flags(owner_conn, org_id: uuid.UUID, *, paying: bool, churn_risk: bool) -> None:
    from tests.support.db import as_org

    with as_org(owner_conn, org_id):
        owner_conn.execute(
            "update organizations set is_paying = %s, churn_risk = %s where id = %s",
            (paying, churn_risk, org_id),
        )
