"""Idempotent, batched writes of articles into the archive.

The writer decides, inside the transaction that writes a batch, what each incoming
article is to the archive: new, an unchanged re-capture, a changed story (a new
version), or a copy of a story already stored, and which story cluster a new
article joins (``archive.neardup``). Deciding here rather than upstream keeps the
outcome right when several crawls write to one archive at once: the database, not a
process's memory, is the source of truth. SQLite serialises writers at ``BEGIN
IMMEDIATE``; on PostgreSQL each batch takes a transaction-level advisory lock first,
so two crawls writing copies of one story at once still agree on its cluster.

The same transaction cleans each text of its site's learned boilerplate and counts
its lines (``archive.boilerplate``): the model lives where the counts are, so every
crawl writing to the archive cleans with the same one. Texts are compared, hashed,
signed and stored cleaned; when a batch moves a site's model, the site's earlier
articles are re-cleaned right after it commits (and, at the latest, by ``catch_up``
at the end of a crawl).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from archive import boilerplate, neardup
from archive.bodies import PackedBody
from archive.fields import METADATA, strip_nul, without_nul
from archive.models import (
    Article,
    ArticleUrl,
    Capture,
    CrawlRun,
    CrawlRunOutcome,
    Version,
    VersionReason,
    utcnow,
)
from archive.text import content_hash as text_hash

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

logger = logging.getLogger(__name__)

# The estimated Jaccard similarity of word 3-grams at which a new text joins a story
# cluster (crawls take it from the DEDUP_NEAR_THRESHOLD setting).
DEFAULT_NEAR_THRESHOLD = 0.5
# Archived articles re-cleaned at most after each batch (ARCHIVE_BOILERPLATE_RECLEAN_BUDGET).
DEFAULT_RECLEAN_BUDGET = 2000
# pg_advisory_xact_lock key held by each batch transaction on PostgreSQL.
PG_WRITE_LOCK = 7_450_213_004


def version_reason(was_paywalled: bool, record: ArticleRecord) -> VersionReason:
    """Why a changed text is a new version: the paywall lifted (a full capture after a
    teaser), a live blog's updates, or the publisher's edit."""
    if was_paywalled and not record.paywalled:
        return VersionReason.PAYWALL_LIFTED
    return VersionReason.LIVE_UPDATE if record.live else VersionReason.EDIT


class Outcome(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class WarcPointer:
    """Where a capture's evidence is: a record of a WARC file (``offset`` and ``length``
    of its gzip member; None when unknown)."""

    file: str
    offset: int | None = None
    length: int | None = None
    record_id: str | None = None


@dataclass(slots=True)
class CaptureRecord:
    """One HTTP fetch as the crawler saw it (body already content-decoded).

    ``body`` is the raw body, or ``b""`` when ``packed`` holds it already compressed
    (a crawl's extraction workers pack it: see ``archive.bodies``)."""

    url: str
    final_url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    fetched_at: datetime
    packed: PackedBody | None = None
    warc: WarcPointer | None = None

    def stored(self) -> PackedBody:
        """The body as the archive stores it."""
        return self.packed if self.packed is not None else PackedBody.pack(self.body)

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


@dataclass(slots=True)
class ArticleRecord:
    """An extracted article ready to archive. ``urls`` are normalised, ``url`` first.

    ``text`` is the extraction and ``content_hash`` its hash; the writer cleans the text
    of its site's boilerplate, and the copy it stores says what it removed
    (``boilerplate``) with which model revision (``boilerplate_revision``).
    """

    url: str
    urls: list[str]
    site: str
    text: str
    content_hash: str
    capture: CaptureRecord
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    modified_at: datetime | None = None
    sitename: str | None = None
    description: str | None = None
    language: str | None = None
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    image: str | None = None
    # The text's MinHash (archive.neardup.signature), None to leave it out of clustering.
    signature: bytes | None = None
    boilerplate: dict[str, Any] | None = None
    boilerplate_revision: int | None = None
    # the page declared its content not free to read (the text may be a teaser), and it
    # is a live blog (a new text is its new updates, not an edit)
    paywalled: bool = False
    live: bool = False

    def __post_init__(self) -> None:
        self.text = strip_nul(self.text) or ""
        for name, value in without_nul(self.metadata_columns()).items():
            setattr(self, name, value)

    def metadata_columns(self) -> dict[str, Any]:
        """The article's metadata columns (:data:`archive.fields.METADATA`)."""
        return {name: getattr(self, name) for name in METADATA}


@dataclass(slots=True, frozen=True)
class WriteResult:
    outcome: Outcome
    article_id: int | None = None
    error: str | None = None
    # A new article that joined the story cluster of an earlier, similar text.
    near_duplicate: bool = False
    # Why an updated article got its new version (a VersionReason).
    reason: str | None = None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class ArchiveWriter:
    """Writes batches of articles, one transaction per batch, and records crawl runs.

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

    # crawl runs -------------------------------------------------------------

    def start_run(self, args: dict[str, Any]) -> int:
        with self.engine.begin() as conn:
            run_id = conn.execute(
                insert(CrawlRun)
                .values(
                    started_at=utcnow(),
                    status="running",
                    args=args,
                    stats={},
                    hostname=socket.gethostname(),
                    pid=os.getpid(),
                )
                .returning(CrawlRun.id)
            ).scalar_one()
        return int(run_id)

    def finish_run(
        self,
        run_id: int,
        status: str,
        reason: str | None,
        stats: dict[str, Any],
        site_outcomes: dict[tuple[str, str], int] | None = None,
    ) -> None:
        """Record how the run ended, with its stats and, per (site, outcome), page counts."""
        with self.engine.begin() as conn:
            conn.execute(
                update(CrawlRun)
                .where(CrawlRun.id == run_id)
                .values(finished_at=utcnow(), status=status, finish_reason=reason, stats=stats)
            )
            if site_outcomes:
                conn.execute(
                    insert(CrawlRunOutcome),
                    [
                        {"crawl_run_id": run_id, "site": site, "outcome": outcome, "count": n}
                        for (site, outcome), n in sorted(site_outcomes.items())
                    ],
                )

    def mark_abandoned_runs(self) -> list[int]:
        """Mark ``abandoned`` the runs this host recorded as running whose process is gone
        (killed with SIGKILL, out of memory, the machine restarted): nothing else will
        ever finish them. Returns their ids."""
        hostname = socket.gethostname()
        with self.engine.begin() as conn:
            running = conn.execute(
                select(CrawlRun.id, CrawlRun.pid).where(
                    CrawlRun.status == "running", CrawlRun.hostname == hostname
                )
            ).all()
            gone = [run_id for run_id, pid in running if pid is not None and not _pid_alive(pid)]
            if gone:
                conn.execute(
                    update(CrawlRun)
                    .where(CrawlRun.id.in_(gone))
                    .values(status="abandoned", finish_reason="process gone")
                )
        return gone

    # articles ---------------------------------------------------------------

    def write_batch(
        self, records: Sequence[ArticleRecord], run_id: int | None = None
    ) -> list[WriteResult]:
        """Write ``records`` in one transaction; on a conflict with a concurrent writer,
        fall back to one transaction per record so one bad record fails alone."""
        if not records:
            return []
        stale: set[str] = set()
        try:
            with self.engine.begin() as conn:
                results = self._batch(conn, run_id, stale).write_all(records)
        except IntegrityError:
            logger.info("batch of %d raced another writer; writing one by one", len(records))
            stale.clear()
            results = [self._write_one(record, run_id, stale) for record in records]
        self.sites_written.update(record.site for record in records)
        self.reclean(stale, self.reclean_budget)
        return results

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

    def _batch(self, conn: Connection, run_id: int | None, stale: set[str]) -> _BatchWrite:
        learning = (
            boilerplate.Learning(conn, self.policy, self.models)
            if self.policy is not None
            else None
        )
        return _BatchWrite(conn, run_id, self.near_threshold, learning, stale)

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


class _Copy(NamedTuple):
    """An archived article with a given text: where it is and which cluster it is in.

    Ids below zero stand for articles of this batch not yet inserted (``_Pending``)."""

    article_id: int
    site: str
    cluster: neardup.Match


@dataclass(slots=True)
class _Pending:
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
_INSERT_CAPTURES = insert(Capture).returning(Capture.id, Capture.article_id)
_INSERT_VERSIONS = insert(Version)
_INSERT_URLS = insert(ArticleUrl)
_LINK_ARTICLES = (
    update(Article)
    .where(Article.id == bindparam("b_id"))
    .values(
        capture_id=bindparam("b_capture_id"),
        cluster_id=bindparam("b_cluster_id"),
        duplicate_of=bindparam("b_duplicate_of"),
    )
)
_CURRENT = select(
    Article.id,
    Article.content_hash,
    Article.title,
    Article.version,
    Article.cluster_id,
    Article.text,
    Article.boilerplate,
    Article.boilerplate_revision,
    Article.paywalled,
)
# Sorts pending articles (ids below zero) after every inserted one, in creation order.
_PENDING_ORDER = 1 << 62


def _order(article_id: int) -> int:
    return article_id if article_id > 0 else _PENDING_ORDER - article_id


class _BatchWrite:
    """The state of one batch transaction: what the archive holds for its URLs and texts.

    Records are decided one by one, in order, exactly as one transaction per record
    would decide them; the new articles among them are not inserted one by one but
    kept pending (with ids below zero standing for them) and inserted together, a few
    multi-row statements per batch, at the end or before a later record needs one's
    real id (a re-capture of an article new in the same batch). Story clusters are
    matched in memory: one query reads, for the whole batch, the indexed clusters that
    share a band with any of its texts, and clusters started earlier in the batch join
    them as they are decided.
    """

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
        self.near_threshold = near_threshold
        self.learning = learning
        # sites whose archived articles need re-cleaning once this batch commits
        self.stale = stale if stale is not None else set()
        # ids of cleaned records whose worker signature describes the text before cleaning
        self.unsigned: set[int] = set()
        self.now = utcnow()
        self.url_owner: dict[str, int] = {}
        self.hash_owners: dict[str, list[_Copy]] = {}
        # the current row of archived articles the batch re-captures, read together
        self.currents: dict[int, Any] = {}
        self.touched: set[int] = set()
        self.pending: list[_Pending] = []
        self.assigned: dict[int, int] = {}  # placeholder -> inserted article id
        # the story clusters' first articles a text of the batch may join
        self.cluster_sigs: dict[int, bytes] = {}
        self.band_clusters: dict[int, set[int]] = {}
        self.fetched_keys: set[int] = set()

    def write_all(self, records: Sequence[ArticleRecord]) -> list[WriteResult]:
        if self.conn.dialect.name == "postgresql":
            self.conn.execute(select(func.pg_advisory_xact_lock(PG_WRITE_LOCK)))
        records = self._cleaned(records)
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
        if self.learning is not None:
            self.stale |= self.learning.learn()
        return [
            replace(r, article_id=self._real(r.article_id)) if r.article_id is not None else r
            for r in results
        ]

    def _cleaned(self, records: Sequence[ArticleRecord]) -> Sequence[ArticleRecord]:
        """The records with their texts cleaned by their sites' current models."""
        if self.learning is None:
            return records
        self.learning.load(record.site for record in records)
        return [
            self._clean(record, *self.learning.clean(record.site, _extraction(record)))
            for record in records
        ]

    def _clean(
        self, record: ArticleRecord, cleaned: boilerplate.Cleaned, revision: int
    ) -> ArticleRecord:
        """The record holding ``cleaned``: its hash describes the cleaned text, and so will
        its signature, recomputed only if an outcome needs it (``_signature``)."""
        if cleaned.text == record.text and not record.boilerplate:
            digest, unsigned = record.content_hash, False
        else:
            digest, unsigned = text_hash(cleaned.text), record.signature is not None
        clean_record = replace(
            record,
            text=cleaned.text,
            content_hash=digest,
            boilerplate=cleaned.removed,
            boilerplate_revision=revision,
        )
        if unsigned:
            self.unsigned.add(id(clean_record))
        return clean_record

    def _signature(self, record: ArticleRecord) -> bytes | None:
        """The record's MinHash, of its text as stored (computed here, ~1 ms, when
        cleaning changed the text the extraction worker signed)."""
        if id(record) in self.unsigned:
            self.unsigned.discard(id(record))
            record.signature = neardup.signature(record.text)
        return record.signature

    def _load_known(self, records: Sequence[ArticleRecord]) -> None:
        urls = {u for r in records for u in r.urls}
        hashes = {r.content_hash for r in records}
        rows = self.conn.execute(
            select(ArticleUrl.url, ArticleUrl.article_id).where(ArticleUrl.url.in_(urls))
        )
        self.url_owner = {url: article_id for url, article_id in rows}
        for row in self.conn.execute(
            select(
                Article.id,
                Article.site,
                Article.content_hash,
                Article.cluster_id,
                Article.cluster_similarity,
            )
            .where(Article.content_hash.in_(hashes))
            .order_by(Article.id)
        ):
            cluster = neardup.Match(row.cluster_id or row.id, row.cluster_similarity or 1.0)
            self.hash_owners.setdefault(row.content_hash, []).append(
                _Copy(row.id, row.site, cluster)
            )
        owners = set(self.url_owner.values())
        if owners:
            self.currents = {
                row.id: row for row in self.conn.execute(_CURRENT.where(Article.id.in_(owners)))
            }

    def _load_clusters(self, records: Sequence[ArticleRecord]) -> None:
        """Read at once the indexed clusters the batch's possibly new texts may join."""
        if self.near_threshold is None:
            return
        keys: set[int] = set()
        for record in records:
            if record.content_hash in self.hash_owners:
                continue
            if any(u in self.url_owner for u in record.urls):
                continue
            sig = self._signature(record)
            if sig is not None:
                keys.update(neardup.band_keys(sig))
        self._fetch_clusters(keys)

    def _fetch_clusters(self, keys: set[int]) -> None:
        keys -= self.fetched_keys
        if not keys:
            return
        self.fetched_keys |= keys
        for article_id, sig in neardup.indexed_clusters(self.conn, keys).items():
            if article_id not in self.cluster_sigs:
                self._know_cluster(article_id, sig)

    def _know_cluster(self, article_id: int, sig: bytes) -> None:
        self.cluster_sigs[article_id] = sig
        for key in neardup.band_keys(sig):
            self.band_clusters.setdefault(key, set()).add(article_id)

    def _forget_cluster(self, article_id: int) -> None:
        old = self.cluster_sigs.pop(article_id, None)
        if old is not None:
            for key in neardup.band_keys(old):
                self.band_clusters.get(key, set()).discard(article_id)

    def _real(self, article_id: int) -> int:
        """An article's id, inserting the pending articles first if it is one of them."""
        if article_id > 0:
            return article_id
        if article_id not in self.assigned:
            self._flush()
        return self.assigned[article_id]

    def _write(self, record: ArticleRecord) -> WriteResult:
        owner = next((self.url_owner[u] for u in record.urls if u in self.url_owner), None)
        if owner is not None:
            return self._recapture(self._real(owner), record)
        same_text = self.hash_owners.get(record.content_hash, [])
        same_site = next((c.article_id for c in same_text if c.site == record.site), None)
        if same_site is not None:
            same_site = self._real(same_site)
            self._add_urls(same_site, record.urls)
            self.touched.add(same_site)
            return WriteResult(Outcome.DUPLICATE, same_site)
        if same_text:
            first = same_text[0]
            article_id = self._insert(record, first.article_id, first.cluster, None)
            self._remember(record, article_id, first.cluster)
            return WriteResult(Outcome.DUPLICATE, article_id)
        match = self._near_match(record)
        sig = self._signature(record)
        index = match is None and sig is not None and self.near_threshold is not None
        article_id = self._insert(record, None, match, sig if index else None)
        self._remember(record, article_id, match or neardup.Match(article_id, 1.0))
        return WriteResult(Outcome.NEW, article_id, near_duplicate=match is not None)

    def _near_match(self, record: ArticleRecord) -> neardup.Match | None:
        """The cluster whose first article is most similar to the record's text (at least
        the threshold; the oldest on a tie), among the clusters of the batch and those indexed."""
        if self.near_threshold is None:
            return None
        sig = self._signature(record)
        if sig is None:
            return None
        keys = neardup.band_keys(sig)
        self._fetch_clusters(set(keys))
        candidates = {c for key in keys for c in self.band_clusters.get(key, ())}
        clusters = ((c, self.cluster_sigs[c]) for c in candidates)
        return neardup.best_match(sig, clusters, self.near_threshold, _order)

    def _remember(self, record: ArticleRecord, article_id: int, cluster: neardup.Match) -> None:
        copies = self.hash_owners.setdefault(record.content_hash, [])
        copies.append(_Copy(article_id, record.site, cluster))

    def _recapture(self, article_id: int, record: ArticleRecord) -> WriteResult:
        current = self._current(article_id)
        self._add_urls(article_id, record.urls)
        if self.learning is not None:
            current, record = self._align(article_id, current, record)
        unchanged = current.content_hash == record.content_hash and current.title == record.title
        if unchanged or (record.paywalled and not current.paywalled):
            # a teaser where the archive holds the whole story keeps the story
            self.touched.add(article_id)
            return WriteResult(Outcome.UNCHANGED, article_id)
        reason = version_reason(current.paywalled, record)
        if self.learning is not None:
            old = boilerplate.extraction(current.text, current.boilerplate)
            self.learning.move(record.site, old, _extraction(record))
        version = current.version + 1
        capture_id = self._insert_capture(article_id, record)
        self.conn.execute(
            update(Article)
            .where(Article.id == article_id)
            .values(
                text=record.text,
                content_hash=record.content_hash,
                boilerplate=record.boilerplate,
                boilerplate_revision=record.boilerplate_revision,
                version=version,
                capture_id=capture_id,
                last_seen_at=self.now,
                updated_at=self.now,
                **record.metadata_columns(),
            )
        )
        self.conn.execute(
            _INSERT_VERSIONS, [self._version_row(article_id, version, record, capture_id, reason)]
        )
        if current.content_hash != record.content_hash:
            self._reindex(article_id, current.cluster_id, self._signature(record))
        return WriteResult(Outcome.UPDATED, article_id, reason=reason)

    def _reindex(self, article_id: int, cluster_id: int | None, sig: bytes | None) -> None:
        """Keep a cluster's first article indexed under its current text."""
        if sig is None or self.near_threshold is None or cluster_id != article_id:
            return
        if not neardup.reindex_article(self.conn, article_id, sig):
            neardup.index_article(self.conn, article_id, sig)
        self._forget_cluster(article_id)
        self._know_cluster(article_id, sig)

    def _current(self, article_id: int) -> Any:
        """The archived article's current row (read with the batch's others the first
        time, from the database after that: the batch may have changed it)."""
        current = self.currents.pop(article_id, None)
        if current is not None:
            return current
        return self.conn.execute(_CURRENT.where(Article.id == article_id)).one()

    def _align(self, article_id: int, current: Any, record: ArticleRecord) -> tuple[Any, Any]:
        """Bring the archived article and the record to one model, so that comparing them
        compares stories: cleaning is not a story edit. An article archived before
        boilerplate learning is counted now."""
        assert self.learning is not None and record.boilerplate_revision is not None
        if current.boilerplate_revision is None:
            extracted = boilerplate.extraction(current.text, current.boilerplate)
            self.learning.add(record.site, extracted)
        elif current.boilerplate_revision > record.boilerplate_revision:
            revision = current.boilerplate_revision
            cleaned = self.learning.clean_at(record.site, _extraction(record), revision)
            return current, self._clean(record, cleaned, revision)
        if current.boilerplate_revision != record.boilerplate_revision:
            model = self.learning.models.get(self.conn, record.site, record.boilerplate_revision)
            boilerplate.reclean_rows(self.conn, [current], model, self.now)
            current = self._current(article_id)
        return current, record

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
            _Pending(
                placeholder,
                record,
                duplicate_of,
                cluster.cluster_id if cluster else None,
                cluster.similarity if cluster else 1.0,
                signature,
            )
        )
        self.url_owner.update(dict.fromkeys(record.urls, placeholder))
        if signature is not None:
            self._know_cluster(placeholder, signature)
        if self.learning is not None:
            self.learning.add(record.site, _extraction(record))
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
            self._move_cluster(p.placeholder, ids[p.record.url])
        url_rows = [
            {"article_id": self.assigned[p.placeholder], "url": u, "first_seen_at": self.now}
            for p in pending
            for u in dict.fromkeys(p.record.urls)
        ]
        if url_rows:
            self.conn.execute(_INSERT_URLS, url_rows)
        capture_of: dict[int | None, int] = {
            article_id: capture_id
            for capture_id, article_id in self.conn.execute(
                _INSERT_CAPTURES,
                [self._capture_row(self.assigned[p.placeholder], p.record) for p in pending],
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
                self._version_row(article_id, 1, p.record, capture_id, VersionReason.FIRST)
            )
        self.conn.execute(_LINK_ARTICLES, links)
        self.conn.execute(_INSERT_VERSIONS, versions)
        neardup.index_articles(
            self.conn,
            [(self.assigned[p.placeholder], p.signature) for p in pending if p.signature],
        )

    def _move_cluster(self, placeholder: int, article_id: int) -> None:
        """Let a pending cluster's first article be known by its inserted id."""
        sig = self.cluster_sigs.get(placeholder)
        if sig is not None:
            self._forget_cluster(placeholder)
            self._know_cluster(article_id, sig)

    def _article_row(self, p: _Pending) -> dict[str, Any]:
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

    def _capture_row(self, article_id: int, record: ArticleRecord) -> dict[str, Any]:
        capture = record.capture
        body = capture.stored()
        return {
            "article_id": article_id,
            "crawl_run_id": self.run_id,
            "url": capture.url,
            "final_url": capture.final_url,
            "status": capture.status,
            "headers": [list(pair) for pair in capture.headers],
            "content_type": capture.header("Content-Type"),
            "etag": capture.header("ETag"),
            "last_modified": capture.header("Last-Modified"),
            "body": body.data,
            "body_codec": body.codec,
            "body_size": body.size,
            "payload_digest": body.digest,
            "fetched_at": capture.fetched_at,
            **_warc_columns(capture.warc),
        }

    def _insert_capture(self, article_id: int, record: ArticleRecord) -> int:
        rows = [self._capture_row(article_id, record)]
        return int(self.conn.execute(_INSERT_CAPTURES, rows).scalar_one())

    def _version_row(
        self,
        article_id: int,
        version: int,
        record: ArticleRecord,
        capture_id: int,
        reason: VersionReason,
    ) -> dict[str, Any]:
        return {
            "article_id": article_id,
            "version": version,
            "title": record.title,
            "text": record.text,
            "content_hash": record.content_hash,
            "boilerplate": record.boilerplate,
            "capture_id": capture_id,
            "seen_at": self.now,
            "paywalled": record.paywalled,
            "reason": reason,
            "modified_at": record.modified_at,
        }

    def _add_urls(self, article_id: int, urls: Iterable[str]) -> None:
        new = [u for u in dict.fromkeys(urls) if u not in self.url_owner]
        if not new:
            return
        self.conn.execute(
            _INSERT_URLS,
            [{"article_id": article_id, "url": u, "first_seen_at": self.now} for u in new],
        )
        self.url_owner.update(dict.fromkeys(new, article_id))


def _warc_columns(warc: WarcPointer | None) -> dict[str, Any]:
    return {
        "warc_file": warc.file if warc else None,
        "warc_offset": warc.offset if warc else None,
        "warc_length": warc.length if warc else None,
        "warc_record_id": warc.record_id if warc else None,
    }


def _extraction(record: ArticleRecord) -> str:
    """The record's text as extracted, before any boilerplate was removed from it."""
    return boilerplate.extraction(record.text, record.boilerplate)
