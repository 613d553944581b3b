"""What the archive knows of page URLs, for incremental re-crawls.

This is the archive's side of ``crawler.incremental.PageStateStore`` (the crawler
loads :func:`open_page_state` by dotted path from ``INCREMENTAL_STATE_STORE``; this
module imports nothing of the crawler): for a batch of normalised URLs, the article
each belongs to, when the archive first and last saw it, and the ETag and
Last-Modified of its current capture. A lookup is one query on the unique index of
``article_urls.url``, so memory stays flat however large the archive is.

It only reads, on a read-only engine: what a re-crawl learns (an article seen again
unchanged) reaches the archive through the store stage, its one writer
(``archive.writer.seen``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from archive.engine import create_archive_engine, current_revision, resolve_db_url
from archive.models import Article, ArticleUrl, Capture

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

logger = logging.getLogger(__name__)

# URLs per query: well under SQLite's and PostgreSQL's bound-parameter limits.
LOOKUP_CHUNK = 500


@dataclass(frozen=True, slots=True)
class PageState:
    article_id: int
    first_seen_at: datetime
    last_seen_at: datetime
    etag: str | None
    last_modified: str | None
    capture_url: str | None = None
    captured_at: datetime | None = None
    warc_record_id: str | None = None

    @property
    def capture(self) -> dict[str, str] | None:
        """The current capture as a WARC revisit names it (a 304 confirms it)."""
        if self.capture_url is None or self.captured_at is None:
            return None
        moment = self.captured_at.astimezone(UTC).replace(tzinfo=None)
        return {
            "uri": self.capture_url,
            "date": moment.isoformat() + "Z",
            "record_id": self.warc_record_id or "",
        }


class ArchiveState:
    """Reads page state on a read-only engine."""

    def __init__(self, url: str | None = None) -> None:
        self.url = resolve_db_url(url)
        self._reader: Engine | None = None
        self._ready = False

    def _read_engine(self) -> Engine | None:
        """The reader, once the archive has tables (a first crawl creates them)."""
        if self._reader is None:
            self._reader = create_archive_engine(self.url, write=False)
        if not self._ready:
            self._ready = current_revision(self._reader) is not None
        return self._reader if self._ready else None

    def lookup(self, urls: Sequence[str]) -> dict[str, PageState]:
        engine = self._read_engine()
        if engine is None or not urls:
            return {}
        found: dict[str, PageState] = {}
        with engine.connect() as conn:
            for start in range(0, len(urls), LOOKUP_CHUNK):
                chunk = list(urls[start : start + LOOKUP_CHUNK])
                query = (
                    select(
                        ArticleUrl.url,
                        Article.id,
                        Article.first_seen_at,
                        Article.last_seen_at,
                        Capture.etag,
                        Capture.last_modified,
                        Capture.final_url,
                        Capture.fetched_at,
                        Capture.warc_record_id,
                    )
                    .join(Article, Article.id == ArticleUrl.article_id)
                    .outerjoin(Capture, Capture.id == Article.capture_id)
                    .where(ArticleUrl.url.in_(chunk))
                )
                for row in conn.execute(query):
                    found[row.url] = PageState(*row[1:])
        return found

    def archived_records(self, record_ids: Sequence[str]) -> set[str]:
        engine = self._read_engine()
        if engine is None or not record_ids:
            return set()
        found: set[str] = set()
        ids = list(dict.fromkeys(record_ids))
        with engine.connect() as conn:
            for start in range(0, len(ids), LOOKUP_CHUNK):
                chunk = ids[start : start + LOOKUP_CHUNK]
                query = select(Capture.warc_record_id).where(Capture.warc_record_id.in_(chunk))
                found.update(str(value) for value in conn.scalars(query))
        return found

    def close(self) -> None:
        if self._reader is not None:
            self._reader.dispose()
        self._reader = None


def open_page_state(url: str | None = None) -> ArchiveState:
    """The page state of the archive at ``url`` (connects lazily, on first use)."""
    return ArchiveState(url)
