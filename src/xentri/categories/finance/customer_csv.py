"""Reading a customer list from CSV, row by row: each row becomes a customer or a list of
reasons it cannot. Pure: the service supplies the tax ids and emails already on file.

Spreadsheets from Latin America come with Spanish headers, ";" separators and Windows-1252
text, so all three are understood.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from pydantic import ValidationError

from xentri.categories.finance.customers_schemas import CustomerCreate

MAX_BYTES = 1024 * 1024  # the API's body limit is 1 MB as well
MAX_ROWS = 5000

ADDRESS_FIELDS = {
    "address_line1": "line1",
    "address_line2": "line2",
    "city": "city",
    "region": "region",
    "postal_code": "postal_code",
    "country": "country",
}
COLUMNS = ("name", "tax_id", "email", "phone", *ADDRESS_FIELDS, "currency", "payment_terms_days")

# Header words (folded: lower case, no accents, single spaces) and the column they mean.
_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "nombre", "razon social", "cliente", "customer", "company", "empresa"),
    "tax_id": ("tax id", "tax_id", "rfc", "nit", "ruc", "cuit", "rut", "vat", "nif", "cif"),
    "email": ("email", "e mail", "correo", "correo electronico", "mail"),
    "phone": ("phone", "telefono", "tel", "celular", "mobile"),
    "address_line1": ("address", "address line1", "address_line1", "direccion", "calle"),
    "address_line2": ("address line2", "address_line2", "colonia", "direccion 2"),
    "city": ("city", "ciudad", "municipio"),
    "region": ("region", "state", "estado", "provincia", "departamento"),
    "postal_code": ("postal code", "postal_code", "zip", "cp", "codigo postal"),
    "country": ("country", "pais"),
    "currency": ("currency", "moneda", "divisa"),
    "payment_terms_days": (
        "payment terms",
        "payment_terms_days",
        "payment terms days",
        "terms",
        "dias de credito",
        "plazo",
        "plazo de pago",
    ),
}
_BY_ALIAS = {alias: column for column, aliases in _ALIASES.items() for alias in aliases}


class CsvFileError(ValueError):
    """The file as a whole cannot be read; `code` says why."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class ParsedRow:
    line: int
    values: dict[str, object]
    errors: list[dict[str, str]] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join("".join(c if c.isalnum() or c == "_" else " " for c in plain).split())


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise CsvFileError("The file is larger than 1 MB.", "file-too-large")
    if b"\x00" in data:
        raise CsvFileError("This is not a CSV text file.", "not-csv")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # Excel's "CSV" in Spanish Windows


def parse(
    data: bytes, *, known_tax_ids: Iterable[str] = (), known_emails: Iterable[str] = ()
) -> list[ParsedRow]:
    """Every data row of the file, validated; raises CsvFileError when no row can be read."""
    text = decode(data)
    if not text.strip():
        raise CsvFileError("The file is empty.", "empty-file")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:4096], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, [])
    columns = [_BY_ALIAS.get(fold(cell)) for cell in header]
    if "name" not in columns:
        raise CsvFileError(
            "The first row must name the columns, one of them the customer's name "
            "(name or nombre).",
            "missing-name-column",
        )
    taken_tax = {fold(t) for t in known_tax_ids}
    taken_email = {e.lower() for e in known_emails}
    seen_tax: dict[str, int] = {}
    seen_email: dict[str, int] = {}
    rows: list[ParsedRow] = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise CsvFileError(f"The file has more than {MAX_ROWS} customers.", "too-many-rows")
        line = reader.line_num
        raw = {
            column: cell.strip()
            for column, cell in zip(columns, cells, strict=False)
            if column is not None and cell.strip()
        }
        row = _validated(line, raw)
        if row.valid:
            _check_duplicates(row, taken_tax, taken_email, seen_tax, seen_email)
        rows.append(row)
    if not rows:
        raise CsvFileError("The file has a header but no customers.", "no-rows")
    return rows


def _validated(line: int, raw: dict[str, str]) -> ParsedRow:
    address = {ADDRESS_FIELDS[k]: v for k, v in raw.items() if k in ADDRESS_FIELDS}
    if "country" in address:
        address["country"] = address["country"].upper()
    candidate: dict[str, object] = {
        k: v for k, v in raw.items() if k not in ADDRESS_FIELDS and k != "currency"
    }
    if "currency" in raw:
        candidate["currency"] = raw["currency"].upper()
    candidate["billing_address"] = address
    try:
        customer = CustomerCreate.model_validate(candidate)
    except ValidationError as exc:
        return ParsedRow(line=line, values=dict(raw), errors=_errors(exc))
    return ParsedRow(line=line, values=customer.model_dump(mode="json"))


def _errors(exc: ValidationError) -> list[dict[str, str]]:
    errors: list[dict[str, str]] = []
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ())]
        name = loc[0] if loc else ""
        if name == "billing_address" and len(loc) > 1:
            name = next((k for k, v in ADDRESS_FIELDS.items() if v == loc[1]), loc[1])
        message = str(error.get("msg", "invalid"))
        errors.append({"field": name, "message": message, "code": str(error.get("type"))})
    return errors


def _check_duplicates(
    row: ParsedRow,
    taken_tax: set[str],
    taken_email: set[str],
    seen_tax: dict[str, int],
    seen_email: dict[str, int],
) -> None:
    tax_id, email = row.values.get("tax_id"), row.values.get("email")
    if isinstance(tax_id, str):
        key = fold(tax_id)
        if key in taken_tax:
            row.errors.append(_dup("tax_id", "A customer with this tax id already exists."))
        elif key in seen_tax:
            row.errors.append(_dup("tax_id", f"Same tax id as line {seen_tax[key]}."))
        else:
            seen_tax[key] = row.line
    if isinstance(email, str):
        key = email.lower()
        if key in taken_email:
            row.errors.append(_dup("email", "A customer with this email already exists."))
        elif key in seen_email:
            row.errors.append(_dup("email", f"Same email as line {seen_email[key]}."))
        else:
            seen_email[key] = row.line


def _dup(name: str, message: str) -> dict[str, str]:
    return {"field": name, "message": message, "code": "duplicate"}
