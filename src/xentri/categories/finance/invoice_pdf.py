"""The invoice as a PDF (reportlab): the org's name and logo, the customer, the lines, the taxes
per rate, the totals, what is paid and due, the payment instructions and notes, in the
invoice's language.

The text is set in the PDF base-14 fonts (Helvetica) with their WinAnsi (cp1252) encoding, which
every PDF reader has: Spanish (á, ñ, ¿), the euro sign and the other Western European letters
print without a font file in the repository. A character outside cp1252 (a name in another
script) is written as its closest Latin letter or "?" rather than failing the document.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from xml.sax.saxutils import escape

import structlog
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from xentri.categories.finance.document_settings import N_, translations
from xentri.categories.finance.domain import InvoiceStatus
from xentri.categories.finance.invoice_document import DocumentTax, InvoiceDocument
from xentri.categories.finance.invoice_format import long_date, money, percent, quantity

log = structlog.get_logger("xentri.finance")

PDF_FILENAME_WORD = N_("Invoice")
STATUS_WORDS = {
    InvoiceStatus.DRAFT: N_("Draft"),
    InvoiceStatus.SENT: N_("Sent"),
    InvoiceStatus.PARTIALLY_PAID: N_("Partially paid"),
    InvoiceStatus.OVERDUE: N_("Overdue"),
    InvoiceStatus.PAID: N_("Paid"),
    InvoiceStatus.VOID: N_("Void"),
}
_INK = colors.HexColor("#1f2933")
_MUTED = colors.HexColor("#52606d")
_RULE = colors.HexColor("#cbd2d9")
_SHADE = colors.HexColor("#f0f4f8")
_LOGO_BOX = (45 * mm, 22 * mm)
_BASE = ParagraphStyle("base", fontName="Helvetica", fontSize=9, leading=12, textColor=_INK)
_SMALL = ParagraphStyle("small", parent=_BASE, fontSize=8, leading=10, textColor=_MUTED)
_RIGHT = ParagraphStyle("right", parent=_BASE, alignment=TA_RIGHT)
_ORG = ParagraphStyle("org", parent=_BASE, fontName="Helvetica-Bold", fontSize=14, leading=18)
_TITLE = ParagraphStyle("title", parent=_RIGHT, fontName="Helvetica-Bold", fontSize=18, leading=22)
_RIGHT_BOLD = ParagraphStyle("right_bold", parent=_RIGHT, fontName="Helvetica-Bold")
_SMALL_RIGHT = ParagraphStyle("small_right", parent=_SMALL, alignment=TA_RIGHT)
_HEADING = ParagraphStyle(
    "heading", parent=_BASE, fontName="Helvetica-Bold", fontSize=9, textColor=_MUTED
)


def pdf_text(text: str) -> str:
    """The text as the WinAnsi-encoded base fonts can print it."""
    out = []
    for char in text.replace("\u202f", "\u00a0").replace("\u2212", "-"):
        try:
            char.encode("cp1252")
            out.append(char)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char).encode("cp1252", "ignore").decode("cp1252")
            out.append(base or "?")
    return "".join(out)


def render_pdf(document: InvoiceDocument) -> bytes:
    """The invoice's PDF bytes (deterministic for the same invoice: no timestamps inside)."""
    _ = translations(document.language).gettext
    buffer = io.BytesIO()
    title = _title(document, _)
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=pdf_text(title),
        author=pdf_text(document.org_name),
        creator="Xentri",
        invariant=True,
    )
    width = A4[0] - 36 * mm
    story: list[Flowable] = [
        _header(document, title, width, _),
        Spacer(1, 8 * mm),
        _parties(document, width, _),
        Spacer(1, 7 * mm),
        _lines(document, width, _),
        Spacer(1, 4 * mm),
        _totals(document, width, _),
    ]
    for heading, text in (
        (_("Payment instructions"), document.payment_instructions),
        (_("Notes"), document.notes),
    ):
        if text:
            story += [Spacer(1, 6 * mm), _para(heading, _HEADING), _para(text, _BASE)]
    footer = _footer(document, _)
    pdf.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _title(document: InvoiceDocument, _: Callable[[str], str]) -> str:
    if document.number is None:
        return _("Draft invoice")
    return _("Invoice %(number)s") % {"number": document.number}


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    # Paragraph reads a little markup: the text is escaped, its line breaks kept.
    return Paragraph(escape(pdf_text(text)).replace("\n", "<br/>"), style)


