"""Extract stage: trafilatura (through ``pipelines.extraction``) in worker processes.

Extraction costs 15-60 ms of CPU per page. Run in the reactor thread it would stall
every download; here it runs in a pool of processes (one per core by default) while
the reactor goes on fetching. At most ``EXTRACT_MAX_PENDING`` pages wait for a
worker: past that, ``process_item`` waits, the scraper holds its responses, and the
engine stops scheduling downloads once they pass ``SCRAPER_SLOT_MAX_ACTIVE_SIZE``
(Scrapy's own backpressure).

A worker gets the page's bytes, its encoding and its URL (bytes pickle as one copy)
and returns the ``Extracted`` result. Workers import ``pipelines.worker``: the
extraction engine, no Scrapy, no database.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, ClassVar

from scrapy.exceptions import DropItem

from crawler.items import PageItem
from pipelines.pool import ProcessPool, TaskError, TaskTimeout, WorkerCrashed
from pipelines.worker import extract_page

if TYPE_CHECKING:
    from collections.abc import Callable

    from scrapy.crawler import Crawler

# A worker is replaced after this many pages: memory a parser fragments goes back.
WORKER_MAX_TASKS = 2000


class ExtractPipeline:
    # What the workers run, and the modules their fork server imports beforehand.
    task: ClassVar[Callable[[bytes, str | None, str], Any]] = staticmethod(extract_page)
    preload: ClassVar[tuple[str, ...]] = ("pipelines.worker",)

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.stats = crawler.stats
        self.workers = settings.getint("EXTRACT_WORKERS")
        self.timeout = settings.getfloat("EXTRACT_TIMEOUT")
        self.max_pending = max(1, settings.getint("EXTRACT_MAX_PENDING"))
        self.start_method = settings.get("EXTRACT_START_METHOD") or "spawn"
        self.pool: ProcessPool | None = None
        self._slots: asyncio.Semaphore | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.pool = ProcessPool(
            type(self).task,
            self.workers,
            self.timeout,
            max_tasks=WORKER_MAX_TASKS,
            preload=self.preload,
            start_method=self.start_method,
        ).start()
        self._slots = asyncio.Semaphore(self.max_pending)

    async def close_spider(self) -> None:
        if self.pool is not None:
            await asyncio.to_thread(self.pool.close, self.timeout)
            self.pool = None

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            return item
        assert self.pool is not None and self._slots is not None
        async with self._slots:
            future = self.pool.submit(item.body, item.encoding, item.final_url)
            try:
                item.extracted = await asyncio.wrap_future(future)
            except TaskTimeout as exc:
                self._fail("extract_timeout", item, exc)
            except WorkerCrashed as exc:
                self._fail("extract_crashed", item, exc)
            except TaskError as exc:
                self._fail("extract_error", item, exc)
        return item

    def _fail(self, reason: str, item: PageItem, exc: Exception) -> None:
        self.stats.inc_value(f"newsarchive/failed/{reason}")
        raise DropItem(f"{reason}: {item.final_url}: {exc}", log_level="WARNING")
