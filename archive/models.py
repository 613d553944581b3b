"""The archive's tables, as SQLAlchemy 2.0 typed models.

Every timestamp is stored and returned in UTC. Article ids are never reused
(``AUTOINCREMENT`` on SQLite, an identity sequence on PostgreSQL). The ``articles``
table holds the current version of each story; every version, the first included,
is kept in ``versions``. Downstream tools read these tables directly: the
guarantees are documented in ``docs/schema.md``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.dialects.postgresql import BYTEA, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from archive.tables import IdType, UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


JSONType = JSON().with_variant(JSONB(), "postgresql")
# A JSON column where Python None means SQL NULL (plain JSONType stores it as JSON null).
NullableJSONType = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")
BinaryType = LargeBinary().with_variant(BYTEA(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        datetime: UTCDateTime(),
        dict[str, Any]: JSONType,
        list[str]: JSONType,
        list[list[str]]: JSONType,
        bytes: BinaryType,
    }


class Article(Base):
    """The current version of one story as one site published it.

    ``duplicate_of`` is set when the text equals (after normalisation) that of an
    article archived earlier on another site: the id of that first copy. Story
    clusters group near-duplicates (the same story republished or lightly edited,
    see ``archive.neardup``): ``cluster_id`` is the id of the cluster's first article,
    and ``cluster_similarity`` this article's estimated Jaccard similarity to it (0-1).
    Every article written by the crawler has a cluster: one that starts its own
    cluster, a singleton included, has ``cluster_id == id`` and similarity 1.0, so
    ``GROUP BY cluster_id`` counts stories and no row is rewritten when a copy
    arrives. An exact copy on another site takes its first copy's cluster and
    similarity. NULL means the article predates clustering (none written since).

    ``text`` is the extraction cleaned of the site's learned boilerplate
    (``archive.boilerplate``): ``boilerplate`` holds the lines removed from its ends
    (``{"head": [...], "tail": [...]}``, NULL when none were) and from between its story
    lines (``"middle": [[index, line], ...]``, present only when some were), so the
    extraction is ``head + text + tail`` with the middle lines put back at their
    indices; ``boilerplate_revision`` is the revision of the site's model the text was
    cleaned with (NULL: archived before boilerplate learning, not counted).
    """

    __tablename__ = "articles"
    __table_args__ = (
        Index("ix_articles_site_published", "site", "published_at"),
        Index("ix_articles_updated_at", "updated_at"),
        Index("ix_articles_site_boilerplate_revision", "site", "boilerplate_revision"),
        # browsing (newsarchive serve, health): see migration 0006
        Index("ix_articles_site_first_seen_at", "site", "first_seen_at"),
        Index("ix_articles_published_at", "published_at"),
        Index("ix_articles_version", "version"),
        # only the articles in a cluster another started: stories with copies
        Index(
            "ix_articles_cluster_copies",
            "cluster_id",
            "id",
            sqlite_where=text("cluster_id != id"),
            postgresql_where=text("cluster_id != id"),
        ),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    site: Mapped[str] = mapped_column(String(255))
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    authors: Mapped[list[str]] = mapped_column(default=list)
    published_at: Mapped[datetime | None]
    modified_at: Mapped[datetime | None]
    sitename: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    tags: Mapped[list[str]] = mapped_column(default=list)
    categories: Mapped[list[str]] = mapped_column(default=list)
    image: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    duplicate_of: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )
    capture_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("captures.id", ondelete="SET NULL", use_alter=True)
    )
    # A story cluster: the id of its first article, and this article's similarity to it.
    cluster_id: Mapped[int | None] = mapped_column(IdType, index=True)
    cluster_similarity: Mapped[float | None] = mapped_column(Float)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    boilerplate: Mapped[dict[str, Any] | None] = mapped_column(NullableJSONType)
    boilerplate_revision: Mapped[int | None] = mapped_column(Integer)
    # the page declared its content not free to read: ``text`` may be a teaser
    # no Python-side default: an INSERT that does not name it (older code, older
    # schemas in tests) leaves it to the database's
    paywalled: Mapped[bool] = mapped_column(Boolean, server_default=false())


class ArticleUrl(Base):
    """Every normalised URL under which an article was reached; one URL, one article."""

    __tablename__ = "article_urls"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    article_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(Text, unique=True)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class Capture(Base):
    """One HTTP fetch of an article page, kept so it can be re-extracted or exported as WARC.

    ``warc_*`` say where the fetch is in a WARC file, when a crawl wrote it to one
    (``--warc``) or it was imported from one: the file's path, the offset and length of
    the record's gzip member (or of the record, in an uncompressed file) and its
    ``WARC-Record-ID``.
    """

    __tablename__ = "captures"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    article_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    crawl_run_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("crawl_runs.id", ondelete="SET NULL"), index=True
    )
    url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str] = mapped_column(Text)
    status: Mapped[int] = mapped_column(Integer)
    headers: Mapped[list[list[str]]] = mapped_column(default=list)
    content_type: Mapped[str | None] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    body: Mapped[bytes] = mapped_column()
    body_codec: Mapped[str] = mapped_column(String(16))
    body_size: Mapped[int] = mapped_column(BigInteger)
    payload_digest: Mapped[str] = mapped_column(String(64))
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)
    warc_file: Mapped[str | None] = mapped_column(Text)
    warc_offset: Mapped[int | None] = mapped_column(BigInteger)
    warc_length: Mapped[int | None] = mapped_column(BigInteger)
    warc_record_id: Mapped[str | None] = mapped_column(Text, index=True)


class VersionReason(StrEnum):
    """Why a version was made (``versions.reason``)."""

    FIRST = "first"  # version 1: the article as first archived
    EDIT = "edit"  # the publisher changed the text or the title
    PAYWALL_LIFTED = "paywall_lifted"  # a full capture after a paywalled teaser
    LIVE_UPDATE = "live_update"  # a live blog's new updates


class Version(Base):
    """One version of an article's text and title; version 1 is the first seen.

    ``reason`` says why it was made (:class:`VersionReason`): a story first archived
    behind a paywall whose full text arrives later is ``paywall_lifted``, not an edit.

    Every version's text is cleaned with the same boilerplate model as its article's
    (``boilerplate`` as in ``articles``): re-cleaning is not a story edit, so it rewrites
    the versions' texts in place and never adds a version.
    """

    __tablename__ = "versions"
    __table_args__ = (
        UniqueConstraint("article_id", "version", name="uq_versions_article_version"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    article_id: Mapped[int] = mapped_column(IdType, ForeignKey("articles.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    capture_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("captures.id", ondelete="SET NULL")
    )
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    boilerplate: Mapped[dict[str, Any] | None] = mapped_column(NullableJSONType)
    paywalled: Mapped[bool] = mapped_column(Boolean, server_default=false())
    reason: Mapped[str] = mapped_column(String(32), server_default=VersionReason.EDIT.value)
    # when the page said it last changed (dateModified, a live blog's newest update)
    modified_at: Mapped[datetime | None]


class BoilerplateSite(Base):
    """Per site: how many distinct articles its line counts hold, and its model's revision.

    Revision 0 is the empty model (too few articles, or no line recurring enough).
    ``policy`` is the thresholds the current model was judged with.
    """

    __tablename__ = "boilerplate_sites"

    site: Mapped[str] = mapped_column(String(255), primary_key=True)
    articles: Mapped[int] = mapped_column(Integer, default=0)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    policy: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class BoilerplateLine(Base):
    """How many distinct articles of a site hold a short line (by its fingerprint).

    On SQLite the table is WITHOUT ROWID: the (site, fingerprint) key is the table.
    """

    __tablename__ = "boilerplate_lines"
    __table_args__ = ({"sqlite_with_rowid": False},)

    site: Mapped[str] = mapped_column(String(255), primary_key=True)
    fingerprint: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    articles: Mapped[int] = mapped_column(Integer)


class BoilerplateModel(Base):
    """One revision of a site's boilerplate model: the lines removed from its articles.

    ``lines`` is a list of ``{"fingerprint", "text", "articles"}`` (the count when it
    was learned); kept for every revision so any cleaned text can be reproduced.
    """

    __tablename__ = "boilerplate_models"

    site: Mapped[str] = mapped_column(String(255), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    articles: Mapped[int] = mapped_column(Integer)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TitleSegment(Base):
    """How many distinct articles of a site lead (``end`` "prefix") or end ("suffix") their
    title with a separated segment (``key``: ``archive.titles.title_key``); the row with
    ``end`` "titles" and an empty key counts the site's titled articles. A site's learned
    title affixes (``archive.titles``) are read from these counts.

    On SQLite the table is WITHOUT ROWID: the (site, end, key) key is the table.
    """

    __tablename__ = "title_segments"
    __table_args__ = ({"sqlite_with_rowid": False},)

    site: Mapped[str] = mapped_column(String(255), primary_key=True)
    end: Mapped[str] = mapped_column(String(8), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    articles: Mapped[int] = mapped_column(Integer)


class NearDupSignature(Base):
    """The MinHash signature of an article that starts a story cluster (``archive.neardup``)."""

    __tablename__ = "near_dup_signatures"

    article_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    signature: Mapped[bytes] = mapped_column()


class NearDupBand(Base):
    """The LSH index: one row per band key of each indexed signature.

    A lookup is ``WHERE key IN (...)`` on the primary key's leading column. No surrogate
    id (on SQLite the table is WITHOUT ROWID, so the key index is the table) and no
    foreign key: one would need a second index on ``article_id`` as large as the table.
    Rows of a deleted article are inert, since lookups join its signature, which is gone.
    """

    __tablename__ = "near_dup_bands"
    __table_args__ = ({"sqlite_with_rowid": False},)

    key: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    article_id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=False)


class CrawlRun(Base):
    """One invocation of a crawl: its arguments, outcome counts and how it ended."""

    __tablename__ = "crawl_runs"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="running")
    finish_reason: Mapped[str | None] = mapped_column(Text)
    args: Mapped[dict[str, Any]] = mapped_column(default=dict)
    stats: Mapped[dict[str, Any]] = mapped_column(default=dict)
    hostname: Mapped[str | None] = mapped_column(Text)
    pid: Mapped[int | None] = mapped_column(Integer)


class CrawlRunOutcome(Base):
    """How many pages of one site ended in one outcome during one crawl run.

    ``outcome`` is the run's stats key without its ``newsarchive/`` prefix
    (``articles/new``, ``skipped/listing``, ``failed/extract_timeout``...), so the
    per-site counts add up to the run's totals in ``crawl_runs.stats``.
    """

    __tablename__ = "crawl_run_outcomes"
    __table_args__ = (
        UniqueConstraint(
            "crawl_run_id", "site", "outcome", name="uq_crawl_run_outcomes_run_site_outcome"
        ),
        Index("ix_crawl_run_outcomes_site_crawl_run_id", "site", "crawl_run_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    crawl_run_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("crawl_runs.id", ondelete="CASCADE")
    )
    site: Mapped[str] = mapped_column(String(255))
    outcome: Mapped[str] = mapped_column(String(64))
    count: Mapped[int] = mapped_column(Integer)
