"""HTTP benchmark: Xentri's real app against a bare ASGI "hello", on throwaway servers.

Run from the project root:

    .venv/bin/python bench/http.py [--seconds 10] [--warmup 1] [--clients 50]

It starts an embedded PostgreSQL and Redis in a temporary folder (as the test fixture does),
serves the real app and a framework-free ASGI app with uvicorn, each in its own process, and
drives them from this process with a small keep-alive HTTP/1.1 client. It prints figures and
never judges them: timings depend on the machine, and the client shares its CPUs.
"""

# ruff: noqa: E402 - the sys.path fix below has to run before anything imports `http`.

from __future__ import annotations

import sys
from pathlib import Path

# `python bench/http.py` puts this folder first on sys.path, where this file would shadow the
# standard library's `http` package (uvicorn and psycopg import it): take the folder off.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != _HERE]

import argparse
import asyncio
import contextlib
import math
import multiprocessing
import os
import platform
import secrets
import socket
import tempfile
import time
import uuid
import warnings
from collections import Counter
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from typing import Annotated, Any

import psutil
import psycopg
import uvicorn
from fastapi import APIRouter, Request
from pydantic import BaseModel, Field, SecretStr
from rich.console import Console
from rich.table import Table
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import Receive, Scope, Send

from xentri.kernel.config import Settings
from xentri.kernel.db.migrate import migrate
from xentri.kernel.db.provision import provision
from xentri.kernel.db.roles import RoleLogin, RuntimeRoles
from xentri.kernel.db.urls import libpq_uri, with_role
from xentri.kernel.embedded.postgres import EmbeddedPostgres
from xentri.kernel.embedded.redis import EmbeddedRedis
from xentri.kernel.http.app import create_app
from xentri.kernel.logging import configure_logging

HOST = "127.0.0.1"
REQUEST_TIMEOUT_SECONDS = 10.0
CONNECT_TIMEOUT_SECONDS = 5.0
SERVER_START_TIMEOUT_SECONDS = 60.0
SERVER_STOP_TIMEOUT_SECONDS = 10.0
MAX_BODY_BYTES = 1024 * 1024
MAX_REQUESTS_PER_SCENARIO = 5_000_000
ITEMS_PATH = "/api/v1/bench/items"
ITEM_BODY = b'{"name":"bench item"}'
BASELINE = "bare ASGI GET /"
NEW_KEY_POST = "xentri POST items, new key"

# Rich falls back to 80 columns when piped; the results table needs more.
console = Console(highlight=False, width=None if sys.stdout.isatty() else 132)


# --- The mutating endpoint served by Xentri --------------------------------------------------

BENCH_TABLE = """
create table bench_items (
  id uuid primary key,
  name text not null,
  created_at timestamptz not null default now()
)
"""
_INSERT_ITEM = text("insert into bench_items (id, name) values (:id, :name)")

bench_router = APIRouter(prefix="/api/v1/bench", tags=["bench"])


class ItemIn(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=100)]


class ItemOut(BaseModel):
    id: uuid.UUID
    name: str


@bench_router.post("/items", status_code=201)
async def create_item(request: Request, item: ItemIn) -> ItemOut:
    """Insert one row as the runtime role: an idempotent POST here is a real write."""
    item_id = uuid.uuid4()
    engine: AsyncEngine = request.app.state.engine
    async with engine.begin() as conn:
        await conn.execute(_INSERT_ITEM, {"id": item_id, "name": item.name})
    return ItemOut(id=item_id, name=item.name)


# --- The baseline: a bare ASGI app -------------------------------------------------------------

_HELLO_BODY = b'{"status":"ok"}'
_HELLO_HEADERS = [
    (b"content-type", b"application/json"),
    (b"content-length", str(len(_HELLO_BODY)).encode()),
]


