"""One live app (uvicorn on 127.0.0.1) and one headless Debian Chromium for the browser tests."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from tests.conftest import TestServers, make_settings
from tests.support.fake_model import FakeModelServer
from xentri.composition import compose
from xentri.kernel.http.serving import Server

CHROMIUM = os.environ.get("XENTRI_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LiveServer:
    def __init__(self, app: Any) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # Xentri's server: open event streams (live Pulse) end when it stops.
        self.server = Server(
            uvicorn.Config(
                app, host="127.0.0.1", port=self.port, log_config=None, access_log=False
            ),
            app=app,
        )
        self.app = app
        self.thread = threading.Thread(target=self.server.run, name="live-server", daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the live server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


@pytest.fixture(scope="session")
def live(servers: TestServers, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings = make_settings(servers, tmp_path_factory.mktemp("live"))
    # The whole app as `xentri serve` mounts it: identity, the web shell and the kernel routes.
    app = compose(settings, database_url=servers.app_url, redis_url=servers.redis_url)
    server = LiveServer(app)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def live_server(live: LiveServer) -> str:
    return live.url


@pytest.fixture
def live_model(live: LiveServer) -> Iterator[FakeModelServer]:
    """The live app on a configured cloud model (a fake OpenAI-compatible server) for one test."""
    offline = live.app.state.ai_settings
    with FakeModelServer() as model:
        live.app.state.ai_settings = model.settings()
        try:
            yield model
        finally:
            live.app.state.ai_settings = offline


# Module scope: Playwright's sync API keeps an event loop running in this thread while it is
# open, which the asyncio tests that may follow cannot share.
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; scripts/test.sh installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def fresh_address_throttles(servers: TestServers) -> None:
    """Every browser here signs up from 127.0.0.1: without this, the suite's own sign-ups
    would reach identity's per-address limit (20 an hour) and later tests would be refused."""
    import redis

    client = redis.Redis.from_url(servers.redis_url)
    try:
        keys = list(client.scan_iter("throttle:*:addr:127.0.0.1"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture
def page(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
