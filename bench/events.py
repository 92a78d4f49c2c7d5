"""Event-spine benchmark: emit -> relay -> Redis stream -> consumer receipt, on throwaway servers.

Run from the project root:

    .venv/bin/python bench/events.py [--events 20000] [--rate 200] [--seconds 10] [--profile]

It starts an embedded PostgreSQL and Redis in a temporary folder (as the test fixture does),
runs the real outbox, relay and consumers of `xentri.kernel.events` and measures, on those
servers and in the same run:

- end-to-end throughput: `--events` events emitted by `--writers` concurrent writers, each in
  its own committed tenant transaction (round-robin over `--orgs` orgs), until the handler's
  receipt transaction of the last one has committed; then the same with `--events-per-tx`
  events of one org in each transaction (the writers' transactions cost less per event);
- the spine alone: `--events` events committed while no relay or consumer runs, then drained
  by them (from the first receipt commit to the last) - what the relay and consumers can move
  when the writers do not share the machine with them;
- end-to-end latency at a fixed offered rate (`--rate` for `--seconds`, paced open loop): from
  the commit of the emitting transaction to the commit of the receipt transaction (the handler
  writes one row in it), p50/p95/p99;
- baselines: single-row INSERT+COMMIT into a plain table (raw psycopg, and the kernel's
  SQLAlchemy engine) with as many connections as writers, and XADD of relay-sized entries
  (one per round trip from as many clients, and pipelined from one client like the relay).

The writers run in this process. The relay and `--consumers` consumers of one group run in
`--processes` other processes (the split `xentri relay` / `xentri consumers` shape; the default,
1, measured better on 2 cores) or, with `--processes 0`, in this event loop (the `xentri serve`
shape), where the writers' tasks starve them. Timestamps are time.monotonic_ns(), one clock for
every process of the machine. At the end it checks that every event was handled exactly once.

It prints figures, the CPU each process group used, and the issue's targets. PostgreSQL runs
with the test clusters' fsync=off, synchronous_commit=off; the benchmark shares the machine's
CPUs with PostgreSQL, Redis and whatever else runs (the "other" CPU column shows it).
"""

# ruff: noqa: E402 - the sys.path fix below has to run before anything imports `http`.

from __future__ import annotations

import sys
from pathlib import Path

# `python bench/events.py` puts this folder first on sys.path, where bench/http.py would shadow
# the standard library's `http` package (psycopg and redis import it): take the folder off.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != _HERE]

import argparse
import asyncio
import contextlib
import cProfile
import io
import itertools
import math
import multiprocessing
import os
import platform
import pstats
import queue
import secrets
import tempfile
import time
import uuid
import warnings
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Event as ProcessEvent
from typing import Any

import psutil
import psycopg
import sqlalchemy
from pydantic import Field
from redis.asyncio import Redis
from rich.console import Console
from rich.table import Table
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from xentri.contracts.events import Actor, EventPayload, SystemEvent
from xentri.kernel.db.engine import create_engine
from xentri.kernel.db.migrate import migrate
from xentri.kernel.db.provision import provision
from xentri.kernel.db.roles import RoleLogin, RuntimeRoles
from xentri.kernel.db.tenant import tenant_transaction
from xentri.kernel.db.urls import libpq_uri, with_database, with_role
from xentri.kernel.embedded.postgres import EmbeddedPostgres
from xentri.kernel.embedded.redis import EmbeddedRedis
from xentri.kernel.events.consumer import Consumer, ConsumerSettings, Subscription
from xentri.kernel.events.envelope_rows import stream_fields
from xentri.kernel.events.outbox import emit, new_event
from xentri.kernel.events.registry import registry
from xentri.kernel.events.relay import Relay, RelaySettings
from xentri.kernel.logging import configure_logging

MAX_EVENTS = 1_000_000
STALL_SECONDS = 30.0  # no event handled for this long while some are outstanding: give up
STOP_TIMEOUT_SECONDS = 10.0
PROCESS_START_TIMEOUT_SECONDS = 60.0
FLUSH_SECONDS = 0.02  # how often a pipeline process reports what it handled
MAX_IN_FLIGHT_EMITS = 1_000  # the paced sender's bound on emits not yet committed
TARGET_RATE = 2_000.0  # events/s end-to-end, from the issue
TARGET_P95_MS = 50.0  # at TARGET_OFFERED_RATE, from the issue
TARGET_OFFERED_RATE = 200.0
EVENT_TYPE = "xentri.bench.tick.v1"
ACTOR = Actor(type="system", id="bench")
NS = 1_000_000_000

# Rich falls back to 80 columns when piped; the results table needs more.
console = Console(highlight=False, width=None if sys.stdout.isatty() else 180)


# --- The bench-only event and its handler's effect ------------------------------------------


class BenchTick(EventPayload, event_type=EVENT_TYPE, schema="bench.tick@1.0"):
    """One benchmark event; `sent_ns` is time.monotonic_ns() when the writer began emitting."""

    sent_ns: int = Field(ge=0)
    seq: int = Field(ge=0)


registry.register(BenchTick)

# Owner-created, no row-level security, no unique key: a handler that ran twice leaves two rows.
BENCH_TABLES = (
    """
    create table bench_ticks (
      event_id uuid not null,
      org_id uuid not null,
      seq bigint not null,
      handled_at timestamptz not null default now()
    )
    """,
    """
    create table bench_rows (
      id uuid primary key,
      body text not null,
      created_at timestamptz not null default now()
    )
    """,
)
_INSERT_TICK = text(
    "insert into bench_ticks (event_id, org_id, seq) values (:event_id, :org_id, :seq)"
)
_INSERT_ROW_SQL = "insert into bench_rows (id, body) values (%s, %s)"
_INSERT_ROW = text("insert into bench_rows (id, body) values (:id, :body)")
ROW_BODY = "x" * 200


# --- Data plane --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataPlane:
    admin_url: str  # superuser: set-up and the final counts (it sees past row-level security)
    owner_url: str
    app_url: str
    system_url: str
    redis_url: str
    postgres_dir: Path
    redis_dir: Path


