"""Expenses' pure rules: categories, amounts per currency, what a receipt may be."""

from __future__ import annotations

import uuid
from datetime import date
from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xentri.categories.finance.expenses_domain import (
    MAX_AMOUNT_MINOR,
    RECEIPT_MAX_BYTES,
    RECEIPT_TYPES,
    ExpenseDraft,
    InvalidExpenseError,
    amount_text,
    category_label,
    check_expense,
    new_receipt_key,
    owns_receipt,
    receipt_filename,
    receipt_problem,
    resolve_category,
)
from xentri.categories.finance.expenses_schemas import ReceiptType
from xentri.categories.finance.reports_csv import safe_cell


def draft(**fields) -> ExpenseDraft:
    values = {
        "spent_on": date(2026, 11, 3),
        "vendor": "CFE",
        "category": "utilities",
        "amount_minor": 1160,
        "tax_minor": 160,
        "currency": "MXN",
        "notes": None,
        **fields,
    }
    return ExpenseDraft(**values)


def test_a_sound_expense_passes_unchanged():
    assert check_expense(draft()) == draft()


def test_every_broken_rule_is_named_by_its_field():
    with pytest.raises(InvalidExpenseError) as refused:
        check_expense(draft(currency="ABC", amount_minor=0, tax_minor=5, category="  "))

    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("body.currency", "unknown_currency"),
        ("body.amount_minor", "out_of_range"),
        ("body.tax_minor", "tax_above_amount"),
        ("body.category", "missing"),
    ]


@given(
    amount=st.integers(min_value=1, max_value=MAX_AMOUNT_MINOR),
    tax=st.integers(min_value=-(10**6), max_value=MAX_AMOUNT_MINOR + 10**6),
)
def test_tax_is_accepted_exactly_when_it_is_part_of_the_amount(amount, tax):
    try:
        check_expense(draft(amount_minor=amount, tax_minor=tax))
        accepted = True
    except InvalidExpenseError:
        accepted = False

    assert accepted == (0 <= tax <= amount)


@pytest.mark.parametrize(
    ("minor", "currency", "written"),
    [
        (123456, "MXN", "1234.56"),
        (5, "USD", "0.05"),
        (1300, "JPY", "1300"),
        (12345, "KWD", "12.345"),
        (0, "CLP", "0"),
    ],
)
def test_amounts_are_written_with_their_currencys_decimals(minor, currency, written):
    assert amount_text(minor, currency) == written


@given(minor=st.integers(min_value=0, max_value=MAX_AMOUNT_MINOR))
def test_writing_an_amount_loses_nothing(minor):
    assert int(amount_text(minor, "MXN").replace(".", "")) == minor


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("rent", "rent"),
        ("  RENT ", "rent"),
        ("Office supplies", "office_supplies"),
        ("office supplies", "office_supplies"),
        ("Artículos de oficina", "office_supplies"),
        ("articulos DE oficina", "office_supplies"),
        ("Renta", "rent"),
        ("Ferias   y  eventos", "Ferias y eventos"),
        ("x" * 80, "x" * 60),
    ],
)
def test_a_category_typed_as_words_finds_its_default(typed, stored):
    spanish = [("office_supplies", "Artículos de oficina"), ("rent", "Renta")]

    assert resolve_category(typed, labels=spanish) == stored


def test_a_category_shows_translated_or_as_typed():
    spanish = {"Rent": "Renta"}.get

    assert category_label("rent", lambda text: spanish(text) or text) == "Renta"
    assert category_label("Ferias", lambda text: "never") == "Ferias"


def test_receipt_keys_are_random_and_belong_to_one_org():
    org, other = uuid.uuid4(), uuid.uuid4()
    key = new_receipt_key(org)

    assert key != new_receipt_key(org)
    assert owns_receipt(org, key) is True
    assert owns_receipt(other, key) is False
    assert owns_receipt(org, f"orgs/{org}/receipts/../../{other}/receipts/x") is False
    assert owns_receipt(org, f"orgs/{org}/logo") is False


@pytest.mark.parametrize(
    ("content_type", "size", "head", "problem"),
    [
        ("image/png", 100, b"\x89PNG\r\n\x1a\n....", None),
        ("image/jpeg", 100, b"\xff\xd8\xff\xe0", None),
        ("image/webp", 100, b"RIFF\x00\x00\x00\x00WEBPVP8 ", None),
        ("image/heic", 100, b"\x00\x00\x00\x18ftypheic", None),
        ("application/pdf", 100, b"%PDF-1.7", None),
        ("application/pdf", 100, b"<html>", "content_mismatch"),
        ("image/png", 100, b"\xff\xd8\xff\xe0", "content_mismatch"),
        ("image/svg+xml", 100, b"<svg", "unsupported_type"),
        ("image/png", 0, b"", "empty"),
        ("image/png", RECEIPT_MAX_BYTES + 1, b"\x89PNG\r\n\x1a\n", "too_large"),
    ],
)
def test_a_receipt_is_an_image_or_pdf_whose_bytes_say_so(content_type, size, head, problem):
    assert receipt_problem(content_type=content_type, size=size, head=head) == problem


def test_the_api_offers_exactly_the_receipt_types_the_rules_accept():
    assert set(get_args(ReceiptType)) == set(RECEIPT_TYPES)


@pytest.mark.parametrize(
    ("given_name", "kept"),
    [
        ("ticket.png", "ticket.png"),
        ("C:\\Users\\ana\\ticket café.jpg", "ticket café.jpg"),
        ("/etc/passwd", "passwd"),
        ("bad\x00\nname.pdf", "badname.pdf"),
        ("   ", None),
        (None, None),
    ],
)
def test_a_receipts_file_name_is_only_a_label(given_name, kept):
    assert receipt_filename(given_name) == kept


@pytest.mark.parametrize(
    ("cell", "written"),
    [("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("Luz", "Luz")],
)
def test_csv_cells_never_start_a_formula(cell, written):
    assert safe_cell(cell) == written
