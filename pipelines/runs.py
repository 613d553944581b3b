"""Crawl-run recording: a Scrapy extension that records each crawl run in the archive.

When the spider opens, :class:`CrawlRunRecorder` marks ``abandoned`` the runs of this
host whose process is gone, starts a row in ``crawl_runs`` (the spider's run arguments,
this host and process) and puts its id in the stats (``newsarchive/crawl_run_id``),
where the store stage, the WARC writer and the summary read it. When the spider has
closed, after every pipeline has, it records how the run ended (its status, Scrapy's
finish reason and stats) and, per site, how many pages ended in each outcome in
``crawl_run_outcomes``: the pages the pipelines dropped (``item_dropped``), those that
ended before them (the ``crawler.signals.site_outcome`` signal: failed, blocked or
skipped fetches, unchanged pages, stopped sites) and the store stage's articles, which
it reports through the same signal. ``newsarchive stats`` and ``health`` read them.

It writes nothing else: the store stage writes the articles. ``ARCHIVE_RUNS_ENABLED``
off (or ``EXTENSIONS`` without it) and no run is recorded. It lives in ``pipelines/``,
the layer allowed to write the archive; ``crawler/settings.py`` names it in
``EXTENSIONS``.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import CloseSpider, NotConfigured
from sqlalchemy.exc import SQLAlchemyError

from archive.engine import ArchiveError, db_error_message
from archive.outcomes import DROPPED, Stat
from archive.writer.runs import CrawlRuns
from crawler.defaults import ARCHIVE_RUNS_ENABLED
from crawler.extensions.progress import run_status
from crawler.interfaces import run_args
from crawler.items import PageItem
from crawler.signals import site_outcome
from pipelines.extract import PageDropped
from pipelines.store import open_archive

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from sqlalchemy.engine import Engine

logger = logging.getLogger(__name__)


def drop_outcome(exception: BaseException) -> str:
    """The outcome key of a page an earlier stage dropped, as its stats key names it."""
    if isinstance(exception, PageDropped):
        return exception.key
    return DROPPED


class CrawlRunRecorder:
    """Records the crawl run and its per-site outcomes (``crawl_runs``,
    ``crawl_run_outcomes``)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.engine: Engine | None = None
        self.runs: CrawlRuns | None = None
        self.run_id: int | None = None
        self.site_outcomes: Counter[tuple[str, str]] = Counter()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlRunRecorder:
        if not ARCHIVE_RUNS_ENABLED.get(crawler.settings):
            raise NotConfigured
        recorder = cls(crawler)
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(recorder.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(recorder.outcome_seen, signal=site_outcome)
        return recorder

    async def spider_opened(self, spider: Spider) -> None:
        try:
            engine, self.run_id = await asyncio.to_thread(self._start, spider)
        except (ArchiveError, SQLAlchemyError) as exc:
            logger.error("cannot record the crawl run: %s", db_error_message(exc))
            self.stats.set_value(Stat.ARCHIVE_ERROR, db_error_message(exc)[:500])
            raise CloseSpider("archive_error") from None
        self.engine, self.runs = engine, CrawlRuns(engine)
        self.stats.set_value(Stat.CRAWL_RUN_ID, self.run_id)

    def _start(self, spider: Spider) -> tuple[Engine, int]:
        engine = open_archive(self.crawler.settings)
        try:
            runs = CrawlRuns(engine)
            abandoned = runs.mark_abandoned_runs()
            if abandoned:
                logger.warning("crawl runs %s were killed before they ended", abandoned)
            return engine, runs.start_run(run_args(spider))
        except SQLAlchemyError:
            engine.dispose()
            raise

    def item_dropped(self, item: Any, exception: BaseException) -> None:
        if isinstance(item, PageItem):
            self.site_outcomes[item.site, drop_outcome(exception)] += 1

    def outcome_seen(self, site: str, outcome: str, count: int = 1) -> None:
        """``count`` pages of ``site`` ended in ``outcome``: a failed, blocked or skipped
        fetch, an unchanged page, a site stopped, or the store stage's articles."""
        self.site_outcomes[site, outcome] += count

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Record how the run ended. Runs after every pipeline has closed, and in the
        reactor thread, so the stats it records are the run's last."""
        if self.runs is None or self.engine is None or self.run_id is None:
            return
        status = run_status(reason, self.stats.get_stats())
        self.stats.set_value(Stat.RUN_STATUS, status)
        stats = _json_stats(self.stats.get_stats())
        # On a full disk the stats may not fit: then record at least how the run ended.
        for attempt, outcomes in ((stats, dict(self.site_outcomes)), ({}, None)):
            try:
                self.runs.finish_run(self.run_id, status, reason, attempt, outcomes)
                break
            except SQLAlchemyError as exc:
                logger.error(
                    "could not record the end of crawl run %s: %s",
                    self.run_id,
                    db_error_message(exc),
                )
        self.engine.dispose()


def _json_stats(stats: dict[str, Any]) -> dict[str, Any]:
    """Scrapy's stats with datetimes as ISO strings, ready for a JSON column."""
    return {
        key: value.isoformat() if hasattr(value, "isoformat") else value
        for key, value in stats.items()
        if isinstance(value, str | int | float | bool) or hasattr(value, "isoformat")
    }