async def hello_app(scope: Scope, receive: Receive, send: Send) -> None:
    """200 {"status":"ok"} for every request: no framework, no middleware."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": _HELLO_HEADERS})
    await send({"type": "http.response.body", "body": _HELLO_BODY})


# --- Server processes --------------------------------------------------------------------------


@dataclass(frozen=True)
class XentriTarget:
    """What the Xentri server process needs to build its settings and app."""

    home: Path
    owner_url: str
    app_url: str
    app_role: str
    redis_url: str


def _uvicorn(app: Any, port: int) -> None:
    """The same uvicorn settings for both servers: one worker, no access log."""
    config = uvicorn.Config(
        app,
        host=HOST,
        port=port,
        workers=1,
        lifespan="on",
        log_config=None,
        access_log=False,
    )
    uvicorn.Server(config).run()


def serve_hello(port: int) -> None:
    configure_logging(level="WARNING", fmt="json")
    _uvicorn(hello_app, port)


def serve_xentri(target: XentriTarget, port: int) -> None:
    configure_logging(level="WARNING", fmt="json")
    settings = Settings(
        environment="test",
        home=target.home,
        secret_key=SecretStr(secrets.token_urlsafe(32)),
        database_url=target.owner_url,
        database_app_url=target.app_url,
        database_app_role=target.app_role,
        redis_url=target.redis_url,
        rate_limit_per_second=1_000_000,
    )
    app = create_app(
        settings,
        database_url=target.app_url,
        redis_url=target.redis_url,
        routers=(bench_router,),
    )
    _uvicorn(app, port)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class Server:
    name: str
    port: int
    process: BaseProcess


def spawn_server(
    stack: contextlib.ExitStack, name: str, target: Callable[..., None], *args: Any
) -> Server:
    """Start `target(*args, port)` in a fresh interpreter; stopped when `stack` closes."""
    port = _free_port()
    process = multiprocessing.get_context("spawn").Process(
        target=target, args=(*args, port), name=f"bench-{name}", daemon=True
    )
    process.start()
    stack.callback(_stop_process, process)
    return Server(name=name, port=port, process=process)


def _stop_process(process: BaseProcess) -> None:
    if process.is_alive():
        process.terminate()  # SIGTERM: uvicorn shuts down gracefully and runs the lifespan end
        process.join(SERVER_STOP_TIMEOUT_SECONDS)
    if process.is_alive():
        process.kill()
        process.join(SERVER_STOP_TIMEOUT_SECONDS)


async def wait_until_serving(server: Server, path: str) -> None:
    """Poll `path` until it answers 2xx; fail early if the process died."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT_SECONDS
    request = get_request(server.port, path)
    last_problem = "no answer"
    while time.monotonic() < deadline:
        if not server.process.is_alive():
            raise RuntimeError(
                f"{server.name} server exited with code {server.process.exitcode} at start"
            )
        try:
            status, _ = await fetch(server.port, request)
        except (OSError, asyncio.IncompleteReadError, ProtocolError, TimeoutError) as exc:
            last_problem = type(exc).__name__
        else:
            if 200 <= status < 300:
                return
            last_problem = f"HTTP {status}"
        await asyncio.sleep(0.1)
    raise RuntimeError(
        f"{server.name} server did not serve {path} within "
        f"{SERVER_START_TIMEOUT_SECONDS:g} s ({last_problem})"
    )


# --- Data plane --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataPlane:
    owner_url: str
    app_url: str
    app_role: str
    redis_url: str


def start_data_plane(workdir: Path, stack: contextlib.ExitStack) -> DataPlane:
    """Throwaway PostgreSQL and Redis, provisioned and migrated like the test fixture."""
    postgres = EmbeddedPostgres(workdir / "postgres")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        admin_url = postgres.start(throwaway=True)
    stack.callback(postgres.stop)
    redis_server = EmbeddedRedis(workdir / "redis")
    redis_url = redis_server.start(throwaway=True)
    stack.callback(redis_server.stop)

    owner_role, app_role = "xentri_bench_owner", "xentri_bench_app"
    owner_url = provision(
        admin_url,
        owner_role=owner_role,
        owner_password=secrets.token_hex(16),
        database="xentri_bench",
    )
    app_password = secrets.token_hex(16)
    roles = RuntimeRoles(
        app=RoleLogin(app_role, app_password),
        system=RoleLogin("xentri_bench_system", secrets.token_hex(16)),
    )
    migrate(owner_url, roles=roles)
    # Created by the owner: the runtime role gets its rights through default privileges.
    with psycopg.connect(libpq_uri(owner_url), autocommit=True) as conn:
        conn.execute(BENCH_TABLE)
    return DataPlane(
        owner_url=owner_url,
        app_url=with_role(owner_url, user=app_role, password=app_password),
        app_role=app_role,
        redis_url=redis_url,
    )


def count_items(owner_url: str) -> int:
    with psycopg.connect(libpq_uri(owner_url), autocommit=True) as conn:
        row = conn.execute("select count(*) from bench_items").fetchone()
    return int(row[0]) if row else 0


