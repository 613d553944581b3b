"""Store stage: articles into the archive, in batches, on a writer thread.

SQL never runs in the reactor thread: ``process_item`` hands the article to a
writer thread and returns. The thread writes one transaction per batch, flushed
when ``ARCHIVE_BATCH_SIZE`` articles wait or ``ARCHIVE_FLUSH_INTERVAL`` seconds
have passed, and once more at shutdown. At most ``ARCHIVE_MAX_PENDING`` articles
wait; past that ``process_item`` waits too, which slows the crawl instead of
growing memory.

A batch that fails because the database went away (a restart, a dropped
connection, a failover) is retried with backoff for up to ``ARCHIVE_RETRY_TIMEOUT``
seconds; the pool reconnects and nothing is lost. With ``ARCHIVE_WAIT_FOR_COMMIT``
``process_item`` returns only once the article's batch is committed, so that Scrapy
is done with a page only when its article is safe (the shared Redis frontier
acknowledges a request at that point).

The store stage is the crawl's one writer of articles: the articles a re-crawl found
unchanged (a 304, which yields no item) reach it from the incremental middleware by
the ``crawler.signals.article_unchanged`` signal, and the writer thread moves their
``last_seen_at`` in its next batch's transaction.

The crawl run itself (``crawl_runs``, ``crawl_run_outcomes``) is recorded by the
``pipelines.runs.CrawlRunRecorder`` extension: this stage writes its batches under the
run id the recorder put in the stats (``newsarchive/crawl_run_id``) and reports each
written article's outcome per site through the ``crawler.signals.site_outcome`` signal.
The writer cleans each text of its site's learned boilerplate (``archive.boilerplate``,
settings ``ARCHIVE_BOILERPLATE_*``) and, before the thread ends, re-cleans any article a
model change left behind.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import OperationalError, SQLAlchemyError

from archive.boilerplate import Policy
from archive.engine import (
    ArchiveError,
    check_schema,
    create_archive_engine,
    db_error_message,
    is_transient_error,
    resolve_db_url,
    upgrade_archive,
)
from archive.fields import metadata_of
from archive.outcomes import Group, Stat
from archive.writer import (
    ArchiveWriter,
    ArticleRecord,
    CaptureRecord,
    Outcome,
    WarcPointer,
    WriteResult,
)
from crawler.defaults import (
    ARCHIVE_AUTO_UPGRADE,
    ARCHIVE_BATCH_SIZE,
    ARCHIVE_BOILERPLATE_ENABLED,
    ARCHIVE_BOILERPLATE_KEEP_SHARE,
    ARCHIVE_BOILERPLATE_MAX_WORDS,
    ARCHIVE_BOILERPLATE_MIN_ARTICLES,
    ARCHIVE_BOILERPLATE_MIN_LINE_ARTICLES,
    ARCHIVE_BOILERPLATE_MIN_SHARE,
    ARCHIVE_BOILERPLATE_RECLEAN_BUDGET,
    ARCHIVE_DB_URL,
    ARCHIVE_FLUSH_INTERVAL,
    ARCHIVE_MAX_PENDING,
    ARCHIVE_RETRY_TIMEOUT,
    ARCHIVE_SCHEMA_READY,
    ARCHIVE_SQLITE_MAX_BYTES,
    ARCHIVE_WAIT_FOR_COMMIT,
    DEDUP_NEAR_ENABLED,
    DEDUP_NEAR_THRESHOLD,
)
from crawler.extensions.warc import WarcRecorder, recorder_of
from crawler.items import PageItem
from crawler.signals import article_unchanged, site_outcome
from pipelines.extraction.pagestate import LIVE_BLOG

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from sqlalchemy.engine import Engine

logger = logging.getLogger(__name__)

# Backoff between retries of a batch while the database is unreachable (seconds).
RETRY_FIRST_DELAY = 0.5
RETRY_MAX_DELAY = 10.0
SCHEMA_LOCK_WAIT_S = 10.0  # a SQLite archive locked at once is opened again for this long


def open_archive(settings: BaseSettings) -> Engine:
    """A writing engine on the crawl's archive (ARCHIVE_DB_URL), its schema created or
    migrated (ARCHIVE_AUTO_UPGRADE) or checked to be the latest, unless whoever started
    the crawl did so already (ARCHIVE_SCHEMA_READY: the command line, before Scrapy)."""
    engine = create_archive_engine(
        resolve_db_url(ARCHIVE_DB_URL.get(settings)),
        write=True,
        sqlite_max_bytes=ARCHIVE_SQLITE_MAX_BYTES.get(settings),
    )
    if ARCHIVE_SCHEMA_READY.get(settings):
        return engine
    try:
        prepare_schema(engine, upgrade=ARCHIVE_AUTO_UPGRADE.get(settings))
    except SQLAlchemyError as exc:
        engine.dispose()
        where = engine.url.render_as_string(hide_password=True)
        raise ArchiveError(f"cannot open the archive {where}: {str(exc).splitlines()[0]}") from exc
    except ArchiveError:
        engine.dispose()
        raise
    return engine


def prepare_schema(engine: Engine, upgrade: bool) -> None:
    """Migrate the archive's schema to the latest (``upgrade``) or check that it is.

    Crawls sharing one SQLite file start together (one crawl split among workers): a
    worker can find the file locked by another's first connection or migration in a way
    SQLite reports at once instead of waiting out the busy timeout; that lock passes, so
    the step is tried again, with backoff, for ``SCHEMA_LOCK_WAIT_S``. Any other error, or
    a lock that stays (one that outlasted the busy timeout has), is the caller's."""
    deadline = time.monotonic() + SCHEMA_LOCK_WAIT_S
    delay = RETRY_FIRST_DELAY
    while True:
        try:
            if upgrade:
                upgrade_archive(engine)
            else:
                check_schema(engine)
            return
        except OperationalError as exc:
            locked = engine.dialect.name == "sqlite" and is_transient_error(exc)
            if not locked or time.monotonic() + delay > deadline:
                raise
            logger.warning("archive locked, opening it again in %.1f s", delay)
            time.sleep(delay)
            delay = min(delay * 2, RETRY_MAX_DELAY)


