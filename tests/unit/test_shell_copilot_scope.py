"""Which co-pilot the widget summons from the page's path (ADR-012 context resolution)."""

from __future__ import annotations

import pytest

from xentri.shell.copilot_widget import scope_for_path, widget_scope


@pytest.mark.parametrize(
    ("path", "scope"),
    [
        ("/c/strategy", "strategy"),
        ("/c/finance", "category.finance"),
        ("/c/finance/billing", "subcategory.finance.billing"),
        ("/c/finance/invoicing", "module.finance.invoicing"),
        ("/c/finance/finance.invoicing", "module.finance.invoicing"),
        ("/c/strategy/goals", "subcategory.strategy.goals"),
        ("/modules/legal.privacy_policy", "module.legal.privacy_policy"),
        ("/pulse/category.sales", "category.sales"),
        ("/pulse/subcategory.finance.billing", "subcategory.finance.billing"),
        ("/pulse/strategy", "strategy"),
        ("/finance/invoices/3f2a", "category.finance"),
        ("/strategy/brief", "strategy"),
        ("/dashboard", "strategy"),
        ("/settings/profile", "strategy"),
        ("/roadmap", "strategy"),
        ("/", "strategy"),
        ("/c/finance/nothing-here/billing", "category.finance"),
        ("/pulse/category.astrology", "strategy"),
    ],
)
def test_the_path_names_the_deepest_scope(path: str, scope: str) -> None:
    assert scope_for_path(path) == scope


def test_the_widget_names_the_copilot_in_the_pages_language() -> None:
    assert widget_scope("/c/finance", "en").name == "Finance Co-pilot"
    assert widget_scope("/c/finance", "es").name == "Copiloto de Finanzas"
    assert widget_scope("/c/strategy", "en").agent_id == "strategy.copilot"
    # A module's questions go to its sub-category's agent.
    assert widget_scope("/modules/finance.invoicing", "en").agent_id == "finance.billing_agent"