def start_data_plane(workdir: Path, stack: contextlib.ExitStack) -> DataPlane:
    """Throwaway PostgreSQL and Redis, provisioned and migrated like the test fixture."""
    postgres_dir, redis_dir = workdir / "postgres", workdir / "redis"
    postgres = EmbeddedPostgres(postgres_dir)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        admin_url = postgres.start(throwaway=True)
    stack.callback(postgres.stop)
    redis_server = EmbeddedRedis(redis_dir)
    redis_url = redis_server.start(throwaway=True)
    stack.callback(redis_server.stop)

    owner_url = provision(
        admin_url,
        owner_role="xentri_bench_owner",
        owner_password=secrets.token_hex(16),
        database="xentri_bench",
    )
    roles = RuntimeRoles(
        app=RoleLogin("xentri_bench_app", secrets.token_hex(16)),
        system=RoleLogin("xentri_bench_system", secrets.token_hex(16)),
    )
    migrate(owner_url, roles=roles)
    # Created by the owner: the app role gets its rights through default privileges.
    with psycopg.connect(libpq_uri(owner_url), autocommit=True) as conn:
        for statement in BENCH_TABLES:
            conn.execute(statement)
    return DataPlane(
        admin_url=with_database(admin_url, "xentri_bench"),
        owner_url=owner_url,
        app_url=with_role(owner_url, user=roles.app.name, password=roles.app.password),
        system_url=with_role(owner_url, user=roles.system.name, password=roles.system.password),
        redis_url=redis_url,
        postgres_dir=postgres_dir,
        redis_dir=redis_dir,
    )


def server_facts(plane: DataPlane) -> str:
    with psycopg.connect(libpq_uri(plane.admin_url), autocommit=True) as conn:
        rows = conn.execute(
            "select name, setting from pg_settings where name in "
            "('server_version', 'fsync', 'synchronous_commit', 'max_connections', "
            "'shared_buffers')"
        ).fetchall()
    settings: dict[str, str] = {str(name): str(value) for name, value in rows}
    return (
        f"PostgreSQL {settings.get('server_version')} on a Unix socket "
        f"(fsync={settings.get('fsync')}, synchronous_commit={settings.get('synchronous_commit')}, "
        f"max_connections={settings.get('max_connections')}: the test-cluster tuning)"
    )


# --- CPU accounting ----------------------------------------------------------------------------

MACHINE = "machine"
OUR_GROUPS = ("bench", "pipeline", "postgres", "redis")


@dataclass(frozen=True)
class CpuGroups:
    """The processes whose CPU time is reported, by group."""

    postmaster: int
    redis: int
    pipeline: tuple[int, ...] = ()  # relay/consumer processes when they run apart

    def sample(self) -> dict[str, dict[int, float]]:
        groups: dict[str, list[psutil.Process]] = {
            "bench": [psutil.Process()],
            "pipeline": [],
            "postgres": [],
            "redis": [],
        }
        with contextlib.suppress(psutil.Error):
            postmaster = psutil.Process(self.postmaster)
            groups["postgres"] = [postmaster, *postmaster.children(recursive=True)]
        with contextlib.suppress(psutil.Error):
            groups["redis"] = [psutil.Process(self.redis)]
        for pid in self.pipeline:
            with contextlib.suppress(psutil.Error):
                groups["pipeline"].append(psutil.Process(pid))
        sample: dict[str, dict[int, float]] = {}
        for name, processes in groups.items():
            sample[name] = {}
            for process in processes:
                with contextlib.suppress(psutil.Error):
                    times = process.cpu_times()
                    sample[name][process.pid] = float(times.user + times.system)
        machine = psutil.cpu_times()._asdict()
        # Busy time of the whole machine, steal included (capacity this VM did not get); guest
        # time is already part of user time on Linux.
        idle = sum(machine.get(name, 0.0) for name in ("idle", "iowait", "guest", "guest_nice"))
        sample[MACHINE] = {0: float(sum(machine.values()) - idle)}
        return sample


def cores_used(
    before: dict[str, dict[int, float]], after: dict[str, dict[int, float]], seconds: float
) -> dict[str, float]:
    """Cores used per group between two samples (processes that exited in between are lost)."""
    used: dict[str, float] = {}
    for name, pids in after.items():
        earlier = before.get(name, {})
        spent = sum(cpu - earlier.get(pid, 0.0) for pid, cpu in pids.items())
        used[name] = spent / seconds if seconds > 0 else math.nan
    # What else kept the CPUs busy meanwhile (other programs, the kernel, a noisy neighbour).
    used["other"] = max(used.pop(MACHINE) - sum(used.values()), 0.0)
    return used


def find_cpu_groups(plane: DataPlane) -> CpuGroups:
    postmaster = int((plane.postgres_dir / "postmaster.pid").read_text().split()[0])
    redis_pid = int((plane.redis_dir / "redis.pid").read_text().split()[0])
    return CpuGroups(postmaster=postmaster, redis=redis_pid)


# --- What happened to each event ---------------------------------------------------------------

# (event id, the payload's sent_ns, time.monotonic_ns() after the receipt committed)
HandledSink = Callable[[uuid.UUID, int, int], None]


class Recorder:
    """Emit commits and receipt commits by event id, on time.monotonic_ns().

    CLOCK_MONOTONIC is one clock for every process of the machine, so timestamps taken in a
    separate pipeline process compare with the writers' ones.
    """

    def __init__(self) -> None:
        self.committed: dict[uuid.UUID, int] = {}  # the emitting transaction committed
        self.handled: dict[uuid.UUID, int] = {}  # the receipt transaction committed
        self.sent: dict[uuid.UUID, int] = {}  # the payload's sent_ns, as the handler saw it
        self.duplicates = 0  # receipt commits beyond the first one of an event
        self._waiting: set[uuid.UUID] = set()
        self._moved = asyncio.Event()

    def on_committed(self, event_id: uuid.UUID, at_ns: int) -> None:
        self.committed[event_id] = at_ns

    def on_handled(self, event_id: uuid.UUID, sent_ns: int, at_ns: int) -> None:
        if event_id in self.handled:
            self.duplicates += 1
            return
        self.handled[event_id] = at_ns
        self.sent[event_id] = sent_ns
        if self._waiting:
            self._waiting.discard(event_id)
            self._moved.set()

    async def wait_handled(self, ids: list[uuid.UUID]) -> None:
        """Until every id is handled; fails when nothing moves for STALL_SECONDS."""
        self._waiting = {event_id for event_id in ids if event_id not in self.handled}
        last_left, last_move = len(self._waiting), time.monotonic()
        while self._waiting:
            self._moved.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._moved.wait(), timeout=0.5)
            if len(self._waiting) != last_left:
                last_left, last_move = len(self._waiting), time.monotonic()
            elif time.monotonic() - last_move > STALL_SECONDS:
                raise RuntimeError(
                    f"{last_left:,} of {len(ids):,} events not handled, and none for "
                    f"{STALL_SECONDS:g} s"
                )


