"""The catalogue file: its shape, and every way the loader refuses a broken one."""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

import pytest
import yaml

from xentri.catalog import load_catalogue
from xentri.catalog.catalogue import CatalogueError, parse_catalogue
from xentri.catalog.domain import CATEGORY_IDS, STATUSES


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    catalogue = load_catalogue()
    return catalogue.model_dump(mode="json")


def broken(raw: dict[str, Any], change) -> str:
    copied = copy.deepcopy(raw)
    change(copied)
    return yaml.safe_dump(copied, allow_unicode=True)


def first_module(data: dict[str, Any]) -> dict[str, Any]:
    return data["categories"][1]["subcategories"][0]["modules"][0]


def test_the_shipped_catalogue_has_7_categories_of_5_subcategories():
    catalogue = load_catalogue()

    assert [c.id for c in catalogue.categories] == list(CATEGORY_IDS)
    assert all(len(c.subcategories) == 5 for c in catalogue.categories)
    assert 170 <= len(list(catalogue.entries())) <= 180


# Modules that work today. A module may be beta or active only once it is listed here, next to
# the tests that prove it works: a badge-less module would be a promise the product breaks.
SHIPPED: frozenset[str] = frozenset(
    {
        # tests/e2e/test_strategy_interview.py, tests/integration/test_strategy_brief_api.py
        "strategy.universal_brief",
        # tests/e2e/test_strategy_interview*.py, tests/integration/test_strategy_interview_*.py
        "strategy.strategy_interview",
        # tests/integration/test_strategy_planning_api.py, test_strategy_pages.py
        "strategy.goals_okrs",
        "strategy.decision_log",
        # tests/e2e/test_finance_browser.py, tests/integration/test_finance_invoices_api.py
        "finance.invoicing",
        "finance.payment_tracking",
        # tests/integration/test_finance_customers_api.py, test_finance_customer_picker.py
        "finance.customers",
        # tests/integration/test_finance_expenses_api.py, tests/e2e/test_finance_receipt_upload.py
        "finance.expenses",
        "finance.receipt_capture",
        # tests/integration/test_finance_reports.py, test_finance_expense_reports.py
        "finance.financial_reports",
    }
)


def test_only_shipped_modules_are_beta_or_active():
    entries = list(load_catalogue().entries())
    statuses = Counter(entry.module.status for entry in entries)

    assert set(statuses) <= set(STATUSES)
    available = {e.module.id for e in entries if e.module.status in ("beta", "active")}
    assert available <= SHIPPED
    # What was shipped is offered as working: a built module badged "coming" misleads too.
    assert available == SHIPPED
    # ... and says where it is used; a module not yet working has nowhere to open.
    for entry in entries:
        shipped = entry.module.id in SHIPPED
        assert (entry.module.path is not None) == shipped, entry.module.id


def test_every_entry_is_named_and_described_in_english_and_spanish():
    catalogue = load_catalogue()
    entries = [
        *catalogue.categories,
        *(s for c in catalogue.categories for s in c.subcategories),
        *(e.module for e in catalogue.entries()),
    ]

    for entry in entries:
        for text in (entry.name, entry.description):
            assert text.en.strip(), entry.id
            assert text.es.strip(), entry.id
    # Translated, not copied: most Spanish names differ from the English ones.
    same = [e.id for e in entries if e.name.en == e.name.es]
    assert len(same) < 10, same


def test_entries_are_ordered_by_their_position_in_the_file():
    entries = list(load_catalogue().entries())

    assert [e.sort_order for e in entries] == list(range(1, len(entries) + 1))
    assert entries[0].module.id == "strategy.universal_brief"
    assert entries[0].category_id == "strategy"
    assert entries[0].subcategory_id == "strategy.foundation"


def test_lookup_by_module_id():
    catalogue = load_catalogue()

    assert catalogue.entry("finance.invoicing").subcategory_id == "finance.billing"
    assert catalogue.entry("finance.nothing") is None
    assert catalogue.category("legal").name.es == "Legal"


def test_the_file_is_read_once():
    assert load_catalogue() is load_catalogue()


def test_a_blank_spanish_name_is_refused_and_located(raw):
    text = broken(raw, lambda d: first_module(d)["name"].update(es="   "))

    with pytest.raises(CatalogueError, match=r"finance\.invoicing name\.es: .*blank"):
        parse_catalogue(text)


def test_a_missing_language_is_refused(raw):
    text = broken(raw, lambda d: first_module(d)["description"].pop("en"))

    with pytest.raises(CatalogueError, match=r"finance\.invoicing description\.en: Field required"):
        parse_catalogue(text)


def test_an_unknown_status_is_refused(raw):
    text = broken(raw, lambda d: first_module(d).update(status="done"))

    with pytest.raises(CatalogueError, match=r"finance\.invoicing status"):
        parse_catalogue(text)


def test_a_module_id_must_carry_its_category_prefix(raw):
    text = broken(raw, lambda d: first_module(d).update(id="sales.invoicing"))

    with pytest.raises(CatalogueError, match=r"'sales\.invoicing' must look like 'finance\."):
        parse_catalogue(text)


def test_a_duplicate_id_is_refused(raw):
    def duplicate(data):
        modules = data["categories"][1]["subcategories"][0]["modules"]
        modules[1]["id"] = modules[0]["id"]

    with pytest.raises(CatalogueError, match=r"'finance\.invoicing' is used twice"):
        parse_catalogue(broken(raw, duplicate))


def test_a_subcategory_id_may_not_reuse_a_module_id(raw):
    def clash(data):
        data["categories"][1]["subcategories"][1]["id"] = "finance.invoicing"

    with pytest.raises(CatalogueError, match="used twice"):
        parse_catalogue(broken(raw, clash))


def test_a_category_with_four_subcategories_is_refused(raw):
    text = broken(raw, lambda d: d["categories"][2]["subcategories"].pop())

    with pytest.raises(CatalogueError, match="category brand has 4 sub-categories, not 5"):
        parse_catalogue(text)


def test_a_missing_or_unknown_category_is_refused(raw):
    def rename(data):
        data["categories"][6]["id"] = "compliance"

    with pytest.raises(CatalogueError, match="exactly strategy, finance"):
        parse_catalogue(broken(raw, rename))
    with pytest.raises(CatalogueError, match="exactly strategy, finance"):
        parse_catalogue(broken(raw, lambda d: d["categories"].pop()))


def test_an_unknown_field_is_refused_rather_than_ignored(raw):
    text = broken(raw, lambda d: first_module(d).update(price=10))

    with pytest.raises(CatalogueError, match=r"finance\.invoicing price: Extra inputs"):
        parse_catalogue(text)


def test_a_subcategory_without_modules_is_refused(raw):
    text = broken(raw, lambda d: d["categories"][0]["subcategories"][0].update(modules=[]))

    with pytest.raises(CatalogueError, match=r"strategy\.foundation modules"):
        parse_catalogue(text)


def test_invalid_yaml_is_reported_as_such():
    with pytest.raises(CatalogueError, match="not valid YAML"):
        parse_catalogue("categories: [unclosed")
