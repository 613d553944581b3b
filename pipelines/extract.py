"""Extract stage: trafilatura (through ``pipelines.extraction``) in worker processes.

Extraction costs 20-40 ms of CPU per page. Run in the reactor thread it would stall
every download; here it runs in a pool of processes (one per core by default) while
the reactor goes on fetching. At most ``EXTRACT_MAX_PENDING`` pages wait for a
worker: past that, ``process_item`` waits, the scraper holds its responses, and the
engine stops scheduling downloads (Scrapy's own backpressure).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import DropItem

from crawler.items import PageItem
from pipelines.pool import ProcessPool, TaskError, TaskTimeout, WorkerCrashed

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from pipelines.extraction import Extracted


def quiet_worker_logs() -> None:
    """Run once in each worker: trafilatura warns about every page it discards."""
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    logging.getLogger("htmldate").setLevel(logging.ERROR)


def extract_page(body: bytes, url: str) -> Extracted:
    """Run in a worker: extract one fetched page's article from its raw bytes.

    The extractor sniffs the charset itself (BOM, valid UTF-8, ``<meta charset>``,
    then charset_normalizer), which catches the pages whose HTTP header lies.
    """
    from pipelines.extraction import extract_article

    return extract_article(body, url)


class ExtractPipeline:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.stats = crawler.stats
        self.workers = settings.getint("EXTRACT_WORKERS")
        self.timeout = settings.getfloat("EXTRACT_TIMEOUT")
        self.max_pending = max(1, settings.getint("EXTRACT_MAX_PENDING"))
        self.pool: ProcessPool | None = None
        self._slots: asyncio.Semaphore | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.pool = ProcessPool(
            extract_page,
            self.workers,
            self.timeout,
            max_tasks=2000,
            initializer=quiet_worker_logs,
            preload=("pipelines.extraction", "pipelines.extract"),
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
            future = self.pool.submit(item.body, item.final_url)
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