class HandledLog:
    """The handler, and the hook that reports events once their receipts have committed."""

    def __init__(self, sink: HandledSink) -> None:
        self._sink = sink

    async def handle(self, event: SystemEvent, tx: AsyncSession) -> None:
        await tx.execute(
            _INSERT_TICK,
            {"event_id": event.id, "org_id": event.org_id, "seq": event.payload["seq"]},
        )

    def committed(self, events: Sequence[SystemEvent]) -> None:
        at_ns = time.monotonic_ns()
        for event in events:
            self._sink(event.id, int(event.payload["sent_ns"]), at_ns)


# --- The pipeline: relay and consumers -----------------------------------------------------------


@dataclass(frozen=True)
class PipelineConfig:
    stream: str
    group: str
    consumers: int
    relay_batch: int
    consumer_batch: int
    maxlen: int
    relay_poll_seconds: float


async def run_pipeline(
    plane: DataPlane,
    config: PipelineConfig,
    sink: HandledSink,
    stop: asyncio.Event,
    ready: Callable[[], None],
    *,
    consumers: int | None = None,
    relay: bool = True,
) -> None:
    """Run one relay (optional) and `consumers` consumers of one group until `stop` is set."""
    count = config.consumers if consumers is None else consumers
    consumer_engine = create_engine(
        plane.app_url, pool_size=max(count, 1), application_name="bench-consumers"
    )
    system_engine = create_engine(plane.system_url, pool_size=2, application_name="bench-relay")
    redis = Redis.from_url(plane.redis_url, socket_timeout=5, socket_connect_timeout=2)
    handled_log = HandledLog(sink)
    subscription = Subscription(name=config.group, handlers={EVENT_TYPE: handled_log.handle})
    settings = ConsumerSettings(stream=config.stream, batch=config.consumer_batch)
    workers: list[Callable[[asyncio.Event], Coroutine[Any, Any, None]]] = [
        Consumer(
            on_committed=handled_log.committed,
            subscription=subscription,
            engine=consumer_engine,
            redis=redis,
            settings=settings,
        ).run
        for _ in range(count)
    ]
    if relay:
        relay_settings = RelaySettings(
            stream=config.stream,
            maxlen=config.maxlen,
            batch=config.relay_batch,
            poll_seconds=config.relay_poll_seconds,
        )
        workers.append(
            Relay(
                engine=system_engine,
                redis=redis,
                listen_url=plane.system_url,
                settings=relay_settings,
            ).run
        )
    try:
        await _warm_pool(consumer_engine, count)
        await _warm_pool(system_engine, 2)
        tasks = [asyncio.create_task(work(stop)) for work in workers]
        ready()
        try:
            await asyncio.gather(*tasks)
        finally:
            stop.set()
            # The relay sees `stop` at once, a consumer after its blocking read (1 s at most):
            # a clean stop leaves no entry read and not acknowledged.
            _, late = await asyncio.wait(tasks, timeout=STOP_TIMEOUT_SECONDS / 2)
            for task in late:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        await redis.aclose()
        await consumer_engine.dispose()
        await system_engine.dispose()


async def _warm_pool(engine: AsyncEngine, size: int) -> None:
    """Open the pool's connections before measuring (the pool is fixed-size)."""
    async with contextlib.AsyncExitStack() as stack:
        for _ in range(size):
            conn = await stack.enter_async_context(engine.connect())
            await conn.execute(text("select 1"))


# --- The pipeline in other processes ------------------------------------------------------------


def pipeline_process(
    plane: DataPlane,
    config: PipelineConfig,
    consumers: int,
    relay: bool,
    reports: multiprocessing.Queue[Any],
    stop: ProcessEvent,
) -> None:
    """Entry point of a pipeline process: relay and/or consumers, reporting what they handle."""
    configure_logging(level="WARNING", fmt="json")
    _run(_pipeline_process(plane, config, consumers, relay, reports, stop))


async def _pipeline_process(
    plane: DataPlane,
    config: PipelineConfig,
    consumers: int,
    relay: bool,
    reports: multiprocessing.Queue[Any],
    process_stop: ProcessEvent,
) -> None:
    stop = asyncio.Event()
    batch: list[tuple[bytes, int, int]] = []

    def sink(event_id: uuid.UUID, sent_ns: int, at_ns: int) -> None:
        batch.append((event_id.bytes, sent_ns, at_ns))

    async def flush_until_stopped() -> None:
        while not stop.is_set():
            await asyncio.sleep(FLUSH_SECONDS)
            if process_stop.is_set():
                stop.set()
            if batch:
                reports.put(("handled", batch.copy()))
                batch.clear()

    flusher = asyncio.create_task(flush_until_stopped())
    try:
        await run_pipeline(
            plane,
            config,
            sink,
            stop,
            lambda: reports.put(("ready", os.getpid())),
            consumers=consumers,
            relay=relay,
        )
    finally:
        stop.set()
        await flusher
        if batch:
            reports.put(("handled", batch))
        reports.put(("stopped", os.getpid()))


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if index < total % parts else 0) for index in range(parts)]


