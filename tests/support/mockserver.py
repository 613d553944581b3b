"""A real HTTP server for tests: serves the fixture sites, one loopback IP per site.

Run as ``python -m tests.support.mockserver [--sites DIR]``; it binds every site of
``DIR/hosts.json`` to its own 127.0.0.x address on one shared port, prints one
JSON line ``{"port": N, "sites": {"news": "http://127.0.0.2:N", ...}}`` and serves
until killed. Test fixtures start it in a subprocess (like Scrapy's own mock server).

Serving rules (see tests/fixtures/sites/README.md):
- ``/a/b/`` serves ``a/b/index.html`` (or ``index.xml``), ``/a/b.html`` serves ``a/b.html``;
  ``/x.xml.gz`` serves the gzip of ``x.xml`` when no ``x.xml.gz`` file exists;
  the query string is ignored for file lookup.
- ``_routes.json`` in a site maps exact paths (with query) to ``{"file": ...}``,
  ``{"redirect": ..., "status": 301}``, or a page served in several states,
  ``{"states": {"name": "story", "files": {"1": "story-v1.html", "2": "story-v2.html"}}}``
  (the first state until switched; state names are shared by all sites).
- ``{{base}}`` in a text file becomes the site's origin, ``{{site:NAME}}`` another's.
- A ``{"file": ...}`` route may add ``"headers"`` (sent as written: name case kept),
  ``"encoding": "gzip"`` (or ``"br"``, ``"zstd"``: the body so encoded when the request
  accepts it) and
  ``"chunked": true`` (chunked transfer-encoding instead of Content-Length).
- Static files carry an ETag and Last-Modified and answer conditional requests with 304.
- ``/__control__/raw?site=NAME&path=/p/`` returns the exact bytes of the last response
  sent for that path on that site (status line, headers, body as sent), for tests that
  compare what a crawler recorded with what the server sent.
- ``/__control__/log`` returns what was requested per site (count and body bytes);
  ``/__control__/reset`` clears it.
- ``/__control__/state?name=story&value=2`` switches the pages of state ``story`` to
  their file ``"2"`` (400 if no route knows that value); ``/__control__/state`` returns
  every state's current value. An article that changes between two crawls is served
  this way: crawl, switch, crawl again.
- ``hosts.json`` maps a site to its IP, or to ``{"ip": ..., "host": "www.example.test"}``:
  the site's origin then uses that host name (the crawler reaches it through its
  ``DNS_HOSTS`` setting, see ``MockServer.dns_hosts``), so several hosts of one
  publisher (``www.``, ``amp.``, ``m.``) can be served, each on its own loopback IP.
- ``_site.json`` in a site sets how the site behaves beyond its files, like a real site
  defending itself: ``latency`` (seconds before each answer), ``block_after``
  (``{"requests": N, "status": 403, "file": "_challenge.html", "headers": {...}}``: from
  its N+1th request on, every request but robots.txt gets that answer) and
  ``rate_limit`` (``{"burst": N, "window": S, "retry_after": "1"}``: a request beyond
  N within S seconds gets a 429).
- ``/__control__/requests`` returns every request served, in order, as
  ``[site, path, status, started, ended, user_agent]`` (server clock, seconds): what a
  politeness test measures concurrency and spacing from. ``/__control__/reset`` clears it too,
  and the block and rate-limit counters.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import mimetypes
import re
import sys
import threading
import time
from collections import defaultdict, deque
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import brotli
import zstandard

SITES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "sites"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".gz": "application/x-gzip",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/feed+json",
}
# The content codings a route can ask for (``"encoding"``), as a crawler accepts them.
ENCODERS = {
    "gzip": lambda body: gzip.compress(body, mtime=0),
    "br": brotli.compress,
    "zstd": lambda body: zstandard.ZstdCompressor().compress(body),
}
TEXT_SUFFIXES = {".html", ".xml", ".rss", ".atom", ".txt", ".json"}
# Fixture files are dated in the past so that Last-Modified is stable across runs.
LAST_MODIFIED = formatdate(1_700_000_000, usegmt=True)
# Bytes per chunk of a chunked response.
CHUNK = 1000
_PLACEHOLDER = re.compile(r"\{\{(base|site:[\w-]+)\}\}")


class Log:
    """Requests served, per site and path: how many, and how many body bytes; the raw
    bytes of the last response per site and path; and each request with its times."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: dict[str, dict[str, list[int]]] = defaultdict(dict)
        self.raw: dict[tuple[str, str], bytes] = {}
        self.timeline: list[tuple[str, str, int, float, float, str]] = []

    def add(
        self,
        site: str,
        path: str,
        status: int,
        size: int,
        *,
        started: float | None = None,
        user_agent: str = "",
    ) -> None:
        ended = time.monotonic()
        with self.lock:
            entry = self.requests[site].setdefault(path, [0, 0, 0])
            entry[0] += 1
            entry[1] += size
            entry[2] = status
            self.timeline.append((site, path, status, started or ended, ended, user_agent))

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {
                site: {p: {"count": c, "bytes": b, "status": s} for p, (c, b, s) in paths.items()}
                for site, paths in self.requests.items()
            }

    def keep_raw(self, site: str, path: str, data: bytes) -> None:
        with self.lock:
            self.raw[site, path] = data

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self.raw.clear()
            self.timeline.clear()


