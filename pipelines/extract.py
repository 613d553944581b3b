"""Extract stage: trafilatura (through ``pipelines.extraction``) in worker processes.

Extraction costs 20-40 ms of CPU per page. Run in the reactor thread it would stall
every download; here it runs in a pool of processes (one per core by default) while
the reactor goes on fetching. The worker also computes the text's MinHash signature
for near-duplicate clustering (about 1 ms for 5 kB of text: too much for the reactor).
At most ``EXTRACT_MAX_PENDING`` pages wait for a worker: past that, ``process_item``
waits, the scraper holds its responses, and the engine stops scheduling downloads
(Scrapy's own backpressure).

Before extraction, the worker screens the page (``pipelines/screen.py``): binary,
PDF, NUL bytes, a wrong charset or a truncated page is counted as skipped (or
failed) with its reason instead of becoming an empty or garbled article. A page
that hangs or crashes the worker fails alone (``EXTRACT_TIMEOUT``, dead-worker
replacement in ``pipelines/pool.py``). The function run on each page is the
``EXTRACT_FUNCTION`` setting. Workers import ``pipelines.worker`` only: the screen and
the extraction engine, no Scrapy (``EXTRACT_START_METHOD``, subprocess by default).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn

from scrapy.exceptions import DropItem

from archive.outcomes import FailReason, Group, stats_key
from crawler.defaults import (
    DEDUP_NEAR_ENABLED,
    EXTRACT_FUNCTION,
    EXTRACT_MAX_PENDING,
    EXTRACT_START_METHOD,
    EXTRACT_TIMEOUT,
    EXTRACT_WORKER_MAX_TASKS,
    EXTRACT_WORKERS,
)
from crawler.items import PageItem
from pipelines.extraction.metadata import language_code, parse_datetime
from pipelines.pool import ProcessPool, TaskError, TaskTimeout, WorkerCrashed
from pipelines.worker import (
    PageResult,
    extract_page,
    init_worker,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from scrapy.crawler import Crawler

    from pipelines.extraction import Extracted
    from pipelines.screen import Refusal


class PageDropped(DropItem):
    """A page this stage dropped; ``key`` is its stats key without ``newsarchive/``
    (``failed/extract_timeout``, ``skipped/binary``...), for per-site counts."""

    def __init__(self, key: str, message: str, log_level: str) -> None:
        super().__init__(message, log_level=log_level)
        self.key = key


def fill_from_listing(extracted: Extracted, listing: Mapping[str, Any] | None) -> None:
    """Fill what the page itself does not say from what its news sitemap or feed said
    (``PageItem.listing``): title, publication date, language, keywords as tags."""
    if not listing:
        return
    extracted.title = extracted.title or listing.get("title")
    extracted.published_at = extracted.published_at or parse_datetime(listing.get("published"))
    extracted.language = extracted.language or language_code(listing.get("language"))
    if not extracted.tags and listing.get("keywords"):
        extracted.tags = list(listing["keywords"])


def start_pool(
    workers: int,
    timeout: float,
    function: str = EXTRACT_FUNCTION.default,
    *,
    task: Callable[..., PageResult] = extract_page,
    start_method: str = EXTRACT_START_METHOD.default,
    max_tasks: int = EXTRACT_WORKER_MAX_TASKS.default,
) -> ProcessPool:
    """The extraction worker pool, as the crawl and ``newsarchive reextract`` run it:
    ``task(body, encoding, url, function, with_signature[, pack_body])`` per page."""
    return ProcessPool(
        task,
        workers,
        timeout,
        max_tasks=max_tasks,
        initializer=init_worker,
        initargs=(function,),
        start_method=start_method,
        preload=("pipelines.worker", "archive.minhash", function.rpartition(".")[0]),
    ).start()


class ExtractPipeline:
    # what each worker runs per page; tests substitute slower or failing tasks
    task: ClassVar[Callable[..., PageResult]] = staticmethod(extract_page)

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.stats = crawler.stats
        self.workers = EXTRACT_WORKERS.get(settings)
        self.timeout = EXTRACT_TIMEOUT.get(settings)
        self.max_pending = max(1, EXTRACT_MAX_PENDING.get(settings))
        self.function = EXTRACT_FUNCTION.get(settings) or EXTRACT_FUNCTION.default
        self.with_signature = DEDUP_NEAR_ENABLED.get(settings)
        self.start_method = EXTRACT_START_METHOD.get(settings) or EXTRACT_START_METHOD.default
        self.max_tasks = EXTRACT_WORKER_MAX_TASKS.get(settings)
        self.pool: ProcessPool | None = None
        self._slots: asyncio.Semaphore | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.pool = start_pool(
            self.workers,
            self.timeout,
            self.function,
            task=type(self).task,
            start_method=self.start_method,
            max_tasks=self.max_tasks,
        )
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
            future = self.pool.submit(
                item.body, item.encoding, item.final_url, self.function, self.with_signature, True
            )
            try:
                result: PageResult = await asyncio.wrap_future(future)
            except TaskTimeout as exc:
                self._fail(FailReason.EXTRACT_TIMEOUT, item, exc)
            except WorkerCrashed as exc:
                self._fail(FailReason.EXTRACT_CRASHED, item, exc)
            except TaskError as exc:
                self._fail(FailReason.EXTRACT_ERROR, item, exc)
        if result.refusal is not None:
            self._refuse(item, result.refusal)
        item.extracted, item.signature = result.extracted, result.signature
        item.packed_body = result.body
        fill_from_listing(item.extracted, item.listing)
        return item

    def _refuse(self, item: PageItem, refusal: Refusal) -> NoReturn:
        self.stats.inc_value(stats_key(f"{refusal.outcome}/{refusal.reason}"))
        raise PageDropped(
            f"{refusal.outcome}/{refusal.reason}",
            f"{refusal.outcome} ({refusal.reason}): {item.final_url}: {refusal.detail}",
            "WARNING" if refusal.outcome == "failed" else "INFO",
        )

    def _fail(self, reason: str, item: PageItem, exc: Exception) -> NoReturn:
        self.stats.inc_value(Group.FAILED.of(reason))
        raise PageDropped(
            f"failed/{reason}", f"failed ({reason}): {item.final_url}: {exc}", "WARNING"
        )
