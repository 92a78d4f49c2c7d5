"""The invoice PDF and its wording, read back with pypdf: numbers, money and dates as the
invoice's language and currency write them (English, Spanish, JPY without decimals)."""

from __future__ import annotations

import io
import struct
import uuid
import zlib
from dataclasses import replace
from datetime import date
from decimal import Decimal

import PIL.Image
import pytest
from pypdf import PdfReader

from xentri.categories.finance.domain import InvoiceStatus
from xentri.categories.finance.invoice_document import DocumentLine, InvoiceDocument, _taxes
from xentri.categories.finance.invoice_format import document_locale, money
from xentri.categories.finance.invoice_mail_outbox import invoice_mail
from xentri.categories.finance.invoice_pdf import pdf_text, render_pdf
from xentri.shell.formatting import money_in

LINES = (
    DocumentLine(
        description="Pastel de tres leches ¿para mañana?",
        quantity=Decimal("2"),
        unit_price_minor=45_000,
        discount_percent=Decimal("10"),
        tax_rate=Decimal("16"),
        tax_label="IVA",
        net_minor=81_000,
    ),
    DocumentLine(
        description="Libro de recetas",
        quantity=Decimal("1.5"),
        unit_price_minor=9_999,
        discount_percent=Decimal("0"),
        tax_rate=None,
        tax_label=None,
        net_minor=14_999,
    ),
)