class CopyingWriter:
    """The handler's output stream, keeping a copy of what the current response wrote."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.copy = bytearray()

    def write(self, data: bytes) -> int:
        self.copy += data
        return int(self.stream.write(data))

    def take(self) -> bytes:
        data, self.copy = bytes(self.copy), bytearray()
        return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


class Behaviour:
    """How a site answers beyond its files (``_site.json``): slowly, with a block page
    after N requests, or with 429s past a burst."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.latency = float(options.get("latency", 0))
        self.block_after: dict[str, Any] | None = options.get("block_after")
        self.rate_limit: dict[str, Any] | None = options.get("rate_limit")
        self.lock = threading.Lock()
        self.served = 0
        self.recent: deque[float] = deque()

    def reset(self) -> None:
        with self.lock:
            self.served = 0
            self.recent.clear()

    def answer(self, path: str) -> tuple[int, dict[str, Any]] | None:
        """The block or rate-limit answer this request gets, if any: (status, options)."""
        if urlsplit(path).path == "/robots.txt":
            return None
        now = time.monotonic()
        with self.lock:
            self.served += 1
            if self.block_after and self.served > int(self.block_after["requests"]):
                return int(self.block_after.get("status", 403)), self.block_after
            if self.rate_limit:
                window = float(self.rate_limit.get("window", 1.0))
                while self.recent and self.recent[0] <= now - window:
                    self.recent.popleft()
                if len(self.recent) >= int(self.rate_limit["burst"]):
                    return 429, self.rate_limit
                self.recent.append(now)
        return None


