"""Scope strings resolve to the agent that answers there, down to any module of the catalogue."""

from __future__ import annotations

import pytest

from xentri.ai.registry import (
    Scope,
    ScopeError,
    UnknownAgentError,
    load_agent_registry,
    parse_scope,
)
from xentri.catalog import load_catalogue


@pytest.mark.parametrize(
    ("text", "kind", "target", "category"),
    [
        ("strategy", "strategy", None, "strategy"),
        ("category.finance", "category", "finance", "finance"),
        ("subcategory.finance.billing", "subcategory", "finance.billing", "finance"),
        ("module.finance.invoicing", "module", "finance.invoicing", "finance"),
    ],
)
def test_the_four_scope_forms_parse(text, kind, target, category):
    scope = parse_scope(text)

    assert scope == Scope(kind, target)
    assert scope.category == category
    assert str(scope) == text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "finance",
        "category.",
        "category.finance.billing",
        "subcategory.finance",
        "module.invoicing",
        "module.finance.invoicing.extra",
        "Category.Finance",
        "strategy.copilot",
        "team.pay",
    ],
)
def test_malformed_scopes_are_refused(text):
    with pytest.raises(ScopeError, match="scope"):
        parse_scope(text)


@pytest.mark.parametrize(
    ("scope", "agent_id"),
    [
        ("strategy", "strategy.copilot"),
        ("category.strategy", "strategy.copilot"),
        ("category.finance", "finance.copilot"),
        ("category.legal", "legal.copilot"),
        ("subcategory.finance.billing", "finance.billing_agent"),
        ("subcategory.strategy.foundation", "strategy.foundation_agent"),
        ("module.finance.invoicing", "finance.billing_agent"),
        ("module.strategy.universal_brief", "strategy.foundation_agent"),
        ("module.team.payroll", "team.pay_agent"),
        ("module.brand.seo", "brand.visibility_agent"),
    ],
)
def test_each_scope_resolves_to_its_agent(scope, agent_id):
    assert load_agent_registry().copilot_for_scope(scope).id == agent_id


def test_every_module_of_the_catalogue_resolves_to_its_subcategory_agent():
    registry = load_agent_registry()
    entries = list(load_catalogue().entries())

    for entry in entries:
        agent = registry.copilot_for_scope(f"module.{entry.module.id}")
        assert agent.subcategory == entry.subcategory_id
        assert agent.category == entry.category_id
    assert len(entries) >= 170


def test_a_parsed_scope_resolves_like_its_string():
    registry = load_agent_registry()

    assert registry.copilot_for_scope(Scope("category", "sales")).id == "sales.copilot"


@pytest.mark.parametrize(
    ("scope", "message"),
    [
        ("module.finance.teleport", "scope module.finance.teleport: no module 'finance.teleport'"),
        ("category.marketing", "scope category.marketing: no agent answers there"),
        ("subcategory.finance.crm", "scope subcategory.finance.crm: no agent answers there"),
        ("subcategory.sales.billing", "scope subcategory.sales.billing: no agent answers there"),
        ("finance", "scope 'finance' must be 'strategy'"),
    ],
)
def test_unknown_scopes_say_what_is_unknown(scope, message):
    with pytest.raises(UnknownAgentError) as refused:
        load_agent_registry().copilot_for_scope(scope)

    assert str(refused.value).startswith(message)


def test_get_and_for_category_refuse_unknown_names():
    registry = load_agent_registry()

    with pytest.raises(UnknownAgentError, match=r"no agent 'finance\.cfo'"):
        registry.get("finance.cfo")
    with pytest.raises(UnknownAgentError, match="no category 'marketing'"):
        registry.for_category("marketing")


def test_a_copilots_subagents_are_its_categorys_five_in_sidebar_order():
    registry = load_agent_registry()

    assert [a.id for a in registry.subagents_of("operations.copilot")] == [
        "operations.work_agent",
        "operations.scheduling_agent",
        "operations.resources_agent",
        "operations.delivery_agent",
        "operations.quality_agent",
    ]
