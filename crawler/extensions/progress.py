"""A progress line every ``PROGRESS_INTERVAL`` seconds and a summary table at the end.

Both read Scrapy's stats, the same counters the crawl run records in the archive,
so what a person watches and what the archive keeps cannot disagree. Lines go to
standard error, whatever the log level.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, TextIO

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.misc import load_object
from twisted.internet import task

from archive.outcomes import ArticleOutcome, Group, Stat
from crawler.defaults import PROGRESS_ENABLED, PROGRESS_INTERVAL, PROGRESS_LABEL

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

OUTCOMES = ("new", "updated", "unchanged", "duplicate")
RUN_STATUS = {"finished": "finished", "shutdown": "interrupted"}


def run_status(reason: str | None, stats: dict[str, Any]) -> str:
    """How a crawl run ended: finished (limits reached included), interrupted, failed,
    or blocked.

    A crawl fails when the archive (or its WARC files) could not be written or when not
    one start URL could be fetched (by this process, or by any worker on a shared frontier).
    It is ``blocked`` when it would have finished (or failed for want of a start page)
    but a site answered nothing but blocks (``newsarchive/blocked_only``, see
    ``crawler/middlewares/blocks.py``): the exit code is 1 then, as for a failure.
    """
    if stats.get(Stat.ARCHIVE_ERROR) or stats.get(Stat.WARC_ERROR):
        return "failed"
    if reason is None:
        return "failed"
    if reason == "shutdown":  # stopped by a signal, perhaps before any start page came
        return "interrupted"
    blocked = bool(stats.get(Stat.BLOCKED_ONLY))
    # A worker on a shared frontier may never get a start page: another worker fetched it.
    if not _sum_prefix(stats, Group.STARTS) and not stats.get(Stat.FRONTIER):
        return "blocked" if blocked else "failed"
    status = "finished" if reason.startswith("closespider_") else RUN_STATUS.get(reason, "failed")
    return "blocked" if blocked and status == "finished" else status


_EXCEPTION_TYPES = "downloader/exception_type_count/"


@cache
def _is_refusal(type_name: str) -> bool:
    """Whether a downloader exception is a request the crawl chose not to send
    (robots.txt, the network guard, an unchanged page), not a failed download."""
    try:
        return issubclass(load_object(type_name), IgnoreRequest)
    except (ImportError, AttributeError, NameError, TypeError, ValueError):
        return False


def _download_errors(stats: dict[str, Any]) -> int:
    return sum(
        int(count)
        for key, count in stats.items()
        if key.startswith(_EXCEPTION_TYPES) and not _is_refusal(key.removeprefix(_EXCEPTION_TYPES))
    )


def _sum_prefix(stats: dict[str, Any], prefix: str) -> int:
    return sum(int(v) for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int))


@dataclass(slots=True, frozen=True)
class Counts:
    """The crawl's outcome counts, read from Scrapy's stats."""

    fetched: int
    pages: int
    articles: dict[str, int]
    skipped: int
    failed: int
    blocked: int
    fetch_errors: int

    @classmethod
    def from_stats(cls, stats: dict[str, Any]) -> Counts:
        return cls(
            # responses downloaded, or records read by an import
            fetched=int(stats.get("downloader/response_count", 0))
            + int(stats.get(Stat.IMPORT_RECORDS, 0)),
            pages=int(stats.get(Stat.PAGES, 0)),
            articles={o: int(stats.get(Group.ARTICLES.of(o), 0)) for o in OUTCOMES},
            skipped=_sum_prefix(stats, Group.SKIPPED),
            failed=_sum_prefix(stats, Group.FAILED)
            + int(stats.get(Group.ARTICLES.of(ArticleOutcome.FAILED), 0)),
            blocked=_sum_prefix(stats, Group.BLOCKED),
            fetch_errors=_download_errors(stats)
            + int(stats.get("httperror/response_ignored_count", 0)),
        )

    def line(self, rate: float) -> str:
        a = self.articles
        return (
            f"{self.pages:,} pages ({rate:.1f} pages/s), {self.fetched:,} responses"
            f" | articles: {a['new']:,} new, "
            f"{a['updated']:,} updated, {a['unchanged']:,} unchanged, "
            f"{a['duplicate']:,} duplicate | {self.skipped:,} skipped | {self.failed:,} failed"
            f" | {self.blocked:,} blocked | {self.fetch_errors:,} failed tries"
        )


def summary_table(stats: dict[str, Any], elapsed: float) -> str:
    """The end-of-crawl table: outcomes, then each skip and failure reason."""
    counts = Counts.from_stats(stats)
    rows: list[tuple[str, str]] = [
        ("crawl run", str(stats.get(Stat.CRAWL_RUN_ID, "-"))),
        ("status", run_status(stats.get("finish_reason"), stats)),
        ("elapsed", f"{elapsed:.1f} s"),
        ("responses fetched", f"{counts.fetched:,}"),
        ("HTML pages", f"{counts.pages:,}"),
        ("pages/s", f"{counts.pages / elapsed:.1f}" if elapsed > 0 else "-"),
    ]
    rows += [(f"articles {o}", f"{n:,}") for o, n in counts.articles.items()]
    rows.append(("new in another's story", f"{int(stats.get(Stat.NEAR_DUPLICATES, 0)):,}"))
    for prefix, label in (
        (Group.SKIPPED, "skipped"),
        (Group.INCREMENTAL, "re-crawl"),
        (Group.FAILED, "failed"),
        (Group.BLOCKED, "blocked"),
        (Group.VERSIONS, "new version"),
        (Group.IMPORT, "import"),
    ):
        rows += [
            (f"{label}: {key.removeprefix(prefix)}", f"{value:,}")
            for key, value in sorted(stats.items())
            if key.startswith(prefix)
        ]
    # How the per-page reasons above and the download errors agree: each request that
    # failed for good (a page, or a site's robots.txt) was tried 1 + its retries times.
    robots = _sum_prefix(stats, "robotstxt/exception_count/")
    if robots:
        rows.append(("robots.txt unreachable", f"{robots:,}"))
    if stats.get("retry/count"):
        rows.append(("retries", f"{int(stats['retry/count']):,}"))
    rows.append(("failed tries (retries included)", f"{counts.fetch_errors:,}"))
    if stats.get(Stat.STOPPED_SITES):
        rows.append(("sites stopped (blocks)", str(stats[Stat.STOPPED_SITES])))
    if stats.get(Stat.BLOCKED_ONLY):
        rows.append(("sites answering only blocks", str(stats[Stat.BLOCKED_ONLY])))
    if Stat.BOILERPLATE_RECLEANED in stats:
        rows.append(("re-cleaned of boilerplate", f"{stats[Stat.BOILERPLATE_RECLEANED]:,}"))
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"  {label:<{width}}  {value:>10}" for label, value in rows)


class Progress:
    def __init__(
        self, crawler: Crawler, interval: float, out: TextIO = sys.stderr, label: str = "crawl"
    ) -> None:
        self.crawler = crawler
        self.interval = interval
        self.label = label
        self.out = out
        self.started = time.monotonic()
        self._last = (self.started, 0)
        self._task: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        if not PROGRESS_ENABLED.get(crawler.settings):
            raise NotConfigured
        settings = crawler.settings
        ext = cls(
            crawler,
            PROGRESS_INTERVAL.get(settings),
            label=PROGRESS_LABEL.get(settings) or "crawl",
        )
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        self.started = time.monotonic()
        self._last = (self.started, 0)
        if self.interval > 0:
            self._task = task.LoopingCall(self.tick)
            self._task.start(self.interval, now=False)

    def tick(self) -> None:
        stats = self.crawler.stats.get_stats()
        counts = Counts.from_stats(stats)
        now = time.monotonic()
        last_time, last_pages = self._last
        rate = (counts.pages - last_pages) / (now - last_time) if now > last_time else 0.0
        self._last = (now, counts.pages)
        self._write(f"[newsarchive] {counts.line(rate)}")

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self._task is not None and self._task.running:
            self._task.stop()
        elapsed = time.monotonic() - self.started
        self._write(
            f"[newsarchive] {self.label} summary\n"
            + summary_table(self.crawler.stats.get_stats(), elapsed)
        )

    def _write(self, text: str) -> None:
        print(text, file=self.out, flush=True)
