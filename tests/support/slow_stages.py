"""Crawl stages made slow on purpose, and a count of the pages in flight, for
the backpressure tests (loaded into ``newsarchive crawl`` through ``-s`` settings)."""

from __future__ import annotations

import time
from typing import Any

from scrapy import signals

from pipelines.extract import ExtractPipeline
from pipelines.store import StorePipeline
from tests.support.pool_tasks import slow_extract_page

WRITE_DELAY_S = 0.3


class SlowExtractPipeline(ExtractPipeline):
    task = staticmethod(slow_extract_page)


class SlowStorePipeline(StorePipeline):
    """The archive writer waits before each batch, as on a slow or busy database; the
    longest its queue got is kept in the stats as ``test/max_writer_queue``."""

    async def open_spider(self) -> None:
        await super().open_spider()
        assert self.writer is not None and self.thread is not None
        write_batch = self.writer.write_batch
        thread = self.thread
        put = thread.put

        def counted_put(record: Any) -> None:
            put(record)
            self.stats.max_value("test/max_writer_queue", thread.waiting())

        thread.put = counted_put  # type: ignore[method-assign]

        def slow_write_batch(records: Any, run_id: int | None = None, seen: Any = ()) -> Any:
            time.sleep(WRITE_DELAY_S)
            return write_batch(records, run_id, seen)

        self.writer.write_batch = slow_write_batch  # type: ignore[method-assign]


class PagesInFlight:
    """The most HTML pages held at once between their download and the end of the
    pipelines, kept in the stats as ``test/max_pages_in_flight``."""

    def __init__(self, crawler: Any) -> None:
        self.stats = crawler.stats
        self.in_flight = 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> PagesInFlight:
        ext = cls(crawler)
        crawler.signals.connect(ext.received, signal=signals.response_received)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(ext.left, signal=signal)
        return ext

    def received(self, response: Any, request: Any, spider: Any) -> None:
        if b"text/html" in (response.headers.get(b"Content-Type") or b""):
            self.in_flight += 1
            self.stats.max_value("test/max_pages_in_flight", self.in_flight)

    def left(self, item: Any, **kwargs: Any) -> None:
        self.in_flight -= 1
