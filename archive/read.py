"""Reading the archive from Python, without Scrapy.

    import archive
    with archive.open_archive("sqlite:///archive.db") as arc:
        for article in arc.articles(site="example.com"):
            print(article["id"], article["title"], article["published_at"])

Articles come as plain dicts (the JSON Lines export's fields), streamed in
chunks so a large archive never sits in memory at once.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import TYPE_CHECKING, Any, Self

from sqlalchemy import Select, case, func, select

from archive.engine import open_engine
from archive.models import Article, ArticleUrl, CrawlRun, Version

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import TracebackType

    from sqlalchemy.engine import Connection, Engine

CHUNK = 500

ARTICLE_FIELDS = (
    "id",
    "url",
    "urls",
    "site",
    "sitename",
    "title",
    "text",
    "authors",
    "published_at",
    "modified_at",
    "language",
    "tags",
    "categories",
    "description",
    "image",
    "content_hash",
    "first_seen_at",
    "last_seen_at",
    "version",
    "duplicate_of",
    "cluster_id",
    "cluster_similarity",
)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def article_dict(row: Any, urls: list[str]) -> dict[str, Any]:
    """One article as the export and the read API give it: JSON-ready values."""
    data = {name: getattr(row, name) for name in ARTICLE_FIELDS if name != "urls"}
    data["urls"] = urls
    for name in ("published_at", "modified_at", "first_seen_at", "last_seen_at"):
        data[name] = _iso(data[name])
    return {name: data[name] for name in ARTICLE_FIELDS}


class Archive:
    """An open archive; use as a context manager or call :meth:`close`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    # --- articles ------------------------------------------------------------------------

    def _article_query(self, site: str | None, since: datetime | None) -> Select[Any]:
        query = select(Article).order_by(Article.id)
        if site:
            query = query.where(Article.site == site)
        if since:
            query = query.where(Article.first_seen_at >= since)
        return query

    def articles(
        self, *, site: str | None = None, since: datetime | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every current article (optionally of one site, or first seen since a time), by id."""
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=CHUNK).execute(
                self._article_query(site, since)
            )
            for chunk in result.partitions():
                urls = _urls_of(conn, [row.id for row in chunk])
                for row in chunk:
                    yield article_dict(row, urls[row.id])

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(Article)) or 0)

    def find_article(self, article_id: int | None = None, url: str | None = None) -> int | None:
        """The id of the article with this id, or reached under this normalised URL."""
        with self.engine.connect() as conn:
            if article_id is not None:
                return conn.scalar(select(Article.id).where(Article.id == article_id))
            return conn.scalar(select(ArticleUrl.article_id).where(ArticleUrl.url == url))

    def article(self, article_id: int) -> dict[str, Any] | None:
        """One current article as :meth:`articles` gives it, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(Article).where(Article.id == article_id)).one_or_none()
            return article_dict(row, _urls_of(conn, [article_id])[article_id]) if row else None

    def versions(self, article_id: int) -> list[dict[str, Any]]:
        """Every version of an article, oldest first: version, title, text, content_hash,
        seen_at (when that text was first fetched), capture_id."""
        query = (
            select(
                Version.version,
                Version.title,
                Version.text,
                Version.content_hash,
                Version.seen_at,
                Version.capture_id,
            )
            .where(Version.article_id == article_id)
            .order_by(Version.version)
        )
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def cluster(self, cluster_id: int) -> list[dict[str, Any]]:
        """The articles of a story cluster, first first: id, site, url, similarity."""
        query = (
            select(
                Article.id,
                Article.site,
                Article.url,
                Article.duplicate_of,
                Article.cluster_id,
                Article.cluster_similarity.label("similarity"),
            )
            .where(Article.cluster_id == cluster_id)
            .order_by(Article.id)
        )
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    # --- stats ------------------------------------------------------------------------------

    def site_stats(self) -> list[dict[str, Any]]:
        """Per site: articles; exact copies of an article of another site (duplicates);
        articles in a story cluster another article started (near_duplicates); articles
        changed since first archived (updated) and their changes (updates); first and
        last seen."""
        in_other_cluster = (Article.cluster_id != Article.id) & Article.duplicate_of.is_(None)
        query = (
            select(
                Article.site,
                func.count().label("articles"),
                func.count(Article.duplicate_of).label("duplicates"),
                func.count(case((in_other_cluster, 1))).label("near_duplicates"),
                func.count(case((Article.version > 1, 1))).label("updated"),
                func.sum(Article.version - 1).label("updates"),
                func.min(Article.first_seen_at).label("first_seen_at"),
                func.max(Article.last_seen_at).label("last_seen_at"),
            )
            .group_by(Article.site)
            .order_by(Article.site)
        )
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def crawl_runs(self, limit: int = 20) -> list[dict[str, Any]]:
        """The latest crawl runs, newest first, with their outcome counts."""
        query = select(CrawlRun).order_by(CrawlRun.id.desc()).limit(limit)
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]


def _urls_of(conn: Connection, ids: list[int]) -> dict[int, list[str]]:
    urls: dict[int, list[str]] = defaultdict(list)
    query = (
        select(ArticleUrl.article_id, ArticleUrl.url)
        .where(ArticleUrl.article_id.in_(ids))
        .order_by(ArticleUrl.id)
    )
    for article_id, url in conn.execute(query):
        urls[article_id].append(url)
    return urls


def open_archive(url: str | None = None) -> Archive:
    """Open an existing archive for reading (``url`` defaults as the CLI's ``--db``)."""
    return Archive(open_engine(url))
