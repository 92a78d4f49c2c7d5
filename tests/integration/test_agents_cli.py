"""`xentri agents list|prompt` as an operator runs them: a real process (the database only for
`prompt --org`)."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from tests.integration.test_cli import assert_one_line_error, run
from tests.support.identity import create_org, sign_up
from xentri.ai.registry import compose_prompt

pytestmark = pytest.mark.integration


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    return {"XENTRI_HOME": str(tmp_path)}


def test_list_prints_every_agent_with_scope_and_subscriptions(env):
    result = run(["agents", "list"], env)

    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if "_agent " in line or ".copilot " in line]
    assert len(rows) == 42
    assert "subcategory.finance.billing" in result.stdout
    assert "xentri.brief.updated.v1" in result.stdout
    assert result.stdout.rstrip().endswith("42 agents, 30 tools declared")


def test_list_one_category_in_spanish(env):
    result = run(["agents", "list", "--category", "finance", "--language", "es"], env)

    assert result.returncode == 0, result.stderr
    assert "Copiloto de Finanzas" in result.stdout
    assert "Agente de facturación" in result.stdout
    assert "sales.copilot" not in result.stdout
    assert "6 agents" in result.stdout


def test_prompt_prints_exactly_the_composed_prompt(env):
    result = run(["agents", "prompt", "finance.billing_agent"], env)

    assert result.returncode == 0, result.stderr
    assert result.stdout == compose_prompt("finance.billing_agent", brief=None, persona=None).text
    assert result.stderr == ""


async def test_prompt_for_an_org_carries_its_approved_brief(
    make_app, client_for, servers, tmp_path
):
    app = make_app()
    async with client_for(app) as client:
        person = await sign_up(client)
        org = await create_org(person)
        await client.put(
            "/api/v1/strategy/brief/draft",
            json={"identity": {"name": "Café Luna"}},
            headers=person.headers(),
        )
        for action in ("ready", "approve"):
            await client.post(f"/api/v1/strategy/brief/flow/{action}", headers=person.headers())
    env = {
        "XENTRI_HOME": str(tmp_path),
        "XENTRI_SECRET_KEY": "cli-test",
        "XENTRI_DATABASE_URL": servers.owner_url,
        "XENTRI_DATABASE_APP_URL": servers.app_url,
        "XENTRI_DATABASE_APP_ROLE": servers.app_role,
        "XENTRI_DATABASE_SYSTEM_URL": servers.system_url,
        "XENTRI_DATABASE_SYSTEM_ROLE": servers.system_role,
        "XENTRI_REDIS_URL": servers.redis_url,
    }

    result = await asyncio.to_thread(
        run, ["agents", "prompt", "sales.copilot", "--org", str(org), "--language", "es"], env
    )
    other = await asyncio.to_thread(
        run, ["agents", "prompt", "sales.copilot", "--org", str(uuid.uuid4())], env
    )

    assert result.returncode == 0, result.stderr
    assert "Business: Café Luna" in result.stdout
    assert "Reply in Spanish" in result.stdout
    assert "# Universal Brief: not written yet" in other.stdout


def test_prompt_for_an_unknown_agent_fails_in_one_line(env):
    result = run(["agents", "prompt", "finance.cfo"], env)

    assert_one_line_error(result, "no agent 'finance.cfo'")


def test_prompt_in_an_unknown_language_fails_in_one_line(env):
    result = run(["agents", "prompt", "finance.copilot", "--language", "fr"], env)

    assert_one_line_error(result, "unknown language 'fr'; use en or es")


def test_prompt_with_a_malformed_org_is_a_usage_error(env):
    result = run(["agents", "prompt", "finance.copilot", "--org", "acme"], env)

    assert result.returncode == 2
    assert "Invalid value for '--org'" in result.stderr
    assert "Traceback" not in result.stderr
