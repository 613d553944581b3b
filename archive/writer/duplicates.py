"""Exact duplicates: the archived articles (and those new in the batch) holding each text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import select

from archive import neardup
from archive.models import Article
from archive.writer.records import ArticleRecord

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


class Copy(NamedTuple):
    """An archived article with a given text: where it is and which cluster it is in.

    Ids below zero stand for articles of this batch not yet inserted."""

    article_id: int
    site: str
    cluster: neardup.Match


class ExactCopies:
    """Content hash -> the articles with that text, oldest first."""

    def __init__(self) -> None:
        self.owners: dict[str, list[Copy]] = {}

    def load(self, conn: Connection, records: Sequence[ArticleRecord]) -> None:
        """Read at once the archived articles holding any text of the batch."""
        hashes = {r.content_hash for r in records}
        for row in conn.execute(
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
            self.owners.setdefault(row.content_hash, []).append(Copy(row.id, row.site, cluster))

    def known(self, record: ArticleRecord) -> bool:
        return record.content_hash in self.owners

    def of(self, record: ArticleRecord) -> list[Copy]:
        """The articles holding the record's text, oldest first."""
        return self.owners.get(record.content_hash, [])

    def remember(self, record: ArticleRecord, article_id: int, cluster: neardup.Match) -> None:
        self.owners.setdefault(record.content_hash, []).append(
            Copy(article_id, record.site, cluster)
        )
