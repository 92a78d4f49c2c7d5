"""Invoice numbering benchmark: how fast one org can issue invoices when senders contend for its
gap-free counter (one row locked FOR UPDATE per send), on throwaway servers.

Run from the project root:

    .venv/bin/python bench/finance_numbering.py [--invoices 500] [--senders 1 4 16]

It starts an embedded PostgreSQL (and Redis, unused) in a temporary folder, migrates it, makes
one org with a customer and `--invoices` one-line drafts per round, then for each number of
concurrent senders sends all drafts (each `send_invoice` in its own tenant transaction: lock the
invoice, lock and bump the counter, write the number and the outbox event) and prints sends per
second. Baseline, measured in the same run with the same concurrency: a bare transaction that
only bumps a counter row (`update ... set n = n + 1`), the floor any gap-free sequence pays.
At the end it checks the numbers are 1..N without gaps. No assertions on time.
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
import tempfile
import time
import uuid
from decimal import Decimal

from sqlalchemy import select, text

from xentri.categories.finance.customers import create_customer
from xentri.categories.finance.customers_schemas import CustomerCreate
from xentri.categories.finance.invoice_lifecycle import send_invoice
from xentri.categories.finance.invoices import create_invoice
from xentri.categories.finance.invoices_schemas import InvoiceCreate, LineIn
from xentri.categories.finance.tables import invoices
from xentri.contracts.events import Actor
from xentri.kernel.db.engine import create_engine
from xentri.kernel.db.tenant import tenant_transaction

sys.path.insert(0, str(_HERE))
from events import start_data_plane  # the same throwaway data plane as the event bench

ACTOR = Actor(type="user", id=str(uuid.uuid4()))


async def make_org(engine, org_id: uuid.UUID) -> uuid.UUID:
    async with tenant_transaction(engine, org_id) as tx:
        await tx.execute(
            text(
                "insert into organizations (id, org_id, name, currency) "
                "values (:id, :id, 'Bench', 'MXN')"
            ),
            {"id": org_id},
        )
        customer = await create_customer(
            tx=tx, org_id=org_id, customer_in=CustomerCreate(name="Cliente")
        )
    return customer.id


async def drafts(engine, org_id: uuid.UUID, customer_id: uuid.UUID, count: int) -> list:
    found = []
    line = LineIn(description="Servicio", quantity=Decimal(1), unit_price_minor=10_000)
    for _ in range(count):
        async with tenant_transaction(engine, org_id) as tx:
            view = await create_invoice(
                tx=tx,
                org_id=org_id,
                actor=ACTOR,
                invoice_in=InvoiceCreate(customer_id=customer_id, lines=[line]),
            )
        found.append(view.row.id)
    return found


async def send_all(engine, org_id: uuid.UUID, ids: list, senders: int) -> float:
    queue: asyncio.Queue = asyncio.Queue()
    for invoice_id in ids:
        queue.put_nowait(invoice_id)

    async def sender() -> None:
        while not queue.empty():
            invoice_id = queue.get_nowait()
            async with tenant_transaction(engine, org_id) as tx:
                await send_invoice(tx=tx, org_id=org_id, invoice_id=invoice_id, actor=ACTOR)

    started = time.perf_counter()
    await asyncio.gather(*(sender() for _ in range(senders)))
    return len(ids) / (time.perf_counter() - started)


async def bare_counter(engine, org_id: uuid.UUID, count: int, senders: int) -> float:
    remaining = [count]

    async def sender() -> None:
        while remaining[0] > 0:
            remaining[0] -= 1
            async with tenant_transaction(engine, org_id) as tx:
                await tx.execute(
                    text("update finance_settings set last_invoice_number = last_invoice_number")
                )

    started = time.perf_counter()
    await asyncio.gather(*(sender() for _ in range(senders)))
    return count / (time.perf_counter() - started)


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="xentri-bench-") as folder, contextlib.ExitStack() as s:
        plane = start_data_plane(Path(folder), s)
        engine = create_engine(plane.app_url, pool_size=max(args.senders) + 1)
        org_id = uuid.uuid4()
        customer_id = await make_org(engine, org_id)
        print(f"{'senders':>8} {'sends/s':>10} {'bare counter tx/s':>18} {'ratio':>7}")
        for senders in args.senders:
            ids = await drafts(engine, org_id, customer_id, args.invoices)
            rate = await send_all(engine, org_id, ids, senders)
            floor = await bare_counter(engine, org_id, args.invoices, senders)
            print(f"{senders:>8} {rate:>10.0f} {floor:>18.0f} {floor / rate:>6.1f}x")
        async with tenant_transaction(engine, org_id) as tx:
            numbers = sorted((await tx.scalars(select(invoices.c.number))).all())
        expected = list(range(1, args.invoices * len(args.senders) + 1))
        print("numbers 1..N without gaps or duplicates:", numbers == expected)
        await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=500)
    parser.add_argument("--senders", type=int, nargs="+", default=[1, 4, 16])
    asyncio.run(main(parser.parse_args()))