def _header(
    document: InvoiceDocument, title: str, width: float, _: Callable[[str], str]
) -> Flowable:
    left: list[Flowable] = []
    logo = _logo(document)
    if logo is not None:
        left += [logo, Spacer(1, 2 * mm)]
    left.append(_para(document.org_name, _ORG))
    right: list[Flowable] = [_para(title, _TITLE)]
    if document.status in {InvoiceStatus.VOID, InvoiceStatus.PAID, InvoiceStatus.OVERDUE}:
        right.append(_para(_(STATUS_WORDS[document.status]).upper(), _RIGHT))
    if document.status is InvoiceStatus.VOID and document.void_reason:
        right.append(_para(document.void_reason, _SMALL_RIGHT))
    table = Table([[left, right]], colWidths=[width * 0.55, width * 0.45])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), _NO_PADDING_LEFT]))
    return table


_NO_PADDING_LEFT = ("LEFTPADDING", (0, 0), (0, -1), 0)


def _logo(document: InvoiceDocument) -> Flowable | None:
    if not document.logo:
        return None
    try:
        reader = ImageReader(io.BytesIO(document.logo))
        pixels_wide, pixels_high = reader.getSize()
    except Exception as exc:  # noqa: BLE001 - an unreadable logo costs the logo, not the invoice
        log.warning("invoice_logo_unreadable", error=str(exc))
        return None
    scale = min(_LOGO_BOX[0] / pixels_wide, _LOGO_BOX[1] / pixels_high)
    image = Image(io.BytesIO(document.logo), width=pixels_wide * scale, height=pixels_high * scale)
    image.hAlign = "LEFT"
    return image


def _parties(document: InvoiceDocument, width: float, _: Callable[[str], str]) -> Flowable:
    customer = document.customer
    bill_to: list[Flowable] = [_para(_("Bill to"), _HEADING)]
    bill_to += [_para(line, _BASE) for line in customer_lines(customer, _)]
    locale = document.locale
    facts = [
        (_("Invoice number"), document.number or _("Draft")),
        (_("Issue date"), long_date(document.issue_date, locale)),
        (_("Due date"), long_date(document.due_date, locale)),
        (_("Currency"), document.currency),
    ]
    details = Table(
        [[_para(name, _SMALL), _para(value, _RIGHT)] for name, value in facts],
        colWidths=[width * 0.18, width * 0.27],
    )
    details.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    table = Table([[bill_to, details]], colWidths=[width * 0.55, width * 0.45])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), _NO_PADDING_LEFT]))
    return table


def customer_lines(customer: dict[str, object], _: Callable[[str], str]) -> list[str]:
    """The customer block: name, tax id, address lines, email (what is known of them)."""
    address = customer.get("billing_address") or {}
    assert isinstance(address, dict)
    city_line = " ".join(
        str(part) for part in (address.get("postal_code"), address.get("city")) if part
    )
    lines = [
        str(customer.get("name") or ""),
        _("Tax ID: %(tax_id)s") % {"tax_id": customer["tax_id"]} if customer.get("tax_id") else "",
        str(address.get("line1") or ""),
        str(address.get("line2") or ""),
        ", ".join(part for part in (city_line, str(address.get("region") or "")) if part),
        str(address.get("country") or ""),
        str(customer.get("email") or ""),
    ]
    return [line for line in lines if line]