@contextlib.asynccontextmanager
async def running_pipeline(
    plane: DataPlane, config: PipelineConfig, recorder: Recorder, processes: int
) -> AsyncIterator[tuple[int, ...]]:
    """Relay and consumers, here (processes=0) or in that many processes; yields their pids."""
    if processes == 0:
        stop = asyncio.Event()
        started = asyncio.Event()
        task = asyncio.create_task(
            run_pipeline(plane, config, recorder.on_handled, stop, started.set)
        )
        try:
            await _until_started(started, task)
            yield ()
        finally:
            stop.set()
            async with asyncio.timeout(STOP_TIMEOUT_SECONDS):
                await task
        return

    context = multiprocessing.get_context("spawn")
    reports: multiprocessing.Queue[Any] = context.Queue()
    process_stop = context.Event()
    children: list[BaseProcess] = []
    # The relay goes with the first process's consumers; consumers are spread evenly.
    for index, consumers in enumerate(_split(config.consumers, processes)):
        child = context.Process(
            target=pipeline_process,
            args=(plane, config, consumers, index == 0, reports, process_stop),
            name=f"bench-pipeline-{index}",
            daemon=True,
        )
        child.start()
        children.append(child)
    waiting = {child.pid for child in children}
    stopped: set[int] = set()
    started = asyncio.Event()  # every process is ready, or one has exited

    def take(block_seconds: float) -> list[tuple[str, Any]]:
        """Reports in the queue, blocking up to `block_seconds` for the first one."""
        messages: list[tuple[str, Any]] = []
        with contextlib.suppress(queue.Empty):
            messages.append(reports.get(timeout=block_seconds))
            while True:
                messages.append(reports.get_nowait())
        return messages

    def apply(messages: list[tuple[str, Any]]) -> None:
        for kind, value in messages:
            if kind == "handled":
                for raw_id, sent_ns, at_ns in value:
                    recorder.on_handled(uuid.UUID(bytes=raw_id), sent_ns, at_ns)
            elif kind == "ready":
                waiting.discard(value)
            elif kind == "stopped":
                stopped.add(value)
        if not waiting:
            started.set()

    async def pump() -> None:
        # Every process reports "stopped" after its last "handled": the queue keeps the order.
        while len(stopped) < len(children):
            # The blocking get runs in a thread; the recorder is only touched on the loop.
            apply(await asyncio.to_thread(take, 0.05))
            if any(not c.is_alive() and c.pid not in stopped for c in children):
                apply(await asyncio.to_thread(take, 0.05))
                started.set()  # wakes the start-up wait, which then sees who is missing
                if len(stopped) < len(children):
                    console.print("\n  a pipeline process exited unexpectedly")
                    return

    pumping = asyncio.create_task(pump())
    try:
        async with asyncio.timeout(PROCESS_START_TIMEOUT_SECONDS):
            await started.wait()
        if waiting:
            raise RuntimeError("a pipeline process exited before it was ready")
        yield tuple(child.pid for child in children if child.pid is not None)
    finally:
        process_stop.set()
        try:
            async with asyncio.timeout(STOP_TIMEOUT_SECONDS):
                await pumping
        except TimeoutError:
            console.print("\n  pipeline processes did not stop in time; killing them")
        for process in children:
            process.join(STOP_TIMEOUT_SECONDS)
            if process.is_alive():
                process.kill()
                process.join(STOP_TIMEOUT_SECONDS)
        reports.close()
        reports.join_thread()


async def _until_started(started: asyncio.Event, task: asyncio.Task[None]) -> None:
    waiter = asyncio.create_task(started.wait())
    try:
        done, _ = await asyncio.wait(
            {waiter, task},
            timeout=PROCESS_START_TIMEOUT_SECONDS,
            return_when=asyncio.FIRST_COMPLETED,
        )
    finally:
        waiter.cancel()
    if task in done:
        task.result()  # raises what stopped the pipeline
        raise RuntimeError("the pipeline stopped before it started")
    if waiter not in done:
        raise RuntimeError("the pipeline did not start in time")


# --- Writers -----------------------------------------------------------------------------------


@dataclass
class Writers:
    """Emit bench events, each in its own committed tenant transaction, round-robin over orgs."""

    engine: AsyncEngine
    orgs: tuple[uuid.UUID, ...]
    recorder: Recorder
    numbers: itertools.count[int] = field(default_factory=itertools.count)

    async def emit_one(self) -> uuid.UUID:
        return (await self.emit_together(1))[0]

    async def emit_together(self, count: int) -> list[uuid.UUID]:
        """`count` events of one org in one committed transaction."""
        number = next(self.numbers)
        org = self.orgs[number % len(self.orgs)]
        sent_ns = time.monotonic_ns()
        events = [
            new_event(
                BenchTick(sent_ns=sent_ns, seq=number * 1000 + index),
                org_id=org,
                actor=ACTOR,
                source="bench",
            )
            for index in range(count)
        ]
        async with tenant_transaction(self.engine, org) as tx:
            for event in events:
                await emit(tx, event)
        committed_ns = time.monotonic_ns()
        for event in events:
            self.recorder.on_committed(event.id, committed_ns)
        return [event.id for event in events]


# --- Figures -----------------------------------------------------------------------------------


@dataclass
class Figure:
    name: str
    count: int  # events, rows or entries
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)  # cores used, by process group
    # "throughput", "drain", "paced", "detail" (same events) or "baseline"
    kind: str = "detail"

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds > 0 else math.nan

    @property
    def cpu_ms_each(self) -> float:
        """CPU of this benchmark, PostgreSQL and Redis per event (row, entry), in ms."""
        ours = sum(self.cpu.get(group, 0.0) for group in OUR_GROUPS)
        return ours / self.rate * 1000 if self.cpu and self.rate else math.nan

    def percentile_ms(self, q: float) -> float:
        """Nearest-rank percentile of the recorded latencies."""
        if not self.latencies_ms:
            return math.nan
        ordered = sorted(self.latencies_ms)
        return ordered[max(math.ceil(q * len(ordered)) - 1, 0)]


def _ms(start_ns: int, end_ns: int) -> float:
    return (end_ns - start_ns) / 1_000_000


# --- The end-to-end scenarios ------------------------------------------------------------------


async def measure_throughput(
    writers: Writers, cpu: CpuGroups, *, events: int, concurrency: int, per_tx: int = 1
) -> tuple[Figure, str]:
    """`events` emitted by `concurrency` writers as fast as they go, until all are handled.

    Each writer's transaction emits `per_tx` events of one org (1: a request that changes one
    thing; more: an import, or a use case that emits several events).
    """
    recorder = writers.recorder
    ids: list[uuid.UUID] = []
    budget = iter(range(0, events, per_tx))

    async def writer() -> None:
        for first in budget:  # shared: the writers take numbers until none are left
            ids.extend(await writers.emit_together(min(per_tx, events - first)))

    before = cpu.sample()
    start = time.monotonic_ns()
    await asyncio.gather(*(writer() for _ in range(min(concurrency, events))))
    emitted = time.monotonic_ns()
    await recorder.wait_handled(ids)
    finished = time.monotonic_ns()
    end = max(recorder.handled[event_id] for event_id in ids)
    backlog = sum(1 for event_id in ids if recorder.handled[event_id] > emitted)
    unit = "1 event" if per_tx == 1 else f"{per_tx} events"
    figure = Figure(
        name=f"e2e, {concurrency} writers flat out, {unit} per transaction",
        count=events,
        seconds=(end - start) / NS,
        latencies_ms=[_ms(recorder.committed[i], recorder.handled[i]) for i in ids],
        cpu=cores_used(before, cpu.sample(), (finished - start) / NS),
        kind="throughput",
    )
    note = (
        f"{unit} per transaction: writers alone committed "
        f"{events / ((emitted - start) / NS):,.0f} events/s; "
        f"{backlog:,} were still unhandled when the last emit committed"
    )
    return figure, note


