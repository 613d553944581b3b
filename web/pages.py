"""The pages: one handler each, reading through the archive's read API.

Handlers are plain functions: Starlette runs them in its thread pool, so a slow query
holds one thread, not the server. Each page is a fixed, small number of queries
whatever it lists.
"""

from __future__ import annotations

import codecs
import re
import threading
import time
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from starlette.convertors import IntegerConvertor, register_url_convertor
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from archive import browse, health
from archive.outcomes import outcome_totals, run_outcome_counts
from archive.read import ArticleFilter
from archive.search import QueryError, parse_query
from web import charts
from web.diff import diff_texts, diff_words
from web.format import MARK, site_path
from web.security import RAW_CSP

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from starlette.requests import Request

    from archive.read import Archive

PAGE_SIZE = 20
# Past this many matches a list says "more than"; counting further costs a scan.
COUNT_CAP = 1000
# A search matching more articles than this lists the newest first unless asked to rank:
# ranking reads every match (a word in half of 100,000 articles: ~0.2 s on SQLite).
RANK_CAP = 10_000
SITES_CACHE_SECONDS = 60.0
CHART_DAYS = 90
SPARK_DAYS = 30
RUN_PAGE_SIZE = 50
# An id in a path or a cursor: at most 18 digits, so always below 2**63, the largest
# integer the databases hold (SQLite raises OverflowError on a larger one). Ids count up
# from 1: no archive reaches 10**18.
ID_PATTERN = "[0-9]{1,18}"
_ID = re.compile(ID_PATTERN)


class ArchiveId(IntegerConvertor):
    """``{name:id}`` in a route: a path with a longer number is no page (404)."""

    regex = ID_PATTERN


register_url_convertor("id", ArchiveId())


class Cache:
    """Values that change slowly (the list of sites), kept for a while."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[str, tuple[float, Any]] = {}

    def get(self, key: str, compute: Callable[[], Any], ttl: float) -> Any:
        now = time.monotonic()
        with self._lock:
            found = self._values.get(key)
        if found is not None and now - found[0] < ttl:
            return found[1]
        value = compute()
        with self._lock:
            self._values[key] = (now, value)
        return value


def _archive(request: Request) -> Archive:
    archive: Archive = request.app.state.archive
    return archive


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    template = request.app.state.templates.get_template(name)
    html = template.render(title=request.app.state.title, path=request.url.path, **context)
    return HTMLResponse(html, status_code=status, headers={"cache-control": "no-cache"})


def _now() -> datetime:
    return datetime.now(UTC)


# --- search ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SearchForm:
    """The search page's query string, checked."""

    q: str = ""
    site: str = ""
    lang: str = ""
    date_from: str = ""
    date_to: str = ""
    copies: bool = False
    edited: bool = False
    sort: str = ""  # a search: "best", "new", or "" (best unless too many match)
    after: str = ""

    @classmethod
    def read(cls, params: Mapping[str, str]) -> SearchForm:
        def text(name: str, limit: int = 500) -> str:
            # NUL is no text a site, language or search holds (PostgreSQL refuses it)
            return " ".join(params.get(name, "").replace("\0", " ").split())[:limit]

        return cls(
            q=text("q"),
            site=text("site", 255),
            lang=text("lang", 16),
            date_from=text("from", 10),
            date_to=text("to", 10),
            copies=params.get("copies") == "1",
            edited=params.get("edited") == "1",
            sort=params.get("sort", "") if params.get("sort") in ("best", "new") else "",
            after=text("after", 100),
        )

    def params(self, **changes: Any) -> dict[str, Any]:
        """The query string that gives this search again (without ``after``)."""
        return {
            "q": self.q,
            "site": self.site,
            "lang": self.lang,
            "from": self.date_from,
            "to": self.date_to,
            "copies": "1" if self.copies else None,
            "edited": "1" if self.edited else None,
            "sort": self.sort,
            **changes,
        }

    def where(self) -> ArticleFilter:
        """The filter (without the query); ValueError says what is wrong."""
        return ArticleFilter(
            site=self.site or None,
            language=self.lang or None,
            published_since=_date(self.date_from, "from"),
            published_until=_day_after(_date(self.date_to, "to")),
            with_copies=self.copies,
            edited=self.edited,
        )

    @property
    def filtered(self) -> bool:
        return bool(
            self.site or self.lang or self.date_from or self.date_to or self.copies or self.edited
        )


