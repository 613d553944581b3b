"""The writer: batches of articles, one transaction each, and the re-cleaning after them."""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from archive import boilerplate
from archive.tables import utcnow
from archive.writer.records import ArticleRecord, Outcome, WriteResult
from archive.writer.seen import mark_seen
from archive.writer.transaction import BatchWrite

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

logger = logging.getLogger("archive.writer")

# The estimated Jaccard similarity of word 3-grams at which a new text joins a story
# cluster (crawls take it from the DEDUP_NEAR_THRESHOLD setting).
DEFAULT_NEAR_THRESHOLD = 0.5
# Archived articles re-cleaned at most after each batch (ARCHIVE_BOILERPLATE_RECLEAN_BUDGET).
DEFAULT_RECLEAN_BUDGET = 2000


class ArchiveWriter:
    """Writes batches of articles, one transaction per batch (crawl runs are
    ``archive.writer.runs.CrawlRuns``'s).

    ``near_threshold`` None turns near-duplicate clustering off; ``boilerplate_policy``
    says how each site's boilerplate is learned (None: neither learn nor clean), and
    ``reclean_budget`` how many archived articles are re-cleaned at most after each
    batch (None: all), so a model change on a large site does not stall a crawl.
    Not thread-safe: one thread writes through one writer.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        near_threshold: float | None = DEFAULT_NEAR_THRESHOLD,
        boilerplate_policy: boilerplate.Policy | None = boilerplate.DEFAULT_POLICY,
        reclean_budget: int | None = DEFAULT_RECLEAN_BUDGET,
    ) -> None:
        self.engine = engine
        self.near_threshold = near_threshold
        self.policy = boilerplate_policy
        self.reclean_budget = reclean_budget
        self.models = boilerplate.Models()
        self.sites_written: set[str] = set()
        # sites with articles a model change left behind, re-cleaned a budget at a time
        self.pending: set[str] = set()
        # ids of archived articles whose text a later model cleaned (by reclean / catch_up)
        self.recleaned: set[int] = set()

    # articles ---------------------------------------------------------------

    def write_batch(
        self,
        records: Sequence[ArticleRecord],
        run_id: int | None = None,
        seen: Collection[int] = (),
    ) -> list[WriteResult]:
        """Write ``records`` in one transaction, and in it move the ``last_seen_at`` of
        the articles ``seen`` unchanged (a re-crawl's 304s) to now; on a conflict with a
        concurrent writer, fall back to one transaction per record so one bad record
        fails alone."""
        if not records:
            self.mark_seen(seen)
            return []
        stale: set[str] = set()
        try:
            with self.engine.begin() as conn:
                results = self._batch(conn, run_id, stale).write_all(records)
                mark_seen(conn, seen, utcnow())
        except IntegrityError:
            logger.info("batch of %d raced another writer; writing one by one", len(records))
            stale.clear()
            results = [self._write_one(record, run_id, stale) for record in records]
            self.mark_seen(seen)
        self.sites_written.update(record.site for record in records)
        self.reclean(stale, self.reclean_budget)
        return results

    def mark_seen(self, article_ids: Collection[int], when: datetime | None = None) -> None:
        """Move these articles' ``last_seen_at`` to ``when`` (now), in a transaction."""
        if article_ids:
            with self.engine.begin() as conn:
                mark_seen(conn, article_ids, when or utcnow())

    def _write_one(self, record: ArticleRecord, run_id: int | None, stale: set[str]) -> WriteResult:
        for attempt in range(2):
            try:
                with self.engine.begin() as conn:
                    return self._batch(conn, run_id, stale).write_all([record])[0]
            except IntegrityError as exc:
                if attempt:
                    logger.error("cannot archive %s: %s", record.url, exc.orig)
                    return WriteResult(Outcome.FAILED, error=str(exc.orig))
        raise AssertionError("unreachable")

    def _batch(self, conn: Connection, run_id: int | None, stale: set[str]) -> BatchWrite:
        learning = (
            boilerplate.Learning(conn, self.policy, self.models)
            if self.policy is not None
            else None
        )
        return BatchWrite(conn, run_id, self.near_threshold, learning, stale)

    # boilerplate ------------------------------------------------------------------

    def reclean(self, sites: Iterable[str], budget: int | None = None) -> int:
        """Re-clean, up to ``budget`` articles in all (None: all of them), the articles of
        ``sites`` and of those left pending earlier that were cleaned with an older model
        than their site's current one; how many changed. Sites not finished stay pending.
        A failure is logged, not raised: the next call, or ``catch_up``, tries again."""
        self.pending.update(sites)
        count = 0
        for site in sorted(self.pending):
            if budget is not None and budget <= 0:
                break
            try:
                changed, done, finished = boilerplate.reclean_site(
                    self.engine, site, self.models, budget
                )
            except SQLAlchemyError as exc:
                logger.warning("could not re-clean the articles of %s: %s", site, exc)
                continue
            if finished:
                self.pending.discard(site)
            if budget is not None:
                budget -= done
            count += len(changed)
            self.recleaned |= changed
        return count

    def catch_up(self, sites: Iterable[str] | None = None) -> int:
        """Re-clean every article of ``sites`` (default: the sites this writer wrote) that
        a model change left behind; run at the end of a crawl. How many changed."""
        if self.policy is None:
            return 0
        wanted = set(self.sites_written if sites is None else sites)
        if not wanted:
            return 0
        with self.engine.connect() as conn:
            stale = boilerplate.stale_sites(conn, wanted)
        return self.reclean(stale)
