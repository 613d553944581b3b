"""Downloader middleware: re-crawls fetch only the archived pages that may have changed.

For each page request (the ``news`` spider marks them with ``revisit_days`` in their
meta; start pages, robots.txt, sitemaps and feeds are always fetched) whose URL the
archive holds as an article, :func:`crawler.incremental.decide` skips it or adds
``If-None-Match`` / ``If-Modified-Since`` from the stored capture. A 304 answer counts
as an unchanged article (``newsarchive/articles/unchanged``) and ends there: no item,
nothing in the archive overwritten. The middleware writes nothing: it sends the
``crawler.signals.article_unchanged`` signal with the article's id, and the store stage
moves the article's ``last_seen_at`` with its next batch.

The archive is read through ``INCREMENTAL_STATE_STORE`` (a dotted path to a
factory of :class:`crawler.incremental.PageStateStore`, ``archive.state`` by default),
so this module imports nothing of ``archive/``. Its lookups block, so they run in a
worker thread, batched: the requests that arrive while one lookup runs share the next.

Stats: ``newsarchive/skipped/listed_unchanged``, ``newsarchive/skipped/revisit_window``,
and under ``newsarchive/incremental/``: ``known`` (page requests for archived
articles), ``conditional`` (sent with validators), ``not_modified`` (304s),
``listed_newer`` (re-fetched because a sitemap or feed date is newer than the archive's
last sight), ``lookup_errors``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import load_object

from archive.outcomes import ArticleOutcome, Kind, Stat, outcome
from crawler.dates import parse_date
from crawler.defaults import (
    ARCHIVE_DB_URL,
    INCREMENTAL_CONDITIONAL,
    INCREMENTAL_ENABLED,
    INCREMENTAL_RECHECK,
    INCREMENTAL_STATE_STORE,
)
from crawler.failures import Counted, count_page_outcome
from crawler.incremental import KnownPage, PageStateStore, decide
from crawler.signals import article_unchanged
from crawler.urls import normalize_url

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

PAGE_META = "revisit_days"
ARTICLE_META = "incremental_article"
# The capture a conditional request asks about, for the WARC record of a 304.
CAPTURE_META = "incremental_capture"
CONDITIONAL_HEADERS = ("If-None-Match", "If-Modified-Since")
LOOKUP_BATCH = 500


class BatchedLookups:
    """Coalesces concurrent URL lookups into one blocking call at a time, in a thread."""

    def __init__(
        self,
        fetch: Callable[[Sequence[str]], Mapping[str, KnownPage]],
        on_error: Callable[[Exception, int], None],
        max_batch: int = LOOKUP_BATCH,
    ) -> None:
        self.fetch = fetch
        self.on_error = on_error
        self.max_batch = max_batch
        self.pending: dict[str, list[asyncio.Future[KnownPage | None]]] = {}
        self.running: asyncio.Task[None] | None = None

    async def get(self, url: str) -> KnownPage | None:
        future: asyncio.Future[KnownPage | None] = asyncio.get_running_loop().create_future()
        self.pending.setdefault(url, []).append(future)
        if self.running is None:
            self.running = asyncio.ensure_future(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            while self.pending:
                urls = list(self.pending)[: self.max_batch]
                waiting = {url: self.pending.pop(url) for url in urls}
                try:
                    found = await asyncio.to_thread(self.fetch, urls)
                except Exception as exc:
                    self.on_error(exc, len(urls))
                    found = {}
                for url, futures in waiting.items():
                    for future in futures:
                        if not future.done():
                            future.set_result(found.get(url))
        finally:
            self.running = None


class IncrementalMiddleware:
    def __init__(self, crawler: Crawler, factory: Callable[[str | None], PageStateStore]) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.factory = factory
        self.db_url: str | None = ARCHIVE_DB_URL.get(settings)
        self.recheck = INCREMENTAL_RECHECK.get(settings)
        self.conditional = INCREMENTAL_CONDITIONAL.get(settings)
        self.store: PageStateStore | None = None
        self.lookups: BatchedLookups | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalMiddleware:
        if not INCREMENTAL_ENABLED.get(crawler.settings):
            raise NotConfigured
        factory = load_object(INCREMENTAL_STATE_STORE.get(crawler.settings))
        if not callable(factory):
            raise TypeError(f"INCREMENTAL_STATE_STORE must name a callable, not {factory!r}")
        middleware = cls(crawler, factory)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        self.store = self.factory(self.db_url)
        self.lookups = BatchedLookups(self.store.lookup, self._lookup_failed)

    async def spider_closed(self, spider: Spider) -> None:
        if self.store is not None:
            await asyncio.to_thread(self.store.close)
            self.store = None

    # --- requests and responses ---------------------------------------------------------

    async def process_request(self, request: Request) -> None:
        if PAGE_META not in request.meta or self.lookups is None:
            return
        known = await self.lookups.get(normalize_url(request.url))
        if known is None:
            self._forget(request)
            return
        self.stats.inc_value(Stat.INCREMENTAL_KNOWN)
        decision = decide(
            known,
            now=datetime.now(UTC),
            source=request.meta.get("source"),
            listed=parse_date(request.meta.get("listed_date")),
            published=parse_date(request.meta.get("listed_published")),
            revisit_days=_days(request.meta[PAGE_META]),
            recheck=self.recheck,
            conditional=self.conditional,
        )
        if decision.skip is not None:
            count_page_outcome(self.crawler, request.url, outcome(Kind.SKIPPED, decision.skip))
            raise Counted(f"{decision.skip}: {request.url}")
        if decision.listed_newer:
            self.stats.inc_value(Stat.INCREMENTAL_LISTED_NEWER)
        self._forget(request)
        if decision.headers:
            self.stats.inc_value(Stat.INCREMENTAL_CONDITIONAL)
            for name, value in decision.headers.items():
                request.headers[name] = value
        request.meta[ARTICLE_META] = known.article_id
        if decision.headers and known.capture:
            # for the WARC record of a 304: the capture it confirms
            request.meta[CAPTURE_META] = known.capture

    def process_response(self, request: Request, response: Response) -> Response:
        article_id = request.meta.get(ARTICLE_META)
        if response.status != 304 or article_id is None:
            return response
        self.stats.inc_value(Stat.INCREMENTAL_NOT_MODIFIED)
        count_page_outcome(
            self.crawler, request.url, outcome(Kind.ARTICLES, ArticleOutcome.UNCHANGED)
        )
        self.crawler.signals.send_catch_log(article_unchanged, article_id=int(article_id))
        raise Counted(f"not modified: {request.url}")

    # --- helpers -------------------------------------------------------------------------

    def _forget(self, request: Request) -> None:
        """Drop validators a redirect carried over from another URL's article."""
        request.meta.pop(CAPTURE_META, None)
        if request.meta.pop(ARTICLE_META, None) is not None:
            for name in CONDITIONAL_HEADERS:
                request.headers.pop(name, None)

    def _lookup_failed(self, exc: Exception, count: int) -> None:
        if not self.stats.get_value(Stat.INCREMENTAL_LOOKUP_ERRORS):
            logger.warning("archive lookups failed, fetching pages in full: %s", exc)
        self.stats.inc_value(Stat.INCREMENTAL_LOOKUP_ERRORS, count)


def _days(value: Any) -> float:
    return float("inf") if value is None else float(value)