def boilerplate_policy(settings: BaseSettings) -> Policy | None:
    """The ARCHIVE_BOILERPLATE_* settings, checked; None when learning is switched off."""
    if not ARCHIVE_BOILERPLATE_ENABLED.get(settings):
        return None
    return Policy(
        min_site_articles=ARCHIVE_BOILERPLATE_MIN_ARTICLES.get(settings),
        min_line_articles=ARCHIVE_BOILERPLATE_MIN_LINE_ARTICLES.get(settings),
        min_share=ARCHIVE_BOILERPLATE_MIN_SHARE.get(settings),
        keep_share=ARCHIVE_BOILERPLATE_KEEP_SHARE.get(settings),
        max_words=ARCHIVE_BOILERPLATE_MAX_WORDS.get(settings),
    )


def near_threshold(settings: BaseSettings) -> float | None:
    """DEDUP_NEAR_THRESHOLD, checked; None when near-duplicate clustering is off."""
    if not DEDUP_NEAR_ENABLED.get(settings):
        return None
    threshold = DEDUP_NEAR_THRESHOLD.get(settings)
    if not 0 < threshold <= 1:
        raise ValueError(f"DEDUP_NEAR_THRESHOLD must be above 0 and at most 1, not {threshold}")
    return threshold


def to_record(item: PageItem, warc: WarcPointer | None = None) -> ArticleRecord:
    doc = item.extracted
    assert doc is not None and item.content_hash is not None
    return ArticleRecord(
        url=item.urls[0],
        urls=item.urls,
        site=item.site,
        text=doc.text,
        content_hash=item.content_hash,
        capture=CaptureRecord(
            url=item.url,
            final_url=item.final_url,
            status=item.status,
            headers=item.headers,
            # The worker packed the body: the queue to the writer then holds ~30 KiB a
            # page rather than the raw page, which Scrapy frees once this stage returns.
            body=b"" if item.packed_body is not None else item.body,
            fetched_at=item.fetched_at,
            packed=item.packed_body,
            warc=warc,
        ),
        **metadata_of(doc),
        signature=item.signature,
        live=LIVE_BLOG in doc.jsonld_types,
    )


