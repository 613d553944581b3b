"""Extension: every response the crawl receives, written to WARC files as it arrives.

On when ``WARC_DIR`` is set (``newsarchive crawl --warc DIR``, or a sites file's
``[warc]`` table). The download handler (``crawler.handlers``) copies each exchange's
bytes at the connection and hands them here with :meth:`WarcRecorder.record`, which
names the response record at once (``warc_record_id`` in the request's meta, so the
page item and its capture can name it) and queues the fetch for the writer thread
(``crawler.warc.writer``): robots.txt, sitemaps, feeds, listings, articles, redirects,
304s and error pages alike, retries included, each with its request.

Where a record went (file, offset) comes back from the writer thread; the store stage
awaits it with :meth:`WarcRecorder.location` before handing an article to the archive.
If more than ``WARC_MAX_PENDING`` bytes wait for the writer, downloads wait (a slow
disk slows the crawl rather than filling memory). A write that fails (disk full, no
permission) stops the crawl, as a failed archive write does: the files closed so far
stay valid.

Stats: ``newsarchive/warc/records`` (fetches written), ``newsarchive/warc/revisits``,
``newsarchive/warc/files``, ``newsarchive/warc_error``.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured

from archive.outcomes import Stat
from crawler import warc
from crawler.defaults import (
    WARC_DIR,
    WARC_MAX_PENDING,
    WARC_MAX_SIZE,
    WARC_PREFIX,
    WARC_REVISIT_INDEX_SIZE,
)
from crawler.interfaces import run_args
from crawler.warc import RECORD_META

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings

    from crawler.warc.files import Location
    from crawler.warc.records import Original
    from crawler.warc.wire import Exchange
    from crawler.warc.writer import WarcWriterThread

logger = logging.getLogger(__name__)

# The content codings a crawl that writes WARC files asks for: those the files' readers
# decode. Not zstd: warcio cannot, so pywb replays a zstd body as binary (pywb issue 947,
# fixed there by no longer asking for it).
WARC_ACCEPT_ENCODING = "gzip, deflate, br"
# Record locations kept for the store stage to collect (a page's record is written
# long before its article reaches the store stage, a few hundred fetches later at most).
LOCATIONS_KEPT = 50_000


class WarcRecorder:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.directory = Path(str(WARC_DIR.get(settings))).absolute()
        self.prefix = WARC_PREFIX.get(settings) or "newsarchive"
        self.max_size = WARC_MAX_SIZE.get(settings)
        self.index_size = WARC_REVISIT_INDEX_SIZE.get(settings)
        self.max_pending = WARC_MAX_PENDING.get(settings)
        self.thread: WarcWriterThread | None = None
        self.failed: str | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._locations: OrderedDict[str, Location] = OrderedDict()
        self._waiting: dict[str, list[asyncio.Future[Location | None]]] = {}
        self._drained: asyncio.Event | None = None
        self._closing: asyncio.Future[None] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcRecorder:
        if not WARC_DIR.get(crawler.settings):
            raise NotConfigured
        warc.require()
        ask_for_replayable_codings(crawler.settings)
        recorder = cls(crawler)
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        return recorder

    # --- lifecycle ---------------------------------------------------------------------

    async def spider_opened(self, spider: Spider) -> None:
        from crawler.warc.files import WarcFiles
        from crawler.warc.writer import DigestIndex, WarcWriterThread

        self._loop = asyncio.get_running_loop()
        self._drained = asyncio.Event()
        self.directory.mkdir(parents=True, exist_ok=True)
        revisits = DigestIndex(self.index_size)
        known = await asyncio.to_thread(revisits.load, self.directory)
        if known:
            logger.info("WARC revisits: %d payloads already in %s", known, self.directory)
        files = WarcFiles(
            self.directory, info=self.warcinfo, prefix=self.prefix, max_size=self.max_size
        )
        self.thread = WarcWriterThread(
            files,
            revisits=revisits,
            on_written=self._written_from_thread,
            on_error=self._error_from_thread,
        )
        self.thread.start()

    async def spider_closed(self, spider: Spider) -> None:
        thread = self.thread
        if thread is None:
            return
        thread.stop()
        await asyncio.to_thread(thread.join)
        self.stats.set_value(Stat.WARC_FILES, len(thread.files.closed))
        self.stats.set_value(Stat.WARC_REVISITS, thread.revisit_count)
        for future in (f for futures in self._waiting.values() for f in futures):
            if not future.done():
                future.set_result(None)
        self._waiting.clear()
        if thread.files.closed:
            logger.info(
                "WARC: %d records in %d files in %s",
                thread.written,
                len(thread.files.closed),
                self.directory,
            )

    def warcinfo(self) -> dict[str, str]:
        """The fields of each file's ``warcinfo`` record (read as the file opens)."""
        starts = run_args(self.crawler.spider).get("start")
        info = {
            "software": f"newsarchive/{_version('newsarchive')} (warcio/{_version('warcio')})",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
            "warc-format/warc-1.1/",
            "isPartOf": f"newsarchive crawl run {self.stats.get_value(Stat.CRAWL_RUN_ID)}",
            "description": "every response a newsarchive crawl received, as received",
            "http-header-user-agent": str(self.crawler.settings.get("USER_AGENT") or ""),
            "robots": "obey" if self.crawler.settings.getbool("ROBOTSTXT_OBEY") else "ignore",
        }
        if starts:
            info["start-urls"] = " ".join(starts)
        return info

    # --- called by the download handler ---------------------------------------------------

    def record(
        self,
        request: Request,
        url: str,
        exchange: Exchange,
        *,
        truncated: str | None = None,
        not_modified: Original | None = None,
    ) -> str | None:
        """Queue a download's exchange for writing; its response record's id."""
        from crawler.warc.records import Fetch, make_record_id

        if self.thread is None or self.failed is not None:
            return None
        record_id = make_record_id()
        self.thread.put(Fetch(url, exchange, record_id, truncated, not_modified))
        request.meta[RECORD_META] = record_id
        self.stats.inc_value(Stat.WARC_RECORDS)
        return record_id

    async def room(self) -> None:
        """Wait while more than ``WARC_MAX_PENDING`` bytes wait for the writer."""
        thread, drained = self.thread, self._drained
        if thread is None or drained is None:
            return
        while thread.pending_bytes > self.max_pending and self.failed is None:
            drained.clear()
            await drained.wait()

    # --- called by the store stage --------------------------------------------------------

    async def location(self, record_id: str | None) -> Location | None:
        """Where a record was written, once it is (None if it never will be)."""
        if record_id is None:
            return None
        found = self._locations.pop(record_id, None)
        if found is not None or self.thread is None or self.failed is not None:
            return found
        assert self._loop is not None
        future: asyncio.Future[Location | None] = self._loop.create_future()
        self._waiting.setdefault(record_id, []).append(future)
        return await future

    # --- from the writer thread -------------------------------------------------------------

    def _written_from_thread(self, written: list[tuple[str, Location | None]]) -> None:
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._written, written)

    def _error_from_thread(self, message: str) -> None:
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._fail, message)

    def _written(self, written: list[tuple[str, Location | None]]) -> None:
        for record_id, location in written:
            waiters = self._waiting.pop(record_id, None)
            if waiters:
                for future in waiters:
                    if not future.done():
                        future.set_result(location)
            elif location is not None:
                self._locations[record_id] = location
        while len(self._locations) > LOCATIONS_KEPT:
            self._locations.popitem(last=False)
        if self._drained is not None:
            self._drained.set()

    def _fail(self, message: str) -> None:
        self.failed = message
        self.stats.set_value(Stat.WARC_ERROR, message[:500])
        for future in (f for futures in self._waiting.values() for f in futures):
            if not future.done():
                future.set_result(None)
        self._waiting.clear()
        if self._drained is not None:
            self._drained.set()
        engine = self.crawler.engine
        if engine is not None and engine.running:
            self._closing = asyncio.ensure_future(engine.close_spider_async(reason="warc_error"))


def _version(distribution: str) -> str:
    try:
        return version(distribution)
    except Exception:
        return "unknown"


def recorder_of(crawler: Crawler) -> WarcRecorder | None:
    """The crawl's WARC recorder, if it writes WARC files."""
    if not WARC_DIR.get(crawler.settings):
        return None
    return crawler.get_extension(WarcRecorder)


def ask_for_replayable_codings(settings: Settings) -> None:
    """Make requests ask for :data:`WARC_ACCEPT_ENCODING` (Scrapy's compression middleware
    would ask for zstd too), unless ``DEFAULT_REQUEST_HEADERS`` names an Accept-Encoding.
    Extensions are built before the settings freeze and the middlewares after."""
    headers = dict(settings.getdict("DEFAULT_REQUEST_HEADERS"))
    if settings.frozen or any(name.lower() == "accept-encoding" for name in headers):
        return
    headers["Accept-Encoding"] = WARC_ACCEPT_ENCODING
    priority = settings.getpriority("DEFAULT_REQUEST_HEADERS") or "default"
    settings.set("DEFAULT_REQUEST_HEADERS", headers, priority=priority)
