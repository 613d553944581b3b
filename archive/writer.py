"""Idempotent, batched writes of articles into the archive.

The writer decides, inside the transaction that writes a batch, what each incoming
article is to the archive: new, an unchanged re-capture, a changed story (a new
version), or a copy of a story already stored. Deciding here rather than upstream
keeps the outcome right when several crawls write to one archive at once: the
database, not a process's memory, is the source of truth.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import zstandard
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from archive.models import Article, ArticleUrl, Base, Capture, CrawlRun, Version, utcnow

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

logger = logging.getLogger(__name__)

BODY_CODEC = "zstd"
_COMPRESSION_LEVEL = 3


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

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

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
                return _BatchWrite(conn, run_id).write_all(records)
        except IntegrityError:
            logger.info("batch of %d raced another writer; writing one by one", len(records))
        return [self._write_one(record, run_id) for record in records]

    def _write_one(self, record: ArticleRecord, run_id: int | None) -> WriteResult:
        for attempt in range(2):
            try:
                with self.engine.begin() as conn:
                    return _BatchWrite(conn, run_id).write_all([record])[0]
            except IntegrityError as exc:
                if attempt:
                    logger.error("cannot archive %s: %s", record.url, exc.orig)
                    return WriteResult(Outcome.FAILED, error=str(exc.orig))
        raise AssertionError("unreachable")


class _BatchWrite:
    """The state of one batch transaction: what the archive holds for its URLs and texts.

    Each record is decided in order, but new articles are not inserted one by one:
    they wait in ``pending`` (under a negative placeholder id) and go in together,
    one multi-row statement per table, when the batch ends or as soon as a later
    record of the same batch needs one of them to exist. New URLs of known articles
    and the ``last_seen_at`` of unchanged ones are written once per batch too. On a
    database server every statement is a round trip: a batch of a hundred new
    articles takes a handful of statements instead of five hundred.
    """

    def __init__(self, conn: Connection, run_id: int | None) -> None:
        self.conn = conn
        self.run_id = run_id
        self.now = utcnow()
        self.url_owner: dict[str, int] = {}
        self.hash_owners: dict[str, list[tuple[int, str]]] = {}
        # article id -> (content hash, title, version) of articles the batch may re-capture
        self.current: dict[int, tuple[str, str | None, int]] = {}
        self.pending: list[_PendingArticle] = []
        self.real_id: dict[int, int] = {}
        self.new_urls: list[dict[str, Any]] = []
        self.touched: set[int] = set()
        self._placeholder = 0

    def write_all(self, records: Sequence[ArticleRecord]) -> list[WriteResult]:
        self._load_known(records)
        results = [self._write(record) for record in records]
        self._flush_pending()
        self._flush_urls_and_touches()
        return [
            WriteResult(r.outcome, self.real_id.get(r.article_id, r.article_id), r.error)
            if r.article_id is not None and r.article_id < 0
            else r
            for r in results
        ]

    def _load_known(self, records: Iterable[ArticleRecord]) -> None:
        urls = {u for r in records for u in r.urls}
        hashes = {r.content_hash for r in records}
        rows = self.conn.execute(
            select(ArticleUrl.url, ArticleUrl.article_id).where(ArticleUrl.url.in_(urls))
        )
        self.url_owner = {url: article_id for url, article_id in rows}
        for article_id, site, content_hash in self.conn.execute(
            select(Article.id, Article.site, Article.content_hash)
            .where(Article.content_hash.in_(hashes))
            .order_by(Article.id)
        ):
            self.hash_owners.setdefault(content_hash, []).append((article_id, site))
        if self.url_owner:
            self.current = {
                row.id: (row.content_hash, row.title, row.version)
                for row in self.conn.execute(
                    select(Article.id, Article.content_hash, Article.title, Article.version).where(
                        Article.id.in_(set(self.url_owner.values()))
                    )
                )
            }

    def _write(self, record: ArticleRecord) -> WriteResult:
        owner = next((self.url_owner[u] for u in record.urls if u in self.url_owner), None)
        if owner is not None:
            return self._recapture(self._existing(owner), record)
        same_text = self.hash_owners.get(record.content_hash, [])
        same_site = next((aid for aid, site in same_text if site == record.site), None)
        if same_site is not None:
            self._add_urls(same_site, record.urls)
            self._touch(same_site)
            return WriteResult(Outcome.DUPLICATE, same_site)
        first_copy = self._existing(same_text[0][0]) if same_text else None
        article_id = self._insert(record, duplicate_of=first_copy)
        self.hash_owners.setdefault(record.content_hash, []).append((article_id, record.site))
        return WriteResult(Outcome.DUPLICATE if first_copy else Outcome.NEW, article_id)

    def _existing(self, article_id: int) -> int:
        """The real id of an article, inserting the pending ones first if it is one."""
        if article_id < 0:
            self._flush_pending()
            return self.real_id[article_id]
        return article_id

    def _recapture(self, article_id: int, record: ArticleRecord) -> WriteResult:
        current = self.current.get(article_id)
        if current is None:  # an article this batch inserted
            row = self.conn.execute(
                select(Article.content_hash, Article.title, Article.version).where(
                    Article.id == article_id
                )
            ).one()
            current = (row.content_hash, row.title, row.version)
        content_hash, title, old_version = current
        self._add_urls(article_id, record.urls)
        if content_hash == record.content_hash and title == record.title:
            self._touch(article_id)
            return WriteResult(Outcome.UNCHANGED, article_id)
        version = old_version + 1
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
        self.current[article_id] = (record.content_hash, record.title, version)
        return WriteResult(Outcome.UPDATED, article_id)

    def _insert(self, record: ArticleRecord, duplicate_of: int | None) -> int:
        """Queue a new article; returns its placeholder id until the batch insert."""
        self._placeholder -= 1
        self.pending.append(_PendingArticle(self._placeholder, record, duplicate_of))
        self._add_urls(self._placeholder, record.urls)
        return self._placeholder

    def _flush_pending(self) -> None:
        """Insert every pending article with its URLs, capture and first version."""
        if not self.pending:
            return
        pending, self.pending = self.pending, []
        ids = self.conn.execute(
            insert(_ARTICLES).returning(_ARTICLES.c.id, sort_by_parameter_order=True),
            [self._article_row(p) for p in pending],
        ).scalars()
        for article, article_id in zip(pending, ids, strict=True):
            self.real_id[article.placeholder] = article_id
        self.url_owner = {url: self.real_id.get(a, a) for url, a in self.url_owner.items()}
        for owners in self.hash_owners.values():
            owners[:] = [(self.real_id.get(a, a), site) for a, site in owners]
        self.conn.execute(
            insert(_ARTICLE_URLS),
            [
                {"article_id": self.real_id[p.placeholder], "url": url, "first_seen_at": self.now}
                for p in pending
                for url in p.urls
            ],
        )
        capture_ids = self.conn.execute(
            insert(_CAPTURES).returning(_CAPTURES.c.id, sort_by_parameter_order=True),
            [self._capture_row(self.real_id[p.placeholder], p.record) for p in pending],
        ).scalars()
        links = [
            (self.real_id[p.placeholder], capture_id)
            for p, capture_id in zip(pending, capture_ids, strict=True)
        ]
        self.conn.execute(
            update(_ARTICLES)
            .where(_ARTICLES.c.id == bindparam("b_article"))
            .values(capture_id=bindparam("b_capture")),
            [{"b_article": a, "b_capture": c} for a, c in links],
        )
        self.conn.execute(
            insert(_VERSIONS),
            [
                self._version_row(article_id, 1, p.record, capture_id)
                for p, (article_id, capture_id) in zip(pending, links, strict=True)
            ],
        )

    def _article_row(self, pending: _PendingArticle) -> dict[str, Any]:
        record = pending.record
        return {
            "url": record.url,
            "site": record.site,
            "text": record.text,
            "content_hash": record.content_hash,
            "version": 1,
            "duplicate_of": pending.duplicate_of,
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


@dataclass(slots=True)
class _PendingArticle:
    placeholder: int
    record: ArticleRecord
    duplicate_of: int | None
    urls: list[str] = field(default_factory=list)


# Core tables: multi-row statements skip the ORM's per-row work.
_ARTICLES = Base.metadata.tables[Article.__tablename__]
_ARTICLE_URLS = Base.metadata.tables[ArticleUrl.__tablename__]
_CAPTURES = Base.metadata.tables[Capture.__tablename__]
_VERSIONS = Base.metadata.tables[Version.__tablename__]