# --- The HTTP/1.1 client -----------------------------------------------------------------------


class ProtocolError(Exception):
    """A response this client does not understand, or one larger than it accepts."""


def get_request(port: int, path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n\r\n".encode()


def post_item_request(port: int, idempotency_key: str) -> bytes:
    head = (
        f"POST {ITEMS_PATH} HTTP/1.1\r\n"
        f"Host: {HOST}:{port}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(ITEM_BODY)}\r\n"
        f"Idempotency-Key: {idempotency_key}\r\n\r\n"
    )
    return head.encode() + ITEM_BODY


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """Read one response; return its status and its lower-cased head (status line + headers).

    The head is bounded by the reader's limit (64 KiB), the body by MAX_BODY_BYTES.
    """
    head = (await reader.readuntil(b"\r\n\r\n")).lower()
    if not head.startswith(b"http/1.1 "):
        raise ProtocolError(f"unexpected status line {head[:40]!r}")
    status = int(head[9:12])
    if status in (204, 304) or status < 200:
        return status, head
    start = head.find(b"\r\ncontent-length:")
    if start >= 0:
        start += len(b"\r\ncontent-length:")
        length = int(head[start : head.index(b"\r\n", start)])
        if length > MAX_BODY_BYTES:
            raise ProtocolError(f"response body of {length} bytes")
        await reader.readexactly(length)
    elif b"\r\ntransfer-encoding: chunked\r\n" in head:
        await _skip_chunked_body(reader)
    else:
        raise ProtocolError("response with neither Content-Length nor chunked encoding")
    return status, head


async def _skip_chunked_body(reader: asyncio.StreamReader) -> None:
    total = 0
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
        total += size
        if total > MAX_BODY_BYTES:
            raise ProtocolError(f"chunked response body over {MAX_BODY_BYTES} bytes")
        if size == 0:
            break
        await reader.readexactly(size + 2)  # the chunk and its CRLF
    while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers, then the blank line
        pass


async def fetch(port: int, request: bytes) -> tuple[int, bytes]:
    """One request on a connection of its own (set-up and checks, not load)."""
    async with asyncio.timeout(REQUEST_TIMEOUT_SECONDS):
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            writer.write(request)
            return await read_response(reader)
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


# --- Load generation ---------------------------------------------------------------------------

# (client index, request number) -> the raw request to send
RequestFactory = Callable[[int, int], bytes]
_TRANSPORT_ERRORS = (
    OSError,
    asyncio.IncompleteReadError,
    asyncio.LimitOverrunError,
    ProtocolError,
    ValueError,
    TimeoutError,
)


@dataclass(frozen=True)
class Scenario:
    name: str
    server: Server
    request: RequestFactory


@dataclass
class Result:
    scenario: str
    seconds: float
    latencies: list[float] = field(default_factory=list)  # of the 2xx responses, in seconds
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)  # transport errors, by type
    ok_including_warmup: int = 0
    client_cpu: float = 0.0  # cores used by this process while measuring
    server_cpu: float = 0.0  # cores used by the server process while measuring

    @property
    def requests(self) -> int:
        return sum(self.statuses.values()) + sum(self.failures.values())

    @property
    def errors(self) -> int:
        return self.requests - len(self.latencies)

    @property
    def rate(self) -> float:
        """2xx responses per second: a fast error is not throughput."""
        return len(self.latencies) / self.seconds

    def percentile_ms(self, q: float) -> float:
        """Nearest-rank percentile of the recorded latencies, in milliseconds."""
        if not self.latencies:
            return math.nan
        ordered = sorted(self.latencies)
        return ordered[max(math.ceil(q * len(ordered)) - 1, 0)] * 1000


@dataclass(frozen=True)
class Window:
    """Requests that complete inside [start, end) count; the ones before are the warm-up."""

    start: float
    end: float