def _day_after(day: datetime | None) -> datetime | None:
    """The exclusive end of a date range ending on ``day`` (None: no end)."""
    return day + timedelta(days=1) if day is not None and day.date() < date.max else None


def _date(value: str, name: str) -> datetime | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


# A page's cursor: the last row's sort key and id, as text in the next page's link.
_BAD_CURSOR = "the page asked for does not exist (a bad 'after')"


def _cursor(key: float | datetime | None, article_id: int) -> str:
    if key is None:
        return str(article_id)
    return f"{key.isoformat() if isinstance(key, datetime) else repr(key)}~{article_id}"


def _parse_cursor(value: str, kind: type[float] | type[datetime] | None) -> tuple[Any, int] | None:
    """A cursor read back; ValueError for one this page did not make."""
    if not value:
        return None
    key, sep, article_id = value.rpartition("~")
    try:
        if kind is None:
            if sep:
                raise ValueError(value)
            return None, _cursor_id(value)
        parsed = float(key) if kind is float else datetime.fromisoformat(key)
        if not sep or (isinstance(parsed, datetime) and parsed.tzinfo is None):
            raise ValueError(value)
        return parsed, _cursor_id(article_id)
    except ValueError:
        raise ValueError(_BAD_CURSOR) from None


def _cursor_id(text: str) -> int:
    if not _ID.fullmatch(text):
        raise ValueError(text)
    return int(text)


def search(request: Request) -> HTMLResponse:
    form = SearchForm.read(request.query_params)
    arc = _archive(request)
    context: dict[str, Any] = {"form": form, "rows": [], "badges": {}, "count": None}
    context["sites"] = request.app.state.cache.get(
        "sites", lambda: browse.sites(arc), SITES_CACHE_SECONDS
    )
    try:
        where = form.where()
        if form.q:
            context.update(_search(arc, form, where))
        else:
            context.update(_listing(arc, form, where))
    except (QueryError, ValueError) as exc:
        return render(request, "search.html", 400, error=str(exc), **context)
    rows = context["rows"]
    context["badges"] = browse.badges(arc, [r["id"] for r in rows])
    return render(request, "search.html", **context)


def _listing(arc: Archive, form: SearchForm, where: ArticleFilter) -> dict[str, Any]:
    """The newest articles matching the filters, a page at a time."""
    order = browse.ListOrder.of(where)
    kind = None if order is browse.ListOrder.ID else datetime
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in browse.latest(
            arc, where, after=_parse_cursor(form.after, kind), limit=PAGE_SIZE + 1
        )
    ]
    more, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
    key = {browse.ListOrder.SEEN: "first_seen_at", browse.ListOrder.PUBLISHED: "published_at"}
    last = rows[-1] if rows else None
    everything = not form.filtered
    return {
        "rows": rows,
        # every article: an exact count is cheap (an index); a selection is counted so far
        "count": arc.count() if everything else browse.count_at_most(arc, where, COUNT_CAP),
        "cap": None if everything else COUNT_CAP,
        "order": str(order),
        "next_after": _cursor(last[key[order]] if order in key else None, last["id"])
        if more and last
        else None,
    }


def _search(arc: Archive, form: SearchForm, where: ArticleFilter) -> dict[str, Any]:
    """The best matches (or the newest: asked, or when too many match to rank them
    fast), a page at a time."""
    parse_query(form.q)
    counted = replace(where, query=form.q)
    # a search alone is counted in its index, cheaply, up to the ranking's limit
    cap = COUNT_CAP if form.filtered else RANK_CAP
    count = browse.count_at_most(arc, counted, cap)
    too_many = not form.filtered and count > RANK_CAP
    newest = form.sort == "new" or (form.sort == "" and too_many)
    after = _parse_cursor(form.after, None if newest else float)
    hits: list[dict[str, Any]] = [
        dict(hit)
        for hit in arc.search(
            form.q,
            where,
            limit=PAGE_SIZE + 1,
            highlight=MARK,
            after=(0.0, after[1]) if newest and after else after,
            newest=newest,
        )
    ]
    more, hits = len(hits) > PAGE_SIZE, hits[:PAGE_SIZE]
    last = hits[-1] if hits else None
    return {
        "rows": hits,
        "count": count,
        "cap": cap,
        "order": "new" if newest else "best",
        "too_many": too_many and form.sort == "",
        "next_after": _cursor(None if newest else last["score"], last["id"])
        if more and last
        else None,
    }


