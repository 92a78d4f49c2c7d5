"""Customer use cases: create, change, find, search, and import from CSV (preview, then commit
the valid rows). One transaction each, given by the caller."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.categories.finance import customer_csv
from xentri.categories.finance.customers_schemas import CustomerCreate, CustomerUpdate
from xentri.categories.finance.errors import (
    ImportAlreadyCommittedError,
    InvalidFieldsError,
    NotFoundError,
)
from xentri.categories.finance.tables import customer_imports, customers

MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class Page:
    items: list[Any]
    total: int
    page: int
    page_size: int


async def create_customer(
    *, tx: AsyncSession, org_id: uuid.UUID, customer_in: CustomerCreate
) -> Any:
    customer_id = uuid.uuid4()
    await tx.execute(customers.insert().values(id=customer_id, org_id=org_id, **_row(customer_in)))
    return await get_customer(tx=tx, customer_id=customer_id)


async def update_customer(
    *, tx: AsyncSession, customer_id: uuid.UUID, customer_in: CustomerUpdate
) -> Any:
    changes = customer_in.model_dump(mode="json", exclude_unset=True)
    if changes.get("name", "") is None:
        raise InvalidFieldsError(
            "A customer needs a name.", field="body.name", message="required", code="missing"
        )
    if "billing_address" in changes and changes["billing_address"] is None:
        changes["billing_address"] = {}
    found = await tx.execute(
        update(customers)
        .where(customers.c.id == customer_id)
        .values(**changes, updated_at=func.now())
        .returning(customers.c.id)
    )
    if found.first() is None:
        raise NotFoundError("No such customer.")
    return await get_customer(tx=tx, customer_id=customer_id)


async def get_customer(*, tx: AsyncSession, customer_id: uuid.UUID) -> Any:
    row = (await tx.execute(select(customers).where(customers.c.id == customer_id))).first()
    if row is None:
        raise NotFoundError("No such customer.")
    return row


async def search_customers(
    *, tx: AsyncSession, query: str | None, page: int, page_size: int
) -> Page:
    """Customers whose name, email or tax id contains `query` (any case), by name."""
    where = []
    if query and query.strip():
        pattern = "%" + _escape_like(query.strip()) + "%"
        where.append(
            or_(
                customers.c.name.ilike(pattern, escape="\\"),
                customers.c.email.ilike(pattern, escape="\\"),
                customers.c.tax_id.ilike(pattern, escape="\\"),
            )
        )
    total = await tx.scalar(select(func.count()).select_from(customers).where(*where)) or 0
    rows = (
        await tx.execute(
            select(customers)
            .where(*where)
            .order_by(func.lower(customers.c.name), customers.c.id)
            .limit(page_size)
            .offset((page - 1) * page_size)
        )
    ).all()
    return Page(items=list(rows), total=total, page=page, page_size=page_size)


async def preview_import(
    *, tx: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID, filename: str, data: bytes
) -> Any:
    """Read the file and keep its rows with their errors; nothing is imported yet."""
    try:
        rows = customer_csv.parse(
            data, known_tax_ids=await _taken(tx, "tax_id"), known_emails=await _taken(tx, "email")
        )
    except customer_csv.CsvFileError as exc:
        raise InvalidFieldsError(str(exc), field="file", message=str(exc), code=exc.code) from None
    import_id = uuid.uuid4()
    await tx.execute(
        customer_imports.insert().values(
            id=import_id,
            org_id=org_id,
            filename=filename[:255] or "customers.csv",
            rows=[_stored(row) for row in rows],
            status="previewed",
            created_by=user_id,
        )
    )
    return await get_import(tx=tx, import_id=import_id)


async def commit_import(*, tx: AsyncSession, org_id: uuid.UUID, import_id: uuid.UUID) -> Any:
    """Create a customer for every valid row; invalid rows are skipped, as the preview said.

    The rows are checked again for duplicates: a customer created since the preview makes its
    row invalid now rather than a second copy.
    """
    found = (
        await tx.execute(
            select(customer_imports).where(customer_imports.c.id == import_id).with_for_update()
        )
    ).first()
    if found is None:
        raise NotFoundError("No such import.")
    if found.status == "committed":
        raise ImportAlreadyCommittedError(
            "These rows were already imported.", imported_count=found.imported_count
        )
    rows = [customer_csv.ParsedRow(r["line"], r["values"], list(r["errors"])) for r in found.rows]
    taken_tax = {customer_csv.fold(t) for t in await _taken(tx, "tax_id")}
    taken_email = {e.lower() for e in await _taken(tx, "email")}
    imported = 0
    for row in rows:
        if not row.valid:
            continue
        tax_id, email = row.values.get("tax_id"), row.values.get("email")
        if isinstance(tax_id, str) and customer_csv.fold(tax_id) in taken_tax:
            row.errors.append(_dup("tax_id", "A customer with this tax id already exists."))
        if isinstance(email, str) and email.lower() in taken_email:
            row.errors.append(_dup("email", "A customer with this email already exists."))
        if not row.valid:
            continue
        customer = CustomerCreate.model_validate(row.values)
        await tx.execute(
            customers.insert().values(id=uuid.uuid4(), org_id=org_id, **_row(customer))
        )
        imported += 1
    await tx.execute(
        update(customer_imports)
        .where(customer_imports.c.id == import_id)
        .values(
            rows=[_stored(row) for row in rows],
            status="committed",
            imported_count=imported,
            committed_at=func.now(),
            updated_at=func.now(),
        )
    )
    return await get_import(tx=tx, import_id=import_id)


async def get_import(*, tx: AsyncSession, import_id: uuid.UUID) -> Any:
    row = (
        await tx.execute(select(customer_imports).where(customer_imports.c.id == import_id))
    ).first()
    if row is None:
        raise NotFoundError("No such import.")
    return row


def _row(customer_in: CustomerCreate) -> dict[str, Any]:
    values = customer_in.model_dump(mode="json")
    values["billing_address"] = {k: v for k, v in values["billing_address"].items() if v}
    return values


def _stored(row: customer_csv.ParsedRow) -> dict[str, Any]:
    return {"line": row.line, "values": row.values, "errors": row.errors}


def _dup(name: str, message: str) -> dict[str, str]:
    return {"field": name, "message": message, "code": "duplicate"}


async def _taken(tx: AsyncSession, column: str) -> list[str]:
    col = customers.c[column]
    return list((await tx.scalars(select(col).where(col.is_not(None)))).all())


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
