"""A site gets no more requests at once than its concurrency allows, over reused connections.

Scrapy 2.19's own downloader starts every queued request of a site at once under the
asyncio reactor (crawler/downloader.py). This crawl runs against a server that answers
slowly and records how many requests it was serving at the same time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.support.cli import run_cli

PAGES = 12
DELAY_S = 0.2


class CountingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.52", 0), CountingHandler)
        self.lock = threading.Lock()
        self.active = 0
        self.max_active = 0
        self.requests = 0
        self.connections: set[tuple[str, int]] = set()


class CountingHandler(BaseHTTPRequestHandler):
    server: CountingServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.active += 1
            self.server.requests += 1
            self.server.max_active = max(self.server.max_active, self.server.active)
            self.server.connections.add(self.client_address)
        try:
            time.sleep(DELAY_S)
            self.respond()
        finally:
            with self.server.lock:
                self.server.active -= 1

    def respond(self) -> None:
        if self.path == "/":
            links = "".join(f"<a href='/p/{n}.html'>{n}</a>" for n in range(PAGES))
            body = f"<html><body>{links}</body></html>".encode()
        elif self.path.startswith("/p/"):
            body = b"<html><head><title>Page</title></head><body><p>Short.</p></body></html>"
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def counting_server() -> Iterator[CountingServer]:
    server = CountingServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.slow
def test_per_site_concurrency_holds_and_connections_are_reused(counting_server, tmp_path):
    host, port = counting_server.server_address[:2]
    result = run_cli(
        "crawl",
        f"http://{host}:{port}/",
        "--db",
        f"sqlite:///{tmp_path / 'archive.db'}",
        "-q",
        "-s",
        "CONCURRENT_REQUESTS=16",
        "-s",
        "CONCURRENT_REQUESTS_PER_DOMAIN=2",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert counting_server.requests >= PAGES + 1
    assert counting_server.max_active == 2
    # One keep-alive connection per request slot (an extra one at most, for robots.txt
    # fetched before the slot is set up), not one per request.
    assert len(counting_server.connections) <= 3