class States:
    """The current value of each named state, shared by every site's server."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.values: dict[str, str] = {}
        self.known: dict[str, set[str]] = defaultdict(set)

    def declare(self, name: str, values: list[str]) -> None:
        with self.lock:
            self.values.setdefault(name, values[0])
            self.known[name].update(values)

    def get(self, name: str) -> str:
        with self.lock:
            return self.values[name]

    def set(self, name: str, value: str) -> bool:
        with self.lock:
            if value not in self.known.get(name, ()):
                return False
            self.values[name] = value
            return True

    def snapshot(self) -> dict[str, str]:
        with self.lock:
            return dict(self.values)


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        name: str,
        root: Path,
        origins: dict[str, str],
        log: Log,
        addr: Any,
        *,
        states: States | None = None,
    ) -> None:
        super().__init__(addr, SiteHandler)
        self.name = name
        self.root = root
        self.origins = origins
        self.log = log
        self.states = states or States()
        behaviour = root / "_site.json"
        self.siblings: list[SiteServer] = [self]
        self.behaviour = Behaviour(
            json.loads(behaviour.read_text(encoding="utf-8")) if behaviour.exists() else {}
        )
        routes = root / "_routes.json"
        self.routes: dict[str, dict[str, Any]] = (
            json.loads(routes.read_text(encoding="utf-8")) if routes.exists() else {}
        )
        for route in self.routes.values():
            if "states" in route:
                self.states.declare(route["states"]["name"], list(route["states"]["files"]))

    def route_file(self, route: dict[str, Any]) -> str:
        """The file a ``{"file": ...}`` or ``{"states": ...}`` route serves now."""
        if "states" in route:
            states = route["states"]
            return str(states["files"][self.states.get(states["name"])])
        return str(route["file"])

    def render(self, data: bytes) -> bytes:
        def replace(match: re.Match[str]) -> str:
            key = match.group(1)
            name = self.name if key == "base" else key.split(":", 1)[1]
            return self.origins.get(name, match.group(0))

        text = data.decode("utf-8", errors="surrogateescape")
        return _PLACEHOLDER.sub(replace, text).encode("utf-8", errors="surrogateescape")


class SiteHandler(BaseHTTPRequestHandler):
    server: SiteServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        self.wfile = self.copying = CopyingWriter(self.wfile)  # type: ignore[assignment]

    def do_HEAD(self) -> None:
        self.handle_request(head=True)

    def do_GET(self) -> None:
        self.handle_request(head=False)

    def handle_request(self, *, head: bool) -> None:
        path = self.path
        if path.startswith("/__control__/"):
            self.control(path)
            return
        self.started = time.monotonic()
        behaviour = self.server.behaviour
        if behaviour.latency:
            time.sleep(behaviour.latency)
        refusal = behaviour.answer(path)
        if refusal is not None:
            self.refuse(*refusal, head=head)
            return
        route = self.server.routes.get(path)
        if route and "redirect" in route:
            location = self.server.render(route["redirect"].encode()).decode()
            self.send(
                int(route.get("status", 301)), b"", "text/plain", {"Location": location}, head
            )
            return
        file = self.resolve(self.server.route_file(route) if route else urlsplit(path).path)
        if file is None:
            self.send(404, b"not found\n", "text/plain; charset=utf-8", {}, head)
            return
        body, content_type = self.load(file)
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        headers = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
        if self.headers.get("If-None-Match") == etag or (
            not self.headers.get("If-None-Match")
            and self.headers.get("If-Modified-Since") == LAST_MODIFIED
        ):
            self.send(304, b"", None, headers, head)
            return
        route = route or {}
        headers.update(route.get("headers", {}))
        encoding = route.get("encoding")
        if encoding in ENCODERS and encoding in self.headers.get("Accept-Encoding", ""):
            body = ENCODERS[encoding](body)
            headers["Content-Encoding"] = encoding
        self.send(200, body, content_type, headers, head, chunked=bool(route.get("chunked")))

    def refuse(self, status: int, options: dict[str, Any], *, head: bool) -> None:
        """A block page or a 429, as the site's ``_site.json`` describes it."""
        headers = {k: str(v) for k, v in options.get("headers", {}).items()}
        if "retry_after" in options:
            headers["Retry-After"] = str(options["retry_after"])
        file = options.get("file")
        if file:
            body = self.server.render((self.server.root / file).read_bytes())
        else:
            body = b"Too many requests\n"
        self.send(status, body, "text/html; charset=utf-8", headers, head)

    def resolve(self, path: str) -> Path | None:
        root = self.server.root.resolve()
        relative = path.lstrip("/")
        candidates = (
            [f"{relative}index.html", f"{relative}index.xml"] if path.endswith("/") else [relative]
        )
        if relative.endswith(".gz"):
            candidates.append(relative[: -len(".gz")])
        for candidate in candidates:
            file = (root / candidate).resolve()
            if file.is_file() and file.is_relative_to(root) and not file.name.startswith("_"):
                return file
        return None

    def load(self, file: Path) -> tuple[bytes, str]:
        body = file.read_bytes()
        if file.suffix in TEXT_SUFFIXES:
            body = self.server.render(body)
        if self.path.split("?")[0].endswith(".gz") and file.suffix != ".gz":
            return gzip.compress(body, mtime=0), CONTENT_TYPES[".gz"]
        content_type = CONTENT_TYPES.get(file.suffix) or (
            mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        )
        return body, content_type

    def control(self, path: str) -> None:
        if path.startswith("/__control__/raw"):
            query = {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}
            raw = self.server.log.raw.get((query.get("site", ""), query.get("path", "")))
            if raw is None:
                self.send(404, b"no such response\n", "text/plain", {}, head=False, logged=False)
            else:
                self.send(200, raw, "application/octet-stream", {}, head=False, logged=False)
        elif path.startswith("/__control__/reset"):
            self.server.log.reset()
            for server in self.server.siblings:
                server.behaviour.reset()
            self.send(200, b"{}", "application/json", {}, head=False, logged=False)
        elif path.startswith("/__control__/state"):
            self.control_state(path)
        elif path.startswith("/__control__/requests"):
            with self.server.log.lock:
                data = json.dumps(self.server.log.timeline).encode()
            self.send(200, data, "application/json", {}, head=False, logged=False)
        else:
            data = json.dumps(self.server.log.snapshot()).encode()
            self.send(200, data, "application/json", {}, head=False, logged=False)

    def control_state(self, path: str) -> None:
        query = {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}
        states = self.server.states
        if "name" in query and not states.set(query["name"], query.get("value", "")):
            message = f"no state {query['name']!r} with value {query.get('value')!r}\n"
            self.send(400, message.encode(), "text/plain", {}, head=False, logged=False)
            return
        data = json.dumps(states.snapshot()).encode()
        self.send(200, data, "application/json", {}, head=False, logged=False)

    def send(
        self,
        status: int,
        body: bytes,
        content_type: str | None,
        headers: dict[str, str],
        head: bool,
        *,
        logged: bool = True,
        chunked: bool = False,
    ) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers.items():
            self.send_header(name, value)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head and chunked:
            for start in range(0, len(body), CHUNK):
                piece = body[start : start + CHUNK]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
        elif not head:
            self.wfile.write(body)
        self.wfile.flush()
        raw = self.copying.take()
        if logged:
            size = 0 if head else len(body)
            started = getattr(self, "started", None)
            agent = self.headers.get("User-Agent", "")
            self.server.log.add(
                self.server.name, self.path, status, size, started=started, user_agent=agent
            )
            self.server.log.keep_raw(self.server.name, self.path, raw)


