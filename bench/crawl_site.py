"""The benchmark's local news site: N distinct article pages made from real pages, served fast.

The 88 saved real pages of the extraction benchmark are repeated under distinct URLs. Each
copy carries one unique sentence inside its story's longest paragraph, so that every copy is
a distinct article to the archive (the same text under two URLs would be stored once, as an
alias, and the crawl would measure alias writes). Around them: a home page linking to index
pages of ``PER_INDEX`` articles each, ``robots.txt`` naming ``sitemap.xml``, and the sitemap
listing every article.

The server is one asyncio process with no dependency beyond the standard library: it keeps
the 88 originals in memory and builds each copy per request (two slices and a join), answers
HTTP/1.1 keep-alive requests, and costs a fraction of a millisecond of CPU per page, far
below the crawl's per-page work. ``python -m bench.crawl_site --pages N`` serves the site on
127.0.0.2 and prints one JSON line (its origin and page counts).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import html
import json
import re
import signal
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE_DIRS = (
    ROOT / "tests" / "fixtures" / "benchmark" / "html",
    Path("/work/shared/benchmarks/article-extraction/html"),
)
PER_INDEX = 50
HOST = "127.0.0.2"
_PLAIN_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ,]{23,}")
_REQUEST_LINE = re.compile(rb"^(GET|HEAD) (\S+) HTTP/1\.([01])\r\n", re.I)
_ARTICLE_PATH = re.compile(r"^/news/(\d+)/[\w-]*\.html$")
_INDEX_PATH = re.compile(r"^/section/(\d+)/$")


def page_dir() -> Path:
    """The saved pages: the repository's copy when present, else the shared one."""
    for folder in PAGE_DIRS:
        if folder.is_dir() and any(folder.glob("*.html.gz")):
            return folder
    raise SystemExit(
        "no benchmark pages: expected *.html.gz in " + " or ".join(map(str, PAGE_DIRS))
    )


@dataclass(frozen=True, slots=True)
class Original:
    """One saved page, split where the unique sentence of each copy goes."""

    key: str
    title: str
    head: str
    tail: str


def story_insertion_point(page: str, story: str) -> int | None:
    """An offset inside the text of the page's story, or None.

    ``story`` is the article body as a person marked it (the benchmark's ground truth):
    the longest run of plain characters of an element's text that belongs to it is
    looked up in the markup from the element's source line on, outside any tag, so that
    the copy's sentence lands in the story (not in a JSON-LD copy of it in the head, nor
    in a sidebar).
    """
    import lxml.html

    story = " ".join(story.split())
    tree = lxml.html.fromstring(page)
    line_starts = [0] + [m.end() for m in re.finditer("\n", page)]
    candidates = sorted(
        (
            (run.strip(), element.sourceline)
            for element in tree.iter("p", "div", "span", "td", "li", "br", "a", "em", "strong")
            for text in (element.text, element.tail)
            if text and element.sourceline is not None
            for run in _PLAIN_RUN.findall(text)
            if run.strip() in story
        ),
        key=lambda candidate: len(candidate[0]),
        reverse=True,
    )
    for run, line in candidates[:10]:
        offset = _offset_in_text(page, run, line_starts[min(line, len(line_starts)) - 1])
        if offset is not None:
            return offset
    return None


def _offset_in_text(page: str, snippet: str, after: int) -> int | None:
    """The first offset of ``snippet`` at or past ``after`` that is not inside a tag."""
    start = page.find(snippet, after)
    while start >= 0:
        before = page.rfind("<", 0, start)
        if page.rfind(">", 0, start) > before:
            return start
        start = page.find(snippet, start + 1)
    return None


def page_title(page: str, fallback: str) -> str:
    match = re.search(r"<title[^>]*>(.*?)</title>", page, re.S | re.I)
    title = html.unescape(match.group(1)).strip() if match else ""
    return " ".join(title.split())[:120] or fallback


def load_originals(folder: Path | None = None) -> list[Original]:
    """The saved pages in which a unique sentence can be put inside the story."""
    folder = folder or page_dir()
    truth = json.loads((folder.parent / "ground-truth.json").read_text(encoding="utf-8"))
    originals = []
    for file in sorted(folder.glob("*.html.gz")):
        key = file.name.split(".")[0]
        page = gzip.decompress(file.read_bytes()).decode("utf-8")
        offset = story_insertion_point(page, truth.get(key, {}).get("articleBody") or "")
        if offset is None:
            continue
        originals.append(Original(key, page_title(page, key), page[:offset], page[offset:]))
    return originals


def unique_sentence(number: int) -> str:
    return f"Edition note {number}: this copy is archive item number {number}. "