async def measure_drain(
    writers: Writers,
    plane: DataPlane,
    config: PipelineConfig,
    *,
    events: int,
    per_tx: int,
    concurrency: int,
    processes: int,
) -> Figure:
    """The spine alone: `events` committed while no relay or consumer runs, then drained.

    Timed from the first receipt commit to the last, so neither the writers nor the
    pipeline processes' start-up are in the figure; the CPU is sampled from the moment the
    pipeline reports ready.
    """
    recorder = writers.recorder
    ids: list[uuid.UUID] = []
    budget = iter(range(0, events, per_tx))

    async def writer() -> None:
        for first in budget:
            ids.extend(await writers.emit_together(min(per_tx, events - first)))

    await asyncio.gather(*(writer() for _ in range(min(concurrency, events))))
    async with running_pipeline(plane, config, recorder, processes) as pids:
        cpu = find_cpu_groups(plane)
        cpu = CpuGroups(cpu.postmaster, cpu.redis, pids)
        before = cpu.sample()
        ready = time.monotonic_ns()
        await recorder.wait_handled(ids)
        finished = time.monotonic_ns()
        cores = cores_used(before, cpu.sample(), (finished - ready) / NS)
    first = min(recorder.handled[event_id] for event_id in ids)
    last = max(recorder.handled[event_id] for event_id in ids)
    return Figure(
        name=f"spine alone: drain {events:,} committed events",
        count=events,
        seconds=(last - first) / NS,
        cpu=cores,
        kind="drain",
    )


async def measure_paced(
    writers: Writers, cpu: CpuGroups, *, rate: float, seconds: float, concurrency: int
) -> list[Figure]:
    """Open loop: emit i starts at start + i/rate whatever earlier emits are doing."""
    recorder = writers.recorder
    total = max(1, round(rate * seconds))
    interval_ns = NS / rate
    ids: list[uuid.UUID] = []
    scheduled: dict[uuid.UUID, int] = {}
    in_flight: set[asyncio.Task[None]] = set()
    failures: list[BaseException] = []

    # As many emits at a time as in the flat-out run (the pool size): a late one waits here,
    # not in the pool, whose checkout times out after 10 s.
    slots = asyncio.Semaphore(concurrency)

    async def one(at_ns: int) -> None:
        async with slots:
            event_id = await writers.emit_one()
        ids.append(event_id)
        scheduled[event_id] = at_ns

    def done(task: asyncio.Task[None]) -> None:
        in_flight.discard(task)
        problem = None if task.cancelled() else task.exception()
        if problem is not None:
            failures.append(problem)

    before = cpu.sample()
    start = time.monotonic_ns()
    for number in range(total):
        at_ns = start + round(number * interval_ns)
        delay = at_ns - time.monotonic_ns()
        if delay > 0:
            await asyncio.sleep(delay / NS)
        while len(in_flight) >= MAX_IN_FLIGHT_EMITS:  # bounded; never reached at sane rates
            await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
        task = asyncio.create_task(one(at_ns))
        in_flight.add(task)
        task.add_done_callback(done)
    if in_flight:
        await asyncio.wait(set(in_flight))
    if failures:
        raise failures[0]
    await recorder.wait_handled(ids)
    finished = time.monotonic_ns()
    end = max(recorder.handled[event_id] for event_id in ids)
    cores = cores_used(before, cpu.sample(), (finished - start) / NS)
    return [
        Figure(
            name=f"e2e @ {rate:,.0f}/s: emit commit -> receipt commit",
            count=total,
            seconds=(end - start) / NS,
            latencies_ms=[_ms(recorder.committed[i], recorder.handled[i]) for i in ids],
            cpu=cores,
            kind="paced",
        ),
        Figure(
            name="  same events: scheduled -> receipt commit",
            count=total,
            seconds=(end - start) / NS,
            latencies_ms=[_ms(scheduled[i], recorder.handled[i]) for i in ids],
        ),
        Figure(
            name="  same events: scheduled -> emit commit",
            count=total,
            seconds=(max(recorder.committed[i] for i in ids) - start) / NS,
            latencies_ms=[_ms(scheduled[i], recorder.committed[i]) for i in ids],
        ),
    ]


# --- Baselines ---------------------------------------------------------------------------------

# One operation of a baseline; returns how many rows or entries it wrote.
Operation = Callable[[], Awaitable[int]]


async def measure_window(
    name: str, operations: list[Operation], cpu: CpuGroups, *, warmup: float, seconds: float
) -> Figure:
    """Run each operation in its own loop; count what completes inside the measured window."""
    latencies: list[float] = []
    counted = [0]
    begin = time.monotonic()
    window_start, window_end = begin + warmup, begin + warmup + seconds

    async def loop(operation: Operation) -> None:
        while time.monotonic() < window_end:
            started = time.monotonic_ns()
            written = await operation()
            finished = time.monotonic_ns()
            if window_start <= finished / NS < window_end:
                counted[0] += written
                latencies.append(_ms(started, finished))

    tasks = [asyncio.create_task(loop(operation)) for operation in operations]
    try:
        await asyncio.sleep(max(window_start - time.monotonic(), 0))
        before = cpu.sample()
        await asyncio.sleep(max(window_end - time.monotonic(), 0))
        after = cpu.sample()
        async with asyncio.timeout(STOP_TIMEOUT_SECONDS):
            await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return Figure(
        name=name,
        count=counted[0],
        seconds=seconds,
        latencies_ms=latencies,
        cpu=cores_used(before, after, seconds),
        kind="baseline",
    )


async def baseline_psycopg(
    plane: DataPlane, cpu: CpuGroups, *, connections: int, warmup: float, seconds: float
) -> Figure:
    """INSERT one row + COMMIT per operation, raw psycopg (it sends BEGIN first)."""
    async with contextlib.AsyncExitStack() as stack:
        conns = [
            await stack.enter_async_context(
                await psycopg.AsyncConnection.connect(libpq_uri(plane.app_url))
            )
            for _ in range(connections)
        ]

        def operation(conn: psycopg.AsyncConnection[Any]) -> Operation:
            async def insert() -> int:
                await conn.execute(_INSERT_ROW_SQL, (uuid.uuid4(), ROW_BODY))
                await conn.commit()
                return 1

            return insert

        return await measure_window(
            f"PG INSERT+COMMIT, psycopg, {connections} conns",
            [operation(conn) for conn in conns],
            cpu,
            warmup=warmup,
            seconds=seconds,
        )


async def baseline_sqlalchemy(
    plane: DataPlane, cpu: CpuGroups, *, connections: int, warmup: float, seconds: float
) -> Figure:
    """The same INSERT+COMMIT through the kernel's engine (SQLAlchemy Core, pooled)."""
    engine = create_engine(plane.app_url, pool_size=connections, application_name="bench-rows")
    try:
        await _warm_pool(engine, connections)

        async def insert() -> int:
            async with engine.begin() as conn:
                await conn.execute(_INSERT_ROW, {"id": uuid.uuid4(), "body": ROW_BODY})
            return 1

        return await measure_window(
            f"PG INSERT+COMMIT, SQLAlchemy, {connections} conns",
            [insert] * connections,
            cpu,
            warmup=warmup,
            seconds=seconds,
        )
    finally:
        await engine.dispose()


