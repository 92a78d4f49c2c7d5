"""What only a browser enforces: Xentri's pages cannot be framed by another site."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.e2e.conftest import free_port

pytestmark = pytest.mark.e2e


@pytest.fixture
def other_site(live_server: str) -> Iterator[str]:
    """A second origin whose page frames Xentri, and frames a page of its own as a control."""
    port = free_port()
    page = f"""<!doctype html><html><body>
      <h1>Another site</h1>
      <iframe id="xentri" src="{live_server}/health" width="400" height="120"></iframe>
      <iframe id="own" src="/own" width="400" height="120"></iframe>
    </body></html>"""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = (page if self.path == "/" else "<p id='own-content'>own frame</p>").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}/"
    server.shutdown()
    server.server_close()


def test_another_site_cannot_frame_xentri(page, other_site, live_server):
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))

    page.goto(other_site)
    page.wait_for_load_state("load")

    own = page.frame_locator("#own").locator("#own-content")
    assert own.inner_text() == "own frame", "control: an unprotected page does load in a frame"
    framed = page.frame(name="xentri")
    assert framed is not None
    assert not framed.url.startswith(live_server), "the browser must not render Xentri in a frame"
    assert any("frame-ancestors 'none'" in text for text in console)


def test_the_browser_gets_readiness_as_json(page, live_server):
    response = page.goto(f"{live_server}/health/ready")

    assert response is not None
    assert response.status == 200
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert '"status":"ok"' in page.content()