class BatchWriterThread(threading.Thread):
    """Drains the records handed to it into the archive, one transaction per batch.

    The thread is woken only when a batch is full or at shutdown, and otherwise sleeps
    until the flush interval is up: a wake-up per article would cost both threads a
    switch and the reactor a lock hand-off for every page.
    """

    def __init__(
        self,
        writer: ArchiveWriter,
        run_id: Callable[[], int | None],
        *,
        batch_size: int,
        flush_interval: float,
        on_results: Any,
        on_error: Any,
        retry_timeout: float = 0.0,
        on_retry: Any = None,
    ) -> None:
        super().__init__(name="archive-writer", daemon=True)
        self.retry_timeout = retry_timeout
        self.on_retry = on_retry
        self.writer = writer
        self.run_id = run_id
        self.batch_size = max(1, batch_size)
        self.flush_interval = flush_interval
        self._records: deque[ArticleRecord] = deque()
        self._seen: set[int] = set()
        self._ready = threading.Condition(threading.Lock())
        self._stopping = False
        self.on_results = on_results
        self.on_error = on_error
        self.failed = False

    def put(self, record: ArticleRecord) -> None:
        with self._ready:
            self._records.append(record)
            if len(self._records) >= self.batch_size:
                self._ready.notify()

    def put_seen(self, article_id: int) -> None:
        """An archived article seen unchanged: written with the next batch."""
        with self._ready:
            self._seen.add(article_id)

    def waiting(self) -> int:
        """How many records wait for their batch."""
        return len(self._records)

    def stop(self) -> None:
        """Write what was put, then end (after re-cleaning what a model change left)."""
        with self._ready:
            self._stopping = True
            self._ready.notify()

    def _next_batch(self, deadline: float) -> tuple[list[ArticleRecord], set[int], bool]:
        """Wait for a full batch, the deadline or shutdown; the records to write now, the
        articles seen unchanged, and whether the thread is done after them."""
        with self._ready:
            while not self._stopping and len(self._records) < self.batch_size:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._ready.wait(remaining)
            take = min(len(self._records), self.batch_size)
            batch = [self._records.popleft() for _ in range(take)]
            seen, self._seen = self._seen, set()
            return batch, seen, self._stopping and not self._records

    def run(self) -> None:
        while True:
            batch, seen, done = self._next_batch(time.monotonic() + self.flush_interval)
            if batch or seen:
                self._flush(batch, seen)
            if done:
                self._catch_up()
                return

    def _catch_up(self) -> None:
        if self.failed:
            return
        try:
            self.writer.catch_up()
        except Exception as exc:
            logger.error("could not re-clean the crawled sites' articles: %s", exc)

    def _flush(self, batch: list[ArticleRecord], seen: Collection[int] = ()) -> None:
        if self.failed:
            self.on_results(
                batch, [WriteResult(Outcome.FAILED, error="archive unavailable")] * len(batch)
            )
            return
        try:
            results = self._write_retrying(batch, seen)
        except Exception as exc:
            # Any failure here (SQLAlchemyError, disk full, a bug) must stop the crawl
            # cleanly: a dead writer thread would otherwise leave the crawl waiting forever.
            # The batch's transaction rolled back: what earlier batches committed stays.
            self.failed = True
            message = db_error_message(exc)
            logger.error(
                "archive write failed, stopping the crawl (%d articles not written): %s",
                len(batch),
                message,
            )
            results = [WriteResult(Outcome.FAILED, error=message)] * len(batch)
            self.on_error(message)
        if batch:
            self.on_results(batch, results)

    def _write_retrying(
        self, batch: list[ArticleRecord], seen: Collection[int]
    ) -> list[WriteResult]:
        """Write the batch (and the articles seen unchanged), retrying with backoff
        while the database is unreachable.

        A batch is one transaction: after a failure it was either not committed, or
        (a connection lost during COMMIT) committed, and then rewriting it finds every
        article already there. Either way nothing is lost and nothing duplicated."""
        deadline = time.monotonic() + self.retry_timeout
        delay = RETRY_FIRST_DELAY
        while True:
            try:
                return self.writer.write_batch(batch, self.run_id(), seen)
            except SQLAlchemyError as exc:
                if not is_transient_error(exc) or time.monotonic() + delay > deadline:
                    raise
                logger.warning(
                    "archive unavailable, retrying a batch of %d in %.1f s: %s",
                    len(batch),
                    delay,
                    str(exc).splitlines()[0],
                )
                if self.on_retry is not None:
                    self.on_retry()
                time.sleep(delay)
                delay = min(delay * 2, RETRY_MAX_DELAY)


