"""Gap-free numbering under real concurrent transactions, the overdue job (once per invoice),
and row-level security between two orgs' finance tables."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, text

from tests.support.finance import events_of, new_customer, new_invoice, pay, sent_invoice
from tests.support.identity import create_org, sign_up
from xentri.categories.finance.invoice_lifecycle import send_invoice
from xentri.categories.finance.overdue import JOB_NAME, flag_overdue, run_overdue_job
from xentri.categories.finance.tables import customers, invoices
from xentri.contracts.events import Actor
from xentri.kernel.db.engine import create_engine
from xentri.kernel.db.tenant import tenant_transaction
from xentri.kernel.scheduler.jobs import JobContext

pytestmark = pytest.mark.integration

ACTOR = Actor(type="user", id=str(uuid.uuid4()))


@pytest.fixture
async def owner(make_app, client_for):
    app = make_app()
    async with client_for(app) as client:
        person = await sign_up(client)
        org = await create_org(person, currency="MXN", time_zone="America/Mexico_City")
        yield app, person, org


async def test_fifty_concurrent_sends_take_fifty_consecutive_numbers(owner, servers, owner_conn):
    # Given 50 drafts
    _app, person, org = owner
    customer = await new_customer(person)
    drafts = [uuid.UUID((await new_invoice(person, customer))["id"]) for _ in range(50)]
    engine = create_engine(servers.app_url, pool_size=25)

    async def send(invoice_id: uuid.UUID) -> None:
        async with tenant_transaction(engine, org) as tx:
            await send_invoice(tx=tx, org_id=org, invoice_id=invoice_id, actor=ACTOR)

    # When all are sent at once, each in its own transaction (25 connections contend)
    try:
        await asyncio.gather(*(send(invoice_id) for invoice_id in drafts))
        async with tenant_transaction(engine, org) as tx:
            numbers = (await tx.execute(select(invoices.c.number, invoices.c.number_text))).all()
    finally:
        await engine.dispose()

    # Then the numbers are exactly 1..50, each once
    assert sorted(n for n, _ in numbers) == list(range(1, 51))
    assert sorted(t for _, t in numbers) == [f"INV-{n:04d}" for n in range(1, 51)]
    sent_events = events_of(owner_conn, org, "xentri.invoice.sent")
    assert sorted(p["number"] for _, p in sent_events) == [f"INV-{n:04d}" for n in range(1, 51)]


async def test_a_send_that_rolls_back_gives_its_number_back(owner, app_engine):
    _app, person, org = owner
    customer = await new_customer(person)
    first = uuid.UUID((await new_invoice(person, customer))["id"])
    second = uuid.UUID((await new_invoice(person, customer))["id"])

    async def send_then_fail() -> None:
        async with tenant_transaction(app_engine, org) as tx:
            await send_invoice(tx=tx, org_id=org, invoice_id=first, actor=ACTOR)
            raise RuntimeError("the mail server fell over")  # anything after, in the same tx

    with pytest.raises(RuntimeError):
        await send_then_fail()
    async with tenant_transaction(app_engine, org) as tx:
        sent = await send_invoice(tx=tx, org_id=org, invoice_id=second, actor=ACTOR)

    assert sent.row.number_text == "INV-0001"


async def test_the_daily_job_flags_each_overdue_invoice_once(owner, app_engine, owner_conn):
    _app, person, org = owner
    customer = await new_customer(person, payment_terms_days=30)
    late = await sent_invoice(person, customer, issue_date="2026-09-01")  # due 2026-10-01
    part_paid = await sent_invoice(person, customer, issue_date="2026-09-15")  # due 10-15
    await pay(person, part_paid["id"], 1_000)
    paid = await sent_invoice(person, customer, issue_date="2026-09-01")
    await pay(person, paid["id"], paid["total_minor"])
    await new_invoice(person, customer, issue_date="2026-09-01")  # a draft is never overdue
    not_yet = await sent_invoice(person, customer, issue_date="2026-10-20")  # due 11-19

    def ctx(slot: datetime) -> JobContext:
        return JobContext(
            job=JOB_NAME,
            org_id=org,
            slot=slot,
            run_id=uuid.uuid4(),
            attempt=1,
            app_engine=app_engine,
        )

    # 00:15 in Mexico City on 2026-11-02 is 06:15 UTC
    await run_overdue_job(ctx(datetime(2026, 11, 2, 6, 15, tzinfo=UTC)))
    await run_overdue_job(ctx(datetime(2026, 11, 2, 6, 15, tzinfo=UTC)))  # a retried run
    await run_overdue_job(ctx(datetime(2026, 11, 3, 6, 15, tzinfo=UTC)))  # the next day

    flagged = events_of(owner_conn, org, "xentri.invoice.overdue")
    assert [(p["number"], p["days_overdue"], p["amount_due_minor"]) for _, p in flagged] == [
        (late["number"], 32, late["total_minor"]),
        (part_paid["number"], 18, part_paid["total_minor"] - 1_000),
    ]
    # Once the day comes, the last one is flagged too, and still nobody twice.
    async with tenant_transaction(app_engine, org) as tx:
        assert await flag_overdue(tx=tx, org_id=org, today=date(2026, 11, 20)) == 1
    flagged = events_of(owner_conn, org, "xentri.invoice.overdue")
    assert [p["number"] for _, p in flagged][-1] == not_yet["number"]
    assert len(flagged) == 3


async def test_finance_rows_are_invisible_and_unwritable_across_orgs(
    owner, app_engine, make_app, client_for
):
    app, person, org = owner
    invoice = await sent_invoice(person, await new_customer(person))
    async with client_for(app) as other_client:
        other = await sign_up(other_client, name="Eve")
        other_org = await create_org(other, name="Eve's shop")

    async with tenant_transaction(app_engine, other_org) as tx:
        seen = {
            table: await tx.scalar(text(f"select count(*) from {table}"))
            for table in (
                "finance_settings",
                "finance_customers",
                "finance_invoices",
                "finance_invoice_lines",
                "finance_payments",
            )
        }
    with pytest.raises(Exception, match="row-level security"):
        async with tenant_transaction(app_engine, other_org) as tx:
            await tx.execute(
                customers.insert().values(
                    id=uuid.uuid4(), org_id=org, name="Planted", billing_address={}
                )
            )
    async with tenant_transaction(app_engine, other_org) as tx:
        moved = await tx.execute(
            invoices.update().where(invoices.c.id == uuid.UUID(invoice["id"])).values(notes="x")
        )

    assert seen == dict.fromkeys(seen, 0)
    assert moved.rowcount == 0