async def _client(scenario: Scenario, index: int, window: Window, result: Result) -> None:
    port = scenario.server.port
    connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    sequence = 0
    try:
        while time.perf_counter() < window.end and sequence < MAX_REQUESTS_PER_SCENARIO:
            request = scenario.request(index, sequence)
            sequence += 1
            started = time.perf_counter()
            failure = ""
            try:
                async with asyncio.timeout(REQUEST_TIMEOUT_SECONDS):
                    if connection is None:
                        connection = await asyncio.open_connection(HOST, port)
                    connection[1].write(request)
                    status, head = await read_response(connection[0])
                keep_alive = b"\r\nconnection: close" not in head
            except _TRANSPORT_ERRORS as exc:
                status, keep_alive = 0, False
                failure = type(exc).__name__
            finished = time.perf_counter()
            if 200 <= status < 300:
                result.ok_including_warmup += 1
            if window.start <= finished < window.end:
                if 200 <= status < 300:
                    result.latencies.append(finished - started)
                if status:
                    result.statuses[status] += 1
                else:
                    result.failures[failure] += 1
            if not keep_alive and connection is not None:
                connection[1].close()
                connection = None
            if status == 0:
                await asyncio.sleep(0.05)  # a refused connection must not spin the loop
    finally:
        if connection is not None:
            connection[1].close()


async def run_scenario(
    scenario: Scenario, *, clients: int, warmup: float, seconds: float
) -> Result:
    console.print(f"  {scenario.name} ...", end="")
    result = Result(scenario=scenario.name, seconds=seconds)
    begin = time.perf_counter()
    window = Window(start=begin + warmup, end=begin + warmup + seconds)
    tasks = [
        asyncio.create_task(_client(scenario, index, window, result)) for index in range(clients)
    ]
    server = psutil.Process(scenario.server.process.pid)
    await asyncio.sleep(max(window.start - time.perf_counter(), 0))
    client_before, server_before = time.process_time(), _cpu_seconds(server)
    await asyncio.sleep(max(window.end - time.perf_counter(), 0))
    client_after, server_after = time.process_time(), _cpu_seconds(server)
    async with asyncio.timeout(seconds + REQUEST_TIMEOUT_SECONDS + CONNECT_TIMEOUT_SECONDS):
        await asyncio.gather(*tasks)
    result.client_cpu = (client_after - client_before) / seconds
    result.server_cpu = (server_after - server_before) / seconds
    console.print(f" {result.requests:,} requests")
    return result


def _cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


@dataclass
class Benchmark:
    hello: Server
    xentri: Server
    clients: int
    warmup: float
    seconds: float
    run_id: str = field(default_factory=lambda: secrets.token_hex(4))
    results: list[Result] = field(default_factory=list)

    async def run(self) -> None:
        await asyncio.gather(
            wait_until_serving(self.hello, "/"),
            wait_until_serving(self.xentri, "/health/ready"),
        )
        hello = get_request(self.hello.port, "/")
        ready = get_request(self.xentri.port, "/health/ready")
        replay = await self._used_key_request()
        scenarios = [
            Scenario(BASELINE, self.hello, lambda _c, _n: hello),
            Scenario("xentri GET /health/ready", self.xentri, lambda _c, _n: ready),
            Scenario(NEW_KEY_POST, self.xentri, self._new_key_request),
            Scenario("xentri POST items, used key", self.xentri, lambda _c, _n: replay),
        ]
        console.print(
            f"Running {len(scenarios)} scenarios: {self.clients} clients, "
            f"{self.warmup:g} s warm-up + {self.seconds:g} s measured each"
        )
        for scenario in scenarios:
            self.results.append(
                await run_scenario(
                    scenario, clients=self.clients, warmup=self.warmup, seconds=self.seconds
                )
            )

    def _new_key_request(self, client: int, number: int) -> bytes:
        return post_item_request(self.xentri.port, f"bench-{self.run_id}-{client}-{number}")

    async def _used_key_request(self) -> bytes:
        """A POST whose key is already stored: it must come back as a replay, not a write."""
        request = post_item_request(self.xentri.port, f"bench-{self.run_id}-replayed")
        for expect_replay in (False, True):
            status, head = await fetch(self.xentri.port, request)
            replayed = b"\r\nidempotent-replayed: true" in head
            if status != 201 or replayed != expect_replay:
                raise RuntimeError(
                    f"seeding the replayed key: HTTP {status}, replayed={replayed}, "
                    f"expected 201, replayed={expect_replay}"
                )
        return request


# --- Report ------------------------------------------------------------------------------------