class StorePipeline:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.batch_size = max(1, ARCHIVE_BATCH_SIZE.get(settings))
        self.flush_interval = ARCHIVE_FLUSH_INTERVAL.get(settings)
        self.max_pending = max(1, ARCHIVE_MAX_PENDING.get(settings))
        self.retry_timeout = ARCHIVE_RETRY_TIMEOUT.get(settings)
        self.wait_for_commit = ARCHIVE_WAIT_FOR_COMMIT.get(settings)
        self._commits: dict[int, asyncio.Future[WriteResult]] = {}
        self.near_threshold = near_threshold(settings)
        self.boilerplate = boilerplate_policy(settings)
        self.reclean_budget = ARCHIVE_BOILERPLATE_RECLEAN_BUDGET.get(settings) or None
        self.engine: Engine | None = None
        self.writer: ArchiveWriter | None = None
        self.thread: BatchWriterThread | None = None
        self.warc: WarcRecorder | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._slots: asyncio.Semaphore | None = None
        self._closing: asyncio.Future[None] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.article_seen, signal=article_unchanged)
        return pipeline

    async def open_spider(self) -> None:
        self.warc = recorder_of(self.crawler)
        self._loop = asyncio.get_running_loop()
        self._slots = asyncio.Semaphore(self.max_pending)
        self.engine = engine = await asyncio.to_thread(open_archive, self.crawler.settings)
        self.writer = ArchiveWriter(
            engine,
            near_threshold=self.near_threshold,
            boilerplate_policy=self.boilerplate,
            reclean_budget=self.reclean_budget,
        )
        self.thread = BatchWriterThread(
            self.writer,
            self.run_id,
            batch_size=self.batch_size,
            flush_interval=self.flush_interval,
            on_results=self._results_from_thread,
            on_error=self._error_from_thread,
            retry_timeout=self.retry_timeout,
            on_retry=self._retry_from_thread,
        )
        self.thread.start()

    def article_seen(self, article_id: int) -> None:
        """An archived article a re-crawl found unchanged: its ``last_seen_at`` moves
        with the next batch."""
        if self.thread is not None:
            self.thread.put_seen(article_id)

    def run_id(self) -> int | None:
        """The crawl run the batches belong to: the one the run recorder started (none
        when runs are not recorded). Read by the writer thread at each batch."""
        run_id = self.stats.get_value(Stat.CRAWL_RUN_ID)
        return int(run_id) if run_id is not None else None

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem) or item.content_hash is None:
            return item
        assert self.thread is not None and self._slots is not None
        warc = await self._warc_pointer(item)
        await self._slots.acquire()
        record = to_record(item, warc)
        if not self.wait_for_commit:
            self.thread.put(record)
            return item
        assert self._loop is not None
        committed = self._loop.create_future()
        self._commits[id(record)] = committed
        self.thread.put(record)
        result = await committed
        if result.outcome == Outcome.FAILED:
            raise ArchiveError(f"not archived: {item.final_url}: {result.error}")
        return item

    async def _warc_pointer(self, item: PageItem) -> WarcPointer | None:
        """The WARC record of the item's fetch: the imported record, or the one this crawl
        wrote (once the WARC writer says where it went)."""
        if item.warc_file is not None:
            return WarcPointer(item.warc_file, item.warc_offset, item.warc_length, item.warc_record)
        if self.warc is None or item.warc_record is None:
            return None
        location = await self.warc.location(item.warc_record)
        if location is None:
            return None
        return WarcPointer(location.path, location.offset, location.length, item.warc_record)

    async def close_spider(self) -> None:
        if self.thread is not None:
            self.thread.stop()
            await asyncio.to_thread(self.thread.join)
        if self.writer is not None and self.writer.recleaned:
            self.stats.set_value(Stat.BOILERPLATE_RECLEANED, len(self.writer.recleaned))
        if self.engine is not None:
            self.engine.dispose()

    # --- called from the writer thread ---------------------------------------------------

    def _results_from_thread(self, batch: list[ArticleRecord], results: list[WriteResult]) -> None:
        assert self._loop is not None
        sites = [record.site for record in batch]
        self._loop.call_soon_threadsafe(self._count, sites, results)
        if self.wait_for_commit:
            self._loop.call_soon_threadsafe(self._committed, batch, results)

    def _retry_from_thread(self) -> None:
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self.stats.inc_value, Stat.ARCHIVE_RETRIES)

    def _error_from_thread(self, message: str) -> None:
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._stop_crawl, message)

    def _count(self, sites: list[str], results: list[WriteResult]) -> None:
        assert self._slots is not None
        written: Counter[tuple[str, str]] = Counter()
        for site, result in zip(sites, results, strict=True):
            self.stats.inc_value(Group.ARTICLES.of(result.outcome))
            written[site, f"articles/{result.outcome}"] += 1
            if result.near_duplicate:
                self.stats.inc_value(Stat.NEAR_DUPLICATES)
            if result.reason:
                self.stats.inc_value(Group.VERSIONS.of(result.reason))
        for _ in sites:
            self._slots.release()
        for (site, outcome), count in written.items():
            self.crawler.signals.send_catch_log(
                site_outcome, site=site, outcome=outcome, count=count
            )

    def _committed(self, batch: list[ArticleRecord], results: list[WriteResult]) -> None:
        for record, result in zip(batch, results, strict=True):
            waiter = self._commits.pop(id(record), None)
            if waiter is not None and not waiter.done():
                waiter.set_result(result)

    def _stop_crawl(self, message: str) -> None:
        self.stats.set_value(Stat.ARCHIVE_ERROR, message[:500])
        engine = self.crawler.engine
        if engine is not None and engine.running:
            self._closing = asyncio.ensure_future(engine.close_spider_async(reason="archive_error"))