def site_addresses(sites_dir: Path) -> dict[str, tuple[str, str | None]]:
    """``{site: (ip, host name or None)}`` from ``hosts.json``."""
    hosts = json.loads((sites_dir / "hosts.json").read_text(encoding="utf-8"))
    return {
        name: (value, None) if isinstance(value, str) else (value["ip"], value.get("host"))
        for name, value in hosts.items()
    }


def start_servers(sites_dir: Path, port: int = 0) -> tuple[int, dict[str, str], list[SiteServer]]:
    """Bind every site to its loopback IP on one port; returns (port, origins, servers)."""
    hosts = site_addresses(sites_dir)
    for _attempt in range(20):
        servers: list[SiteServer] = []
        origins: dict[str, str] = {}
        log = Log()
        states = States()
        try:
            chosen = port
            for name, (ip, host) in hosts.items():
                server = SiteServer(
                    name, sites_dir / name, origins, log, (ip, chosen), states=states
                )
                chosen = server.server_address[1]
                origins[name] = f"http://{host or ip}:{chosen}"
                servers.append(server)
        except OSError:
            for server in servers:
                server.server_close()
            if port:
                raise
            continue
        for server in servers:
            server.siblings = servers
            threading.Thread(target=server.serve_forever, daemon=True).start()
        return chosen, origins, servers
    raise OSError("no free port shared by all fixture hosts")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sites", type=Path, default=SITES_DIR)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    port, origins, _servers = start_servers(args.sites, args.port)
    addresses = site_addresses(args.sites)
    dns_hosts = {host: ip for ip, host in addresses.values() if host}
    control = next(f"http://{ip}:{port}" for ip, _host in addresses.values())
    info = {"port": port, "sites": origins, "dns_hosts": dns_hosts, "control": control}
    print(json.dumps(info), flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
