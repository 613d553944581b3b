"""Reading the archive a page at a time: what the web view (``newsarchive serve``) shows.

Each function is one or a few queries whatever the number of rows shown (never one
per row), and reads indexes rather than the articles' rows wherever it can: a row
holds the whole text, so scanning articles costs as much as reading the archive.
Lists are paged by keyset (the last row's id, or score and id), not by offset, so
page 500 costs what page 1 does.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypedDict

from sqlalchemy import func, select, tuple_

from archive.read import joined_cluster, site_names
from archive.search import hit_columns, matches, parse_query
from archive.tables import articles, boilerplate_models, crawl_run_outcomes, crawl_runs
from archive.tables import boilerplate_sites as boilerplate_counts

if TYPE_CHECKING:
    from collections.abc import Iterable

    from archive.read import Archive, ArticleFilter

# the first characters of an article's text shown under its title in a list
PREVIEW_CHARS = 320


class ListedArticle(TypedDict):
    """An article in a list: the newest first, or the best matches of a search."""

    id: int
    url: str
    site: str
    title: str | None
    published_at: datetime | None
    first_seen_at: datetime
    snippet: str
    score: float | None


@dataclass(frozen=True, slots=True)
class Badge:
    """What a list says of an article besides its title: edits and copies."""

    version: int
    duplicate_of: int | None
    cluster_id: int | None
    copies: int  # other articles in its story cluster


class StorySummary(TypedDict):
    cluster_id: int
    articles: int
    sites: int
    first_seen_at: datetime
    last_seen_at: datetime
    title: str | None
    site: str


class SiteRun(TypedDict):
    """One crawl run as one site saw it: its pages per outcome."""

    run_id: int
    started_at: datetime
    finished_at: datetime | None
    status: str
    outcomes: dict[str, int]


class ListOrder(StrEnum):
    """How a list of articles without a search is ordered, newest first, and by which
    index it is read (a page is then ``limit`` index entries, whatever the filter)."""

    ID = "id"  # archived: the primary key
    SEEN = "seen"  # archived, within one site: the (site, first_seen_at) index
    PUBLISHED = "published"  # published, within a date range: the published_at index

    @classmethod
    def of(cls, where: ArticleFilter) -> ListOrder:
        if where.published_since is not None or where.published_until is not None:
            return cls.PUBLISHED
        if isinstance(where.site, str):
            return cls.SEEN
        return cls.ID

    def key(self) -> Any:
        """The column ordered by before the id (None: the id alone)."""
        if self is ListOrder.SEEN:
            return articles.c.first_seen_at
        return articles.c.published_at if self is ListOrder.PUBLISHED else None


def latest(
    arc: Archive,
    where: ArticleFilter,
    *,
    after: tuple[datetime | None, int] | None = None,
    limit: int = 20,
) -> list[ListedArticle]:
    """The newest articles matching ``where``, in ``ListOrder.of(where)``; ``after`` is
    the last row's (key, id) of the page before (the key is None in id order)."""
    key = ListOrder.of(where).key()
    conds = where.conditions(arc.dialect)
    if after is not None:
        conds.append(
            articles.c.id < after[1]
            if key is None
            else tuple_(key, articles.c.id) < tuple_(after[0], after[1])
        )
    order = [articles.c.id.desc()] if key is None else [key.desc(), articles.c.id.desc()]
    stmt = (
        select(*hit_columns(), func.substr(articles.c.text, 1, PREVIEW_CHARS).label("snippet"))
        .where(*conds)
        .order_by(*order)
        .limit(limit)
    )
    with arc.engine.connect() as conn:
        return [{**row._asdict(), "score": None} for row in conn.execute(stmt)]  # type: ignore[typeddict-item]


def count_at_most(arc: Archive, where: ArticleFilter, cap: int) -> int:
    """How many articles match ``where``, counting no further than ``cap`` + 1 (so a
    count of 10,000,000 costs what one of ``cap`` does). A search alone is counted in
    the search index, without reading the articles."""
    if where.query is not None and not replace(where, query=None).conditions(arc.dialect):
        matching = matches(arc.dialect, parse_query(where.query)).limit(cap + 1).subquery()
    else:
        matching = (
            select(articles.c.id).where(*where.conditions(arc.dialect)).limit(cap + 1).subquery()
        )
    with arc.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(matching)) or 0)


