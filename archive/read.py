"""Reading the archive from Python, without Scrapy.

    import archive
    from datetime import UTC, datetime

    with archive.open_archive("sqlite:///archive.db") as arc:
        may = datetime(2024, 5, 1, tzinfo=UTC)
        for article in arc.articles(site="example.com", published_since=may):
            print(article["id"], article["published_at"], article["title"])
        for hit in arc.search('"harbour strike" -sport', limit=10):
            print(hit["score"], hit["title"], hit["snippet"])

Articles come as :class:`ArticleDict` (plain dicts, typed; timestamps are aware UTC
datetimes), streamed in chunks from a server-side cursor (PostgreSQL) or a lazy
cursor (SQLite), so iterating a whole archive keeps memory flat. Filters select
articles the same way everywhere: the read API, ``count``, ``search`` and every
export take an :class:`ArticleFilter`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, NotRequired, Self, TypedDict

from sqlalchemy import BigInteger, Date, Text, case, cast, extract, func, select, type_coerce
from sqlalchemy.types import NullType

from archive.engine import open_engine
from archive.fields import (
    ARTICLE_FIELDS,
    BOOL_FIELDS,
    JSON_LIST_FIELDS,
    STORED_FIELDS,
    TIMESTAMP_FIELDS,
    language_code,
)
from archive.tables import (
    article_urls,
    articles,
    captures,
    crawl_run_outcomes,
    crawl_runs,
    versions,
)

# archive.search (the query language) and archive.bodies (zstandard) are imported where a
# query or a capture's body is read: `newsarchive stats` starts without them.

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from types import TracebackType

    from sqlalchemy.engine import Connection, Engine, Row
    from sqlalchemy.sql.elements import ColumnElement
    from sqlalchemy.sql.selectable import CTE, Select

CHUNK = 1000
CAPTURE_CHUNK = 64

_STORED = STORED_FIELDS
# Selected without SQLAlchemy's per-value type processing: _decode converts the
# driver's values in one tight pass, several times faster on a large export.
_COLUMNS: list[Any] = [type_coerce(articles.c[name], NullType()).label(name) for name in _STORED]


class VersionDict(TypedDict):
    """One version of an article; version 1 is the text first archived. ``reason`` is
    why it was made (``first``, ``edit``, ``paywall_lifted``, ``live_update``),
    ``modified_at`` when the page said it last changed."""

    version: int
    title: str | None
    text: str
    content_hash: str
    capture_id: int | None
    seen_at: datetime
    reason: str
    paywalled: bool
    modified_at: datetime | None


class ArticleDict(TypedDict):
    """One article's current version, as the read API and every export give it."""

    id: int
    url: str
    urls: list[str]
    site: str
    sitename: str | None
    title: str | None
    text: str
    authors: list[str]
    published_at: datetime | None
    modified_at: datetime | None
    language: str | None
    tags: list[str]
    categories: list[str]
    description: str | None
    image: str | None
    content_hash: str
    version: int
    paywalled: bool
    duplicate_of: int | None
    cluster_id: int | None
    cluster_similarity: float | None
    first_seen_at: datetime
    last_seen_at: datetime
    updated_at: datetime
    versions: NotRequired[list[VersionDict]]
    cluster_members: NotRequired[list[int]]


class SearchHit(TypedDict):
    id: int
    url: str
    site: str
    title: str | None
    published_at: datetime | None
    first_seen_at: datetime
    score: float
    snippet: str


class CaptureInfo(TypedDict):
    """One stored HTTP fetch, without its body."""

    id: int
    crawl_run_id: int | None
    url: str
    final_url: str
    status: int
    content_type: str | None
    body_size: int
    fetched_at: datetime
    version: int | None
    warc_file: str | None
    warc_offset: int | None


class CaptureDict(TypedDict):
    """One stored HTTP fetch, with its body decompressed."""

    id: int
    article_id: int
    crawl_run_id: int | None
    url: str
    final_url: str
    status: int
    headers: list[list[str]]
    body: bytes
    payload_digest: str
    fetched_at: datetime
    version: int | None


@dataclass(slots=True)
class ArticleCaptures:
    """An article's captures, oldest first, and every URL it was reached under."""

    article_id: int
    site: str
    urls: list[tuple[str, datetime]]
    captures: list[CaptureDict] = field(default_factory=list)


