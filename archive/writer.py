"""Idempotent, batched writes of articles into the archive.

The writer decides, inside the transaction that writes a batch, what each incoming
article is to the archive: new, an unchanged re-capture, a changed story (a new
version), or a copy of a story already stored, and which story cluster a new
article joins (``archive.neardup``). Deciding here rather than upstream keeps the
outcome right when several crawls write to one archive at once: the database, not a
process's memory, is the source of truth. SQLite serialises writers at ``BEGIN
IMMEDIATE``; on PostgreSQL each batch takes a transaction-level advisory lock first,
so two crawls writing copies of one story at once still agree on its cluster.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple

import zstandard
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from archive import neardup
from archive.models import Article, ArticleUrl, Base, Capture, CrawlRun, Version, utcnow

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

logger = logging.getLogger(__name__)

BODY_CODEC = "zstd"
_COMPRESSION_LEVEL = 3
# The estimated Jaccard similarity of word 3-grams at which a new text joins a story
# cluster (crawls take it from the DEDUP_NEAR_THRESHOLD setting).
DEFAULT_NEAR_THRESHOLD = 0.5
# pg_advisory_xact_lock key held by each batch transaction on PostgreSQL.
PG_WRITE_LOCK = 7_450_213_004


class Outcome(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    FAILED = "failed"


@dataclass(slots=True)
class CaptureRecord:
    """One HTTP fetch as the crawler saw it (body already content-decoded)."""

    url: str
    final_url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    fetched_at: datetime

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


def strip_nul(value: str | None) -> str | None:
    return value.replace("\x00", "") if value else value


@dataclass(slots=True)
class ArticleRecord:
    """An extracted article ready to archive. ``urls`` are normalised, ``url`` first."""

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

    def __post_init__(self) -> None:
        # PostgreSQL text cannot hold NUL; no page means one in its article text.
        self.text = strip_nul(self.text) or ""
        self.title = strip_nul(self.title)
        self.description = strip_nul(self.description)
        self.sitename = strip_nul(self.sitename)
        self.authors = [a.replace("\x00", "") for a in self.authors]
        self.tags = [t.replace("\x00", "") for t in self.tags]
        self.categories = [c.replace("\x00", "") for c in self.categories]

    def metadata_columns(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "authors": self.authors,
            "published_at": self.published_at,
            "modified_at": self.modified_at,
            "sitename": self.sitename,
            "description": self.description,
            "language": self.language,
            "tags": self.tags,
            "categories": self.categories,
            "image": self.image,
        }


@dataclass(slots=True, frozen=True)
class WriteResult:
    outcome: Outcome
    article_id: int | None = None
    error: str | None = None
    # A new article that joined the story cluster of an earlier, similar text.
    near_duplicate: bool = False


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def compress_body(body: bytes) -> bytes:
    return zstandard.ZstdCompressor(level=_COMPRESSION_LEVEL).compress(body)


def decompress_body(data: bytes, codec: str) -> bytes:
    """The original bytes of a stored capture body."""
    if codec == "zstd":
        return zstandard.ZstdDecompressor().decompress(data)
    if codec == "identity":
        return data
    raise ValueError(f"unknown capture body codec {codec!r}")


def payload_digest(body: bytes) -> str:
    """The WARC-style digest of a payload: ``sha1:`` and its base32 SHA-1."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


class ArchiveWriter:
    """Writes batches of articles, one transaction per batch, and records crawl runs."""

    def __init__(
        self, engine: Engine, *, near_threshold: float | None = DEFAULT_NEAR_THRESHOLD
    ) -> None:
        """``near_threshold`` None turns near-duplicate clustering off."""
        self.engine = engine
        self.near_threshold = near_threshold

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
        self, run_id: int, status: str, reason: str | None, stats: dict[str, Any]
    ) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(CrawlRun)
                .where(CrawlRun.id == run_id)
                .values(finished_at=utcnow(), status=status, finish_reason=reason, stats=stats)
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
        try:
            with self.engine.begin() as conn:
                return _BatchWrite(conn, run_id, self.near_threshold).write_all(records)
        except IntegrityError:
            logger.info("batch of %d raced another writer; writing one by one", len(records))
        return [self._write_one(record, run_id) for record in records]

    def _write_one(self, record: ArticleRecord, run_id: int | None) -> WriteResult:
        for attempt in range(2):
            try:
                with self.engine.begin() as conn:
                    return _BatchWrite(conn, run_id, self.near_threshold).write_all([record])[0]
            except IntegrityError as exc:
                if attempt:
                    logger.error("cannot archive %s: %s", record.url, exc.orig)
                    return WriteResult(Outcome.FAILED, error=str(exc.orig))
        raise AssertionError("unreachable")


