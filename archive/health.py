"""Is each site still giving articles? Health flags from what the archive recorded.

A scheduled crawl fails quietly: a site changes its templates, starts answering 403,
or its feed stops moving, and the archive just stops growing. The crawl runs record,
per site, how every page ended (``crawl_run_outcomes``: ``articles/new``,
``failed/timeout``, ``skipped/listed_unchanged``, ``blocked/challenge``...). From
those and the articles' first sightings, each site gets flags:

- **silent**: it gave articles before, was crawled in the last ``days`` days, and gave
  no new article in that time, though its pages did not merely repeat what we have
  (they became listings, too-short pages, extraction failures...);
- **failing**: most of its fetches in its latest crawls failed (timeouts, lost
  connections, 5xx);
- **blocked**: it answered 403, 429 or a challenge page (the ``blocked/`` outcomes)
  to most of its fetches in its latest crawls, or to some and gave no article, or a
  crawl stopped asking it after blocks in a row (``stopped/blocked``);
- **stale**: crawled in the last ``days`` days, and every page its sitemaps, feeds and
  pages listed was one we have, unchanged: its listings have not moved.

:func:`assess` decides from one site's figures and is pure; :func:`check` reads the
figures of every site (a few grouped queries) and assesses them. ``newsarchive
health`` and the web view's sites pages show the same flags.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, type_coerce

from archive.outcomes import (
    PREFIX,
    ArticleOutcome,
    FailReason,
    Kind,
    SkipReason,
    Stat,
    http_status,
    prefixed_total,
)
from archive.outcomes import outcome as outcome_key
from archive.read import site_names
from archive.tables import UTCDateTime, articles, crawl_run_outcomes, crawl_runs

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from sqlalchemy.sql.elements import ColumnElement

    from archive.read import Archive

DEFAULT_DAYS = 3
# failing and blocked are judged on each site's latest crawl runs within the window
RECENT_RUNS = 3
# statuses that mean "go away" rather than "broken"; a challenge page is ``blocked/...``
BLOCKED_STATUSES = frozenset(outcome_key(Kind.FAILED, http_status(s)) for s in (403, 429))
BLOCKED_PREFIX = f"{Kind.BLOCKED}/"
# counted once in a run that stopped asking a site after blocks in a row
STOPPED = Stat.STOPPED_BLOCKED.removeprefix(PREFIX)
# fetches that failed for the site's (or the network's) sake, not ours or the page's
_SITE_FAILURES = (
    FailReason.TIMEOUT,
    FailReason.DATA_LOSS,
    FailReason.CONNECTION_LOST,
    FailReason.CONNECTION_REFUSED,
    FailReason.CONNECT_ERROR,
    FailReason.DNS,
)
_FETCH_FAILURE = re.compile(rf"{Kind.FAILED}/({'|'.join(_SITE_FAILURES)}|http_5\d\d)")
# a page the site listed that we have: unchanged (a 304, an unchanged re-capture, a
# sitemap date no newer than our last sight of it) or too old to check again
HAVE = frozenset(
    {
        outcome_key(Kind.ARTICLES, ArticleOutcome.UNCHANGED),
        outcome_key(Kind.SKIPPED, SkipReason.LISTED_UNCHANGED),
        outcome_key(Kind.SKIPPED, SkipReason.REVISIT_WINDOW),
    }
)
GROWTH = frozenset(
    {
        outcome_key(Kind.ARTICLES, ArticleOutcome.NEW),
        outcome_key(Kind.ARTICLES, ArticleOutcome.UPDATED),
    }
)


class Flag(StrEnum):
    SILENT = "silent"
    FAILING = "failing"
    BLOCKED = "blocked"
    STALE = "stale"


@dataclass(frozen=True, slots=True)
class SiteRecord:
    """What the archive says of one site: the input of :func:`assess`.

    ``last_new`` is when its newest article was first archived (None: it never gave
    one); ``window`` sums its pages per outcome over the crawl runs started in the
    window (``runs`` of them fetched from it); ``recent`` over its latest
    ``RECENT_RUNS`` of those runs."""

    site: str
    last_new: datetime | None = None
    runs: int = 0
    window: Mapping[str, int] = field(default_factory=dict)
    recent: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Problem:
    site: str
    flag: Flag
    detail: str

    def line(self) -> str:
        return f"{self.site}: {self.flag}: {self.detail}"

    def as_json(self) -> dict[str, str]:
        return {"site": self.site, "flag": str(self.flag), "detail": self.detail}


def is_blocked(outcome: str) -> bool:
    return outcome.startswith(BLOCKED_PREFIX) or outcome in BLOCKED_STATUSES


def is_fetch_failure(outcome: str) -> bool:
    return _FETCH_FAILURE.fullmatch(outcome) is not None


def _reasons(outcomes: Mapping[str, int], keep: Callable[[str], bool] = bool) -> str:
    """The (at most four) commonest reasons among the outcomes ``keep`` picks."""
    picked = sorted(((n, k) for k, n in outcomes.items() if keep(k) and n), reverse=True)
    return ", ".join(f"{k.partition('/')[2] or k} {n:,}" for n, k in picked[:4])


def assess(record: SiteRecord, *, days: int, now: datetime) -> list[Problem]:
    """The problems of one site (none when it is healthy). A site blocked or failing is
    not also called silent or stale: that is why it is."""
    problems: list[Problem] = []
    pages = sum(record.recent.values())
    blocked = sum(n for k, n in record.recent.items() if is_blocked(k))
    failed = sum(n for k, n in record.recent.items() if is_fetch_failure(k))
    archived = prefixed_total(record.recent, f"{Kind.ARTICLES}/")
    runs = f"its last {min(record.runs, RECENT_RUNS)} crawl(s)"
    stopped = record.recent.get(STOPPED, 0)
    if stopped or (blocked and (2 * blocked >= pages - stopped or not archived)):
        reasons = _reasons(record.recent, is_blocked)
        detail = f"{blocked:,} of {pages - stopped:,} fetches blocked in {runs} ({reasons})"
        if stopped:
            detail += f"; the crawl stopped asking it {stopped:,} time(s)"
        problems.append(Problem(record.site, Flag.BLOCKED, detail))
    if failed and 2 * failed > pages:
        reasons = _reasons(record.recent, is_fetch_failure)
        detail = f"{failed:,} of {pages:,} fetches failed in {runs} ({reasons})"
        problems.append(Problem(record.site, Flag.FAILING, detail))
    if problems or not record.runs or any(record.window.get(k) for k in GROWTH):
        return problems
    have = sum(record.window.get(k, 0) for k in HAVE)
    fresh = {k: n for k, n in record.window.items() if is_fresh(k)}
    crawled = f"{record.runs} crawl(s) in {days} day(s)"
    if have and not any(fresh.values()):
        detail = f"its listings have not moved: {have:,} page(s) we have, unchanged, over {crawled}"
        problems.append(Problem(record.site, Flag.STALE, detail))
    elif record.last_new is not None and record.last_new < now - timedelta(days=days):
        detail = (
            f"no new article over {crawled} (the last on {record.last_new:%Y-%m-%d %H:%M} UTC); "
            f"{sum(fresh.values()):,} other page(s): {_reasons(fresh) or '-'}"
        )
        problems.append(Problem(record.site, Flag.SILENT, detail))
    return problems


LISTING = outcome_key(Kind.SKIPPED, SkipReason.LISTING)
# a page our own stop (Ctrl-C) took from the crawl: it says nothing of the site
CRAWL_STOPPED = outcome_key(Kind.SKIPPED, SkipReason.CRAWL_STOPPED)


def is_fresh(outcome: str) -> bool:
    """A page fetched anew that gave no article (what a changed site looks like): not a
    page we have, not a listing (every crawl reads those), not a failed fetch, not one
    our own stop cut off."""
    return not (
        outcome in HAVE
        or outcome in GROWTH
        or outcome in (LISTING, CRAWL_STOPPED)
        or is_blocked(outcome)
        or is_fetch_failure(outcome)
    )


def check(
    arc: Archive, *, days: int = DEFAULT_DAYS, now: datetime | None = None
) -> dict[str, list[Problem]]:
    """Every site's problems (an empty list: healthy), by site."""
    return {r.site: assess(r, days=days, now=now or _now()) for r in site_records(arc, days, now)}