def sample_entry() -> dict[str, str]:
    """A stream entry the size of the relay's: the same fields, a real bench envelope."""
    event = new_event(
        BenchTick(sent_ns=time.monotonic_ns(), seq=0),
        org_id=uuid.uuid4(),
        actor=ACTOR,
        source="bench",
    )
    return stream_fields(event, org_seq=1)


async def baseline_xadd(
    plane: DataPlane,
    cpu: CpuGroups,
    *,
    clients: int,
    pipeline: int,
    warmup: float,
    seconds: float,
) -> Figure:
    """XADD of relay-sized entries: `clients` concurrent loops of `pipeline` XADDs per trip."""
    redis = Redis.from_url(plane.redis_url, socket_timeout=5, socket_connect_timeout=2)
    stream = f"bench:xadd:{secrets.token_hex(4)}"
    entry: dict[Any, Any] = sample_entry()
    try:

        async def one() -> int:
            await redis.xadd(stream, entry, maxlen=100_000, approximate=True)
            return 1

        async def batch() -> int:
            async with redis.pipeline(transaction=False) as pipe:
                for _ in range(pipeline):
                    pipe.xadd(stream, entry, maxlen=100_000, approximate=True)
                await pipe.execute()
            return pipeline

        how = "" if pipeline == 1 else f" x{pipeline} pipelined"
        return await measure_window(
            f"Redis XADD{how}, {clients} client{'s' if clients > 1 else ''}",
            [one if pipeline == 1 else batch] * clients,
            cpu,
            warmup=warmup,
            seconds=seconds,
        )
    finally:
        await redis.delete(stream)
        await redis.aclose()


# --- Correctness -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def verify(plane: DataPlane, config: PipelineConfig, recorder: Recorder) -> list[Check]:
    """Every emitted event handled exactly once: in PostgreSQL, in Redis and as measured."""
    with psycopg.connect(libpq_uri(plane.admin_url), autocommit=True) as conn:

        def one(query: str, *params: Any) -> tuple[Any, ...]:
            row = conn.execute(query, params).fetchone()
            assert row is not None
            return tuple(row)

        (stored,) = one("select count(*) from system_events where type = %s", EVENT_TYPE)
        receipts, receipt_ids = one(
            "select count(*), count(distinct event_id) from event_receipts where consumer = %s",
            config.group,
        )
        effects, effect_ids = one("select count(*), count(distinct event_id) from bench_ticks")
        (unhandled,) = one(
            "select count(*) from system_events e where e.type = %s and not exists "
            "(select from bench_ticks t where t.event_id = e.id)",
            EVENT_TYPE,
        )
        (dead,) = one("select count(*) from dead_letters where consumer = %s", config.group)
    emitted = len(recorder.committed)
    pending = _pending_entries(plane, config)
    measured = set(recorder.handled)
    return [
        Check(
            "events stored",
            stored == emitted,
            f"{stored:,} in system_events, {emitted:,} emits committed",
        ),
        Check(
            "receipts",
            receipts == receipt_ids == emitted,
            f"{receipts:,} rows, {receipt_ids:,} distinct events",
        ),
        Check(
            "handler effects",
            effects == effect_ids == emitted and unhandled == 0,
            f"{effects:,} rows, {effect_ids:,} distinct events, {unhandled:,} events without one",
        ),
        Check(
            "measured",
            measured == set(recorder.committed) and recorder.duplicates == 0,
            f"{len(measured):,} receipt commits seen, {recorder.duplicates:,} repeats",
        ),
        Check("dead letters", dead == 0, f"{dead:,}"),
        Check("entries left unacknowledged", pending == 0, f"{pending:,}"),
    ]


def _pending_entries(plane: DataPlane, config: PipelineConfig) -> int:
    import redis

    client = redis.Redis.from_url(plane.redis_url)
    try:
        summary: Any = client.xpending(config.stream, config.group)
        return int(summary["pending"])
    finally:
        client.close()


# --- Profile -----------------------------------------------------------------------------------

_PACKAGES = (
    "sqlalchemy",
    "psycopg",
    "psycopg_pool",
    "pydantic",
    "pydantic_core",
    "redis",
    "structlog",
    "uvloop",
    "xentri",
)


def _package(filename: str) -> str:
    parts = Path(filename).parts
    for name in _PACKAGES:
        if name in parts:
            return name
    if filename.startswith("<") or filename == "~":
        return "builtins / C code"
    if "asyncio" in parts:
        return "asyncio"
    if filename == str(Path(__file__)):
        return "bench script"
    return "other stdlib / other"


def profile_summary(profile: cProfile.Profile, *, top: int) -> str:
    """Own time by package, then the functions with the most own time."""
    stats = pstats.Stats(profile)
    raw: dict[tuple[str, int, str], tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]
    by_package: defaultdict[str, float] = defaultdict(float)
    total = 0.0
    for (filename, _line, _name), (_cc, _nc, own, _cum, _callers) in raw.items():
        by_package[_package(filename)] += own
        total += own
    lines = [f"own time by package (total {total:.2f} s of profiled CPU):"]
    for name, own in sorted(by_package.items(), key=lambda item: -item[1]):
        lines.append(f"  {own / total:6.1%}  {name}")
    buffer = io.StringIO()
    pstats.Stats(profile, stream=buffer).sort_stats("tottime").print_stats(top)
    lines.append("")
    lines.append(f"top {top} functions by own time:")
    body = buffer.getvalue()
    lines.extend(body[body.find("   ncalls") :].rstrip().splitlines())
    return "\n".join(lines)


# --- The run -----------------------------------------------------------------------------------


