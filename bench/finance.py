"""Finance read benchmark: reports, invoice listing and search over one org with many invoices,
each next to the same queries in raw SQL, on throwaway servers.

Run from the project root:

    .venv/bin/python bench/finance.py [--invoices 10000] [--lines 5] [--runs 50] [--real 200]

It starts an embedded PostgreSQL (and Redis, unused) in a temporary folder, migrates it, makes
one org with 40 customers (through `create_customer`; a fifth of them bill in USD, the rest in
the org's MXN) and seeds it:

- `--real` invoices through the real service functions, each in its own tenant transaction
  (`create_invoice`, then by turns left a draft, sent, sent and voided, sent and partly paid,
  sent and paid with `send_invoice`, `void_invoice`, `record_payment`; issue dates in the last
  four months, so some are overdue);
- the rest (`--invoices` in all, `--lines` lines each) with batched INSERTs as the app role
  inside one tenant transaction (row-level security applies), rows shaped like the service's:
  totals from `totals.py`, numbers in issue-date order, states spread like a real ledger (paid,
  partly paid with a payment row, sent, overdue, a few drafts and voids), two years of dates.

Then it measures, `--runs` times each with varied arguments, every app call in its own tenant
transaction as the app role: the receivables-aging and revenue-by-month reports, listing
invoices (first page, a page filtered by state, the overdue filter, a deep page, mapped to the
API's summaries like the endpoint) and searching by customer name or number. Right after each
app call, the same SQL written by hand runs through psycopg on one connection as the app role
in a transaction that sets the org (as `tenant_transaction` does); "same answer" checks both
gave the same figures. It prints p50/p95 of both and the ratio: what the app layer (SQLAlchemy
async, pooling, result mapping) costs over the database's own work. No assertions on time.
"""

# ruff: noqa: E402 - the sys.path fix below has to run before anything imports `http`.

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != _HERE]

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import psycopg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from xentri.categories.finance.customers import create_customer
from xentri.categories.finance.customers_schemas import CustomerCreate
from xentri.categories.finance.invoice_lifecycle import send_invoice, void_invoice
from xentri.categories.finance.invoices import create_invoice, list_invoices
from xentri.categories.finance.invoices_read import summary
from xentri.categories.finance.invoices_schemas import InvoiceCreate, LineIn
from xentri.categories.finance.numbering import format_number
from xentri.categories.finance.payments import record_payment
from xentri.categories.finance.payments_schemas import PaymentCreate
from xentri.categories.finance.reports_receivables import receivables_aging
from xentri.categories.finance.reports_revenue import revenue_by_month
from xentri.categories.finance.totals import Line, invoice_totals
from xentri.contracts.events import Actor
from xentri.kernel.db.engine import create_engine
from xentri.kernel.db.tenant import tenant_transaction
from xentri.kernel.db.urls import libpq_uri

sys.path.insert(0, str(_HERE))
from events import start_data_plane  # the same throwaway data plane as the event bench

ACTOR = Actor(type="user", id=str(uuid.uuid4()))
PAGE_SIZE = 25  # the API's default page
BATCH = 2_000
TRADES = ["Abarrotes", "Taller", "Consultoría", "Panadería", "Ferretería", "Clínica", "Estudio"]
PLACES = ["del Norte", "Santa Fe", "Hermanos López", "Azul", "La Esperanza", "Roma"]
TAXES = [Decimal(16), Decimal(16), Decimal(16), Decimal(8), None]
ITEMS = ["Consultoría", "Mantenimiento", "Instalación", "Licencia anual", "Soporte", "Diseño"]


# --- Seeding -----------------------------------------------------------------------------------


async def make_org(engine: AsyncEngine, org_id: uuid.UUID) -> list[Any]:
    async with tenant_transaction(engine, org_id) as tx:
        await tx.execute(
            text(
                "insert into organizations (id, org_id, name, currency) "
                "values (:id, :id, 'Bench', 'MXN')"
            ),
            {"id": org_id},
        )
        names = [f"{trade} {place}" for trade in TRADES for place in PLACES][:40]
        return [
            await create_customer(
                tx=tx,
                org_id=org_id,
                customer_in=CustomerCreate(name=name, currency="USD" if i % 5 == 0 else None),
            )
            for i, name in enumerate(names)
        ]


