"""``newsarchive reextract``: extract the archived captures again and update what changed.

After an upgrade of trafilatura or of our extraction rules, or to apply boilerplate
learning to an archive crawled before it, this re-runs extraction on every stored
capture (in the crawl's pool of worker processes) and the site's boilerplate cleaning,
and writes what changed. It adds no version: the stories did not change, our reading
of them did.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections import deque
from concurrent.futures import Future
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

from archive.engine import create_archive_engine, current_revision, no_archive, open_engine
from archive.fields import metadata_of
from archive.reextract import Fresh, Reextraction, StoredCapture, article_ids, load_captures
from crawler.cli import COMMANDS, EXIT_FAILED, EXIT_OK, add_db_option
from crawler.cli.options import add_settings_option, add_workers_option, parse_site
from crawler.dates import parse_date

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from scrapy.settings import Settings
    from sqlalchemy.engine import Engine

    from pipelines.extraction import Extracted
    from pipelines.pool import ProcessPool

logger = logging.getLogger("newsarchive")

CHUNK = 100  # articles read, extracted and written together
PROGRESS_EVERY = 2.0  # seconds between progress lines


def parse_since(value: str) -> datetime:
    """An ISO 8601 date or date-time (:func:`crawler.dates.parse_date`); without a zone it
    is UTC."""
    moment = parse_date(value)
    if moment is None:
        raise argparse.ArgumentTypeError(
            f"not a date: {value!r} (use YYYY-MM-DD or YYYY-MM-DDTHH:MM)"
        )
    return moment


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "reextract",
        help=COMMANDS["reextract"],
        description="Re-run extraction and site-level boilerplate cleaning on the stored raw "
        "captures of archived articles (after an upgrade of the extractor, or to clean an "
        "archive crawled before boilerplate learning), update the articles that changed and "
        "say how many did. No version is added.",
    )
    parser.add_argument("--site", type=parse_site, metavar="HOST", help="only this site's articles")
    parser.add_argument(
        "--since",
        type=parse_since,
        metavar="DATE",
        help="only articles first archived at or after DATE (ISO 8601, UTC unless stated)",
    )
    add_db_option(parser)
    add_workers_option(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress line")
    add_settings_option(parser)
    parser.set_defaults(run=run)


def open_archive(url: str | None) -> Engine:
    """The archive's engine, its schema brought up to date as a crawl would; NoArchive,
    and nothing created, if there is none."""
    probe = create_archive_engine(url, read_only=True)
    try:
        if current_revision(probe) is None:
            raise no_archive(probe.url)
    finally:
        probe.dispose()
    return open_engine(url, upgrade=True)


def fresh_from(article_id: int, doc: Extracted) -> Fresh:
    """A new extraction as the columns the archive stores (as ``pipelines.store.to_record``)."""
    return Fresh(article_id, doc.text, metadata_of(doc))


class Progress:
    """A progress line on stderr every few seconds, and once at the end."""

    def __init__(self, total: int, out: TextIO, *, quiet: bool) -> None:
        self.total = total
        self.out = out
        self.quiet = quiet
        self.started = self.last = time.monotonic()
        self.done = 0

    def update(self, done: int, changed: int, failed: int, *, final: bool = False) -> None:
        self.done = done
        now = time.monotonic()
        if self.quiet or (not final and now - self.last < PROGRESS_EVERY):
            return
        self.last = now
        rate = done / (now - self.started) if now > self.started else 0.0
        share = done / self.total if self.total else 1.0
        print(
            f"[newsarchive] reextract: {done:,}/{self.total:,} articles ({share:.0%}), "
            f"{changed:,} changed, {failed:,} failed, {rate:.1f}/s",
            file=self.out,
            flush=True,
        )


def response_encoding(capture: StoredCapture) -> str | None:
    """The page's encoding as the crawl saw it: Scrapy's, from the stored headers and body."""
    from scrapy.http import HtmlResponse

    response = HtmlResponse(url=capture.url, headers=capture.headers, body=capture.body)
    return str(response.encoding) if response.encoding else None


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


class Run:
    """One re-extraction: captures through the worker pool into the archive."""

    def __init__(
        self, engine: Engine, pool: ProcessPool, writer: Reextraction, function: str
    ) -> None:
        self.engine = engine
        self.pool = pool
        self.writer = writer
        self.function = function
        self.failed = 0

    def submit(self, ids: Sequence[int]) -> list[tuple[StoredCapture, Future[Any]]]:
        return [
            (
                capture,
                self.pool.submit(
                    capture.body, response_encoding(capture), capture.url, self.function, False
                ),
            )
            for capture in load_captures(self.engine, ids)
        ]

    def collect(self, pending: list[tuple[StoredCapture, Future[Any]]]) -> None:
        from pipelines.pool import TaskError, TaskTimeout, WorkerCrashed

        batch: list[Fresh] = []
        for capture, future in pending:
            try:
                result = future.result()
            except (TaskError, TaskTimeout, WorkerCrashed) as exc:
                self._fail(capture, str(exc))
                continue
            doc = result.extracted
            if doc is None:
                refusal = result.refusal
                self._fail(capture, f"{refusal.reason}: {refusal.detail}" if refusal else "refused")
                continue
            if not doc.text.strip():
                self._fail(capture, "no text extracted; the archived text is kept")
                continue
            batch.append(fresh_from(capture.article_id, doc))
        self.writer.apply(batch)

    def _fail(self, capture: StoredCapture, reason: str) -> None:
        self.failed += 1
        logger.warning(
            "cannot re-extract article %d (%s): %s", capture.article_id, capture.url, reason
        )

    def all(self, ids: Sequence[int], progress: Progress) -> None:
        """Extract chunk n+1 while chunk n is written."""
        window: deque[tuple[int, list[tuple[StoredCapture, Future[Any]]]]] = deque()
        done = 0
        for chunk in chunks(ids):
            window.append((len(chunk), self.submit(chunk)))
            if len(window) > 1:
                size, pending = window.popleft()
                self.collect(pending)
                done += size
                progress.update(done, len(self.writer.changed), self.failed)
        while window:
            size, pending = window.popleft()
            self.collect(pending)
            done += size
            progress.update(done, len(self.writer.changed), self.failed)


def reextract_settings(args: argparse.Namespace) -> Settings:
    """The project's settings, ``--workers`` and ``-s`` overrides: the extraction workers
    and boilerplate policy a crawl with the same options would use."""
    from scrapy.settings import Settings

    from crawler.cli.crawl import apply_overrides

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    if args.workers is not None:
        settings.set("EXTRACT_WORKERS", args.workers, priority="cmdline")
    apply_overrides(settings, args.set)
    return settings


def run(args: argparse.Namespace) -> int:
    from crawler.defaults import (
        EXTRACT_FUNCTION,
        EXTRACT_START_METHOD,
        EXTRACT_TIMEOUT,
        EXTRACT_WORKER_MAX_TASKS,
        EXTRACT_WORKERS,
    )
    from pipelines.extract import start_pool
    from pipelines.store import boilerplate_policy

    settings = reextract_settings(args)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    engine = open_archive(args.db)
    try:
        ids = article_ids(engine, args.site, args.since)
        if not ids:
            print("no archived article matches: nothing to re-extract")
            return EXIT_OK
        writer = Reextraction(engine, boilerplate_policy(settings))
        function = EXTRACT_FUNCTION.get(settings) or EXTRACT_FUNCTION.default
        timeout = EXTRACT_TIMEOUT.get(settings)
        pool = start_pool(
            EXTRACT_WORKERS.get(settings),
            timeout,
            function,
            start_method=EXTRACT_START_METHOD.get(settings) or EXTRACT_START_METHOD.default,
            max_tasks=EXTRACT_WORKER_MAX_TASKS.get(settings),
        )
        progress = Progress(len(ids), sys.stderr, quiet=args.quiet)
        job = Run(engine, pool, writer, function)
        try:
            job.all(ids, progress)
        finally:
            pool.close(timeout)
        writer.finish()
        progress.update(len(ids), len(writer.changed), job.failed, final=True)
    finally:
        engine.dispose()
    print(
        f"re-extracted {len(ids) - job.failed:,} of {len(ids):,} articles: "
        f"{len(writer.changed):,} changed ({len(writer.text_changed):,} in their text), "
        f"{job.failed:,} failed"
    )
    return EXIT_FAILED if job.failed else EXIT_OK
