"""`xentri serve` on the embedded default: real PostgreSQL and Redis, clean stop, crash recovery."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import psycopg
import pytest
import redis

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Serve:
    def __init__(self, home: Path) -> None:
        self.home = home
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("XENTRI_")}
        env.update(XENTRI_HOME=str(self.home), XENTRI_PORT=str(self.port), XENTRI_LOG_FORMAT="json")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "xentri.cli", "serve"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(self.home.parent / "serve.log").open("ab"),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (self.home.parent / "serve.log").read_text()
            try:
                response = httpx.get(f"http://127.0.0.1:{self.port}/health/ready", timeout=2)
                if response.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError("xentri serve did not become ready in 60 s")

    def send(self, sig: int) -> int:
        assert self.process is not None
        self.process.send_signal(sig)
        return self.process.wait(timeout=30)

    def ensure_stopped(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def postgres_pid(home: Path) -> int | None:
    pidfile = home / "postgres" / "postmaster.pid"
    return int(pidfile.read_text().splitlines()[0]) if pidfile.exists() else None


def redis_pid(home: Path) -> int | None:
    pidfile = home / "redis" / "redis.pid"
    return int(pidfile.read_text().strip()) if pidfile.exists() else None


def is_running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def superuser_conn(home: Path) -> psycopg.Connection:
    return psycopg.connect(
        dbname="xentri", user="postgres", host=str(home / "postgres"), autocommit=True
    )


@pytest.fixture
def serve(tmp_path: Path):
    instance = Serve(tmp_path / "home")
    yield instance
    instance.ensure_stopped()
    for pid in (postgres_pid(instance.home), redis_pid(instance.home)):
        if pid and psutil.pid_exists(pid):
            psutil.Process(pid).kill()


def test_serve_keeps_data_stops_cleanly_and_survives_a_crash(serve: Serve) -> None:
    # Given a first start on an empty XENTRI_HOME
    serve.start()
    with superuser_conn(serve.home) as conn:
        conn.execute("create table durable_marker (note text)")
        conn.execute("insert into durable_marker values ('kept')")
    cache = redis.Redis(unix_socket_path=str(serve.home / "redis" / "redis.sock"))
    cache.set("durable-key", "kept")
    cache.close()
    # And the scheduler runs inside serve: the hourly dead-letter archive ran its latest slot
    deadline = time.monotonic() + 30
    with superuser_conn(serve.home) as conn:
        while time.monotonic() < deadline:
            runs = conn.execute(
                "select status from job_runs where job = 'events.dlq_archive'"
            ).fetchall()
            if runs == [("succeeded",)]:
                break
            time.sleep(0.2)
    assert runs == [("succeeded",)]
    pids = (postgres_pid(serve.home), redis_pid(serve.home))

    # When it is stopped with SIGTERM
    exit_code = serve.send(signal.SIGTERM)

    # Then both servers stop with it
    assert exit_code == 0
    assert all(pid is not None for pid in pids)
    assert [pid for pid in pids if pid and is_running(pid)] == []

    # And a restart finds the data of both
    serve.start()
    with superuser_conn(serve.home) as conn:
        assert conn.execute("select note from durable_marker").fetchall() == [("kept",)]
    cache = redis.Redis(unix_socket_path=str(serve.home / "redis" / "redis.sock"))
    assert cache.get("durable-key") == b"kept"
    cache.close()

    # When the process is killed without a chance to clean up
    serve.send(signal.SIGKILL)

    # Then the next start is not blocked by what it left behind
    serve.start()
    assert httpx.get(f"http://127.0.0.1:{serve.port}/health/ready").json()["status"] == "ok"
    assert serve.send(signal.SIGINT) == 0
    assert postgres_pid(serve.home) is None
