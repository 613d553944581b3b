"""URL identity: which archived article (or article new in the batch) owns each URL."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select

from archive.models import ArticleUrl
from archive.writer.records import ArticleRecord

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

INSERT_URLS = insert(ArticleUrl)


class UrlOwners:
    """The owners of a batch's URLs: article ids (below zero: pending in the batch)."""

    def __init__(self, conn: Connection, now: datetime) -> None:
        self.conn = conn
        self.now = now
        self.owner: dict[str, int] = {}

    def load(self, records: Sequence[ArticleRecord]) -> None:
        """Read at once who owns any URL of the batch."""
        urls = {u for r in records for u in r.urls}
        rows = self.conn.execute(
            select(ArticleUrl.url, ArticleUrl.article_id).where(ArticleUrl.url.in_(urls))
        )
        self.owner = {url: article_id for url, article_id in rows}

    def owners(self) -> set[int]:
        return set(self.owner.values())

    def owner_of(self, record: ArticleRecord) -> int | None:
        """The article that owns the first of the record's URLs that has an owner."""
        return next((self.owner[u] for u in record.urls if u in self.owner), None)

    def known(self, record: ArticleRecord) -> bool:
        return any(u in self.owner for u in record.urls)

    def claim(self, record: ArticleRecord, placeholder: int) -> None:
        """Give a pending article its URLs (inserted with it at the flush)."""
        self.owner.update(dict.fromkeys(record.urls, placeholder))

    def rows(self, article_id: int, urls: Iterable[str]) -> list[dict[str, Any]]:
        return [
            {"article_id": article_id, "url": u, "first_seen_at": self.now}
            for u in dict.fromkeys(urls)
        ]

    def add(self, article_id: int, urls: Iterable[str]) -> None:
        """Give an archived article those of ``urls`` nobody owns yet."""
        new = [u for u in dict.fromkeys(urls) if u not in self.owner]
        if not new:
            return
        self.conn.execute(INSERT_URLS, self.rows(article_id, new))
        self.owner.update(dict.fromkeys(new, article_id))
