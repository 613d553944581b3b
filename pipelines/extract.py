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
``EXTRACT_FUNCTION`` setting.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn

from scrapy.exceptions import DropItem
from scrapy.utils.misc import load_object

from crawler.items import PageItem
from pipelines.pool import ProcessPool, TaskError, TaskTimeout, WorkerCrashed
from pipelines.screen import Refusal, Screened, check_extraction, screen_page

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from pipelines.extraction import Extracted


DEFAULT_EXTRACT_FUNCTION = "pipelines.extraction.extract_article"


@dataclass(frozen=True, slots=True)
class PageResult:
    """What a worker returns for one page: its article and the signature of its text
    (``archive.neardup.signature``; None when not asked for or the text is short), or
    why there is no article."""

    extracted: Extracted | None = None
    signature: bytes | None = None
    refusal: Refusal | None = None


def quiet_worker_logs() -> None:
    """Run once in each worker: trafilatura warns about every page it discards."""
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    logging.getLogger("htmldate").setLevel(logging.ERROR)


def extract_page(
    body: bytes,
    encoding: str | None,
    url: str,
    function: str = DEFAULT_EXTRACT_FUNCTION,
    with_signature: bool = True,
) -> PageResult:
    """Run in a worker: screen one fetched page, extract its article from the text the
    screen decoded with ``function`` (an import path to ``f(html, url) -> Extracted``),
    and sign its text for near-duplicate clustering.

    The screen decodes (BOM, valid UTF-8, the declared charset, ``<meta charset>``) and
    refuses a page none of those decodes, so the extractor never guesses a charset.
    """
    from archive.neardup import signature

    screened = screen_page(body, encoding)
    if not isinstance(screened, Screened):
        return PageResult(refusal=screened)
    extract = load_object(function)
    try:
        extracted = extract(screened.text, url)
    except Exception:
        refusal = check_extraction(screened.text, "")
        if refusal is None or refusal.reason == "empty_text":
            raise
        return PageResult(refusal=refusal)
    refusal = check_extraction(screened.text, extracted.text or "")
    if refusal is not None:
        return PageResult(refusal=refusal)
    return PageResult(extracted, signature(extracted.text) if with_signature else None)


class ExtractPipeline:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.stats = crawler.stats
        self.workers = settings.getint("EXTRACT_WORKERS")
        self.timeout = settings.getfloat("EXTRACT_TIMEOUT")
        self.max_pending = max(1, settings.getint("EXTRACT_MAX_PENDING"))
        self.function = settings.get("EXTRACT_FUNCTION") or DEFAULT_EXTRACT_FUNCTION
        self.with_signature = settings.getbool("DEDUP_NEAR_ENABLED")
        self.pool: ProcessPool | None = None
        self._slots: asyncio.Semaphore | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        function_module = self.function.rpartition(".")[0]
        self.pool = ProcessPool(
            extract_page,
            self.workers,
            self.timeout,
            max_tasks=2000,
            initializer=quiet_worker_logs,
            preload=(
                "pipelines.extraction",
                "pipelines.extract",
                "archive.neardup",
                function_module,
            ),
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
            future = self.pool.submit(
                item.body, item.encoding, item.final_url, self.function, self.with_signature
            )
            try:
                result: PageResult = await asyncio.wrap_future(future)
            except TaskTimeout as exc:
                self._fail("extract_timeout", item, exc)
            except WorkerCrashed as exc:
                self._fail("extract_crashed", item, exc)
            except TaskError as exc:
                self._fail("extract_error", item, exc)
        if result.refusal is not None:
            self._refuse(item, result.refusal)
        item.extracted, item.signature = result.extracted, result.signature
        return item

    def _refuse(self, item: PageItem, refusal: Refusal) -> NoReturn:
        self.stats.inc_value(f"newsarchive/{refusal.outcome}/{refusal.reason}")
        raise DropItem(
            f"{refusal.outcome} ({refusal.reason}): {item.final_url}: {refusal.detail}",
            log_level="WARNING" if refusal.outcome == "failed" else "INFO",
        )

    def _fail(self, reason: str, item: PageItem, exc: Exception) -> NoReturn:
        self.stats.inc_value(f"newsarchive/failed/{reason}")
        raise DropItem(f"failed ({reason}): {item.final_url}: {exc}", log_level="WARNING")
