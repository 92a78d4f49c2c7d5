"""Invoice use cases for drafts (create, change, delete) and reading (one, a filtered page).
Sending, voiding and payments are in invoice_lifecycle.py and payments.py."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.categories.finance import numbering
from xentri.categories.finance.customers import Page, get_customer
from xentri.categories.finance.domain import (
    ALLOWED,
    OPEN_STATES,
    InvoiceAction,
    InvoiceState,
    InvoiceStatus,
    due_date_for,
    require,
    status_on,
)
from xentri.categories.finance.errors import InvalidFieldsError, NotFoundError
from xentri.categories.finance.events import InvoiceCreated
from xentri.categories.finance.invoice_lines import price_lines, replace_lines
from xentri.categories.finance.invoices_schemas import InvoiceCreate, InvoiceUpdate
from xentri.categories.finance.org_defaults import org_defaults
from xentri.categories.finance.tables import customers, invoice_lines, invoices
from xentri.contracts.brief import Offering
from xentri.contracts.events import Actor
from xentri.kernel.events.outbox import emit, new_event

SOURCE = "finance"


@dataclass(frozen=True)
class InvoiceView:
    row: Any  # the finance_invoices row joined with the customer's name
    lines: list[Any]
    today: date

    @property
    def status(self) -> InvoiceStatus:
        return status_on(
            state=InvoiceState(self.row.state), due_date=self.row.due_date, today=self.today
        )

    @property
    def allowed_actions(self) -> list[str]:
        return sorted(action.value for action in ALLOWED[InvoiceState(self.row.state)])


async def create_invoice(
    *,
    tx: AsyncSession,
    org_id: uuid.UUID,
    actor: Actor,
    invoice_in: InvoiceCreate,
    offerings: Sequence[Offering] = (),
) -> InvoiceView:
    """Create a draft (no number yet: numbers are given when an invoice is sent)."""
    customer = await _customer(tx, invoice_in.customer_id)
    defaults = await org_defaults(tx=tx, org_id=org_id)
    finance = await numbering.settings(tx=tx, org_id=org_id)
    currency = invoice_in.currency or customer.currency or defaults.currency
    issue_date = invoice_in.issue_date or defaults.today()
    terms = _first(
        invoice_in.payment_terms_days,
        customer.payment_terms_days,
        finance.default_payment_terms_days,
    )
    due_date = _due(issue_date, terms, invoice_in.due_date)
    priced = price_lines(invoice_in.lines, currency=currency, offerings=offerings)
    invoice_id = uuid.uuid4()
    await tx.execute(
        invoices.insert().values(
            id=invoice_id,
            org_id=org_id,
            customer_id=customer.id,
            state=InvoiceState.DRAFT.value,
            currency=currency,
            issue_date=issue_date,
            due_date=due_date,
            payment_terms_days=terms,
            notes=invoice_in.notes or None,
            subtotal_minor=0,
            discount_minor=0,
            tax_minor=0,
            total_minor=0,
        )
    )
    totals = await replace_lines(tx=tx, org_id=org_id, invoice_id=invoice_id, lines=priced)
    await _store_totals(tx, invoice_id, totals)
    payload = InvoiceCreated(
        invoice_id=invoice_id,
        customer_id=customer.id,
        currency=currency,
        total_minor=totals.total_minor,
        issue_date=issue_date,
        due_date=due_date,
    )
    await emit(tx, new_event(payload, org_id=org_id, actor=actor, source=SOURCE))
    return await get_invoice(tx=tx, invoice_id=invoice_id, today=defaults.today())


async def update_draft(
    *,
    tx: AsyncSession,
    org_id: uuid.UUID,
    invoice_id: uuid.UUID,
    invoice_in: InvoiceUpdate,
    offerings: Sequence[Offering] = (),
) -> InvoiceView:
    current = await locked_invoice(tx, invoice_id)
    require(InvoiceState(current.state), InvoiceAction.EDIT)
    given = invoice_in.model_dump(exclude_unset=True)
    customer = await _customer(tx, invoice_in.customer_id or current.customer_id)
    currency = invoice_in.currency or current.currency
    issue_date = invoice_in.issue_date or current.issue_date
    terms = _first(invoice_in.payment_terms_days, current.payment_terms_days)
    if "due_date" in given and invoice_in.due_date is not None:
        due_date = _due(issue_date, terms, invoice_in.due_date)
    elif {"issue_date", "payment_terms_days"} & given.keys():
        due_date = due_date_for(issue_date=issue_date, payment_terms_days=terms)
    else:
        due_date = _due(issue_date, terms, current.due_date)
    changes: dict[str, Any] = {
        "customer_id": customer.id,
        "currency": currency,
        "issue_date": issue_date,
        "payment_terms_days": terms,
        "due_date": due_date,
    }
    if "notes" in given:
        changes["notes"] = invoice_in.notes or None
    await tx.execute(
        update(invoices).where(invoices.c.id == invoice_id).values(**changes, updated_at=func.now())
    )
    if invoice_in.lines is not None or currency != current.currency:
        lines_in = invoice_in.lines
        if lines_in is None:
            raise InvalidFieldsError(
                "Changing the currency changes every price: send the lines again with it.",
                field="body.lines",
                message="required when the currency changes",
                code="missing",
            )
        priced = price_lines(lines_in, currency=currency, offerings=offerings)
        totals = await replace_lines(tx=tx, org_id=org_id, invoice_id=invoice_id, lines=priced)
        await _store_totals(tx, invoice_id, totals)
    defaults = await org_defaults(tx=tx, org_id=org_id)
    return await get_invoice(tx=tx, invoice_id=invoice_id, today=defaults.today())


async def delete_draft(*, tx: AsyncSession, invoice_id: uuid.UUID) -> None:
    """Only drafts can go: they have no number, so deleting one leaves no gap."""
    current = await locked_invoice(tx, invoice_id)
    require(InvoiceState(current.state), InvoiceAction.DELETE)
    await tx.execute(delete(invoices).where(invoices.c.id == invoice_id))


async def get_invoice(*, tx: AsyncSession, invoice_id: uuid.UUID, today: date) -> InvoiceView:
    row = (await tx.execute(_with_customer().where(invoices.c.id == invoice_id))).first()
    if row is None:
        raise NotFoundError("No such invoice.")
    lines = (
        await tx.execute(
            select(invoice_lines)
            .where(invoice_lines.c.invoice_id == invoice_id)
            .order_by(invoice_lines.c.position)
        )
    ).all()
    return InvoiceView(row=row, lines=list(lines), today=today)


async def list_invoices(
    *,
    tx: AsyncSession,
    today: date,
    status: str | None,
    customer_id: uuid.UUID | None,
    query: str | None,
    page: int,
    page_size: int,
) -> Page:
    """A page of invoices, newest first; `status` overdue means open and past due today."""
    where = []
    if status == InvoiceStatus.OVERDUE.value:
        where += [invoices.c.state.in_([s.value for s in OPEN_STATES]), invoices.c.due_date < today]
    elif status in {s.value for s in OPEN_STATES}:
        where += [invoices.c.state == status, invoices.c.due_date >= today]
    elif status is not None:
        where.append(invoices.c.state == status)
    if customer_id is not None:
        where.append(invoices.c.customer_id == customer_id)
    if query and query.strip():
        pattern = "%" + query.strip().replace("\\", "\\\\").replace("%", "\\%") + "%"
        where.append(
            or_(
                invoices.c.number_text.ilike(pattern, escape="\\"),
                customers.c.name.ilike(pattern, escape="\\"),
            )
        )
    counted = select(func.count()).select_from(
        invoices.join(customers, customers.c.id == invoices.c.customer_id)
    )
    total = await tx.scalar(counted.where(*where)) or 0
    rows = (
        await tx.execute(
            _with_customer()
            .where(*where)
            .order_by(invoices.c.created_at.desc(), invoices.c.id)
            .limit(page_size)
            .offset((page - 1) * page_size)
        )
    ).all()
    views = [InvoiceView(row=row, lines=[], today=today) for row in rows]
    return Page(items=views, total=total, page=page, page_size=page_size)


async def locked_invoice(tx: AsyncSession, invoice_id: uuid.UUID) -> Any:
    # Every change to an invoice (editing, sending, a payment) locks its row first, so the
    # state and paid amount it decides on cannot change underneath it.
    row = (
        await tx.execute(select(invoices).where(invoices.c.id == invoice_id).with_for_update())
    ).first()
    if row is None:
        raise NotFoundError("No such invoice.")
    return row


def _with_customer() -> Select[Any]:
    return select(invoices, customers.c.name.label("customer_name")).join(
        customers, customers.c.id == invoices.c.customer_id
    )


async def _customer(tx: AsyncSession, customer_id: uuid.UUID) -> Any:
    try:
        return await get_customer(tx=tx, customer_id=customer_id)
    except NotFoundError:
        raise InvalidFieldsError(
            "No such customer.",
            field="body.customer_id",
            message="no such customer",
            code="not-found",
        ) from None


def _first(*values: int | None) -> int:
    return next(v for v in values if v is not None)


def _due(issue_date: date, terms: int, given: date | None) -> date:
    due = given or due_date_for(issue_date=issue_date, payment_terms_days=terms)
    if due < issue_date:
        raise InvalidFieldsError(
            "The due date is before the issue date.",
            field="body.due_date",
            message="must be on or after the issue date",
            code="due-before-issue",
        )
    return due


async def _store_totals(tx: AsyncSession, invoice_id: uuid.UUID, totals: Any) -> None:
    await tx.execute(
        update(invoices)
        .where(invoices.c.id == invoice_id)
        .values(
            subtotal_minor=totals.subtotal_minor,
            discount_minor=totals.discount_minor,
            tax_minor=totals.tax_minor,
            total_minor=totals.total_minor,
            updated_at=func.now(),
        )
    )
