"""`xentri agents list|prompt` as an operator runs them: a real process, no database needed."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.test_cli import assert_one_line_error, run
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
    assert result.stdout.rstrip().endswith("42 agents, 26 tools declared")


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


def test_prompt_for_an_org_says_there_is_no_brief_store_yet(env):
    org = uuid.uuid4()

    result = run(["agents", "prompt", "sales.copilot", "--org", str(org), "--language", "es"], env)

    assert result.returncode == 0, result.stderr
    assert "# Universal Brief: not written yet" in result.stdout
    assert "Reply in Spanish" in result.stdout
    assert f"no Brief store exists in this version; org {org}" in result.stderr


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