@dataclass
class Benchmark:
    plane: DataPlane
    args: argparse.Namespace
    config: PipelineConfig
    recorder: Recorder = field(default_factory=Recorder)
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    profile: str = ""

    async def run(self) -> None:
        args = self.args
        cpu = find_cpu_groups(self.plane)
        orgs = tuple(uuid.uuid4() for _ in range(args.orgs))
        engine = create_engine(
            self.plane.app_url, pool_size=args.writers, application_name="bench-writers"
        )
        try:
            await _warm_pool(engine, args.writers)
            writers = Writers(engine, orgs, self.recorder)
            async with running_pipeline(
                self.plane, self.config, self.recorder, args.processes
            ) as pids:
                cpu = CpuGroups(cpu.postmaster, cpu.redis, pids)
                where = f"{len(pids)} process(es)" if pids else "this process"
                console.print(f"  pipeline: relay + {self.config.consumers} consumers in {where}")
                console.print(f"  warm-up : {args.warmup_events:,} events ...", end="")
                await measure_throughput(
                    writers, cpu, events=args.warmup_events, concurrency=args.writers
                )
                console.print(" done")
                console.print(f"  flat out: {args.events:,} events ...", end="")
                figure, note = await measure_throughput(
                    writers, cpu, events=args.events, concurrency=args.writers
                )
                self.figures.append(figure)
                self.notes.append(note)
                console.print(f" {figure.rate:,.0f}/s")
                if args.events_per_tx > 1:
                    console.print(
                        f"  flat out: {args.events:,} events, {args.events_per_tx} per "
                        "transaction ...",
                        end="",
                    )
                    figure, note = await measure_throughput(
                        writers,
                        cpu,
                        events=args.events,
                        concurrency=args.writers,
                        per_tx=args.events_per_tx,
                    )
                    self.figures.append(figure)
                    self.notes.append(note)
                    console.print(f" {figure.rate:,.0f}/s")
                console.print(
                    f"  paced   : {args.rate:,.0f} events/s for {args.seconds:g} s ...", end=""
                )
                paced = await measure_paced(
                    writers, cpu, rate=args.rate, seconds=args.seconds, concurrency=args.writers
                )
                self.figures.extend(paced)
                console.print(f" p95 {paced[0].percentile_ms(0.95):.1f} ms")
            console.print(f"  drain   : {args.events:,} events committed, then relayed ...", end="")
            drain = await measure_drain(
                writers,
                self.plane,
                self.config,
                events=args.events,
                per_tx=args.events_per_tx,
                concurrency=args.writers,
                processes=args.processes,
            )
            self.figures.append(drain)
            console.print(f" {drain.rate:,.0f}/s")
            if args.profile:
                await self._profile(writers)
        finally:
            await engine.dispose()
        await self._baselines(cpu)

    async def _profile(self, writers: Writers) -> None:
        """One more throughput run, relay and consumers in this process, under cProfile."""
        console.print(f"  profile : {self.args.profile_events:,} events in one process ...", end="")
        cpu = find_cpu_groups(self.plane)
        async with running_pipeline(self.plane, self.config, self.recorder, 0):
            profile = cProfile.Profile()
            profile.enable()
            try:
                figure, _ = await measure_throughput(
                    writers, cpu, events=self.args.profile_events, concurrency=self.args.writers
                )
            finally:
                profile.disable()
        console.print(f" {figure.rate:,.0f}/s under the profiler")
        self.profile = profile_summary(profile, top=25)

    async def _baselines(self, cpu: CpuGroups) -> None:
        args = self.args
        cpu = CpuGroups(cpu.postmaster, cpu.redis)
        timing = {"warmup": args.baseline_warmup, "seconds": args.baseline_seconds}
        console.print(
            f"  baselines: {args.baseline_warmup:g} s warm-up + {args.baseline_seconds:g} s each"
        )
        self.figures.append(
            await baseline_psycopg(self.plane, cpu, connections=args.writers, **timing)
        )
        self.figures.append(
            await baseline_sqlalchemy(self.plane, cpu, connections=args.writers, **timing)
        )
        self.figures.append(
            await baseline_xadd(self.plane, cpu, clients=args.writers, pipeline=1, **timing)
        )
        self.figures.append(
            await baseline_xadd(self.plane, cpu, clients=1, pipeline=args.xadd_pipeline, **timing)
        )


# --- Report ------------------------------------------------------------------------------------


def print_machine(args: argparse.Namespace) -> None:
    cpus = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    console.print("[bold]Xentri event-spine benchmark[/bold]")
    console.print(f"  machine : {platform.platform()}, {_cpu_model()}")
    console.print(f"  cpus    : {cpus} ({usable} usable by this process)")
    console.print(
        f"  python  : {platform.python_implementation()} {platform.python_version()}, "
        f"loop={_loop_name()}, SQLAlchemy {sqlalchemy.__version__}, psycopg {psycopg.__version__}"
    )
    console.print(
        f"  load    : {args.events:,} events by {args.writers} writers over {args.orgs} orgs; "
        f"then {args.rate:,.0f}/s for {args.seconds:g} s (paced, open loop)"
    )
    console.print(
        f"  knobs   : writer pool {args.writers}, {args.consumers} consumers (one group, pool "
        f"{args.consumers}), relay batch {args.relay_batch}, consumer batch "
        f"{args.consumer_batch}, relay poll {args.relay_poll:g} s + NOTIFY"
    )


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def _loop_name() -> str:
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return "asyncio"
    return "uvloop"


def _ms_text(value: float) -> str:
    return "" if math.isnan(value) else f"{value:.1f}"


def _cores(value: float | None) -> str:
    return "" if value is None or math.isnan(value) else f"{value:.0%}"


LEGEND = (
    "CPU: bench = this process (the writers; relay and consumers too with --processes 0), "
    "pipeline = the relay and consumer",
    "processes, other = the rest of the machine's busy time (other programs: noise). "
    "CPU ms each = (bench + pipeline + PG +",
    "Redis) / rate: the machine's CPU one event, row or entry costs. Scheduled = when the "
    "paced sender was due to start",
    "the emit. Flat-out latencies include queueing; a baseline's latency is that of one operation.",
)