class _Copy(NamedTuple):
    """An archived article with a given text: where it is and which cluster it is in."""

    article_id: int
    site: str
    cluster: neardup.Match


class _BatchWrite:
    """The state of one batch transaction: what the archive holds for its URLs and texts.

    Each record is decided in order, but new articles are not inserted one by one:
    they wait in ``pending`` (under a negative placeholder id) and go in together,
    one multi-row statement per table, when the batch ends or as soon as a later
    record of the same batch needs one of them to exist (a re-capture of it). New
    URLs of known articles and the ``last_seen_at`` of unchanged ones are written once
    per batch too. A pending article that starts a story cluster is matched in memory
    by the later records of the batch, exactly as ``neardup.find_cluster`` would once
    it is indexed. On a database server every statement is a round trip: a batch of a
    hundred new articles takes a handful of statements instead of five hundred.
    """

    def __init__(self, conn: Connection, run_id: int | None, near_threshold: float | None) -> None:
        self.conn = conn
        self.run_id = run_id
        self.near_threshold = near_threshold
        self.now = utcnow()
        self.url_owner: dict[str, int] = {}
        self.hash_owners: dict[str, list[_Copy]] = {}
        # article id -> its current text hash, title, version and cluster, for re-captures
        self.current: dict[int, _Current] = {}
        self.pending: list[_PendingArticle] = []
        self.real_id: dict[int, int] = {}
        self.new_urls: list[dict[str, Any]] = []
        self.touched: set[int] = set()
        # indexed first articles of story clusters the batch's texts may join:
        # article id -> (signature, band keys); kept current as the batch indexes more
        self.cluster_heads: dict[int, tuple[bytes, frozenset[int]]] = {}
        self._placeholder = 0

    def write_all(self, records: Sequence[ArticleRecord]) -> list[WriteResult]:
        if self.conn.dialect.name == "postgresql":
            self.conn.execute(select(func.pg_advisory_xact_lock(PG_WRITE_LOCK)))
        self._load_known(records)
        results = [self._write(record) for record in records]
        self._flush_pending()
        self._flush_urls_and_touches()
        return [
            replace(r, article_id=self._real(r.article_id)) if r.article_id is not None else r
            for r in results
        ]

    def _real(self, article_id: int) -> int:
        return self.real_id.get(article_id, article_id)

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
        if self.url_owner:
            self.current = self._load_current(set(self.url_owner.values()))
        if self.near_threshold is not None:
            # only texts that may be new articles look for a cluster
            keys = {
                k
                for r in records
                if r.signature
                and r.content_hash not in self.hash_owners
                and not any(u in self.url_owner for u in r.urls)
                for k in neardup.band_keys(r.signature)
            }
            for article_id, sig in neardup.indexed_clusters(self.conn, keys).items():
                self._index_head(article_id, sig)

    def _index_head(self, article_id: int, sig: bytes) -> None:
        self.cluster_heads[article_id] = (sig, frozenset(neardup.band_keys(sig)))

    def _load_current(self, ids: set[int]) -> dict[int, _Current]:
        query = select(
            Article.id, Article.content_hash, Article.title, Article.version, Article.cluster_id
        ).where(Article.id.in_(ids))
        return {
            row.id: _Current(row.content_hash, row.title, row.version, row.cluster_id)
            for row in self.conn.execute(query)
        }

    def _write(self, record: ArticleRecord) -> WriteResult:
        owner = next((self.url_owner[u] for u in record.urls if u in self.url_owner), None)
        if owner is not None:
            return self._recapture(self._existing(owner), record)
        same_text = self.hash_owners.get(record.content_hash, [])
        same_site = next((c.article_id for c in same_text if c.site == record.site), None)
        if same_site is not None:
            self._add_urls(same_site, record.urls)
            self._touch(same_site)
            return WriteResult(Outcome.DUPLICATE, same_site)
        if same_text:
            first = same_text[0]
            article_id = self._insert(record, first.article_id, first.cluster)
            self._remember(record, article_id, first.cluster)
            return WriteResult(Outcome.DUPLICATE, article_id)
        match = self._near_match(record)
        article_id = self._insert(record, None, match)
        self._remember(record, article_id, match or neardup.Match(article_id, 1.0))
        return WriteResult(Outcome.NEW, article_id, near_duplicate=match is not None)

    def _existing(self, article_id: int) -> int:
        """The real id of an article, inserting the pending ones first if it is one."""
        if article_id < 0:
            self._flush_pending()
        return self._real(article_id)

    def _near_match(self, record: ArticleRecord) -> neardup.Match | None:
        """The story cluster a new text joins, decided as ``neardup.find_cluster`` would
        with everything the batch wrote so far indexed: among the first articles sharing
        a band key, the most similar at or above the threshold, the oldest on a tie. The
        candidates were loaded with the batch, and the batch's own new clusters (pending
        articles, not yet in the index) are matched here too, being the newest."""
        if record.signature is None or self.near_threshold is None:
            return None
        keys = set(neardup.band_keys(record.signature))
        candidates = sorted(
            (article_id, sig)
            for article_id, (sig, head_keys) in self.cluster_heads.items()
            if keys & head_keys
        )
        candidates += [
            (head.placeholder, head.record.signature)
            for head in self.pending
            if head.band_keys is not None and head.record.signature and keys & head.band_keys
        ]
        best: neardup.Match | None = None
        for article_id, sig in candidates:  # oldest first: a tie keeps the older cluster
            score = neardup.similarity(record.signature, sig)
            if score >= self.near_threshold and (best is None or score > best.similarity):
                best = neardup.Match(article_id, score)
        return best

    def _remember(self, record: ArticleRecord, article_id: int, cluster: neardup.Match) -> None:
        copies = self.hash_owners.setdefault(record.content_hash, [])
        copies.append(_Copy(article_id, record.site, cluster))

    def _recapture(self, article_id: int, record: ArticleRecord) -> WriteResult:
        current = self.current.get(article_id)
        if current is None:  # an article this batch inserted
            current = self._load_current({article_id})[article_id]
        self._add_urls(article_id, record.urls)
        if current.content_hash == record.content_hash and current.title == record.title:
            self._touch(article_id)
            return WriteResult(Outcome.UNCHANGED, article_id)
        version = current.version + 1
        capture_id = self._insert_capture(article_id, record)
        self.conn.execute(
            update(Article)
            .where(Article.id == article_id)
            .values(
                text=record.text,
                content_hash=record.content_hash,
                version=version,
                capture_id=capture_id,
                last_seen_at=self.now,
                updated_at=self.now,
                **record.metadata_columns(),
            )
        )
        self._insert_version(article_id, version, record, capture_id)
        if current.content_hash != record.content_hash:
            self._reindex(article_id, current.cluster_id, record.signature)
        self.current[article_id] = _Current(
            record.content_hash, record.title, version, current.cluster_id
        )
        return WriteResult(Outcome.UPDATED, article_id)

    def _reindex(self, article_id: int, cluster_id: int | None, sig: bytes | None) -> None:
        """Keep a cluster's first article indexed under its current text."""
        if sig is None or self.near_threshold is None or cluster_id != article_id:
            return
        if not neardup.reindex_article(self.conn, article_id, sig):
            neardup.index_article(self.conn, article_id, sig)
        self._index_head(article_id, sig)

    def _insert(
        self, record: ArticleRecord, duplicate_of: int | None, cluster: neardup.Match | None
    ) -> int:
        """Queue a new article (``cluster`` None: it starts its own); returns its
        placeholder id until the batch insert."""
        self._placeholder -= 1
        starts_cluster = cluster is None and record.signature is not None
        indexed = starts_cluster and self.near_threshold is not None
        self.pending.append(
            _PendingArticle(
                self._placeholder,
                record,
                duplicate_of,
                cluster,
                set(neardup.band_keys(record.signature))
                if indexed and record.signature is not None
                else None,
            )
        )
        self._add_urls(self._placeholder, record.urls)
        return self._placeholder

    def _flush_pending(self) -> None:
        """Insert every pending article with its URLs, capture, first version and, for
        the first article of a new cluster, its near-duplicate index entry."""
        if not self.pending:
            return
        pending, self.pending = self.pending, []
        ids = self.conn.execute(
            insert(_ARTICLES).returning(_ARTICLES.c.id, sort_by_parameter_order=True),
            [self._article_row(p) for p in pending],
        ).scalars()
        for article, article_id in zip(pending, ids, strict=True):
            self.real_id[article.placeholder] = article_id
        self.url_owner = {url: self._real(a) for url, a in self.url_owner.items()}
        for copies in self.hash_owners.values():
            copies[:] = [
                _Copy(
                    self._real(c.article_id),
                    c.site,
                    neardup.Match(self._real(c.cluster.cluster_id), c.cluster.similarity),
                )
                for c in copies
            ]
        self.conn.execute(
            insert(_ARTICLE_URLS),
            [
                {"article_id": self._real(p.placeholder), "url": url, "first_seen_at": self.now}
                for p in pending
                for url in p.urls
            ],
        )
        capture_ids = self.conn.execute(
            insert(_CAPTURES).returning(_CAPTURES.c.id, sort_by_parameter_order=True),
            [self._capture_row(self._real(p.placeholder), p.record) for p in pending],
        ).scalars()
        links = [
            (p, self._real(p.placeholder), c) for p, c in zip(pending, capture_ids, strict=True)
        ]
        self.conn.execute(
            update(_ARTICLES)
            .where(_ARTICLES.c.id == bindparam("b_article"))
            .values(
                capture_id=bindparam("b_capture"),
                cluster_id=bindparam("b_cluster"),
                duplicate_of=bindparam("b_duplicate_of"),
            ),
            [
                {
                    "b_article": article_id,
                    "b_capture": capture_id,
                    "b_cluster": self._real(p.cluster.cluster_id) if p.cluster else article_id,
                    "b_duplicate_of": self._real(p.duplicate_of) if p.duplicate_of else None,
                }
                for p, article_id, capture_id in links
            ],
        )
        self.conn.execute(
            insert(_VERSIONS),
            [
                self._version_row(article_id, 1, p.record, capture_id)
                for p, article_id, capture_id in links
            ],
        )
        heads = [
            (article_id, p.record.signature)
            for p, article_id, _capture_id in links
            if p.band_keys is not None and p.record.signature is not None
        ]
        neardup.index_articles(self.conn, heads)
        for article_id, sig in heads:
            self._index_head(article_id, sig)

    def _article_row(self, pending: _PendingArticle) -> dict[str, Any]:
        """The article's row; its links to rows of this batch (capture, cluster, copy)
        are set right after the insert, when their ids are known."""
        record = pending.record
        return {
            "url": record.url,
            "site": record.site,
            "text": record.text,
            "content_hash": record.content_hash,
            "version": 1,
            "duplicate_of": None,
            "cluster_id": None,
            "cluster_similarity": pending.cluster.similarity if pending.cluster else 1.0,
            "first_seen_at": self.now,
            "last_seen_at": self.now,
            "updated_at": self.now,
            **record.metadata_columns(),
        }

    def _capture_row(self, article_id: int, record: ArticleRecord) -> dict[str, Any]:
        capture = record.capture
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
            "body": compress_body(capture.body),
            "body_codec": BODY_CODEC,
            "body_size": len(capture.body),
            "payload_digest": payload_digest(capture.body),
            "fetched_at": capture.fetched_at,
        }

    def _version_row(
        self, article_id: int, version: int, record: ArticleRecord, capture_id: int
    ) -> dict[str, Any]:
        return {
            "article_id": article_id,
            "version": version,
            "title": record.title,
            "text": record.text,
            "content_hash": record.content_hash,
            "capture_id": capture_id,
            "seen_at": self.now,
        }

    def _insert_capture(self, article_id: int, record: ArticleRecord) -> int:
        return int(
            self.conn.execute(
                insert(_CAPTURES).returning(_CAPTURES.c.id),
                self._capture_row(article_id, record),
            ).scalar_one()
        )

    def _insert_version(
        self, article_id: int, version: int, record: ArticleRecord, capture_id: int
    ) -> None:
        self.conn.execute(
            insert(_VERSIONS), self._version_row(article_id, version, record, capture_id)
        )

    def _add_urls(self, article_id: int, urls: Iterable[str]) -> None:
        new = [u for u in dict.fromkeys(urls) if u not in self.url_owner]
        if not new:
            return
        if article_id < 0:
            next(p for p in self.pending if p.placeholder == article_id).urls.extend(new)
        else:
            self.new_urls += [
                {"article_id": article_id, "url": u, "first_seen_at": self.now} for u in new
            ]
        self.url_owner.update(dict.fromkeys(new, article_id))

    def _touch(self, article_id: int) -> None:
        if article_id > 0:  # a pending article is inserted with last_seen_at = now
            self.touched.add(article_id)

    def _flush_urls_and_touches(self) -> None:
        if self.new_urls:
            self.conn.execute(insert(_ARTICLE_URLS), self.new_urls)
        if self.touched:
            self.conn.execute(
                update(_ARTICLES)
                .where(_ARTICLES.c.id.in_(sorted(self.touched)))
                .values(last_seen_at=self.now)
            )


class _Current(NamedTuple):
    content_hash: str
    title: str | None
    version: int
    cluster_id: int | None


@dataclass(slots=True)
class _PendingArticle:
    placeholder: int
    record: ArticleRecord
    duplicate_of: int | None
    cluster: neardup.Match | None
    # LSH band keys of a pending article that starts (and indexes) a story cluster
    band_keys: set[int] | None
    urls: list[str] = field(default_factory=list)


# Core tables: multi-row statements skip the ORM's per-row work.
_ARTICLES = Base.metadata.tables[Article.__tablename__]
_ARTICLE_URLS = Base.metadata.tables[ArticleUrl.__tablename__]
_CAPTURES = Base.metadata.tables[Capture.__tablename__]
_VERSIONS = Base.metadata.tables[Version.__tablename__]