def random_lines(rnd: random.Random, count: int) -> list[LineIn]:
    return [
        LineIn(
            description=rnd.choice(ITEMS),
            quantity=Decimal(rnd.choice(["1", "2", "3", "0.5", "10", "1.25"])),
            unit_price_minor=rnd.randint(5_000, 500_000),
            tax_rate=(rate := rnd.choice(TAXES)),
            tax_label="IVA" if rate is not None else None,
            discount_percent=Decimal(rnd.choice([0, 0, 0, 5, 10])),
        )
        for _ in range(count)
    ]


async def seed_real(
    engine: AsyncEngine, org_id: uuid.UUID, clients: list[Any], args: argparse.Namespace
) -> None:
    """Invoices through the service layer, in every state it produces."""
    rnd = random.Random(7)
    today = date.today()
    for i in range(args.real):
        async with tenant_transaction(engine, org_id) as tx:
            view = await create_invoice(
                tx=tx,
                org_id=org_id,
                actor=ACTOR,
                invoice_in=InvoiceCreate(
                    customer_id=rnd.choice(clients).id,
                    issue_date=today - timedelta(days=rnd.randint(0, 120)),
                    lines=random_lines(rnd, args.lines),
                ),
            )
        invoice_id, total, turn = view.row.id, view.row.total_minor, i % 10
        if turn == 0:
            continue  # stays a draft
        async with tenant_transaction(engine, org_id) as tx:
            await send_invoice(tx=tx, org_id=org_id, invoice_id=invoice_id, actor=ACTOR)
        async with tenant_transaction(engine, org_id) as tx:
            if turn == 1:
                await void_invoice(
                    tx=tx, org_id=org_id, invoice_id=invoice_id, reason="Error", actor=ACTOR
                )
            elif turn in (4, 5, 6, 7, 8, 9):
                amount = total if turn >= 6 else max(1, total // 3)
                await record_payment(
                    tx=tx,
                    org_id=org_id,
                    invoice_id=invoice_id,
                    payment_in=PaymentCreate(amount_minor=amount),
                    actor=ACTOR,
                )


def bulk_rows(
    org_id: uuid.UUID, clients: list[Any], count: int, lines: int
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]], int]:
    """Invoice, line and payment rows as the service would have written them."""
    rnd = random.Random(11)
    today = date.today()
    drafts: list[dict[str, Any]] = []
    for _ in range(count):
        issue = today - timedelta(days=rnd.randint(0, 730))
        drafts.append({"issue": issue, "client": rnd.choice(clients)})
    drafts.sort(key=lambda d: d["issue"])
    invoice_rows, line_rows, payment_rows, number = [], [], [], 0
    for d in drafts:
        issue, client = d["issue"], d["client"]
        terms = rnd.choice([0, 15, 30, 30, 60])
        due = issue + timedelta(days=terms)
        entered = random_lines(rnd, lines)
        totals = invoice_totals(
            Line(
                quantity=li.quantity,
                unit_price_minor=li.unit_price_minor or 0,
                tax_rate=li.tax_rate,
                discount_percent=li.discount_percent,
            )
            for li in entered
        )
        roll = rnd.random()
        state = (
            "draft"
            if roll < 0.04
            else "void"
            if roll < 0.07
            else "paid"
            if roll < 0.62 and due < today
            else "partially_paid"
            if roll < 0.72
            else "sent"
        )
        created = datetime.combine(issue, datetime.min.time(), UTC) + timedelta(
            seconds=rnd.randint(28_800, 64_800)
        )
        invoice_id = uuid.uuid4()
        paid = {"paid": totals.total_minor, "partially_paid": totals.total_minor // 3}.get(state, 0)
        numbered = state != "draft"
        number += numbered
        snapshot = json.dumps({"name": client.name, "billing_address": {}}) if numbered else None
        invoice_rows.append(
            (
                invoice_id,
                org_id,
                client.id,
                number if numbered else None,
                format_number("INV-", number) if numbered else None,
                state,
                client.currency or "MXN",
                issue,
                due,
                terms,
                totals.subtotal_minor,
                totals.discount_minor,
                totals.tax_minor,
                totals.total_minor,
                paid,
                snapshot,
                created if numbered else None,
                created + timedelta(days=terms) if state == "paid" else None,
                created + timedelta(days=1) if state == "void" else None,
                "Error de captura" if state == "void" else None,
                created,
            )
        )
        for position, (li, lt) in enumerate(zip(entered, totals.lines, strict=True), start=1):
            line_rows.append(
                (
                    uuid.uuid4(),
                    org_id,
                    invoice_id,
                    position,
                    li.description,
                    li.quantity,
                    li.unit_price_minor,
                    li.tax_rate,
                    li.tax_label,
                    li.discount_percent,
                    lt.discount_minor,
                    lt.net_minor,
                    lt.tax_minor,
                    lt.total_minor,
                )
            )
        if paid:
            paid_on = min(today, issue + timedelta(days=rnd.randint(0, terms + 20)))
            payment_rows.append(
                (
                    uuid.uuid4(),
                    org_id,
                    invoice_id,
                    paid,
                    client.currency or "MXN",
                    paid_on,
                    "bank_transfer",
                    uuid.UUID(ACTOR.id),
                )
            )
    return invoice_rows, line_rows, payment_rows, number


def seed_bulk(app_dsn: str, org_id: uuid.UUID, clients: list[Any], args: argparse.Namespace) -> int:
    count = args.invoices - args.real
    invoice_rows, line_rows, payment_rows, last = bulk_rows(org_id, clients, count, args.lines)
    statements = [
        (
            "insert into finance_invoices (id, org_id, customer_id, number, number_text, state, "
            "currency, issue_date, due_date, payment_terms_days, subtotal_minor, discount_minor, "
            "tax_minor, total_minor, paid_minor, customer_snapshot, sent_at, paid_at, voided_at, "
            "void_reason, created_at) values (" + ", ".join(["%s"] * 21) + ")",
            invoice_rows,
        ),
        (
            "insert into finance_invoice_lines (id, org_id, invoice_id, position, description, "
            "quantity, unit_price_minor, tax_rate, tax_label, discount_percent, discount_minor, "
            "net_minor, tax_minor, total_minor) values (" + ", ".join(["%s"] * 14) + ")",
            line_rows,
        ),
        (
            "insert into finance_payments (id, org_id, invoice_id, amount_minor, currency, "
            "paid_on, method, recorded_by) values (" + ", ".join(["%s"] * 8) + ")",
            payment_rows,
        ),
    ]
    with psycopg.connect(app_dsn) as conn, conn.transaction():
        conn.execute("select set_config('app.current_org_id', %s, true)", [str(org_id)])
        for sql, rows in statements:
            with conn.cursor() as cur:
                for start in range(0, len(rows), BATCH):
                    cur.executemany(sql, rows[start : start + BATCH])
        # The counter continues after the seeded numbers, as if the service had issued them.
        conn.execute(
            "insert into finance_settings (id, org_id, last_invoice_number) values (%s, %s, %s)",
            [uuid.uuid4(), org_id, last],
        )
    return len(line_rows)


# --- The measured queries ----------------------------------------------------------------------

AGING_SQL = """
select i.currency, i.customer_id, c.name, count(*) as open_invoices,
  coalesce(sum(case when %(d)s::date - i.due_date <= 0 then i.total_minor - i.paid_minor
    else 0 end), 0) as current,
  coalesce(sum(case when %(d)s::date - i.due_date between 1 and 30
    then i.total_minor - i.paid_minor else 0 end), 0) as days_1_30,
  coalesce(sum(case when %(d)s::date - i.due_date between 31 and 60
    then i.total_minor - i.paid_minor else 0 end), 0) as days_31_60,
  coalesce(sum(case when %(d)s::date - i.due_date between 61 and 90
    then i.total_minor - i.paid_minor else 0 end), 0) as days_61_90,
  coalesce(sum(case when %(d)s::date - i.due_date >= 91 then i.total_minor - i.paid_minor
    else 0 end), 0) as days_over_90
from finance_invoices i join finance_customers c on c.id = i.customer_id
where i.state in ('sent', 'partially_paid') and i.issue_date <= %(d)s
  and i.total_minor - i.paid_minor > 0
group by i.currency, i.customer_id, c.name
order by i.currency, sum(i.total_minor - i.paid_minor) desc, c.name
"""
REVENUE_SQL = [
    """select currency, date_trunc('month', issue_date)::date as month, count(*),
      sum(total_minor - tax_minor), sum(tax_minor), sum(total_minor)
    from finance_invoices where state in ('sent', 'partially_paid', 'paid')
      and issue_date >= %(start)s and issue_date <= %(end)s
    group by currency, date_trunc('month', issue_date)::date""",
    """select currency, date_trunc('month', paid_on)::date as month, sum(amount_minor)
    from finance_payments where reversed_at is null and paid_on >= %(start)s
      and paid_on <= %(end)s
    group by currency, date_trunc('month', paid_on)::date""",
]
FROM = "from finance_invoices i join finance_customers c on c.id = i.customer_id"
FILTERS = {
    None: "true",
    "paid": "i.state = 'paid'",
    "overdue": "i.state in ('sent', 'partially_paid') and i.due_date < %(today)s",
    "search": "(i.number_text ilike %(p)s escape '\\' or c.name ilike %(p)s escape '\\')",
}


def raw_query(
    conn: psycopg.Connection[Any], org_id: uuid.UUID, sqls: list[str], params: Any
) -> list:
    results = []
    with conn.transaction():
        conn.execute("select set_config('app.current_org_id', %s, true)", [str(org_id)])
        for sql in sqls:
            results.append(conn.execute(sql, params).fetchall())
    return results


def listing_sql(key: str | None) -> list[str]:
    where = FILTERS[key]
    return [
        f"select count(*) {FROM} where {where}",
        f"select i.*, c.name as customer_name {FROM} where {where} "
        "order by i.created_at desc, i.id limit %(limit)s offset %(offset)s",
    ]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


async def measure(
    name: str,
    app: Callable[[int], Awaitable[Any]],
    raw: Callable[[int], Any],
    runs: int,
) -> None:
    """Alternate app and raw runs so both see the same machine; 3 warm-up runs are dropped."""
    app_ms, raw_ms, same = [], [], True
    for i in range(runs + 3):
        started = time.perf_counter()
        app_answer = await app(i)
        middle = time.perf_counter()
        raw_answer = raw(i)
        ended = time.perf_counter()
        same = same and app_answer == raw_answer
        if i >= 3:
            app_ms.append((middle - started) * 1000)
            raw_ms.append((ended - middle) * 1000)
    a50, a95 = percentile(app_ms, 0.5), percentile(app_ms, 0.95)
    r50, r95 = percentile(raw_ms, 0.5), percentile(raw_ms, 0.95)
    print(
        f"{name:<28} {a50:>8.2f} {a95:>8.2f} {r50:>8.2f} {r95:>8.2f} "
        f"{a50 / r50:>6.2f}x {a95 / r95:>6.2f}x {'yes' if same else 'NO':>5}"
    )


async def run_measurements(
    engine: AsyncEngine,
    conn: psycopg.Connection[Any],
    org_id: uuid.UUID,
    terms: list[str],
    args: argparse.Namespace,
) -> None:
    today = date.today()
    first = (today.replace(day=1) - timedelta(days=335)).replace(day=1)
    end = (today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)

    async def aging(_i: int) -> int:
        async with tenant_transaction(engine, org_id) as tx:
            found = await receivables_aging(tx=tx, as_of=today)
        return sum(currency.aging.total for currency in found)

    def aging_raw(_i: int) -> int:
        (rows,) = raw_query(conn, org_id, [AGING_SQL], {"d": today})
        return sum(sum(row[4:9]) for row in rows)

    async def revenue(_i: int) -> int:
        async with tenant_transaction(engine, org_id) as tx:
            found = await revenue_by_month(tx=tx, first_month=first, last_month=today)
        return sum(c.total_minor + c.collected_minor for c in found)

    def revenue_raw(_i: int) -> int:
        invoiced, collected = raw_query(conn, org_id, REVENUE_SQL, {"start": first, "end": end})
        return sum(int(r[5]) for r in invoiced) + sum(int(r[2]) for r in collected)

    def listing(key: str | None, page: Callable[[int], int]) -> tuple[Any, Any]:
        def term(i: int) -> str | None:
            return terms[i % len(terms)] if key == "search" else None

        async def app(i: int) -> tuple[int, list[Any]]:
            async with tenant_transaction(engine, org_id) as tx:
                found = await list_invoices(
                    tx=tx,
                    today=today,
                    status=key if key != "search" else None,
                    customer_id=None,
                    query=term(i),
                    page=page(i),
                    page_size=PAGE_SIZE,
                )
                items = [summary(view) for view in found.items]
            return found.total, [item.id for item in items]

        def raw(i: int) -> tuple[int, list[Any]]:
            pattern = "%" + (term(i) or "").replace("\\", "\\\\").replace("%", "\\%") + "%"
            params = {"today": today, "p": pattern, "limit": PAGE_SIZE}
            params["offset"] = (page(i) - 1) * PAGE_SIZE
            counted, rows = raw_query(conn, org_id, listing_sql(key), params)
            return counted[0][0], [row[0] for row in rows]

        return app, raw

    deep = max(1, args.invoices // PAGE_SIZE // 2)
    print(
        f"{'query (ms)':<28} {'app p50':>8} {'app p95':>8} {'raw p50':>8} {'raw p95':>8} "
        f"{'p50 x':>7} {'p95 x':>7} {'same':>5}"
    )
    await measure("AR aging report", aging, aging_raw, args.runs)
    await measure("revenue by month (12)", revenue, revenue_raw, args.runs)
    await measure("list: first page", *listing(None, lambda i: 1), args.runs)
    await measure("list: state paid, page 1-5", *listing("paid", lambda i: 1 + i % 5), args.runs)
    await measure("list: overdue, page 1", *listing("overdue", lambda i: 1), args.runs)
    await measure(f"list: deep page ~{deep}", *listing(None, lambda i: deep + i % 3), args.runs)
    await measure("search: name/number", *listing("search", lambda i: 1), args.runs)


async def main(args: argparse.Namespace) -> None:
    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    print(
        f"cores: {cores} (usable by this process: {usable}); invoices {args.invoices} x "
        f"{args.lines} lines, {args.real} of them through the service layer; {args.runs} runs"
    )
    with tempfile.TemporaryDirectory(prefix="xentri-bench-") as folder, contextlib.ExitStack() as s:
        plane = start_data_plane(Path(folder), s)
        engine = create_engine(plane.app_url, pool_size=2)
        org_id = uuid.uuid4()
        clients = await make_org(engine, org_id)
        started = time.perf_counter()
        seed_real_task = seed_real(engine, org_id, clients, args)
        line_count = seed_bulk(libpq_uri(plane.app_url), org_id, clients, args)
        bulk_s = time.perf_counter() - started
        started = time.perf_counter()
        await seed_real_task
        real_s = time.perf_counter() - started
        started = time.perf_counter()
        # What autovacuum would have done by the time an org has this many invoices.
        with psycopg.connect(libpq_uri(plane.admin_url), autocommit=True) as admin:
            admin.execute(
                "vacuum analyze finance_invoices, finance_invoice_lines, "
                "finance_payments, finance_customers"
            )
        print(
            f"seeding: bulk {args.invoices - args.real} invoices + {line_count} lines in "
            f"{bulk_s:.1f} s; {args.real} through the services in {real_s:.1f} s "
            f"({args.real / real_s:.0f}/s incl. send/pay/void); analyze "
            f"{time.perf_counter() - started:.1f} s"
        )
        rnd = random.Random(3)
        names = [c.name for c in clients]
        terms = [rnd.choice(names).split()[rnd.randint(0, 1)].lower() for _ in range(20)]
        terms += [format_number("INV-", rnd.randint(1, args.invoices)) for _ in range(15)]
        terms += [f"{rnd.randint(10, 99)}" for _ in range(10)] + ["sin resultados"] * 5
        with psycopg.connect(libpq_uri(plane.app_url)) as conn:
            await run_measurements(engine, conn, org_id, terms, args)
        print(
            "app: the service function in tenant_transaction (SQLAlchemy async, pooled); "
            "raw: the same SQL via psycopg on one connection, same org setting and filters"
        )
        await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=5)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--real", type=int, default=200, help="of them, via the service layer")
    asyncio.run(main(parser.parse_args()))
