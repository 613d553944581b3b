"""One batch transaction: each record decided in order, the new articles inserted together.

Records are decided one by one, in order, exactly as one transaction per record would
decide them; the new articles among them are not inserted one by one but kept pending
(with ids below zero standing for them) and inserted together, a few multi-row
statements per batch, at the end or before a later record needs one's real id (a
re-capture of an article new in the same batch). The parts: URL identity
(:mod:`.urls`), exact duplicates (:mod:`.duplicates`), story clusters (:mod:`.clusters`),
the boilerplate step (:mod:`.cleaning`), the title step (:mod:`.titles`), versions
(:mod:`.versions`) and captures (:mod:`.captures`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, func, insert, select, update

from archive import boilerplate, neardup
from archive.models import Article
from archive.tables import VersionReason, utcnow
from archive.writer.captures import INSERT_CAPTURES, capture_row, insert_capture
from archive.writer.cleaning import Cleaning
from archive.writer.clusters import Clusters
from archive.writer.duplicates import ExactCopies
from archive.writer.records import ArticleRecord, Outcome, WriteResult
from archive.writer.titles import Titles
from archive.writer.urls import INSERT_URLS, UrlOwners
from archive.writer.versions import (
    CURRENT,
    INSERT_VERSIONS,
    keeps_current,
    new_version_columns,
    version_reason,
    version_row,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

# pg_advisory_xact_lock key held by each batch transaction on PostgreSQL.
PG_WRITE_LOCK = 7_450_213_004


@dataclass(slots=True)
class Pending:
    """A new article decided in this batch, inserted with the others at the next flush.

    ``duplicate_of`` and ``cluster_id`` may name other pending articles (ids below
    zero); ``cluster_id`` None starts the article's own cluster."""

    placeholder: int
    record: ArticleRecord
    duplicate_of: int | None
    cluster_id: int | None
    similarity: float
    signature: bytes | None  # set when the article starts an indexed cluster


# Statements built once: a batch executes each with a list of rows (multi-row inserts
# through SQLAlchemy's insertmanyvalues, ids returned in row order).
# The new ids come back with a column that tells whose they are (a pending article's
# primary URL, a capture's article), not in the rows' order: asking SQLAlchemy for that
# order (sort_by_parameter_order) makes it insert one row per statement on SQLite, which
# cannot tie new rowids to the order of a multi-row VALUES.
_INSERT_ARTICLES = insert(Article).returning(Article.id, Article.url)
_LINK_ARTICLES = (
    update(Article)
    .where(Article.id == bindparam("b_id"))
    .values(
        capture_id=bindparam("b_capture_id"),
        cluster_id=bindparam("b_cluster_id"),
        duplicate_of=bindparam("b_duplicate_of"),
    )
)


