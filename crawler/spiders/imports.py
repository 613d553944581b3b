"""The ``import`` spider: the HTML pages of WARC and ARC files, through a crawl's pipelines.

``newsarchive import warcs/*.warc.gz`` runs this spider instead of fetching: each HTTP
response record the files hold (a ``revisit`` resolved to the payload it names,
``crawler.warc.reader``) becomes the page a crawl would have fetched, with the record's
URL and date as the fetch's, and goes through the same item pipelines: screen and
extract in the worker pool, article or not, dedup, story clusters, boilerplate
learning, versions, store. Each capture points at the record it came from.

Filters (``sites``, ``since``, ``until``) apply to a record's URL and date before its
body is even decompressed. Records already archived (a capture holds their
``WARC-Record-ID``) are skipped, so importing the same files twice adds nothing; so are
the responses that are no HTML page (robots.txt, feeds, images...), error statuses and
redirects (which are followed back: the page a redirect led to keeps the URL first
asked for, as a crawl's does). A damaged file is imported as far as it can be read;
each place it stopped is logged and counted (``newsarchive/import/stopped``).

Stats under ``newsarchive/import/``: ``files``, ``records``, ``filtered``, ``archived``
(already), ``not_html``, ``not_ok``, ``redirect``, ``no_date``, ``revisit_unresolved``,
``too_large``, ``stopped``; and the crawl's own (``newsarchive/pages``, articles...).
"""

from __future__ import annotations

import asyncio
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

from scrapy import Request, Spider, signals
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Headers, Response, TextResponse
from scrapy.responsetypes import responsetypes
from scrapy.utils.misc import load_object

from archive.outcomes import Group, Stat
from crawler.compat import decompression_too_large
from crawler.dates import parse_date
from crawler.defaults import ARCHIVE_DB_URL, EXTRACT_MAX_PENDING, INCREMENTAL_STATE_STORE
from crawler.pages import is_html_page, page_item
from crawler.urls import site_of

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Sequence

    from scrapy.crawler import Crawler

    from crawler.incremental import PageStateStore
    from crawler.items import PageItem
    from crawler.warc.reader import Record

# Pages read and looked up in the archive together.
LOOKUP_BATCH = 64
# Media types that are certainly no page: skipped without decompressing the body.
PAGE_TYPES = ("text/html", "application/xhtml+xml", "application/octet-stream")


def _split(value: Sequence[str] | str) -> list[str]:
    return [v for v in re.split(r"[\s,]+", value) if v] if isinstance(value, str) else list(value)