def print_results(bench: Benchmark, checks: list[Check]) -> None:
    figures = bench.figures
    flat_out = [f for f in figures if f.kind == "throughput"]
    e2e = flat_out[0]
    paced = next(f for f in figures if f.kind == "paced")
    table = Table(
        title="Results: latencies in ms; CPU in cores used while measuring (100% = one core)",
        title_justify="left",
    )
    table.add_column("measurement", no_wrap=True)
    for name in ("count", "s", "per s", "p50", "p95", "p99", "e2e /\nthis", "CPU ms\neach"):
        table.add_column(name, justify="right", no_wrap=True)
    for name in ("bench", "pipeline", "PG", "Redis", "other"):
        table.add_column(f"CPU\n{name}", justify="right", no_wrap=True)
    for index, figure in enumerate(figures):
        if index and figure.kind == "baseline" and figures[index - 1].kind != "baseline":
            table.add_section()
        table.add_row(
            figure.name,
            f"{figure.count:,}",
            f"{figure.seconds:.2f}",
            f"{figure.rate:,.0f}",
            *(_ms_text(figure.percentile_ms(q)) for q in (0.50, 0.95, 0.99)),
            f"{e2e.rate / figure.rate:.3f}" if figure.kind == "baseline" else "",
            "" if math.isnan(figure.cpu_ms_each) else f"{figure.cpu_ms_each:.2f}",
            *(
                _cores(figure.cpu.get(group)) if figure.cpu.get(group) else ""
                for group in ("bench", "pipeline", "postgres", "redis", "other")
            ),
        )
    console.print()
    console.print(table)
    for line in LEGEND:
        console.print(f"  {line}")
    for note in bench.notes:
        console.print(f"  {note}")
    console.print()
    console.print("[bold]Ratios[/bold] (end-to-end events/s over the baseline's rows or entries/s)")
    for run in flat_out:
        console.print(f"  {run.name}:")
        for figure in figures:
            if figure.kind == "baseline":
                console.print(
                    f"    {run.rate:,.0f} / {figure.rate:,.0f} = {run.rate / figure.rate:.3f}x  "
                    f"{figure.name}"
                )
    console.print()
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    p95 = paced.percentile_ms(0.95)
    console.print(f"[bold]Targets[/bold] (set for a 2-core machine; this one has {cpus} usable)")
    for run in [*flat_out, *(f for f in figures if f.kind == "drain")]:
        console.print(
            f"  >= {TARGET_RATE:,.0f} events/s, {run.name}: {run.rate:,.0f} -> "
            f"{'met' if run.rate >= TARGET_RATE else 'MISSED'} "
            f"(2 cores at {TARGET_RATE:,.0f}/s leave {2000 / TARGET_RATE:.1f} ms of CPU per "
            f"event; this run used {run.cpu_ms_each:.1f} ms)"
        )
    at_target_rate = math.isclose(bench.args.rate, TARGET_OFFERED_RATE)
    console.print(
        f"  p95 < {TARGET_P95_MS:g} ms at {TARGET_OFFERED_RATE:g}/s: {p95:.1f} ms "
        f"at {bench.args.rate:g}/s -> "
        + (
            ("met" if p95 < TARGET_P95_MS else "MISSED")
            if at_target_rate
            else f"not judged (measured at {bench.args.rate:g}/s)"
        )
    )
    console.print()
    console.print("[bold]Correctness[/bold] (every emitted event handled exactly once)")
    for check in checks:
        console.print(f"  {'ok  ' if check.ok else 'FAIL'} {check.name}: {check.detail}")
    if bench.profile:
        console.print()
        console.print("[bold]Profile[/bold] (relay, consumers and writers in one process)")
        console.print(bench.profile, markup=False)


# --- Entry point -------------------------------------------------------------------------------


def _run(coroutine: Coroutine[Any, Any, None]) -> None:
    try:
        import uvloop
    except ImportError:
        asyncio.run(coroutine)
    else:
        uvloop.run(coroutine)


def _bounded(kind: type[int] | type[float], low: float, high: float) -> Callable[[str], Any]:
    def parse(value: str) -> Any:
        number = kind(value)
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"must be between {low:g} and {high:g}")
        return number

    return parse


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    add = parser.add_argument
    add("--events", type=_bounded(int, 1, MAX_EVENTS), default=20_000, help="throughput run")
    add("--writers", type=_bounded(int, 1, 48), default=32, help="concurrent emitters (+ pool)")
    add("--orgs", type=_bounded(int, 1, 10_000), default=20, help="emits go round-robin")
    add(
        "--events-per-tx",
        type=_bounded(int, 1, 1_000),
        default=10,
        help="a second flat-out run emits this many events per transaction (1: no second run)",
    )
    add("--consumers", type=_bounded(int, 1, 32), default=4, help="consumers of the one group")
    add(
        "--processes",
        type=_bounded(int, 0, 8),
        default=1,
        help="relay and consumers run in this many processes (0: in the writers' event loop)",
    )
    add("--relay-batch", type=_bounded(int, 1, 10_000), default=500)
    add("--consumer-batch", type=_bounded(int, 1, 10_000), default=100)
    add("--relay-poll", type=_bounded(float, 0.01, 60), default=1.0, help="seconds")
    add("--rate", type=_bounded(float, 1, 10_000), default=TARGET_OFFERED_RATE, help="events/s")
    add("--seconds", type=_bounded(float, 0.1, 600), default=10.0, help="of the paced run")
    add("--warmup-events", type=_bounded(int, 1, MAX_EVENTS), default=1_000)
    add("--baseline-seconds", type=_bounded(float, 0.1, 600), default=3.0)
    add("--baseline-warmup", type=_bounded(float, 0.0, 60), default=0.5)
    add("--xadd-pipeline", type=_bounded(int, 2, 10_000), default=100, help="XADDs per trip")
    add("--profile", action="store_true", help="also profile a run in one process (cProfile)")
    add("--profile-events", type=_bounded(int, 1, MAX_EVENTS), default=5_000)
    args = parser.parse_args(argv)
    if args.processes > args.consumers:
        parser.error("--processes must not exceed --consumers (each process runs consumers)")
    if args.rate * args.seconds > MAX_EVENTS:
        parser.error(f"--rate x --seconds must stay under {MAX_EVENTS:,} events")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    configure_logging(level="WARNING", fmt="json")
    print_machine(args)
    total = args.warmup_events + args.events + round(args.rate * args.seconds)
    total += args.events * (2 if args.events_per_tx > 1 else 1)  # and the drain run
    total += args.profile_events if args.profile else 0
    try:
        with contextlib.ExitStack() as stack:
            workdir = Path(
                stack.enter_context(tempfile.TemporaryDirectory(prefix="xentri-bench-events-"))
            )
            started = time.perf_counter()
            plane = start_data_plane(workdir, stack)
            console.print(f"  servers : {server_facts(plane)}; Redis on a Unix socket")
            config = PipelineConfig(
                stream=f"bench:events:{secrets.token_hex(4)}",
                group="bench-ticks",
                consumers=args.consumers,
                relay_batch=args.relay_batch,
                consumer_batch=args.consumer_batch,
                maxlen=max(100_000, 2 * total),  # nothing trimmed before it is consumed
                relay_poll_seconds=args.relay_poll,
            )
            bench = Benchmark(plane, args, config)
            _run(bench.run())
            checks = verify(plane, config, bench.recorder)
            console.print(f"  (total wall time {time.perf_counter() - started:.1f} s)")
            print_results(bench, checks)
    except KeyboardInterrupt:
        console.print("\ninterrupted; servers stopped")
        return 130
    return 0 if all(check.ok for check in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