def _language_codes(choice: str | Sequence[str] | None) -> str | list[str] | None:
    """A language filter in the stored form ("en-US", "DE" ask for "en", "de"); a value
    that is no language tag is asked for as given (and matches nothing)."""
    if choice is None:
        return None
    if isinstance(choice, str):
        return language_code(choice) or choice
    return [language_code(value) or value for value in choice]


def _aware(name: str, value: datetime | None) -> None:
    if value is not None and value.tzinfo is None:
        raise ValueError(f"{name}={value!r} is naive: pass an aware datetime (tzinfo=UTC)")


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Which articles to read. Every criterion is optional; given ones must all hold.

    ``since``/``until`` bound when an article was first archived, ``published_*`` its
    publication date (articles without one never match those), ``changed_since`` when
    its row last changed (``updated_at``: new, a new version, re-extracted, clustered),
    for incremental syncs. Lower bounds are inclusive, upper bounds exclusive.
    ``query`` is a full-text search (see ``archive.search``). ``edited`` keeps the
    articles with more than one version, ``with_copies`` those whose story cluster holds
    other articles (copies and near-duplicates, on any site).
    """

    site: str | Sequence[str] | None = None
    language: str | Sequence[str] | None = None
    since: datetime | None = None
    until: datetime | None = None
    published_since: datetime | None = None
    published_until: datetime | None = None
    changed_since: datetime | None = None
    query: str | None = None
    include_duplicates: bool = True
    # True: only articles archived from behind a paywall (teasers); False: only the others
    paywalled: bool | None = None
    edited: bool = False
    with_copies: bool = False

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, datetime):
                _aware(f.name, value)
        if self.query is not None:
            from archive.search import parse_query

            parse_query(self.query)

    def conditions(self, dialect: str) -> list[ColumnElement[bool]]:
        """The WHERE conditions on ``articles`` for ``dialect`` (sqlite or postgresql)."""
        conds: list[ColumnElement[bool]] = []
        for choice, col in (
            (self.site, articles.c.site),
            (_language_codes(self.language), articles.c.language),
        ):
            if isinstance(choice, str):
                conds.append(col == choice)
            elif choice is not None:
                conds.append(col.in_(list(choice)))
        bounds: tuple[tuple[datetime | None, Any, bool], ...] = (
            (self.since, articles.c.first_seen_at, True),
            (self.until, articles.c.first_seen_at, False),
            (self.published_since, articles.c.published_at, True),
            (self.published_until, articles.c.published_at, False),
            (self.changed_since, articles.c.updated_at, True),
        )
        for value, col, lower in bounds:
            if value is not None:
                conds.append(col >= value if lower else col < value)
        if not self.include_duplicates:
            conds.append(articles.c.duplicate_of.is_(None))
        if self.paywalled is not None:
            conds.append(articles.c.paywalled.is_(self.paywalled))
        if self.edited:
            conds.append(articles.c.version > 1)
        if self.with_copies:
            conds.append(articles.c.cluster_id.in_(shared_clusters()))
        if self.query is not None:
            from archive.search import match_condition, parse_query

            conds.append(match_condition(dialect, parse_query(self.query)))
        return conds


def joined_cluster() -> ColumnElement[bool]:
    """An article in a story cluster another article started: a copy, a near-copy. The
    condition of the partial index ``ix_articles_cluster_copies``, which holds only those
    (written exactly so, for the planners to match it)."""
    return articles.c.cluster_id != articles.c.id


def shared_clusters() -> Select[Any]:
    """The ids of the story clusters that hold more than one article (from the partial
    index of the articles that joined a cluster, never the articles' rows)."""
    return select(articles.c.cluster_id).where(joined_cluster())


def site_names() -> CTE:
    """Every site's name, one index seek each (a loose index scan, as a recursive CTE),
    where ``SELECT DISTINCT site`` would read the whole index."""
    later = articles.alias()
    names = select(func.min(articles.c.site).label("site")).cte("site_names", recursive=True)
    step = select(
        select(func.min(later.c.site)).where(later.c.site > names.c.site).scalar_subquery()
    ).where(names.c.site.is_not(None))
    return names.union_all(step)


def to_json(article: ArticleDict | VersionDict | SearchHit | dict[str, Any]) -> dict[str, Any]:
    """A JSON-ready copy: timestamps as ISO 8601 strings in UTC (nested versions too)."""
    data: dict[str, Any] = dict(article)
    for name, value in data.items():
        if isinstance(value, datetime):
            data[name] = value.isoformat()
        elif name == "versions":
            data[name] = [to_json(v) for v in value]
    return data


Columns = dict[str, list[Any]]


def _sqlite_times(values: list[str | None]) -> list[datetime | None]:
    # SQLAlchemy stores "YYYY-MM-DD HH:MM:SS.ffffff", naive UTC
    parse = datetime.fromisoformat
    return [None if v is None else parse(v).replace(tzinfo=UTC) for v in values]


def _pg_times(values: list[datetime | None]) -> list[datetime | None]:
    return [None if v is None else v.astimezone(UTC) for v in values]


def json_lists(values: list[str]) -> list[list[str]]:
    """A column of JSON texts (lists) as Python lists."""
    # one json.loads per chunk, not one per value: the call, not the parse, is the cost
    return json.loads("[" + ",".join(values) + "]")  # type: ignore[no-any-return]


def decode_lists(values: list[Any], dialect: str) -> list[list[str]]:
    """A raw column of JSON lists as Python lists."""
    return json_lists(values) if dialect == "sqlite" else values  # psycopg decodes jsonb


def _arrow_columns(dialect: str) -> list[Any]:
    """``_COLUMNS`` as Arrow converts them fastest: on PostgreSQL timestamps as integer
    microseconds since the epoch and JSON as text, not datetime and list objects."""
    if dialect == "sqlite":
        return _COLUMNS
    columns: list[Any] = []
    for name in _STORED:
        col = articles.c[name]
        if name in TIMESTAMP_FIELDS:
            # EXTRACT gives numeric on PostgreSQL 14+: exact to the microsecond
            columns.append(cast(extract("epoch", col) * 1_000_000, BigInteger).label(name))
        elif name in JSON_LIST_FIELDS:
            columns.append(cast(col, Text).label(name))
        else:
            columns.append(type_coerce(col, NullType()).label(name))
    return columns


def _decode(raw: Columns, dialect: str) -> Columns:
    """Raw columns (driver values) as typed columns: aware UTC datetimes, lists."""
    columns = dict(raw)
    for name in TIMESTAMP_FIELDS:
        columns[name] = (_sqlite_times if dialect == "sqlite" else _pg_times)(raw[name])
    for name in JSON_LIST_FIELDS:
        columns[name] = decode_lists(raw[name], dialect)
    for name in BOOL_FIELDS:
        columns[name] = [bool(v) for v in raw[name]]  # SQLite gives 0 and 1
    return columns


def _as_dicts(columns: Columns) -> Iterator[ArticleDict]:
    names = list(ARTICLE_FIELDS)
    for values in zip(*(columns[name] for name in names), strict=True):
        yield dict(zip(names, values, strict=True))  # type: ignore[misc]


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

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def _where(self, where: ArticleFilter | None) -> list[ColumnElement[bool]]:
        return (where or ArticleFilter()).conditions(self.dialect)

    # --- articles ------------------------------------------------------------------------

    def articles(
        self,
        where: ArticleFilter | None = None,
        *,
        site: str | Sequence[str] | None = None,
        language: str | Sequence[str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        published_since: datetime | None = None,
        published_until: datetime | None = None,
        changed_since: datetime | None = None,
        query: str | None = None,
        with_versions: bool = False,
        with_cluster: bool = False,
        chunk_size: int = CHUNK,
    ) -> Iterator[ArticleDict]:
        """Current articles matching ``where`` and the keyword criteria, by id.

        ``with_versions`` adds ``versions`` (every version, oldest first);
        ``with_cluster`` adds ``cluster_members`` (the ids of the articles of its story
        cluster, itself included; empty when it has none).
        """
        criteria = {
            "site": site,
            "language": language,
            "since": since,
            "until": until,
            "published_since": published_since,
            "published_until": published_until,
            "changed_since": changed_since,
            "query": query,
        }
        where = _refine(where, criteria)
        for columns in self._columns(where, chunk_size, with_versions, with_cluster):
            extra = [n for n in ("versions", "cluster_members") if n in columns]
            for article, *more in zip(
                _as_dicts(columns), *(columns[n] for n in extra), strict=True
            ):
                for name, value in zip(extra, more, strict=True):
                    article[name] = value
                yield article

    def article_columns(
        self, where: ArticleFilter | None = None, *, chunk_size: int = 5000
    ) -> Iterator[Columns]:
        """The articles ``articles(where)`` yields, a chunk at a time as columns (field
        name -> list of values, in ``ARTICLE_FIELDS`` order)."""
        return self._columns(where, chunk_size, False, False)

    def arrow_batches(
        self, where: ArticleFilter | None = None, *, batch_size: int = 5000
    ) -> Iterator[Any]:
        """The articles as ``pyarrow.RecordBatch`` es of ``archive.arrow.SCHEMA``: the
        fast path into pandas, DuckDB, Polars or Parquet (needs pyarrow)."""
        from archive.arrow import record_batch

        columns = _arrow_columns(self.dialect)
        for _conn, raw in self._raw_columns(where, batch_size, columns):
            yield record_batch(raw, self.dialect)

    def _raw_columns(
        self, where: ArticleFilter | None, chunk: int, selected: list[Any] = _COLUMNS
    ) -> Iterator[tuple[Connection, Columns]]:
        """Chunks of the selected articles as columns of the driver's values, with urls."""
        stmt = select(*selected).where(*self._where(where)).order_by(articles.c.id)
        for conn, rows in self._stream(stmt, chunk):
            columns: Columns = dict(zip(_STORED, map(list, zip(*rows, strict=True)), strict=True))
            urls = _urls_of(conn, columns["id"])
            columns["urls"] = [urls[i] for i in columns["id"]]
            yield conn, columns

    def _columns(
        self, where: ArticleFilter | None, chunk: int, with_versions: bool, with_cluster: bool
    ) -> Iterator[Columns]:
        for conn, raw in self._raw_columns(where, chunk):
            columns = _decode(raw, self.dialect)
            ids = columns["id"]
            ordered = {name: columns[name] for name in ARTICLE_FIELDS}
            if with_versions:
                of_article = _versions_of(conn, ids)
                ordered["versions"] = [of_article[i] for i in ids]
            if with_cluster:
                members = _cluster_members(conn, columns["cluster_id"])
                ordered["cluster_members"] = [
                    members.get(c or 0, []) for c in columns["cluster_id"]
                ]
            yield ordered

    def _stream(
        self, stmt: Select[Any], chunk: int
    ) -> Iterator[tuple[Connection, Sequence[Row[Any]]]]:
        """Rows of ``stmt`` in chunks, on one connection the caller may query too."""
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=chunk).execute(stmt)
            for rows in result.partitions():
                yield conn, rows

    def article(self, article_id: int, *, with_versions: bool = True) -> ArticleDict | None:
        """One article by id, with its versions and cluster members; None if unknown."""
        stmt = select(*_COLUMNS).where(articles.c.id == article_id)
        with self.engine.connect() as conn:
            found = self._fetch(conn, stmt)
            if not found:
                return None
            [article] = found
            if with_versions:
                article["versions"] = _versions_of(conn, [article_id])[article_id]
            members = _cluster_members(conn, [article["cluster_id"]])
            article["cluster_members"] = members.get(article["cluster_id"] or 0, [])
        return article

    def _fetch(self, conn: Connection, stmt: Select[Any]) -> list[ArticleDict]:
        """The articles ``stmt`` (a select of ``_COLUMNS``) finds, all at once."""
        rows = conn.execute(stmt).all()
        if not rows:
            return []
        raw: Columns = dict(zip(_STORED, map(list, zip(*rows, strict=True)), strict=True))
        urls = _urls_of(conn, raw["id"])
        raw["urls"] = [urls[i] for i in raw["id"]]
        return list(_as_dicts(_decode(raw, self.dialect)))

    def versions(self, article_id: int) -> list[VersionDict]:
        """Every version of one article, oldest first."""
        with self.engine.connect() as conn:
            return _versions_of(conn, [article_id])[article_id]

    def count(self, where: ArticleFilter | None = None) -> int:
        stmt = select(func.count()).select_from(articles).where(*self._where(where))
        with self.engine.connect() as conn:
            return int(conn.scalar(stmt) or 0)

    # --- search ---------------------------------------------------------------------------

    def search(
        self,
        query: str,
        where: ArticleFilter | None = None,
        *,
        site: str | Sequence[str] | None = None,
        since: datetime | None = None,
        limit: int = 20,
        highlight: tuple[str, str] = ("[", "]"),
        after: tuple[float, int] | None = None,
        newest: bool = False,
    ) -> list[SearchHit]:
        """The ``limit`` best matches of a full-text ``query``, best first (``newest``:
        the latest archived first), each with a snippet of its text where the matched
        words are wrapped in ``highlight``; ``after`` (the last hit's score and id) gives
        the next page.

        Raises ``archive.search.QueryError`` when the query has no word to look for.
        """
        where = _refine(where, {"site": site, "since": since})
        from archive.search import parse_query, ranked_search

        stmt = ranked_search(
            self.dialect,
            parse_query(query),
            self._where(where),
            max(1, limit),
            highlight,
            after=after,
            newest=newest,
        )
        with self.engine.connect() as conn:
            return [_search_hit(row) for row in conn.execute(stmt)]

    # --- captures -------------------------------------------------------------------------

    def article_captures(
        self, where: ArticleFilter | None = None, *, chunk_size: int = CAPTURE_CHUNK
    ) -> Iterator[ArticleCaptures]:
        """Each selected article's raw captures (bodies decompressed) and URLs, by id."""
        stmt = (
            select(captures, versions.c.version, articles.c.site)
            .join(articles, articles.c.id == captures.c.article_id)
            .outerjoin(versions, _version_of_capture())
            .where(*self._where(where))
            .order_by(captures.c.article_id, captures.c.id)
        )
        group: ArticleCaptures | None = None
        for conn, rows in self._stream(stmt, chunk_size):
            new_ids = {row.article_id for row in rows} - ({group.article_id} if group else set())
            urls = _urls_seen_of(conn, sorted(new_ids))
            for row in rows:
                if group is None or group.article_id != row.article_id:
                    if group is not None:
                        yield group
                    group = ArticleCaptures(row.article_id, row.site, urls[row.article_id])
                group.captures.append(_capture_dict(row))
        if group is not None:
            yield group

    def captures(self, article_id: int) -> list[CaptureInfo]:
        """An article's captures, oldest first, without their bodies, with where each is
        in a WARC file (``warc_file``, ``warc_offset``; None when in none)."""
        stmt = (
            select(
                captures.c.id,
                captures.c.crawl_run_id,
                captures.c.url,
                captures.c.final_url,
                captures.c.status,
                captures.c.content_type,
                captures.c.body_size,
                captures.c.fetched_at,
                versions.c.version,
                captures.c.warc_file,
                captures.c.warc_offset,
            )
            .outerjoin(versions, _version_of_capture())
            .where(captures.c.article_id == article_id)
            .order_by(captures.c.id)
        )
        with self.engine.connect() as conn:
            return [row._asdict() for row in conn.execute(stmt)]  # type: ignore[misc]

    def capture(self, capture_id: int) -> CaptureDict | None:
        """One capture with its body decompressed; None if unknown."""
        stmt = (
            select(captures, versions.c.version)
            .outerjoin(versions, _version_of_capture())
            .where(captures.c.id == capture_id)
        )
        with self.engine.connect() as conn:
            row = conn.execute(stmt).first()
        return None if row is None else _capture_dict(row)

    def find_article(self, article_id: int | None = None, url: str | None = None) -> int | None:
        """The id of the article with this id, or reached under this normalised URL."""
        with self.engine.connect() as conn:
            if article_id is not None:
                return conn.scalar(select(articles.c.id).where(articles.c.id == article_id))
            return conn.scalar(select(article_urls.c.article_id).where(article_urls.c.url == url))

    def cluster(self, cluster_id: int) -> list[dict[str, Any]]:
        """The articles of a story cluster, first first: id, site, url, title,
        duplicate_of, cluster_id, similarity, published_at, first_seen_at, version
        (``article(id)`` gives one in full)."""
        stmt = (
            select(
                articles.c.id,
                articles.c.site,
                articles.c.url,
                articles.c.title,
                articles.c.duplicate_of,
                articles.c.cluster_id,
                articles.c.cluster_similarity.label("similarity"),
                articles.c.published_at,
                articles.c.first_seen_at,
                articles.c.version,
            )
            .where(articles.c.cluster_id == cluster_id)
            .order_by(articles.c.id)
        )
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(stmt)]

    # --- stats ------------------------------------------------------------------------------

    def site_stats(self, site: str | None = None) -> list[dict[str, Any]]:
        """Per site (or for one): articles; exact copies of an article of another site
        (duplicates); articles in a story cluster another article started
        (near_duplicates); articles changed since first archived (updated) and their
        changes (updates); first and last seen."""
        in_other_cluster = (articles.c.cluster_id != articles.c.id) & articles.c.duplicate_of.is_(
            None
        )
        stmt = (
            select(
                articles.c.site,
                func.count().label("articles"),
                func.count(articles.c.duplicate_of).label("duplicates"),
                func.count(case((in_other_cluster, 1))).label("near_duplicates"),
                func.count(case((articles.c.version > 1, 1))).label("updated"),
                func.sum(articles.c.version - 1).label("updates"),
                func.min(articles.c.first_seen_at).label("first_seen_at"),
                func.max(articles.c.last_seen_at).label("last_seen_at"),
            )
            .group_by(articles.c.site)
            .order_by(articles.c.site)
        )
        if site is not None:
            stmt = stmt.where(articles.c.site == site)
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(stmt)]

    def daily_counts(
        self, days: int = 28, today: datetime | None = None, *, site: str | None = None
    ) -> dict[str, list[int]]:
        """Per site (or for one): articles first archived on each of the last ``days``
        UTC days, oldest first, today last."""
        today = (today or datetime.now(UTC)).astimezone(UTC)
        first_day = today.date() - timedelta(days=days - 1)
        start = datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC)
        day = self._utc_day(articles.c.first_seen_at)
        # site by site, each a range of the (site, first_seen_at) index (an IN list, which
        # SQLite reads from the index alone whatever its statistics say, unlike a join)
        names = site_names()
        sites = select(names.c.site).where(names.c.site.is_not(None))
        stmt = (
            select(articles.c.site, day.label("day"), func.count().label("n"))
            .where(
                articles.c.site.in_(sites) if site is None else articles.c.site == site,
                articles.c.first_seen_at >= start,
            )
            .group_by(articles.c.site, day)
        )
        counts: dict[str, list[int]] = defaultdict(lambda: [0] * days)
        with self.engine.connect() as conn:
            for name, value, n in conn.execute(stmt):
                index = (_as_date(value) - first_day).days
                if 0 <= index < days:
                    counts[name][index] = int(n)
        return dict(counts)

    def _utc_day(self, col: Any) -> ColumnElement[Any]:
        if self.dialect == "sqlite":
            return func.date(col)  # stored as naive UTC text
        return cast(func.timezone("UTC", col), Date)

    def site_outcomes(self, since: datetime) -> dict[str, dict[str, int]]:
        """Per site: pages per outcome (``articles/new``, ``failed/extract_timeout``…)
        summed over the crawl runs started since ``since``."""
        _aware("since", since)
        stmt = (
            select(
                crawl_run_outcomes.c.site,
                crawl_run_outcomes.c.outcome,
                func.sum(crawl_run_outcomes.c.count).label("n"),
            )
            .join(crawl_runs, crawl_runs.c.id == crawl_run_outcomes.c.crawl_run_id)
            .where(crawl_runs.c.started_at >= since)
            .group_by(crawl_run_outcomes.c.site, crawl_run_outcomes.c.outcome)
        )
        outcomes: dict[str, dict[str, int]] = defaultdict(dict)
        with self.engine.connect() as conn:
            for site, outcome, n in conn.execute(stmt):
                outcomes[site][outcome] = int(n)
        return dict(outcomes)

    def evidence(self, article_id: int) -> list[dict[str, Any]]:
        """Where each stored fetch of an article is, oldest first: when and from which URL
        it was fetched, its status and its WARC record (``warc_file``, ``warc_offset``,
        ``warc_length``, ``warc_record_id``; None when it is in no WARC file)."""
        stmt = (
            select(
                captures.c.id,
                captures.c.fetched_at,
                captures.c.final_url,
                captures.c.status,
                captures.c.warc_file,
                captures.c.warc_offset,
                captures.c.warc_length,
                captures.c.warc_record_id,
            )
            .where(captures.c.article_id == article_id)
            .order_by(captures.c.id)
        )
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(stmt)]

    def crawl_runs(self, limit: int = 20, *, before: int | None = None) -> list[dict[str, Any]]:
        """The latest crawl runs (those with an id under ``before``, when given), newest
        first, with their outcome counts."""
        stmt = select(crawl_runs).order_by(crawl_runs.c.id.desc()).limit(limit)
        if before is not None:
            stmt = stmt.where(crawl_runs.c.id < before)
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(stmt)]


