"""JSON API of payments: record against an invoice, list, reverse."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request

from xentri.categories.finance import payments
from xentri.categories.finance.api_deps import actor_of
from xentri.categories.finance.payments_schemas import (
    PaymentCreate,
    PaymentOutcome,
    PaymentRead,
    ReversalIn,
)
from xentri.identity.http import CurrentCaller, org_scope, requested_org
from xentri.identity.permissions import Permission

router = APIRouter(prefix="/api/v1/finance", tags=["finance"])


@router.get("/invoices/{invoice_id}/payments", summary="An invoice's payments, reversed included")
async def list_payments(
    request: Request, caller: CurrentCaller, invoice_id: uuid.UUID
) -> list[PaymentRead]:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_READ)
        rows = await payments.list_payments(tx=tx, invoice_id=invoice_id)
    return [PaymentRead.model_validate(row._mapping) for row in rows]


@router.post(
    "/invoices/{invoice_id}/payments",
    status_code=201,
    summary="Record a full or partial payment (never more than the amount due)",
)
async def record_payment(
    request: Request, caller: CurrentCaller, invoice_id: uuid.UUID, payment_in: PaymentCreate
) -> PaymentOutcome:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_WRITE)
        result = await payments.record_payment(
            tx=tx,
            org_id=org_id,
            invoice_id=invoice_id,
            payment_in=payment_in,
            actor=actor_of(caller),
        )
    return _outcome(result)


@router.post(
    "/payments/{payment_id}/reversal",
    summary="Reverse a payment with a reason; the invoice owes it again",
)
async def reverse_payment(
    request: Request, caller: CurrentCaller, payment_id: uuid.UUID, reversal_in: ReversalIn
) -> PaymentOutcome:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_WRITE)
        result = await payments.reverse_payment(
            tx=tx,
            org_id=org_id,
            payment_id=payment_id,
            reason=reversal_in.reason,
            actor=actor_of(caller),
        )
    return _outcome(result)


def _outcome(result: payments.PaymentResult) -> PaymentOutcome:
    return PaymentOutcome(
        payment=PaymentRead.model_validate(result.payment._mapping),
        invoice_state=result.state.value,
        invoice_status=result.status.value,
        paid_minor=result.paid_minor,
        amount_due_minor=result.amount_due_minor,
    )
