"""The scheduler's org provider: every org with its time zone, read by the system role."""

from __future__ import annotations

import pytest

from tests.support.identity import create_org, sign_up
from xentri.identity.schedules import org_schedules

pytestmark = pytest.mark.integration


async def test_every_org_is_scheduled_in_its_own_time_zone(make_app, client_for, system_engine):
    app = make_app()
    async with client_for(app) as client:
        person = await sign_up(client)
        oaxaca = await create_org(person, "Café Luna")
        madrid = await create_org(person, "Panadería Santa Clara")
        changed = await client.patch(
            f"/api/v1/orgs/{oaxaca}",
            json={"time_zone": "America/Mexico_City"},
            headers=person.headers(),
        )

    schedules = {s.org_id: s.timezone for s in await org_schedules(system_engine)()}

    assert changed.status_code == 200
    assert schedules[oaxaca] == "America/Mexico_City"
    assert schedules[madrid] == "UTC"
