"""Reading customers from CSV: Spanish headers, ';' and Windows-1252, and per-row errors."""

from __future__ import annotations

import pytest

from xentri.categories.finance.customer_csv import CsvFileError, parse


def test_a_spanish_excel_export_is_understood():
    data = (
        "Nombre;RFC;Correo;Teléfono;Ciudad;País;Moneda;Plazo\r\n"
        "Panadería Lupita;PALU800101AB1;lupita@example.mx;+52 55 1234 5678;CDMX;mx;mxn;15\r\n"
    ).encode("cp1252")

    rows = parse(data)

    assert [r.errors for r in rows] == [[]]
    assert rows[0].line == 2
    assert rows[0].values["name"] == "Panadería Lupita"
    assert rows[0].values["currency"] == "MXN"
    assert rows[0].values["payment_terms_days"] == 15
    assert rows[0].values["billing_address"]["country"] == "MX"
    assert rows[0].values["billing_address"]["city"] == "CDMX"


def test_each_broken_row_says_which_field_and_the_rest_stay_valid():
    data = (
        b"name,email,currency,payment_terms_days,tax_id\n"
        b"Good Co,good@example.com,USD,30,GOOD123\n"
        b",nobody@example.com,USD,30,\n"
        b"Bad Mail,not-an-email,USD,30,\n"
        b"Bad Money,bm@example.com,XYZ,thirty,\n"
        b"Twin,twin@example.com,,,GOOD123\n"
        b"\n"
        b"Known,known@example.com,,,\n"
    )

    rows = parse(data, known_emails=["KNOWN@example.com"])

    fields = {r.line: sorted(e["field"] for e in r.errors) for r in rows}
    assert fields == {
        2: [],
        3: ["name"],
        4: ["email"],
        5: ["currency", "payment_terms_days"],
        6: ["tax_id"],
        8: ["email"],
    }
    assert "line 2" in rows[4].errors[0]["message"]
    assert rows[5].errors[0]["code"] == "duplicate"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty-file"),
        (b"email,phone\nx@example.com,123456\n", "missing-name-column"),
        (b"name\n", "no-rows"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not-csv"),
        (b"name\n" + b"x" * (1024 * 1024 + 1), "file-too-large"),
    ],
)
def test_files_that_cannot_be_read_are_refused_whole(data, code):
    with pytest.raises(CsvFileError) as refused:
        parse(data)
    assert refused.value.code == code