def _now() -> datetime:
    return datetime.now(UTC)


def site_records(
    arc: Archive, days: int = DEFAULT_DAYS, now: datetime | None = None, site: str | None = None
) -> list[SiteRecord]:
    """The figures :func:`assess` needs, for every site (or one), by site name."""
    since = (now or _now()) - timedelta(days=days)
    with arc.engine.connect() as conn:
        newest = {row.site: row.last_new for row in conn.execute(_newest_per_site(site))}
        window = _grouped(conn.execute(_outcomes(since, site, recent=False)))
        recent = _grouped(conn.execute(_outcomes(since, site, recent=True)))
        runs = {row.site: int(row.runs) for row in conn.execute(_runs_per_site(since, site))}
    names = sorted(set(newest) | set(window))
    return [
        SiteRecord(
            name,
            last_new=newest.get(name),
            runs=runs.get(name, 0),
            window=window.get(name, {}),
            recent=recent.get(name, {}),
        )
        for name in names
    ]


def _grouped(rows: Iterable[Any]) -> dict[str, dict[str, int]]:
    grouped: dict[str, dict[str, int]] = defaultdict(dict)
    for site, outcome, n in rows:
        grouped[site][outcome] = int(n)
    return dict(grouped)


def _newest_per_site(site: str | None) -> Any:
    """Each site's newest first sighting: one seek of the (site, first_seen_at) index
    per site."""
    names = site_names()
    newest = select(func.max(articles.c.first_seen_at)).where(articles.c.site == names.c.site)
    stmt = select(
        names.c.site, type_coerce(newest.scalar_subquery(), UTCDateTime()).label("last_new")
    )
    return stmt.where(names.c.site.is_not(None) if site is None else names.c.site == site)


