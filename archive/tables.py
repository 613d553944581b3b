"""The archive's schema: every table, as SQLAlchemy Core ``Table`` objects.

This is the one place the schema is declared: columns, types, keys, defaults,
constraints and indexes. ``archive/models.py`` maps the ORM models (used by the writer)
onto these tables and adds the one piece whose declaration needs SQLAlchemy's PostgreSQL
dialect (a partial index's ``postgresql_where=``); ``tests/archive/test_migrations.py``
checks the result against the migrations on SQLite and PostgreSQL.

Reading needs only these tables: the read API (``archive.read``, ``archive.search``,
``archive.browse``, ``archive.health``) loads neither the ORM nor the models nor
SQLAlchemy's PostgreSQL dialect, which were half of a reading command's start-up
(``bench/startup.py``). So nothing here imports them: the JSON columns' PostgreSQL type,
JSONB, is chosen by :class:`PostgresJSONB` when a PostgreSQL connection uses it.

Every timestamp is stored and returned in UTC. Ids are never reused (``AUTOINCREMENT``
on SQLite, an identity sequence on PostgreSQL). What each column means is documented on
its model (``archive/models.py``) and in ``docs/schema.md``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


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


class PostgresJSONB(TypeDecorator[Any]):
    """PostgreSQL's JSONB, the JSON columns' type there, its dialect imported only when
    a PostgreSQL connection compiles or binds the type (never by reading on SQLite)."""

    impl = JSON
    cache_ok = True

    def __init__(self, *, none_as_null: bool = False) -> None:
        super().__init__(none_as_null=none_as_null)
        self.none_as_null = none_as_null

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        from sqlalchemy.dialects.postgresql import JSONB

        return dialect.type_descriptor(JSONB(none_as_null=self.none_as_null))


# SQLite only reuses no rowid when the table is AUTOINCREMENT, which needs INTEGER.
IdType = BigInteger().with_variant(Integer(), "sqlite")
JSONType = JSON().with_variant(PostgresJSONB(), "postgresql")
# A JSON column where Python None means SQL NULL (plain JSONType stores it as JSON null).
NullableJSONType = JSON(none_as_null=True).with_variant(
    PostgresJSONB(none_as_null=True), "postgresql"
)
# LargeBinary is BYTEA on PostgreSQL.


class VersionReason(StrEnum):
    """Why a version was made (``versions.reason``)."""

    FIRST = "first"  # version 1: the article as first archived
    EDIT = "edit"  # the publisher changed the text or the title
    PAYWALL_LIFTED = "paywall_lifted"  # a full capture after a paywalled teaser
    LIVE_UPDATE = "live_update"  # a live blog's new updates


def _id() -> Column[int]:
    return Column("id", IdType, primary_key=True, autoincrement=True)


def _time(name: str, *, nullable: bool = False) -> Column[datetime]:
    """A timestamp; one that may not be NULL defaults to the time the row is written."""
    if nullable:
        return Column(name, UTCDateTime(), nullable=True)
    return Column(name, UTCDateTime(), nullable=False, default=utcnow)


articles = Table(
    "articles",
    metadata,
    _id(),
    Column("url", Text, nullable=False, unique=True),
    Column("site", String(255), nullable=False),
    Column("title", Text),
    Column("text", Text, nullable=False),
    Column("authors", JSONType, nullable=False, default=list),
    _time("published_at", nullable=True),
    _time("modified_at", nullable=True),
    Column("sitename", Text),
    Column("description", Text),
    Column("language", String(16)),
    Column("tags", JSONType, nullable=False, default=list),
    Column("categories", JSONType, nullable=False, default=list),
    Column("image", Text),
    Column("content_hash", String(64), nullable=False, index=True),
    Column("version", Integer, nullable=False, default=1),
    Column("duplicate_of", IdType, ForeignKey("articles.id", ondelete="SET NULL"), index=True),
    Column("capture_id", IdType, ForeignKey("captures.id", ondelete="SET NULL", use_alter=True)),
    # a story cluster: the id of its first article, and this article's similarity to it
    Column("cluster_id", IdType, index=True),
    Column("cluster_similarity", Float),
    _time("first_seen_at"),
    _time("last_seen_at"),
    _time("updated_at"),
    Column("boilerplate", NullableJSONType),
    Column("boilerplate_revision", Integer),
    # the page declared its content not free to read: ``text`` may be a teaser. No
    # Python-side default: an INSERT that does not name it (older code, older schemas in
    # tests) leaves it to the database's
    Column("paywalled", Boolean, nullable=False, server_default=false()),
    Index("ix_articles_site_published", "site", "published_at"),
    Index("ix_articles_updated_at", "updated_at"),
    Index("ix_articles_site_boilerplate_revision", "site", "boilerplate_revision"),
    # browsing (newsarchive serve, health): see migration 0006
    Index("ix_articles_site_first_seen_at", "site", "first_seen_at"),
    Index("ix_articles_published_at", "published_at"),
    Index("ix_articles_version", "version"),
    # ix_articles_cluster_copies, a partial index, is declared in archive/models.py:
    # its postgresql_where= loads SQLAlchemy's PostgreSQL dialect
    sqlite_autoincrement=True,
)

article_urls = Table(
    "article_urls",
    metadata,
    _id(),
    Column(
        "article_id",
        IdType,
        ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("url", Text, nullable=False, unique=True),
    _time("first_seen_at"),
    sqlite_autoincrement=True,
)

captures = Table(
    "captures",
    metadata,
    _id(),
    Column("article_id", IdType, ForeignKey("articles.id", ondelete="CASCADE"), index=True),
    Column("crawl_run_id", IdType, ForeignKey("crawl_runs.id", ondelete="SET NULL"), index=True),
    Column("url", Text, nullable=False),
    Column("final_url", Text, nullable=False),
    Column("status", Integer, nullable=False),
    Column("headers", JSONType, nullable=False, default=list),
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
    Column("warc_record_id", Text, index=True),
    sqlite_autoincrement=True,
)

versions = Table(
    "versions",
    metadata,
    _id(),
    Column("article_id", IdType, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("title", Text),
    Column("text", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("capture_id", IdType, ForeignKey("captures.id", ondelete="SET NULL")),
    _time("seen_at"),
    Column("boilerplate", NullableJSONType),
    Column("paywalled", Boolean, nullable=False, server_default=false()),
    Column("reason", String(32), nullable=False, server_default=VersionReason.EDIT.value),
    # when the page said it last changed (dateModified, a live blog's newest update)
    _time("modified_at", nullable=True),
    UniqueConstraint("article_id", "version", name="uq_versions_article_version"),
    sqlite_autoincrement=True,
)

boilerplate_sites = Table(
    "boilerplate_sites",
    metadata,
    Column("site", String(255), primary_key=True),
    Column("articles", Integer, nullable=False, default=0),
    Column("revision", Integer, nullable=False, default=0),
    Column("policy", JSONType, nullable=False, default=dict),
    _time("updated_at"),
)

# On SQLite the tables keyed by something else than an id are WITHOUT ROWID: the key is
# the table.
boilerplate_lines = Table(
    "boilerplate_lines",
    metadata,
    Column("site", String(255), primary_key=True),
    Column("fingerprint", BigInteger, primary_key=True, autoincrement=False),
    Column("articles", Integer, nullable=False),
    sqlite_with_rowid=False,
)

boilerplate_models = Table(
    "boilerplate_models",
    metadata,
    Column("site", String(255), primary_key=True),
    Column("revision", Integer, primary_key=True, autoincrement=False),
    Column("articles", Integer, nullable=False),
    Column("lines", JSONType, nullable=False),
    _time("created_at"),
)

title_segments = Table(
    "title_segments",
    metadata,
    Column("site", String(255), primary_key=True),
    Column("end", String(8), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("articles", Integer, nullable=False),
    sqlite_with_rowid=False,
)

near_dup_signatures = Table(
    "near_dup_signatures",
    metadata,
    Column(
        "article_id",
        IdType,
        ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("signature", LargeBinary, nullable=False),
)

near_dup_bands = Table(
    "near_dup_bands",
    metadata,
    Column("key", BigInteger, primary_key=True, autoincrement=False),
    Column("article_id", IdType, primary_key=True, autoincrement=False),
    sqlite_with_rowid=False,
)

crawl_runs = Table(
    "crawl_runs",
    metadata,
    _id(),
    _time("started_at"),
    _time("finished_at", nullable=True),
    Column("status", String(16), nullable=False, default="running"),
    Column("finish_reason", Text),
    Column("args", JSONType, nullable=False, default=dict),
    Column("stats", JSONType, nullable=False, default=dict),
    Column("hostname", Text),
    Column("pid", Integer),
    sqlite_autoincrement=True,
)

crawl_run_outcomes = Table(
    "crawl_run_outcomes",
    metadata,
    _id(),
    Column("crawl_run_id", IdType, ForeignKey("crawl_runs.id", ondelete="CASCADE"), nullable=False),
    Column("site", String(255), nullable=False),
    Column("outcome", String(64), nullable=False),
    Column("count", Integer, nullable=False),
    UniqueConstraint(
        "crawl_run_id", "site", "outcome", name="uq_crawl_run_outcomes_run_site_outcome"
    ),
    Index("ix_crawl_run_outcomes_site_crawl_run_id", "site", "crawl_run_id"),
    sqlite_autoincrement=True,
)