class Site:
    """The pages of a site of ``articles`` copies: paths to bytes, built on request."""

    def __init__(self, originals: list[Original], articles: int) -> None:
        self.originals = originals
        self.articles = articles
        self.indexes = -(-articles // PER_INDEX)
        self.origin = ""
        self._encoded = [(o.head.encode(), o.tail.encode()) for o in originals]

    def article_path(self, number: int) -> str:
        key = self.originals[number % len(self.originals)].key[:12]
        return f"/news/{number}/story-{key}.html"

    def article(self, number: int) -> bytes:
        head, tail = self._encoded[number % len(self._encoded)]
        return b"".join((head, unique_sentence(number).encode(), tail))

    def article_urls(self) -> list[str]:
        return [self.origin + self.article_path(n) for n in range(self.articles)]

    def html_pages(self) -> int:
        """HTML pages a crawl from the home fetches: the home, the indexes, the articles."""
        return 1 + self.indexes + self.articles

    def all_html(self) -> Iterator[tuple[str, bytes]]:
        """Every HTML page with its URL, in crawl order (for runs without a server)."""
        yield self.origin + "/", self.home()
        for k in range(self.indexes):
            yield f"{self.origin}/section/{k}/", self.index(k)
        for n in range(self.articles):
            yield self.origin + self.article_path(n), self.article(n)

    def home(self) -> bytes:
        links = "\n".join(
            f'<li><a href="/section/{k}/">Section {k}</a></li>' for k in range(self.indexes)
        )
        return _listing_page("Benchmark News", "Latest news by section", links)

    def index(self, number: int) -> bytes:
        first = number * PER_INDEX
        items = []
        for n in range(first, min(first + PER_INDEX, self.articles)):
            title = html.escape(self.originals[n % len(self.originals)].title)
            items.append(f'<li><a href="{self.article_path(n)}">{title} ({n})</a></li>')
        return _listing_page(f"Section {number}", f"Section {number}", "\n".join(items))

    def robots(self) -> bytes:
        return f"User-agent: *\nAllow: /\nSitemap: {self.origin}/sitemap.xml\n".encode()

    def sitemap(self) -> bytes:
        urls = "".join(f"<url><loc>{url}</loc></url>\n" for url in self.article_urls())
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{urls}</urlset>\n"
        ).encode()

    def resolve(self, path: str) -> tuple[int, str, bytes]:
        """(status, content type, body) for a request path."""
        path = path.split("?", 1)[0]
        match = _ARTICLE_PATH.match(path)
        if match and int(match.group(1)) < self.articles:
            number = int(match.group(1))
            if path == self.article_path(number):
                return 200, "text/html; charset=utf-8", self.article(number)
        match = _INDEX_PATH.match(path)
        if match and int(match.group(1)) < self.indexes:
            return 200, "text/html; charset=utf-8", self.index(int(match.group(1)))
        if path == "/":
            return 200, "text/html; charset=utf-8", self.home()
        if path == "/robots.txt":
            return 200, "text/plain; charset=utf-8", self.robots()
        if path == "/sitemap.xml":
            return 200, "application/xml", self.sitemap()
        return 404, "text/plain; charset=utf-8", b"not found\n"


def _listing_page(title: str, heading: str, items: str) -> bytes:
    return (
        f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"</head><body><nav><a href='/'>Home</a></nav><h1>{heading}</h1>\n<ul>\n{items}\n</ul>"
        "</body></html>\n"
    ).encode()


class HttpProtocol(asyncio.Protocol):
    """A minimal HTTP/1.1 server side: GET and HEAD, keep-alive, no request bodies."""

    def __init__(self, site: Site, counter: list[int]) -> None:
        self.site = site
        self.counter = counter
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.counter[1] += 1

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            request, self.buffer = self.buffer[: end + 4], self.buffer[end + 4 :]
            self.respond(request)

    def respond(self, request: bytes) -> None:
        assert self.transport is not None
        match = _REQUEST_LINE.match(request)
        if match is None:
            self.transport.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            self.transport.close()
            return
        status, content_type, body = self.site.resolve(match.group(2).decode("latin-1"))
        close = match.group(3) == b"0" or b"\r\nconnection: close" in request.lower()
        head = (
            f"HTTP/1.1 {status} {'OK' if status == 200 else 'Not Found'}\r\n"
            f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
            f"Connection: {'close' if close else 'keep-alive'}\r\n\r\n"
        ).encode()
        self.transport.write(head if match.group(1).upper() == b"HEAD" else head + body)
        self.counter[0] += 1
        if close:
            self.transport.close()


async def serve(site: Site, host: str, port: int) -> None:
    loop = asyncio.get_running_loop()
    counter = [0, 0]
    server = await loop.create_server(
        lambda: HttpProtocol(site, counter), host, port, backlog=1024, reuse_address=True
    )
    bound = server.sockets[0].getsockname()[1]
    site.origin = f"http://{host}:{bound}"
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    print(
        json.dumps(
            {
                "origin": site.origin,
                "articles": site.articles,
                "indexes": site.indexes,
                "html_pages": site.html_pages(),
                "originals": len(site.originals),
            }
        ),
        flush=True,
    )
    async with server:
        await stop.wait()
    print(
        json.dumps({"requests": counter[0], "connections": counter[1]}), file=sys.stderr, flush=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the crawl benchmark's site.")
    parser.add_argument("--pages", type=int, default=2000, help="article pages")
    parser.add_argument("--host", default=HOST)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    site = Site(load_originals(), args.pages)
    asyncio.run(serve(site, args.host, args.port))


if __name__ == "__main__":
    main()