def _lines(document: InvoiceDocument, width: float, _: Callable[[str], str]) -> Flowable:
    locale, currency = document.locale, document.currency
    header = [
        _("Description"),
        _("Qty"),
        _("Unit price"),
        _("Discount"),
        _("Tax"),
        _("Amount"),
    ]
    rows: list[list[object]] = [[_para(cell, _HEADING) for cell in header]]
    for line in document.lines:
        rows.append(
            [
                _para(line.description, _BASE),
                pdf_text(quantity(line.quantity, locale)),
                pdf_text(money(line.unit_price_minor, currency, locale)),
                pdf_text(percent(line.discount_percent, locale)) if line.discount_percent else "",
                pdf_text(rate_words(line.tax_rate, line.tax_label, locale, _)),
                pdf_text(money(line.net_minor, currency, locale)),
            ]
        )
    widths = [0.35, 0.08, 0.15, 0.13, 0.13, 0.16]
    table = Table(rows, colWidths=[width * share for share in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 1), (-1, -1), "Helvetica", 9),
                ("TEXTCOLOR", (0, 0), (-1, -1), _INK),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), _SHADE),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, _RULE),
            ]
        )
    )
    return table


def rate_words(
    rate: Decimal | None, label: str | None, locale: object, _: Callable[[str], str]
) -> str:
    if rate is None:
        return _("Exempt")
    written = percent(rate, locale)  # type: ignore[arg-type]
    return f"{label} {written}" if label else written


def tax_row_words(tax: DocumentTax, document: InvoiceDocument, _: Callable[[str], str]) -> str:
    """ "IVA 16 % on $900.00" / "Exempt on $99.99": the per-rate breakdown's label."""
    base = money(tax.base_minor, document.currency, document.locale)
    if tax.rate is None:
        return _("Exempt on %(base)s") % {"base": base}
    name = rate_words(tax.rate, tax.label or _("Tax"), document.locale, _)
    return _("%(tax)s on %(base)s") % {"tax": name, "base": base}


def _totals(document: InvoiceDocument, width: float, _: Callable[[str], str]) -> Flowable:
    locale, currency = document.locale, document.currency
    rows: list[tuple[str, int, bool]] = [(_("Subtotal"), document.subtotal_minor, False)]
    if document.discount_minor:
        rows.append((_("Discounts"), -document.discount_minor, False))
    rows += [(tax_row_words(tax, document, _), tax.tax_minor, False) for tax in document.taxes]
    rows.append((_("Total"), document.total_minor, True))
    if document.paid_minor:
        rows.append((_("Paid"), -document.paid_minor, False))
    rows.append((_("Amount due"), document.amount_due_minor, True))
    data = [
        [_para(label, _RIGHT_BOLD if strong else _RIGHT), pdf_text(money(amount, currency, locale))]
        for label, amount, strong in rows
    ]
    table = Table(data, colWidths=[width * 0.5, width * 0.2], hAlign="RIGHT")
    style: list[tuple[object, ...]] = [
        ("ALIGN", (1, 0), (1, -1), "RIGHT"),
        ("FONT", (1, 0), (1, -1), "Helvetica", 9),
    ]
    for index, (_label, _amount, strong) in enumerate(rows):
        if strong:
            style += [
                ("FONT", (1, index), (1, index), "Helvetica-Bold", 10),
                ("LINEABOVE", (0, index), (-1, index), 0.75, _INK),
            ]
    table.setStyle(TableStyle(style))
    return table


def _footer(document: InvoiceDocument, _: Callable[[str], str]) -> Callable[[Canvas, object], None]:
    label = pdf_text(f"{document.org_name} · {document.number or _('Draft')}")

    def draw(canvas: Canvas, pdf: object) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(_MUTED)
        page = pdf_text(_("Page %(page)s") % {"page": canvas.getPageNumber()})
        canvas.drawString(18 * mm, 10 * mm, label)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, page)
        canvas.restoreState()

    return draw