# --- an article ------------------------------------------------------------------------


def article(request: Request) -> HTMLResponse:
    article_id = int(request.path_params["article_id"])
    arc = _archive(request)
    found = arc.article(article_id, with_versions=True)
    if found is None:
        raise HTTPException(404, f"There is no article {article_id} in the archive.")
    cleaning, revision = browse.article_cleaning(arc, article_id)
    cluster = arc.cluster(found["cluster_id"]) if found["cluster_id"] is not None else []
    return render(
        request,
        "article.html",
        article=found,
        versions=found.get("versions", []),
        boilerplate=cleaning or {},
        boilerplate_revision=revision,
        captures=arc.captures(article_id),
        cluster=cluster,
        site_href=site_path(found["site"]),
    )


def diff(request: Request) -> HTMLResponse:
    article_id = int(request.path_params["article_id"])
    versions = _archive(request).versions(article_id)
    if not versions:
        raise HTTPException(404, f"There is no article {article_id} in the archive.")
    numbers = [v["version"] for v in versions]
    params = request.query_params
    try:
        new = int(params.get("to", numbers[-1]))
        old = int(params.get("from", numbers[max(0, numbers.index(new) - 1)]))
        old_v, new_v = versions[numbers.index(old)], versions[numbers.index(new)]
    except ValueError:
        raise HTTPException(
            404, f"Article {article_id} has versions {numbers[0]} to {numbers[-1]} only."
        ) from None
    view = "side" if params.get("view") == "side" else "inline"
    changes_only = params.get("changes") == "1"
    title_change = (
        diff_words(old_v["title"] or "", new_v["title"] or "")
        if old_v["title"] != new_v["title"]
        else None
    )
    position = numbers.index(new)
    return render(
        request,
        "diff.html",
        article_id=article_id,
        versions=versions,
        old=old_v,
        new=new_v,
        diff=diff_texts(old_v["text"], new_v["text"], changes_only=changes_only),
        title_change=title_change,
        view=view,
        changes_only=changes_only,
        previous=(numbers[numbers.index(old) - 1], old) if numbers.index(old) > 0 else None,
        following=(new, numbers[position + 1]) if position + 1 < len(numbers) else None,
        current_title=versions[-1]["title"],
    )


def raw_capture(request: Request) -> Response:
    """The body as fetched, as text: never HTML on our origin, whatever it holds."""
    capture_id = int(request.path_params["capture_id"])
    found = _archive(request).capture(capture_id)
    if found is None:
        raise HTTPException(404, f"There is no capture {capture_id} in the archive.")
    declared = next((v for k, v in found["headers"] if k.lower() == "content-type"), "")
    charset = _charset(declared)
    disposition = "attachment" if request.query_params.get("download") == "1" else "inline"
    return Response(
        found["body"],
        headers={
            "content-type": f"text/plain; charset={charset}" if charset else "text/plain",
            "content-disposition": f'{disposition}; filename="capture-{capture_id}.txt"',
            "content-security-policy": RAW_CSP,
            "cache-control": "no-cache",
        },
    )


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset":
            value = value.strip().strip("\"'")
            try:
                return codecs.lookup(value).name
            except LookupError:
                return None
    return None


# --- stories ---------------------------------------------------------------------------


def stories(request: Request) -> HTMLResponse:
    arc = _archive(request)
    return render(
        request,
        "stories.html",
        largest=browse.largest_stories(arc, PAGE_SIZE),
        grown=browse.grown_stories(arc, PAGE_SIZE),
    )


def story(request: Request) -> HTMLResponse:
    cluster_id = int(request.path_params["cluster_id"])
    members = _archive(request).cluster(cluster_id)
    if not members:
        raise HTTPException(404, f"There is no story cluster {cluster_id} in the archive.")
    first = next((m for m in members if m["id"] == cluster_id), members[0])
    points = [
        charts.Point(
            m["site"],
            m["first_seen_at"],
            f"/article/{m['id']}",
            f"{m['site']}: {m['title'] or '(no title)'} "
            f"(similarity {m['similarity'] or 0:.2f}, {m['first_seen_at']:%Y-%m-%d %H:%M})",
        )
        for m in members
    ]
    return render(
        request,
        "story.html",
        cluster_id=cluster_id,
        first=first,
        members=sorted(members, key=lambda m: m["first_seen_at"]),
        sites=len({m["site"] for m in members}),
        chart=charts.timeline(points),
    )


