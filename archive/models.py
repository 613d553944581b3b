"""The ORM models the writer works with, mapped onto the tables of ``archive/tables.py``.

The schema is declared once, in ``archive/tables.py``; each model here maps one of its
tables (``__table__``) and annotates its columns' Python types, which mypy checks the
writer's code against (``tests/archive/test_tables.py`` checks they agree with the
columns, NULL included). Declared here only: the partial index whose
``postgresql_where=`` loads SQLAlchemy's PostgreSQL dialect, which the read path never
imports. ``Base.metadata`` is therefore the whole schema, the one the migrations are
checked against (``tests/archive/test_migrations.py``).

Every timestamp is stored and returned in UTC. Article ids are never reused
(``AUTOINCREMENT`` on SQLite, an identity sequence on PostgreSQL). The ``articles``
table holds the current version of each story; every version, the first included,
is kept in ``versions``. Downstream tools read these tables directly: the
guarantees are documented in ``docs/schema.md``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, text
from sqlalchemy.orm import DeclarativeBase, Mapped

from archive import tables


class Base(DeclarativeBase):
    metadata = tables.metadata


# Only the articles in a cluster another started: stories with copies.
Index(
    "ix_articles_cluster_copies",
    tables.articles.c.cluster_id,
    tables.articles.c.id,
    sqlite_where=text("cluster_id != id"),
    postgresql_where=text("cluster_id != id"),
)


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

    __table__ = tables.articles

    id: Mapped[int]
    url: Mapped[str]
    site: Mapped[str]
    title: Mapped[str | None]
    text: Mapped[str]
    authors: Mapped[list[str]]
    published_at: Mapped[datetime | None]
    modified_at: Mapped[datetime | None]
    sitename: Mapped[str | None]
    description: Mapped[str | None]
    language: Mapped[str | None]
    tags: Mapped[list[str]]
    categories: Mapped[list[str]]
    image: Mapped[str | None]
    content_hash: Mapped[str]
    version: Mapped[int]
    duplicate_of: Mapped[int | None]
    capture_id: Mapped[int | None]
    cluster_id: Mapped[int | None]
    cluster_similarity: Mapped[float | None]
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    boilerplate: Mapped[dict[str, Any] | None]
    boilerplate_revision: Mapped[int | None]
    paywalled: Mapped[bool]


class ArticleUrl(Base):
    """Every normalised URL under which an article was reached; one URL, one article."""

    __table__ = tables.article_urls

    id: Mapped[int]
    article_id: Mapped[int]
    url: Mapped[str]
    first_seen_at: Mapped[datetime]


class Capture(Base):
    """One HTTP fetch of an article page, kept so it can be re-extracted or exported as WARC.

    ``warc_*`` say where the fetch is in a WARC file, when a crawl wrote it to one
    (``--warc``) or it was imported from one: the file's path, the offset and length of
    the record's gzip member (or of the record, in an uncompressed file) and its
    ``WARC-Record-ID``.
    """

    __table__ = tables.captures

    id: Mapped[int]
    article_id: Mapped[int | None]
    crawl_run_id: Mapped[int | None]
    url: Mapped[str]
    final_url: Mapped[str]
    status: Mapped[int]
    headers: Mapped[list[list[str]]]
    content_type: Mapped[str | None]
    etag: Mapped[str | None]
    last_modified: Mapped[str | None]
    body: Mapped[bytes]
    body_codec: Mapped[str]
    body_size: Mapped[int]
    payload_digest: Mapped[str]
    fetched_at: Mapped[datetime]
    warc_file: Mapped[str | None]
    warc_offset: Mapped[int | None]
    warc_length: Mapped[int | None]
    warc_record_id: Mapped[str | None]


class Version(Base):
    """One version of an article's text and title; version 1 is the first seen.

    ``reason`` says why it was made (:class:`VersionReason`): a story first archived
    behind a paywall whose full text arrives later is ``paywall_lifted``, not an edit.

    Every version's text is cleaned with the same boilerplate model as its article's
    (``boilerplate`` as in ``articles``): re-cleaning is not a story edit, so it rewrites
    the versions' texts in place and never adds a version.
    """

    __table__ = tables.versions

    id: Mapped[int]
    article_id: Mapped[int]
    version: Mapped[int]
    title: Mapped[str | None]
    text: Mapped[str]
    content_hash: Mapped[str]
    capture_id: Mapped[int | None]
    seen_at: Mapped[datetime]
    boilerplate: Mapped[dict[str, Any] | None]
    paywalled: Mapped[bool]
    reason: Mapped[str]
    modified_at: Mapped[datetime | None]


class BoilerplateSite(Base):
    """Per site: how many distinct articles its line counts hold, and its model's revision.

    Revision 0 is the empty model (too few articles, or no line recurring enough).
    ``policy`` is the thresholds the current model was judged with.
    """

    __table__ = tables.boilerplate_sites

    site: Mapped[str]
    articles: Mapped[int]
    revision: Mapped[int]
    policy: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]


class BoilerplateLine(Base):
    """How many distinct articles of a site hold a short line (by its fingerprint).

    On SQLite the table is WITHOUT ROWID: the (site, fingerprint) key is the table.
    """

    __table__ = tables.boilerplate_lines

    site: Mapped[str]
    fingerprint: Mapped[int]
    articles: Mapped[int]


class BoilerplateModel(Base):
    """One revision of a site's boilerplate model: the lines removed from its articles.

    ``lines`` is a list of ``{"fingerprint", "text", "articles"}`` (the count when it
    was learned); kept for every revision so any cleaned text can be reproduced.
    """

    __table__ = tables.boilerplate_models

    site: Mapped[str]
    revision: Mapped[int]
    articles: Mapped[int]
    lines: Mapped[list[dict[str, Any]]]
    created_at: Mapped[datetime]


class TitleSegment(Base):
    """How many distinct articles of a site lead (``end`` "prefix") or end ("suffix") their
    title with a separated segment (``key``: ``archive.titles.title_key``); the row with
    ``end`` "titles" and an empty key counts the site's titled articles. A site's learned
    title affixes (``archive.titles``) are read from these counts.

    On SQLite the table is WITHOUT ROWID: the (site, end, key) key is the table.
    """

    __table__ = tables.title_segments

    site: Mapped[str]
    end: Mapped[str]
    key: Mapped[str]
    articles: Mapped[int]


class NearDupSignature(Base):
    """The MinHash signature of an article that starts a story cluster (``archive.neardup``)."""

    __table__ = tables.near_dup_signatures

    article_id: Mapped[int]
    signature: Mapped[bytes]


class NearDupBand(Base):
    """The LSH index: one row per band key of each indexed signature.

    A lookup is ``WHERE key IN (...)`` on the primary key's leading column. No surrogate
    id (on SQLite the table is WITHOUT ROWID, so the key index is the table) and no
    foreign key: one would need a second index on ``article_id`` as large as the table.
    Rows of a deleted article are inert, since lookups join its signature, which is gone.
    """

    __table__ = tables.near_dup_bands

    key: Mapped[int]
    article_id: Mapped[int]


class CrawlRun(Base):
    """One invocation of a crawl: its arguments, outcome counts and how it ended."""

    __table__ = tables.crawl_runs

    id: Mapped[int]
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str]
    finish_reason: Mapped[str | None]
    args: Mapped[dict[str, Any]]
    stats: Mapped[dict[str, Any]]
    hostname: Mapped[str | None]
    pid: Mapped[int | None]


class CrawlRunOutcome(Base):
    """How many pages of one site ended in one outcome during one crawl run.

    ``outcome`` is the run's stats key without its ``newsarchive/`` prefix
    (``articles/new``, ``skipped/listing``, ``failed/extract_timeout``...), so the
    per-site counts add up to the run's totals in ``crawl_runs.stats``.
    """

    __table__ = tables.crawl_run_outcomes

    id: Mapped[int]
    crawl_run_id: Mapped[int]
    site: Mapped[str]
    outcome: Mapped[str]
    count: Mapped[int]