def _window_runs(since: datetime) -> Any:
    return select(crawl_runs.c.id).where(crawl_runs.c.started_at >= since)


def _runs_per_site(since: datetime, site: str | None) -> Any:
    stmt = (
        select(
            crawl_run_outcomes.c.site,
            func.count(crawl_run_outcomes.c.crawl_run_id.distinct()).label("runs"),
        )
        .where(crawl_run_outcomes.c.crawl_run_id.in_(_window_runs(since)))
        .group_by(crawl_run_outcomes.c.site)
    )
    return stmt if site is None else stmt.where(crawl_run_outcomes.c.site == site)


def _outcomes(since: datetime, site: str | None, *, recent: bool) -> Any:
    """Pages per (site, outcome) over the window's runs, or each site's latest runs."""
    o = crawl_run_outcomes.c
    conds: list[ColumnElement[bool]] = [o.crawl_run_id.in_(_window_runs(since))]
    if site is not None:
        conds.append(o.site == site)
    if not recent:
        return (
            select(o.site, o.outcome, func.sum(o.count)).where(*conds).group_by(o.site, o.outcome)
        )
    site_runs = select(o.site, o.crawl_run_id).where(*conds).distinct().subquery("site_runs")
    order = func.row_number().over(
        partition_by=site_runs.c.site, order_by=site_runs.c.crawl_run_id.desc()
    )
    ranked = select(site_runs, order.label("rank")).subquery("ranked")
    return (
        select(o.site, o.outcome, func.sum(o.count))
        .join(ranked, (o.site == ranked.c.site) & (o.crawl_run_id == ranked.c.crawl_run_id))
        .where(ranked.c.rank <= RECENT_RUNS, *conds)  # conds: read only the window's rows
        .group_by(o.site, o.outcome)
    )