def badges(arc: Archive, ids: Iterable[int]) -> dict[int, Badge]:
    """Versions and copies of the listed articles (two queries)."""
    ids = list(ids)
    if not ids:
        return {}
    with arc.engine.connect() as conn:
        rows = conn.execute(
            select(
                articles.c.id, articles.c.version, articles.c.duplicate_of, articles.c.cluster_id
            ).where(articles.c.id.in_(ids))
        ).all()
        sizes = _cluster_sizes(conn, {r.cluster_id for r in rows if r.cluster_id is not None})
    return {
        r.id: Badge(r.version, r.duplicate_of, r.cluster_id, sizes.get(r.cluster_id, 1) - 1)
        for r in rows
    }


def _cluster_sizes(conn: Any, cluster_ids: set[int]) -> dict[int, int]:
    if not cluster_ids:
        return {}
    stmt = (
        select(articles.c.cluster_id, func.count())
        .where(articles.c.cluster_id.in_(cluster_ids))
        .group_by(articles.c.cluster_id)
    )
    return {cluster_id: int(n) for cluster_id, n in conn.execute(stmt)}


def sites(arc: Archive) -> list[str]:
    """Every site's name, in order (one index seek a site)."""
    names = site_names()
    stmt = select(names.c.site).where(names.c.site.is_not(None)).order_by(names.c.site)
    with arc.engine.connect() as conn:
        return list(conn.scalars(stmt))


def article_cleaning(arc: Archive, article_id: int) -> tuple[dict[str, Any] | None, int | None]:
    """The lines the site's boilerplate model removed from an article's text (``{"head":
    [...], "tail": [...]}``, with ``"middle"`` when some went from between story lines, or
    None) and the model's revision."""
    stmt = select(articles.c.boilerplate, articles.c.boilerplate_revision).where(
        articles.c.id == article_id
    )
    with arc.engine.connect() as conn:
        row = conn.execute(stmt).first()
    return (None, None) if row is None else (row.boilerplate, row.boilerplate_revision)


# --- story clusters ----------------------------------------------------------------------


def largest_stories(arc: Archive, limit: int = 20) -> list[StorySummary]:
    """The story clusters with the most articles, largest first."""
    stmt = (
        select(articles.c.cluster_id)
        .where(joined_cluster())
        .group_by(articles.c.cluster_id)
        .order_by(func.count().desc(), articles.c.cluster_id.desc())
        .limit(limit)
    )
    with arc.engine.connect() as conn:
        ids = [cluster_id for cluster_id in conn.scalars(stmt) if cluster_id is not None]
        return _summaries(conn, ids)


def grown_stories(arc: Archive, limit: int = 20) -> list[StorySummary]:
    """The story clusters that most recently gained an article, latest first."""
    newest = func.max(articles.c.id)
    stmt = (
        select(articles.c.cluster_id)
        .where(joined_cluster())
        .group_by(articles.c.cluster_id)
        .order_by(newest.desc())
        .limit(limit)
    )
    with arc.engine.connect() as conn:
        return _summaries(conn, [c for c in conn.scalars(stmt) if c is not None])


def _summaries(conn: Any, cluster_ids: list[int]) -> list[StorySummary]:
    """Summaries of the clusters, in the order given (two queries)."""
    if not cluster_ids:
        return []
    stats = {
        row.cluster_id: row
        for row in conn.execute(
            select(
                articles.c.cluster_id,
                func.count().label("articles"),
                func.count(articles.c.site.distinct()).label("sites"),
                func.min(articles.c.first_seen_at).label("first_seen_at"),
                func.max(articles.c.first_seen_at).label("last_seen_at"),
            )
            .where(articles.c.cluster_id.in_(cluster_ids))
            .group_by(articles.c.cluster_id)
        )
    }
    firsts = {
        row.id: row
        for row in conn.execute(
            select(articles.c.id, articles.c.title, articles.c.site).where(
                articles.c.id.in_(cluster_ids)
            )
        )
    }
    summaries: list[StorySummary] = []
    for cluster_id in cluster_ids:
        row, first = stats.get(cluster_id), firsts.get(cluster_id)
        if row is None:
            continue
        summaries.append(
            StorySummary(
                cluster_id=cluster_id,
                articles=int(row.articles),
                sites=int(row.sites),
                first_seen_at=row.first_seen_at,
                last_seen_at=row.last_seen_at,
                title=first.title if first is not None else None,
                site=first.site if first is not None else "",
            )
        )
    return summaries


