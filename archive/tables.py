"""The tables the read API reads, as SQLAlchemy Core ``Table`` objects.

``archive/models.py`` declares the schema: the ORM models, with their indexes,
constraints and PostgreSQL's own types, from which the migrations are checked. Reading
needs only the tables' columns and the types their values are read with, and these
tables give them on SQLAlchemy Core alone: the read API (``archive.read``,
``archive.search``, ``archive.browse``, ``archive.health``) loads neither the ORM nor
SQLAlchemy's PostgreSQL dialect, which were half of a reading command's start-up
(``bench/startup.py``). The column types shared with the models (:class:`UTCDateTime`,
:data:`IdType`) are declared here, and ``tests/archive/test_tables.py`` checks that each
table here has exactly its model's columns: names and order, types, keys, nullability.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that goes in as any aware datetime and always comes out in UTC.

    SQLite has no time zone type, so values are stored naive in UTC there;
    PostgreSQL stores ``timestamptz``. Naive datetimes are refused on the way in:
    a timestamp without a zone is a bug upstream, not something to guess.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the archive stores UTC timestamps only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# SQLite only reuses no rowid when the table is AUTOINCREMENT, which needs INTEGER.
IdType = BigInteger().with_variant(Integer(), "sqlite")

# JSON and binary columns are JSONB and BYTEA on PostgreSQL (archive/models.py): read
# through the generic types, psycopg hands back the decoded values and bytes alike.
metadata = MetaData()


def _id() -> Column[int]:
    return Column("id", IdType, primary_key=True)


def _time(name: str, *, nullable: bool = False) -> Column[datetime]:
    return Column(name, UTCDateTime(), nullable=nullable)


articles = Table(
    "articles",
    metadata,
    _id(),
    Column("url", Text, nullable=False),
    Column("site", String(255), nullable=False),
    Column("title", Text),
    Column("text", Text, nullable=False),
    Column("authors", JSON, nullable=False),
    _time("published_at", nullable=True),
    _time("modified_at", nullable=True),
    Column("sitename", Text),
    Column("description", Text),
    Column("language", String(16)),
    Column("tags", JSON, nullable=False),
    Column("categories", JSON, nullable=False),
    Column("image", Text),
    Column("content_hash", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("duplicate_of", IdType, ForeignKey("articles.id")),
    Column("capture_id", IdType, ForeignKey("captures.id")),
    Column("cluster_id", IdType),
    Column("cluster_similarity", Float),
    _time("first_seen_at"),
    _time("last_seen_at"),
    _time("updated_at"),
    Column("boilerplate", JSON),
    Column("boilerplate_revision", Integer),
    Column("paywalled", Boolean, nullable=False),
)

article_urls = Table(
    "article_urls",
    metadata,
    _id(),
    Column("article_id", IdType, ForeignKey("articles.id"), nullable=False),
    Column("url", Text, nullable=False),
    _time("first_seen_at"),
)

captures = Table(
    "captures",
    metadata,
    _id(),
    Column("article_id", IdType, ForeignKey("articles.id")),
    Column("crawl_run_id", IdType, ForeignKey("crawl_runs.id")),
    Column("url", Text, nullable=False),
    Column("final_url", Text, nullable=False),
    Column("status", Integer, nullable=False),
    Column("headers", JSON, nullable=False),
    Column("content_type", Text),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("body", LargeBinary, nullable=False),
    Column("body_codec", String(16), nullable=False),
    Column("body_size", BigInteger, nullable=False),
    Column("payload_digest", String(64), nullable=False),
    _time("fetched_at"),
    Column("warc_file", Text),
    Column("warc_offset", BigInteger),
    Column("warc_length", BigInteger),
    Column("warc_record_id", Text),
)

versions = Table(
    "versions",
    metadata,
    _id(),
    Column("article_id", IdType, ForeignKey("articles.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("title", Text),
    Column("text", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("capture_id", IdType, ForeignKey("captures.id")),
    _time("seen_at"),
    Column("boilerplate", JSON),
    Column("paywalled", Boolean, nullable=False),
    Column("reason", String(32), nullable=False),
    _time("modified_at", nullable=True),
)

boilerplate_sites = Table(
    "boilerplate_sites",
    metadata,
    Column("site", String(255), primary_key=True),
    Column("articles", Integer, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("policy", JSON, nullable=False),
    _time("updated_at"),
)

boilerplate_models = Table(
    "boilerplate_models",
    metadata,
    Column("site", String(255), primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("articles", Integer, nullable=False),
    Column("lines", JSON, nullable=False),
    _time("created_at"),
)

crawl_runs = Table(
    "crawl_runs",
    metadata,
    _id(),
    _time("started_at"),
    _time("finished_at", nullable=True),
    Column("status", String(16), nullable=False),
    Column("finish_reason", Text),
    Column("args", JSON, nullable=False),
    Column("stats", JSON, nullable=False),
    Column("hostname", Text),
    Column("pid", Integer),
)

crawl_run_outcomes = Table(
    "crawl_run_outcomes",
    metadata,
    _id(),
    Column("crawl_run_id", IdType, ForeignKey("crawl_runs.id"), nullable=False),
    Column("site", String(255), nullable=False),
    Column("outcome", String(64), nullable=False),
    Column("count", Integer, nullable=False),
)