def _date(value: datetime | str | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    parsed = parse_date(value)
    if parsed is None:
        raise ValueError(f"not an ISO 8601 date: {value!r}")
    return parsed


class ImportSpider(Spider):
    name = "import"

    def __init__(
        self,
        files: Sequence[str] | str = (),
        sites: Sequence[str] | str = (),
        since: datetime | str | None = None,
        until: datetime | str | None = None,
        **kwargs: Any,
    ) -> None:
        """``scrapy crawl import -a files="a.warc.gz b.warc.gz" -a since=2024-01-01`` works
        too: strings are split on spaces and commas, dates parsed (ISO 8601, UTC)."""
        super().__init__(**kwargs)
        self.files = _split(files)
        self.sites = frozenset(_split(sites))
        self.since = _date(since)
        self.until = _date(until)
        self.stopped: list[str] = []
        self.in_flight = 0
        self.max_in_flight = 1
        self.max_size = 0
        self._room: asyncio.Event | None = None
        self._read_all = False
        self._closing: asyncio.Future[None] | None = None
        self._store: PageStateStore | None = None
        self._decompression: HttpCompressionMiddleware | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ImportSpider:
        spider: ImportSpider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.max_in_flight = 2 * max(1, EXTRACT_MAX_PENDING.get(settings))
        spider.max_size = settings.getint("DOWNLOAD_MAXSIZE")
        factory = load_object(INCREMENTAL_STATE_STORE.get(settings))
        spider._store = factory(ARCHIVE_DB_URL.get(settings))
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(spider._item_done, signal=signal)
        return spider

    def run_args(self) -> dict[str, Any]:
        """What this run was asked to import, as recorded with the crawl run."""
        return {
            "import": self.files,
            "sites": sorted(self.sites),
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
        }

    def wanted(self, url: str, date: datetime) -> bool:
        """The record filters: site, and the fetch's date."""
        if self.sites and site_of(url) not in self.sites:
            return False
        if self.since and date < self.since:
            return False
        return not (self.until and date > self.until)

    # --- reading ---------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        from crawler.warc.reader import PageReader, Record, Skipped, Stopped

        self._room = asyncio.Event()
        # The crawl's own decoding, whatever COMPRESSION_ENABLED: other tools' files have
        # content-encoded bodies even if this crawler would not ask for them.
        self._decompression = HttpCompressionMiddleware(crawler=self.crawler)
        stats = self.crawler.stats
        reader = PageReader()
        batch: list[PageItem] = []
        for file in self.files:
            stats.inc_value(Stat.IMPORT_FILES)
            opened = False
            for found in reader.records([file], self.wanted):
                if isinstance(found, Stopped):
                    self._stopped(found)
                    continue
                if not opened:
                    opened = True
                    stats.inc_value(Group.STARTS.of("warc_file"))
                stats.inc_value(Stat.IMPORT_RECORDS)
                if isinstance(found, Skipped):
                    stats.inc_value(Group.IMPORT.of(found.reason))
                    continue
                assert isinstance(found, Record)
                item = self._page(found)
                if item is not None:
                    batch.append(item)
                if len(batch) >= LOOKUP_BATCH:
                    for new in await self._not_archived(batch):
                        await self._wait_for_room()
                        yield new
                    batch = []
        for new in await self._not_archived(batch):
            await self._wait_for_room()
            yield new
        self._read_all = True
        self._close_when_done()

    def _page(self, record: Record) -> PageItem | None:
        """The page item of a record, or None (counted) if it is no page to extract."""
        from crawler.warc.reader import BodyTooLarge

        stats = self.crawler.stats
        if not 200 <= record.status < 300:
            stats.inc_value(Stat.IMPORT_NOT_OK)
            return None
        mime = (record.header("Content-Type") or "").split(";", 1)[0].strip().lower()
        if mime and mime not in PAGE_TYPES:
            stats.inc_value(Stat.IMPORT_NOT_HTML)
            return None
        try:
            body = record.body(self.max_size)
        except BodyTooLarge:
            stats.inc_value(Stat.IMPORT_TOO_LARGE)
            return None
        if record.truncated:  # the reader says where it stopped
            return None
        response = self._response(record, body)
        if response is None:
            stats.inc_value(Stat.IMPORT_TOO_LARGE)
            return None
        if not is_html_page(response) or not isinstance(response, TextResponse):
            stats.inc_value(Stat.IMPORT_NOT_HTML)
            return None
        stats.inc_value(Stat.PAGES)
        item = page_item(
            response,
            url=record.url,
            fetched_at=record.fetched_at,
            source="warc",
            depth=0,
            crawl_config="import",
            warc_record=record.record_id,
        )
        item.warc_file = record.where.file
        item.warc_offset = record.where.offset
        item.warc_length = record.where.length
        return item

    def _response(self, record: Record, body: bytes) -> Response | None:
        """The response a crawl's download would have handed on: the body decoded by the
        crawl's own decompression (Scrapy's ``HttpCompressionMiddleware``: gzip, deflate,
        br, zstd, several codings in turn, bounded by ``DOWNLOAD_MAXSIZE``), the
        ``Content-Encoding`` it undid removed. None past that size."""
        headers = Headers([(k, v) for k, v in record.headers if k.lower() != "transfer-encoding"])
        response = Response(url=record.final_url, status=record.status, headers=headers, body=body)
        assert self._decompression is not None
        try:
            decoded = self._decompression.process_response(Request(record.final_url), response)
        except IgnoreRequest as exc:
            if decompression_too_large(exc):
                return None
            raise
        except Exception as exc:  # each codec raises its own error
            # Some tools record the body decoded and keep the header: read it as recorded.
            self.logger.warning(
                "%s: %s; its body read as recorded", record.final_url, type(exc).__name__
            )
            del response.headers["Content-Encoding"]
            decoded = response
        assert isinstance(decoded, Response)
        cls = responsetypes.from_args(headers=decoded.headers, url=decoded.url, body=decoded.body)
        return decoded.replace(cls=cls)

    async def _not_archived(self, items: list[PageItem]) -> list[PageItem]:
        ids = [item.warc_record for item in items if item.warc_record]
        if not ids or self._store is None:
            return items
        archived = await asyncio.to_thread(self._store.archived_records, ids)
        if archived:
            self.crawler.stats.inc_value(Stat.IMPORT_ARCHIVED, len(archived))
        return [item for item in items if item.warc_record not in archived]

    def _stopped(self, stopped: Any) -> None:
        message = f"{stopped.file}: stopped at offset {stopped.offset:,}: {stopped.reason}"
        self.stopped.append(message)
        self.crawler.stats.inc_value(Stat.IMPORT_STOPPED)
        self.logger.error("%s", message)

    # --- backpressure ---------------------------------------------------------------------------

    async def _wait_for_room(self) -> None:
        assert self._room is not None
        while self.in_flight >= self.max_in_flight:
            self._room.clear()
            await self._room.wait()
        self.in_flight += 1

    def _item_done(self, *args: Any, **kwargs: Any) -> None:
        self.in_flight = max(0, self.in_flight - 1)
        if self._room is not None:
            self._room.set()
        self._close_when_done()

    def _close_when_done(self) -> None:
        """Close as soon as every record is read and every page through the pipelines
        (Scrapy would notice only at its next idle check, up to 5 seconds later)."""
        if self._read_all and self.in_flight == 0 and self._closing is None:
            self._closing = asyncio.ensure_future(self._close())

    async def _close(self) -> None:
        engine = self.crawler.engine
        # The item whose signal got here is counted by the scraper until just after it.
        while engine.scraper.slot is not None and not engine.scraper.slot.is_idle():
            await asyncio.sleep(0.01)
        await engine.close_spider_async(reason="finished")

    def closed(self, reason: str) -> None:
        if self._store is not None:
            self._store.close()