class BatchWrite:
    """The state of one batch transaction: what the archive holds for its URLs and texts."""

    def __init__(
        self,
        conn: Connection,
        run_id: int | None,
        near_threshold: float | None,
        learning: boilerplate.Learning | None = None,
        stale: set[str] | None = None,
    ) -> None:
        self.conn = conn
        self.run_id = run_id
        # sites whose archived articles need re-cleaning once this batch commits
        self.stale = stale if stale is not None else set()
        self.now = utcnow()
        self.cleaning = Cleaning(learning)
        # site title affixes are learned where the boilerplate is, when it is
        self.titles = Titles(conn) if learning is not None else None
        self.urls = UrlOwners(conn, self.now)
        self.copies = ExactCopies()
        self.clusters = Clusters(conn, near_threshold)
        # the current row of archived articles the batch re-captures, read together
        self.currents: dict[int, Any] = {}
        self.touched: set[int] = set()
        self.pending: list[Pending] = []
        self.assigned: dict[int, int] = {}  # placeholder -> inserted article id

    def write_all(self, records: Sequence[ArticleRecord]) -> list[WriteResult]:
        if self.conn.dialect.name == "postgresql":
            self.conn.execute(select(func.pg_advisory_xact_lock(PG_WRITE_LOCK)))
        records = self.cleaning.cleaned(records)
        if self.titles is not None:
            records = self.titles.stripped(records)
        self._load_known(records)
        self._load_clusters(records)
        results = [self._write(record) for record in records]
        self._flush()
        if self.touched:
            self.conn.execute(
                update(Article)
                .where(Article.id.in_(sorted(self.touched)))
                .values(last_seen_at=self.now)
            )
        self.stale |= self.cleaning.learn()
        if self.titles is not None:
            self.titles.learn(results)
        return [
            replace(r, article_id=self._real(r.article_id)) if r.article_id is not None else r
            for r in results
        ]

    def _load_known(self, records: Sequence[ArticleRecord]) -> None:
        self.urls.load(records)
        self.copies.load(self.conn, records)
        owners = self.urls.owners()
        if owners:
            self.currents = {
                row.id: row for row in self.conn.execute(CURRENT.where(Article.id.in_(owners)))
            }

    def _load_clusters(self, records: Sequence[ArticleRecord]) -> None:
        """Read at once the indexed clusters the batch's possibly new texts may join."""
        if self.clusters.threshold is None:
            return
        self.clusters.load(
            self.cleaning.signature(record)
            for record in records
            if not self.copies.known(record) and not self.urls.known(record)
        )

    def _real(self, article_id: int) -> int:
        """An article's id, inserting the pending articles first if it is one of them."""
        if article_id > 0:
            return article_id
        if article_id not in self.assigned:
            self._flush()
        return self.assigned[article_id]

    def _write(self, record: ArticleRecord) -> WriteResult:
        owner = self.urls.owner_of(record)
        if owner is not None:
            return self._recapture(self._real(owner), record)
        same_text = self.copies.of(record)
        same_site = next((c.article_id for c in same_text if c.site == record.site), None)
        if same_site is not None:
            same_site = self._real(same_site)
            self.urls.add(same_site, record.urls)
            self.touched.add(same_site)
            return WriteResult(Outcome.DUPLICATE, same_site)
        if same_text:
            first = same_text[0]
            article_id = self._insert(record, first.article_id, first.cluster, None)
            self.copies.remember(record, article_id, first.cluster)
            return WriteResult(Outcome.DUPLICATE, article_id)
        match = self._near_match(record)
        sig = self.cleaning.signature(record)
        index = match is None and sig is not None and self.clusters.threshold is not None
        article_id = self._insert(record, None, match, sig if index else None)
        self.copies.remember(record, article_id, match or neardup.Match(article_id, 1.0))
        return WriteResult(Outcome.NEW, article_id, near_duplicate=match is not None)

    def _near_match(self, record: ArticleRecord) -> neardup.Match | None:
        if self.clusters.threshold is None:
            return None
        sig = self.cleaning.signature(record)
        return None if sig is None else self.clusters.match(sig)

    def _recapture(self, article_id: int, record: ArticleRecord) -> WriteResult:
        current = self._current(article_id)
        self.urls.add(article_id, record.urls)
        if self.cleaning.learning is not None:
            current, record = self.cleaning.align(
                self.conn, self.now, current, record, lambda: self._current(article_id)
            )
        if keeps_current(current, record):
            self.touched.add(article_id)
            return WriteResult(Outcome.UNCHANGED, article_id)
        reason = version_reason(current.paywalled, record)
        self.cleaning.moved(record, current)
        version = current.version + 1
        capture_id = insert_capture(self.conn, article_id, record, self.run_id)
        self.conn.execute(
            update(Article)
            .where(Article.id == article_id)
            .values(**new_version_columns(record, version, capture_id, self.now))
        )
        self.conn.execute(
            INSERT_VERSIONS,
            [version_row(article_id, version, record, capture_id, reason, now=self.now)],
        )
        if current.content_hash != record.content_hash:
            self.clusters.reindex(article_id, current.cluster_id, self.cleaning.signature(record))
        return WriteResult(Outcome.UPDATED, article_id, reason=reason)

    def _current(self, article_id: int) -> Any:
        """The archived article's current row (read with the batch's others the first
        time, from the database after that: the batch may have changed it)."""
        current = self.currents.pop(article_id, None)
        if current is not None:
            return current
        return self.conn.execute(CURRENT.where(Article.id == article_id)).one()

    def _insert(
        self,
        record: ArticleRecord,
        duplicate_of: int | None,
        cluster: neardup.Match | None,
        signature: bytes | None,
    ) -> int:
        """Decide a new article, inserted at the next flush; its placeholder id.
        ``cluster`` None starts its own cluster, indexed under ``signature`` if given."""
        placeholder = -(len(self.assigned) + len(self.pending) + 1)
        self.pending.append(
            Pending(
                placeholder,
                record,
                duplicate_of,
                cluster.cluster_id if cluster else None,
                cluster.similarity if cluster else 1.0,
                signature,
            )
        )
        self.urls.claim(record, placeholder)
        if signature is not None:
            self.clusters.know(placeholder, signature)
        self.cleaning.added(record)
        return placeholder

    def _flush(self) -> None:
        """Insert the pending articles with their URLs, captures, first versions and
        index entries: a fixed number of statements however many there are."""
        if not self.pending:
            return
        pending, self.pending = self.pending, []
        # A pending article's primary URL is no other pending article's: the second would
        # have been matched to the first by URL and recaptured, not inserted.
        rows = self.conn.execute(_INSERT_ARTICLES, [self._article_row(p) for p in pending])
        ids = {url: int(article_id) for article_id, url in rows}
        if len(ids) != len(pending):
            raise RuntimeError("two new articles of one batch share their primary URL")
        for p in pending:
            self.assigned[p.placeholder] = ids[p.record.url]
            self.clusters.move(p.placeholder, ids[p.record.url])
        url_rows = [
            row
            for p in pending
            for row in self.urls.rows(self.assigned[p.placeholder], p.record.urls)
        ]
        if url_rows:
            self.conn.execute(INSERT_URLS, url_rows)
        capture_of: dict[int | None, int] = {
            article_id: capture_id
            for capture_id, article_id in self.conn.execute(
                INSERT_CAPTURES,
                [capture_row(self.assigned[p.placeholder], p.record, self.run_id) for p in pending],
            )
        }
        links, versions = [], []
        for p in pending:
            article_id = self.assigned[p.placeholder]
            capture_id = capture_of[article_id]
            cluster_id = article_id if p.cluster_id is None else self._real(p.cluster_id)
            duplicate_of = None if p.duplicate_of is None else self._real(p.duplicate_of)
            links.append(
                {
                    "b_id": article_id,
                    "b_capture_id": capture_id,
                    "b_cluster_id": cluster_id,
                    "b_duplicate_of": duplicate_of,
                }
            )
            versions.append(
                version_row(article_id, 1, p.record, capture_id, VersionReason.FIRST, now=self.now)
            )
        self.conn.execute(_LINK_ARTICLES, links)
        self.conn.execute(INSERT_VERSIONS, versions)
        self.clusters.index(
            [(self.assigned[p.placeholder], p.signature) for p in pending if p.signature]
        )

    def _article_row(self, p: Pending) -> dict[str, Any]:
        record = p.record
        # links to articles inserted earlier are set now, to pending ones after the insert
        return {
            "url": record.url,
            "site": record.site,
            "text": record.text,
            "content_hash": record.content_hash,
            "boilerplate": record.boilerplate,
            "boilerplate_revision": record.boilerplate_revision,
            "version": 1,
            "duplicate_of": None,
            "cluster_id": None,
            "cluster_similarity": p.similarity,
            "first_seen_at": self.now,
            "last_seen_at": self.now,
            "updated_at": self.now,
            **record.metadata_columns(),
        }