def print_machine(args: argparse.Namespace) -> None:
    cpus = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    console.print("[bold]Xentri HTTP benchmark[/bold]")
    console.print(f"  machine : {platform.platform()}, {_cpu_model()}")
    console.print(f"  cpus    : {cpus} ({usable} usable by this process)")
    console.print(f"  python  : {platform.python_implementation()} {platform.python_version()}")
    console.print(
        f"  uvicorn : {uvicorn.__version__}, 1 worker per server, loop={_loop_name()}; "
        "client, servers, PostgreSQL and Redis share the CPUs"
    )
    console.print(
        f"  load    : {args.clients} keep-alive HTTP/1.1 clients on {HOST}, "
        f"{args.warmup:g} s warm-up, {args.seconds:g} s per scenario"
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


def print_results(results: list[Result], *, expected_rows: int, rows: int) -> None:
    baseline = next((r.rate for r in results if r.scenario == BASELINE and r.rate), math.nan)
    table = Table(title="Results (latency of 2xx responses, at the client)", title_justify="left")
    table.add_column("scenario", no_wrap=True)
    for name in ("requests", "errors", "2xx/s", "p50 ms", "p95 ms", "p99 ms", "vs bare"):
        table.add_column(name, justify="right")
    table.add_column("client CPU", justify="right")
    table.add_column("server CPU", justify="right")
    for result in results:
        table.add_row(
            result.scenario,
            f"{result.requests:,}",
            f"{result.errors:,}",
            f"{result.rate:,.0f}",
            f"{result.percentile_ms(0.50):.2f}",
            f"{result.percentile_ms(0.95):.2f}",
            f"{result.percentile_ms(0.99):.2f}",
            f"{result.rate / baseline:.2f}x",
            f"{result.client_cpu:.0%}",
            f"{result.server_cpu:.0%}",
        )
    console.print()
    console.print(table)
    console.print(
        "  CPU columns: cores used while measuring (100% = one core); server CPU excludes "
        "PostgreSQL and Redis."
    )
    for result in results:
        if result.errors:
            details = [
                f"HTTP {s} x{n}" for s, n in sorted(result.statuses.items()) if not 200 <= s < 300
            ]
            details += [f"{name} x{n}" for name, n in result.failures.most_common()]
            console.print(f"  errors in {result.scenario}: {', '.join(details)}")
    verdict = "as expected" if rows == expected_rows else "MISMATCH"
    console.print(
        f"  bench_items rows: {rows:,} (expected {expected_rows:,}: one per first-time POST "
        f"incl. warm-up, none per replay) - {verdict}"
    )


# --- Entry point -------------------------------------------------------------------------------


def _run(coroutine: Coroutine[Any, Any, None]) -> None:
    try:
        import uvloop
    except ImportError:
        asyncio.run(coroutine)
    else:
        uvloop.run(coroutine)


def _positive(value: str) -> float:
    number = float(value)
    if not 0 < number <= 3600:
        raise argparse.ArgumentTypeError("must be > 0 and <= 3600")
    return number


def _clients(value: str) -> int:
    number = int(value)
    if not 1 <= number <= 1000:
        raise argparse.ArgumentTypeError("must be between 1 and 1000")
    return number


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=_positive, default=10.0, help="measured per scenario")
    parser.add_argument("--warmup", type=_positive, default=1.0, help="not counted, per scenario")
    parser.add_argument("--clients", type=_clients, default=50, help="concurrent connections")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print_machine(args)
    try:
        with contextlib.ExitStack() as stack:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="xentri-bench-")))
            started = time.perf_counter()
            data = start_data_plane(workdir, stack)
            hello = spawn_server(stack, "hello", serve_hello)
            target = XentriTarget(
                home=workdir / "home",
                owner_url=data.owner_url,
                app_url=data.app_url,
                app_role=data.app_role,
                redis_url=data.redis_url,
            )
            xentri = spawn_server(stack, "xentri", serve_xentri, target)
            bench = Benchmark(
                hello, xentri, clients=args.clients, warmup=args.warmup, seconds=args.seconds
            )
            console.print(f"  setup   : PostgreSQL + Redis provisioned in {workdir}")
            _run(bench.run())
            console.print(f"  (total wall time {time.perf_counter() - started:.1f} s)")
            new_key = next(r for r in bench.results if r.scenario == NEW_KEY_POST)
            print_results(
                bench.results,
                expected_rows=1 + new_key.ok_including_warmup,  # 1: the replayed key's seed
                rows=count_items(data.owner_url),
            )
    except KeyboardInterrupt:
        console.print("\ninterrupted; servers stopped")
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