def _version_of_capture() -> ColumnElement[bool]:
    """The version a capture gave, if any: looked up by its article (an index), not by
    ``versions.capture_id`` alone (none)."""
    return (versions.c.article_id == captures.c.article_id) & (
        versions.c.capture_id == captures.c.id
    )


def _refine(where: ArticleFilter | None, criteria: dict[str, Any]) -> ArticleFilter:
    given: dict[str, Any] = {k: v for k, v in criteria.items() if v is not None}
    return replace(where, **given) if where else ArticleFilter(**given)


def _search_hit(row: Row[Any]) -> SearchHit:
    hit: Any = row._asdict()
    hit["score"] = float(hit["score"])
    hit["snippet"] = hit["snippet"] or ""
    return hit  # type: ignore[no-any-return]


def _as_date(value: Any) -> Any:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _urls_of(conn: Connection, ids: Iterable[int]) -> dict[int, list[str]]:
    urls: dict[int, list[str]] = defaultdict(list)
    stmt = (
        select(article_urls.c.article_id, article_urls.c.url)
        .where(article_urls.c.article_id.in_(list(ids)))
        .order_by(article_urls.c.id)
    )
    for article_id, url in conn.execute(stmt):
        urls[article_id].append(url)
    return urls


def _urls_seen_of(conn: Connection, ids: list[int]) -> dict[int, list[tuple[str, datetime]]]:
    urls: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    if not ids:
        return urls
    stmt = (
        select(article_urls.c.article_id, article_urls.c.url, article_urls.c.first_seen_at)
        .where(article_urls.c.article_id.in_(ids))
        .order_by(article_urls.c.id)
    )
    for article_id, url, seen in conn.execute(stmt):
        urls[article_id].append((url, seen))
    return urls


