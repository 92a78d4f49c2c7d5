"""Expenses through the API: record, list, edit, delete; one org never sees another's."""

from __future__ import annotations

import pytest

from tests.support.db import as_org
from tests.support.identity import create_org, sign_up

pytestmark = pytest.mark.integration

BASE = "/api/v1/finance/expenses"


@pytest.fixture
async def owner(make_app, client_for):
    app = make_app()
    async with client_for(app) as client:
        person = await sign_up(client)
        org = await create_org(person)
        yield app, person, org


def expense(**fields):
    return {
        "spent_on": "2026-11-03",
        "vendor": "Papelería La Estrella",
        "category": "office_supplies",
        "amount_minor": 116_00,
        "tax_minor": 16_00,
        "currency": "MXN",
        **fields,
    }


async def test_an_expense_is_recorded_read_edited_and_deleted(owner):
    _app, person, _org = owner

    created = await person.client.post(
        BASE, json=expense(notes="  tóner y hojas  "), headers=person.headers()
    )
    expense_id = created.json()["id"]
    edited = await person.client.patch(
        f"{BASE}/{expense_id}",
        json={"amount_minor": 232_00, "tax_minor": 32_00, "notes": None},
        headers=person.headers(),
    )
    read = await person.client.get(f"{BASE}/{expense_id}", headers=person.headers())
    deleted = await person.client.delete(f"{BASE}/{expense_id}", headers=person.headers())
    gone = await person.client.get(f"{BASE}/{expense_id}", headers=person.headers())

    assert created.status_code == 201
    body = created.json()
    assert (body["amount_minor"], body["amount"], body["tax"]) == (11600, "116.00", "16.00")
    assert (body["category"], body["category_label"]) == ("office_supplies", "Office supplies")
    assert (body["notes"], body["receipt"]) == ("tóner y hojas", None)
    assert edited.status_code == 200
    assert (edited.json()["amount"], edited.json()["tax"], edited.json()["notes"]) == (
        "232.00",
        "32.00",
        None,
    )
    assert read.json()["vendor"] == "Papelería La Estrella"
    assert read.json()["spent_on"] == "2026-11-03"
    assert deleted.status_code == 204
    assert gone.status_code == 404


async def test_the_currency_defaults_to_the_orgs_and_decimals_follow_it(owner):
    _app, person, _org = owner

    default = await person.client.post(
        BASE, json=expense(currency=None, amount_minor=1999, tax_minor=0), headers=person.headers()
    )
    yen = await person.client.post(
        BASE,
        json=expense(currency="JPY", amount_minor=1300, tax_minor=118),
        headers=person.headers(),
    )
    dinar = await person.client.post(
        BASE,
        json=expense(currency="KWD", amount_minor=12_345, tax_minor=0),
        headers=person.headers(),
    )

    assert (default.json()["currency"], default.json()["amount"]) == ("USD", "19.99")
    assert (yen.json()["amount"], yen.json()["tax"]) == ("1300", "118")
    assert dinar.json()["amount"] == "12.345"


async def test_categories_are_codes_or_the_owners_words_and_show_in_their_language(owner):
    _app, person, _org = owner

    spanish_label = await person.client.post(
        BASE, json=expense(category="  renta "), headers=person.headers()
    )
    english_label = await person.client.post(
        BASE, json=expense(category="Office Supplies"), headers=person.headers()
    )
    own = await person.client.post(
        BASE, json=expense(category="Ferias   y eventos"), headers=person.headers()
    )
    in_spanish = await person.client.get(
        f"{BASE}/{spanish_label.json()['id']}",
        headers=person.headers(**{"accept-language": "es-MX"}),
    )
    categories = await person.client.get(
        f"{BASE}/categories", headers=person.headers(**{"accept-language": "es"})
    )

    assert spanish_label.json()["category"] == "rent"
    assert english_label.json()["category"] == "office_supplies"
    assert (own.json()["category"], own.json()["category_label"]) == (
        "Ferias y eventos",
        "Ferias y eventos",
    )
    assert in_spanish.json()["category_label"] == "Renta"
    listed = {c["category"]: c for c in categories.json()}
    assert listed["rent"] == {"category": "rent", "label": "Renta", "default": True}
    assert listed["Ferias y eventos"]["default"] is False


async def test_the_list_filters_by_dates_category_and_text_and_pages(owner):
    _app, person, _org = owner
    for day, vendor, category in [
        ("2026-10-30", "CFE", "utilities"),
        ("2026-11-01", "Telmex", "utilities"),
        ("2026-11-02", "Gasolinera Pemex", "vehicle"),
        ("2026-11-05", "Oficinas 100%", "rent"),
        ("2026-12-01", "CFE", "utilities"),
    ]:
        response = await person.client.post(
            BASE,
            json=expense(spent_on=day, vendor=vendor, category=category),
            headers=person.headers(),
        )
        assert response.status_code == 201

    november = await person.client.get(
        BASE, params={"start": "2026-11-01", "end": "2026-11-30"}, headers=person.headers()
    )
    utilities = await person.client.get(
        BASE, params={"category": "utilities"}, headers=person.headers()
    )
    searched = await person.client.get(BASE, params={"q": "cfe"}, headers=person.headers())
    percent = await person.client.get(BASE, params={"q": "100%"}, headers=person.headers())
    first = await person.client.get(BASE, params={"page_size": 2}, headers=person.headers())
    third = await person.client.get(
        BASE, params={"page_size": 2, "page": 3}, headers=person.headers()
    )

    def vendors(response):
        return [item["vendor"] for item in response.json()["items"]]

    assert vendors(november) == ["Oficinas 100%", "Gasolinera Pemex", "Telmex"]
    assert november.json()["total"] == 3
    assert [i["spent_on"] for i in utilities.json()["items"]] == [
        "2026-12-01",
        "2026-11-01",
        "2026-10-30",
    ]
    assert vendors(searched) == ["CFE", "CFE"]
    assert vendors(percent) == ["Oficinas 100%"]
    assert (vendors(first), first.json()["total"]) == (["CFE", "Oficinas 100%"], 5)
    assert (vendors(third), third.json()["page"]) == (["CFE"], 3)