# --- sites and crawl runs ------------------------------------------------------------------


def boilerplate_sites(arc: Archive) -> dict[str, dict[str, Any]]:
    """Per site: its boilerplate model's revision and the articles it has counted."""
    stmt = select(
        boilerplate_counts.c.site, boilerplate_counts.c.revision, boilerplate_counts.c.articles
    )
    with arc.engine.connect() as conn:
        return {
            row.site: {"revision": row.revision, "articles": row.articles}
            for row in conn.execute(stmt)
        }


def boilerplate_model(arc: Archive, site: str) -> dict[str, Any] | None:
    """A site's current boilerplate model: revision, articles it was learned from, its
    lines, when it was made, and how many articles its revision cleaned."""
    with arc.engine.connect() as conn:
        revision = conn.scalar(
            select(boilerplate_counts.c.revision).where(boilerplate_counts.c.site == site)
        )
        if revision is None:
            return None
        model = conn.execute(
            select(boilerplate_models).where(
                boilerplate_models.c.site == site, boilerplate_models.c.revision == revision
            )
        ).first()
        cleaned = conn.scalar(
            select(func.count()).where(
                articles.c.site == site, articles.c.boilerplate_revision == revision
            )
        )
    return {
        "revision": revision,
        "articles": model.articles if model is not None else 0,
        "lines": list(model.lines) if model is not None else [],
        "created_at": model.created_at if model is not None else None,
        "cleaned": int(cleaned or 0),
    }


def site_runs(arc: Archive, site: str, limit: int = 10) -> list[SiteRun]:
    """The latest crawl runs that fetched from ``site``, newest first, with its pages
    per outcome in each (two queries, on the (site, crawl_run_id) index)."""
    o = crawl_run_outcomes.c
    latest_runs = (
        select(o.crawl_run_id)
        .where(o.site == site)
        .distinct()
        .order_by(o.crawl_run_id.desc())
        .limit(limit)
    )
    with arc.engine.connect() as conn:
        run_ids = list(conn.scalars(latest_runs))
        if not run_ids:
            return []
        outcomes: dict[int, dict[str, int]] = defaultdict(dict)
        for run_id, outcome, n in conn.execute(
            select(o.crawl_run_id, o.outcome, o.count).where(
                o.site == site, o.crawl_run_id.in_(run_ids)
            )
        ):
            outcomes[run_id][outcome] = int(n)
        runs = conn.execute(
            select(
                crawl_runs.c.id,
                crawl_runs.c.started_at,
                crawl_runs.c.finished_at,
                crawl_runs.c.status,
            )
            .where(crawl_runs.c.id.in_(run_ids))
            .order_by(crawl_runs.c.id.desc())
        ).all()
    return [
        SiteRun(
            run_id=r.id,
            started_at=r.started_at,
            finished_at=r.finished_at,
            status=r.status,
            outcomes=outcomes[r.id],
        )
        for r in runs
    ]


def run_outcomes(arc: Archive, run_id: int) -> dict[str, dict[str, int]]:
    """One crawl run's pages per outcome, by site."""
    o = crawl_run_outcomes.c
    grouped: dict[str, dict[str, int]] = defaultdict(dict)
    with arc.engine.connect() as conn:
        for site, outcome, n in conn.execute(
            select(o.site, o.outcome, o.count).where(o.crawl_run_id == run_id).order_by(o.site)
        ):
            grouped[site][outcome] = int(n)
    return dict(grouped)


def crawl_run(arc: Archive, run_id: int) -> dict[str, Any] | None:
    with arc.engine.connect() as conn:
        row = conn.execute(select(crawl_runs).where(crawl_runs.c.id == run_id)).first()
    return None if row is None else dict(row._mapping)


# --- what a run's counts say -------------------------------------------------------------

# (label, stats key without its "newsarchive/" prefix): the articles a run wrote