def _versions_of(conn: Connection, ids: list[int]) -> dict[int, list[VersionDict]]:
    found: dict[int, list[VersionDict]] = defaultdict(list)
    stmt = (
        select(
            versions.c.article_id,
            versions.c.version,
            versions.c.title,
            versions.c.text,
            versions.c.content_hash,
            versions.c.capture_id,
            versions.c.seen_at,
            versions.c.reason,
            versions.c.paywalled,
            versions.c.modified_at,
        )
        .where(versions.c.article_id.in_(ids))
        .order_by(versions.c.article_id, versions.c.version)
    )
    for row in conn.execute(stmt):
        data: Any = row._asdict()
        del data["article_id"]
        found[row.article_id].append(data)
    return found


def _cluster_members(
    conn: Connection, cluster_ids_of: Iterable[int | None]
) -> dict[int, list[int]]:
    cluster_ids = {c for c in cluster_ids_of if c is not None}
    members: dict[int, list[int]] = defaultdict(list)
    if not cluster_ids:
        return members
    stmt = (
        select(articles.c.cluster_id, articles.c.id)
        .where(articles.c.cluster_id.in_(cluster_ids))
        .order_by(articles.c.id)
    )
    for cluster_id, article_id in conn.execute(stmt):
        assert cluster_id is not None
        members[cluster_id].append(article_id)
    return members


def _capture_dict(row: Row[Any]) -> CaptureDict:
    from archive.bodies import decompress_body

    return CaptureDict(
        id=row.id,
        article_id=row.article_id,
        crawl_run_id=row.crawl_run_id,
        url=row.url,
        final_url=row.final_url,
        status=row.status,
        headers=row.headers,
        body=decompress_body(row.body, row.body_codec),
        payload_digest=row.payload_digest,
        fetched_at=row.fetched_at,
        version=row.version,
    )


def open_archive(url: str | None = None) -> Archive:
    """Open an existing archive for reading (``url`` defaults as the CLI's ``--db``)."""
    return Archive(open_engine(url))