async def test_one_org_never_sees_or_touches_anothers_expenses(owner, make_app, client_for):
    app, person, org = owner
    created = await person.client.post(BASE, json=expense(), headers=person.headers())
    expense_id = created.json()["id"]
    async with client_for(app) as other_client:
        other = await sign_up(other_client, name="Beto")
        await create_org(other, name="Taller Beto")

        listed = await other.client.get(BASE, headers=other.headers())
        read = await other.client.get(f"{BASE}/{expense_id}", headers=other.headers())
        edited = await other.client.patch(
            f"{BASE}/{expense_id}", json={"vendor": "Hacked"}, headers=other.headers()
        )
        deleted = await other.client.delete(f"{BASE}/{expense_id}", headers=other.headers())
        named_org = await other.client.get(BASE, headers=other.headers(**{"x-org-id": str(org)}))

    still = await person.client.get(f"{BASE}/{expense_id}", headers=person.headers())

    assert listed.json() == {"items": [], "total": 0, "page": 1, "page_size": 50}
    assert (read.status_code, edited.status_code, deleted.status_code) == (404, 404, 404)
    assert named_org.status_code in (403, 404)
    assert still.json()["vendor"] == "Papelería La Estrella"


async def test_recording_emits_one_event_even_when_the_request_is_repeated(owner, owner_conn):
    _app, person, org = owner
    headers = person.headers(**{"idempotency-key": "expense-1"})

    first = await person.client.post(BASE, json=expense(), headers=headers)
    again = await person.client.post(BASE, json=expense(), headers=headers)
    await person.client.patch(
        f"{BASE}/{first.json()['id']}", json={"vendor": "Otra"}, headers=person.headers()
    )
    listed = await person.client.get(BASE, headers=person.headers())

    assert again.json()["id"] == first.json()["id"]
    assert listed.json()["total"] == 1
    with as_org(owner_conn, org):
        events = owner_conn.execute(
            "select payload from system_events where type = 'xentri.expense.recorded.v1'"
        ).fetchall()
    assert [e[0] for e in events] == [
        {
            "expense_id": first.json()["id"],
            "spent_on": "2026-11-03",
            "vendor": "Papelería La Estrella",
            "category": "office_supplies",
            "amount_minor": 11600,
            "tax_minor": 1600,
            "currency": "MXN",
            "has_receipt": False,
        }
    ]


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"amount_minor": -5}, "body.amount_minor", "greater_than_equal"),
        ({"amount_minor": 0}, "body.amount_minor", "greater_than_equal"),
        ({"amount_minor": 10.5}, "body.amount_minor", "int_from_float"),
        ({"tax_minor": 20_000}, "body.tax_minor", "tax_above_amount"),
        ({"currency": "XYZ"}, "body.currency", "unknown_currency"),
        ({"currency": "mxn"}, "body.currency", "string_pattern_mismatch"),
        ({"spent_on": "2026-02-30"}, "body.spent_on", "date_from_datetime_parsing"),
        ({"vendor": "   "}, "body.vendor", "string_too_short"),
        ({"category": ""}, "body.category", "string_too_short"),
        ({"surprise": 1}, "body.surprise", "extra_forbidden"),
    ],
)
async def test_bad_input_is_a_field_level_problem_and_nothing_is_saved(owner, fields, field, code):
    _app, person, _org = owner

    response = await person.client.post(BASE, json=expense(**fields), headers=person.headers())
    listed = await person.client.get(BASE, headers=person.headers())

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [(field, code)]
    assert listed.json()["total"] == 0


async def test_an_edit_that_breaks_a_rule_changes_nothing(owner):
    _app, person, _org = owner
    created = await person.client.post(BASE, json=expense(), headers=person.headers())
    expense_id = created.json()["id"]

    too_much_tax = await person.client.patch(
        f"{BASE}/{expense_id}", json={"amount_minor": 1000}, headers=person.headers()
    )
    null_vendor = await person.client.patch(
        f"{BASE}/{expense_id}", json={"vendor": None}, headers=person.headers()
    )
    backwards = await person.client.get(
        BASE, params={"start": "2026-11-02", "end": "2026-11-01"}, headers=person.headers()
    )
    read = await person.client.get(f"{BASE}/{expense_id}", headers=person.headers())

    assert too_much_tax.status_code == 422
    assert [e["field"] for e in too_much_tax.json()["errors"]] == ["body.tax_minor"]
    assert [e["code"] for e in null_vendor.json()["errors"]] == ["null"]
    assert [e["field"] for e in backwards.json()["errors"]] == ["query.end"]
    assert read.json()["amount_minor"] == created.json()["amount_minor"]
    assert read.json()["vendor"] == created.json()["vendor"]