# --- sites -----------------------------------------------------------------------------


def sites(request: Request) -> HTMLResponse:
    arc = _archive(request)
    now = _now()
    records = health.site_records(arc, health.DEFAULT_DAYS, now)
    daily = arc.daily_counts(SPARK_DAYS, today=now)
    first_day = now.date() - timedelta(days=SPARK_DAYS - 1)
    models = browse.boilerplate_sites(arc)
    rows = [
        {
            "record": r,
            "problems": health.assess(r, days=health.DEFAULT_DAYS, now=now),
            "spark": charts.sparkline(daily.get(r.site, [0] * SPARK_DAYS), first_day),
            "recent": sum(daily.get(r.site, [])),
            "model": models.get(r.site),
        }
        for r in records
    ]
    return render(
        request,
        "sites.html",
        rows=rows,
        days=health.DEFAULT_DAYS,
        spark_days=SPARK_DAYS,
        unhealthy=sum(1 for row in rows if row["problems"]),
    )


def site(request: Request) -> HTMLResponse:
    name = request.path_params["site"]
    arc = _archive(request)
    now = _now()
    # a NUL is in no site's name (and PostgreSQL refuses it in a query)
    records = [] if "\0" in name else health.site_records(arc, health.DEFAULT_DAYS, now, site=name)
    if not records:
        raise HTTPException(404, f"The archive knows no site {name!r}.")
    [record] = records
    stats = arc.site_stats(name)
    daily = arc.daily_counts(CHART_DAYS, today=now, site=name).get(name, [0] * CHART_DAYS)
    runs = [
        {**run, "totals": outcome_totals(run["outcomes"])} for run in browse.site_runs(arc, name)
    ]
    return render(
        request,
        "site.html",
        site=name,
        record=record,
        problems=health.assess(record, days=health.DEFAULT_DAYS, now=now),
        days=health.DEFAULT_DAYS,
        stats=stats[0] if stats else None,
        chart=charts.daily_bars(daily, now.date() - timedelta(days=CHART_DAYS - 1)),
        chart_days=CHART_DAYS,
        runs=runs,
        model=browse.boilerplate_model(arc, name),
    )


# --- crawl runs --------------------------------------------------------------------------


def runs(request: Request) -> HTMLResponse:
    try:
        cursor = _parse_cursor(request.query_params.get("before", ""), None)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None
    before = cursor[1] if cursor else None
    found = _archive(request).crawl_runs(RUN_PAGE_SIZE + 1, before=before)
    shown = [
        {**run, "totals": outcome_totals(run_outcome_counts(run["stats"] or {}))}
        for run in found[:RUN_PAGE_SIZE]
    ]
    more = len(found) > RUN_PAGE_SIZE
    return render(
        request,
        "runs.html",
        runs=shown,
        before=before,
        next_before=shown[-1]["id"] if more else None,
    )


def run(request: Request) -> HTMLResponse:
    run_id = int(request.path_params["run_id"])
    arc = _archive(request)
    found = browse.crawl_run(arc, run_id)
    if found is None:
        raise HTTPException(404, f"There is no crawl run {run_id} in the archive.")
    stats = found["stats"] or {}
    per_site = browse.run_outcomes(arc, run_id)
    # the run's own counts hold skips counted per run only (max_pages, since...): their
    # reasons say why its totals exceed the sum of the sites'
    outcomes = run_outcome_counts(stats)
    return render(
        request,
        "run.html",
        run=found,
        totals=outcome_totals(outcomes),
        run_outcomes=outcomes,
        stats=sorted(stats.items()),
        sites=[(s, o, outcome_totals(o)) for s, o in sorted(per_site.items())],
    )


ROUTES = [
    Route("/", search, name="search"),
    Route("/article/{article_id:id}", article, name="article"),
    Route("/article/{article_id:id}/diff", diff, name="diff"),
    Route("/capture/{capture_id:id}/raw", raw_capture, name="raw_capture"),
    Route("/stories", stories, name="stories"),
    Route("/story/{cluster_id:id}", story, name="story"),
    Route("/sites", sites, name="sites"),
    Route("/site/{site:path}", site, name="site"),
    Route("/runs", runs, name="runs"),
    Route("/run/{run_id:id}", run, name="run"),
]