def document(**changes: object) -> InvoiceDocument:
    base = InvoiceDocument(
        invoice_id=uuid.uuid4(),
        org_name="Panadería Sol",
        logo=None,
        language="es",
        number="INV-0007",
        status=InvoiceStatus.PARTIALLY_PAID,
        currency="MXN",
        issue_date=date(2026, 11, 2),
        due_date=date(2026, 12, 2),
        customer={
            "name": "Ñandú Café",
            "tax_id": "XAXX010101000",
            "email": "pagos@example.mx",
            "phone": None,
            "billing_address": {"line1": "Av. Juárez 12", "city": "Oaxaca", "country": "MX"},
        },
        lines=LINES,
        taxes=_taxes(LINES),
        subtotal_minor=104_999,
        discount_minor=9_000,
        tax_minor=12_960,
        total_minor=108_959,
        paid_minor=50_000,
        notes="Gracias por su compra.",
        payment_instructions="Transferencia SPEI\nCLABE 012180001234567891",
        void_reason=None,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_spanish_invoice_in_mxn_reads_as_mexico_writes_it() -> None:
    text = text_of(render_pdf(document()))

    for expected in (
        "Panadería Sol",
        "Factura INV-0007",
        "Facturar a",
        "Ñandú Café",
        "Identificación fiscal: XAXX010101000",
        "Pastel de tres leches ¿para mañana?",
        "2 de noviembre de 2026",
        "2 de diciembre de 2026",
        "$450.00",  # unit price
        "10%",  # the line's discount
        "IVA 16%",
        "Exento",
        "1.5",  # quantity
        "$1,049.99",  # subtotal
        "-$90.00",  # discounts
        "IVA 16% sobre $810.00",
        "$129.60",
        "Exento sobre $149.99",
        "$1,089.59",  # total
        "-$500.00",  # paid
        "Importe pendiente",
        "$589.59",
        "Instrucciones de pago",
        "CLABE 012180001234567891",
        "Gracias por su compra.",
    ):
        assert expected in text, expected


def test_an_english_invoice_uses_english_words_and_dates() -> None:
    text = text_of(render_pdf(document(language="en")))

    for expected in (
        "Invoice INV-0007",
        "Bill to",
        "Tax ID: XAXX010101000",
        "November 2, 2026",
        "December 2, 2026",
        "MX$1,089.59",
        "IVA 16% on MX$810.00",
        "Exempt on MX$149.99",
        "Amount due",
        "MX$589.59",
        "Payment instructions",
    ):
        assert expected in text, expected
    assert "Factura" not in text


def test_yen_has_no_decimals_and_euros_print_their_sign() -> None:
    yen = text_of(
        render_pdf(
            document(
                language="en",
                currency="JPY",
                lines=(replace(LINES[1], unit_price_minor=1_500, net_minor=2_250),),
                taxes=(),
                subtotal_minor=2_250,
                discount_minor=0,
                tax_minor=0,
                total_minor=2_250,
                paid_minor=0,
            )
        )
    )
    euros = text_of(render_pdf(document(currency="EUR", paid_minor=0)))

    assert "¥1,500" in yen
    assert "¥2,250" in yen
    assert "¥2,250.00" not in yen
    assert "¥1,500.00" not in yen
    assert "1.089,59 €" in euros.replace("\xa0", " ")
    assert "2 de diciembre de 2026" in euros


def test_void_and_draft_invoices_say_so() -> None:
    void = text_of(render_pdf(document(status=InvoiceStatus.VOID, void_reason="Duplicada")))
    draft = text_of(render_pdf(document(number=None, status=InvoiceStatus.DRAFT, paid_minor=0)))

    assert "ANULADA" in void
    assert "Duplicada" in void
    assert "$0.00" in void  # nothing is owed on a void invoice
    assert "Borrador de factura" in draft


def test_a_logo_is_drawn_and_a_broken_one_is_left_out() -> None:
    webp = io.BytesIO()
    PIL.Image.new("RGB", (30, 10), (200, 10, 10)).save(webp, "WEBP")
    with_logo = render_pdf(document(logo=_png(40, 20)))
    with_webp = render_pdf(document(logo=webp.getvalue()))
    broken = render_pdf(document(logo=b"\x89PNG\r\n\x1a\nnot really"))

    for pdf in (with_logo, with_webp):
        assert len(list(PdfReader(io.BytesIO(pdf)).pages[0].images)) == 1
    assert "Factura INV-0007" in text_of(broken)


def test_many_lines_flow_onto_more_pages_with_the_totals_at_the_end() -> None:
    lines = tuple(replace(LINES[1], description=f"Línea {n}") for n in range(1, 81))
    pdf = render_pdf(document(lines=lines, taxes=_taxes(lines)))
    reader = PdfReader(io.BytesIO(pdf))

    assert len(reader.pages) >= 2
    assert "Página 2" in reader.pages[1].extract_text()
    assert "Línea 80" in text_of(pdf)
    assert "Importe pendiente" in reader.pages[-1].extract_text()


def test_characters_outside_winansi_fall_back_instead_of_failing() -> None:
    assert pdf_text("Café 北京 €") == "Café ?? €"
    assert pdf_text("Ångström ﬁ") == "Ångström fi"


def test_the_locale_follows_the_currency_where_the_language_is_spoken() -> None:
    assert str(document_locale("es", "MXN")) == "es_MX"
    assert str(document_locale("es", "EUR")) == "es_ES"
    assert str(document_locale("es", "USD")) == "es"  # several Spanish-speaking countries
    assert str(document_locale("en", "USD")) == "en_US"
    assert str(document_locale("en", "MXN")) == "en"
    assert money(123_456, "KWD", document_locale("en", "KWD")).endswith("123.456")
    assert money(150_000, "CLP", document_locale("es", "CLP")) == "$150.000"


@pytest.mark.parametrize(
    ("language", "currency", "total"),
    [("en", "USD", "$1,089.59"), ("es", "MXN", "$1,089.59"), ("es", "EUR", "1.089,59\xa0€")],
)
def test_the_pdf_writes_money_as_the_pages_do(language: str, currency: str, total: str) -> None:
    text = text_of(render_pdf(document(language=language, currency=currency))).replace("\xa0", " ")

    # The pages' money filter (shell.formatting.money_in) writes the same figures.
    assert money_in(108_959, currency, language) == total
    assert total.replace("\xa0", " ") in text
    assert money_in(58_959, currency, language).replace("\xa0", " ") in text  # amount due
    for language_, currency_ in (("en", "JPY"), ("en", "MXN"), ("es", "USD"), ("es", "CLP")):
        locale = document_locale(language_, currency_)
        assert money(108_959, currency_, locale) == money_in(108_959, currency_, language_)


def test_the_mail_is_in_the_invoice_language_with_the_pdf_attached() -> None:
    mail = invoice_mail(
        document(), to="pagos@example.mx", link="https://x.example/i/abc", pdf=b"%PDF-1.4"
    )

    assert mail.subject == "Factura INV-0007 de Panadería Sol"
    assert "Hola, Ñandú Café:" in mail.body
    assert "Panadería Sol le envió la factura INV-0007 por $1,089.59." in mail.body
    assert "Importe pendiente: $589.59, a pagar antes del 2 de diciembre de 2026." in mail.body
    assert "https://x.example/i/abc" in mail.body
    assert "CLABE 012180001234567891" in mail.body
    [attachment] = mail.attachments
    assert (attachment.filename, attachment.content_type) == (
        "Factura-INV-0007.pdf",
        "application/pdf",
    )


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\x20\x60\xc0" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
