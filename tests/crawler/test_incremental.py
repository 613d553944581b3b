"""Incremental re-crawls: the skip/conditional rules, the batched lookups, and the
downloader middleware on a real SQLite archive (crawler/ reaching archive/ only
through the INCREMENTAL_STATE_STORE dotted path)."""

from __future__ import annotations

import asyncio
import hashlib
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from archive.engine import create_archive_engine, upgrade_archive
from archive.state import open_page_state
from archive.writer import ArchiveWriter, ArticleRecord, CaptureRecord
from crawler.incremental import PageStateStore, Skip, decide, listed_until
from crawler.middlewares.incremental import BatchedLookups, IncrementalMiddleware
from crawler.signals import article_unchanged
from crawler.sites import SitesError, make_site
from tests.support.cli import ROOT

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Known:
    article_id: int = 1
    first_seen_at: datetime = NOW - timedelta(days=2)
    last_seen_at: datetime = NOW - timedelta(days=1)
    etag: str | None = '"v1"'
    last_modified: str | None = "Tue, 14 Nov 2023 22:13:20 GMT"
    capture: dict[str, str] | None = None


# --- the rules ------------------------------------------------------------------------


def test_a_known_page_is_fetched_conditionally_inside_its_revisit_window():
    decision = decide(Known(), now=NOW, revisit_days=7)
    assert decision.skip is None
    assert decision.headers == {
        "If-None-Match": '"v1"',
        "If-Modified-Since": "Tue, 14 Nov 2023 22:13:20 GMT",
    }
    assert decide(Known(), now=NOW, conditional=False).headers == {}
    assert decide(Known(etag=None, last_modified=None), now=NOW).headers == {}


def test_the_revisit_window_counts_from_first_sight_not_publication():
    old = Known(first_seen_at=NOW - timedelta(days=30))
    assert decide(old, now=NOW, revisit_days=7).skip is Skip.REVISIT_WINDOW
    assert decide(old, now=NOW, revisit_days=31).skip is None
    assert decide(old, now=NOW, revisit_days=float("inf")).skip is None
    assert decide(Known(), now=NOW, revisit_days=0).skip is Skip.REVISIT_WINDOW
    assert decide(old, now=NOW, revisit_days=7, recheck=True).skip is None


def test_sitemap_lastmod_skips_unmodified_pages_and_refetches_modified_ones_of_any_age():
    seen = Known().last_seen_at
    old = Known(first_seen_at=NOW - timedelta(days=300))
    before = seen - timedelta(hours=3)
    after = seen + timedelta(hours=3)
    assert decide(Known(), now=NOW, source="sitemap", listed=before).skip is Skip.LISTED_UNCHANGED
    newer = decide(old, now=NOW, source="sitemap", listed=after, revisit_days=7)
    assert newer.skip is None and newer.listed_newer and newer.headers
    assert decide(Known(), now=NOW, source="sitemap", listed=before, recheck=True).skip is None


def test_feed_dates_are_publication_dates_so_an_old_one_proves_nothing():
    published = Known().last_seen_at - timedelta(days=1)
    assert decide(Known(), now=NOW, source="feed", listed=published, revisit_days=7).skip is None
    old = Known(first_seen_at=NOW - timedelta(days=30))
    assert decide(old, now=NOW, source="feed", listed=published, revisit_days=7).skip is (
        Skip.REVISIT_WINDOW
    )


def test_a_news_sitemap_publication_date_newer_than_the_last_sight_refetches_only():
    """A publication date (news:publication_date) never moves on an edit: a newer one
    (the story was republished) refetches the page at any age, an older one proves
    nothing, whatever the sitemap's source."""
    seen = Known().last_seen_at
    old = Known(first_seen_at=NOW - timedelta(days=300))
    newer = decide(old, now=NOW, source="sitemap", published=seen + timedelta(hours=1))
    assert newer.skip is None and newer.listed_newer
    older = seen - timedelta(days=3)
    assert decide(Known(), now=NOW, source="sitemap", published=older).skip is None
    assert decide(old, now=NOW, source="sitemap", published=older, revisit_days=7).skip is (
        Skip.REVISIT_WINDOW
    )


def test_a_date_without_time_of_day_may_be_any_moment_of_that_day():
    day = datetime(2024, 5, 31, tzinfo=UTC)
    assert listed_until(day) == datetime(2024, 6, 1, tzinfo=UTC)
    assert listed_until(day.replace(hour=9)) == day.replace(hour=9)
    seen_that_morning = Known(last_seen_at=day.replace(hour=10))
    assert decide(seen_that_morning, now=NOW, source="sitemap", listed=day).listed_newer


def test_revisit_days_in_a_sites_file_is_checked():
    site = make_site({"start": "https://a.example/", "revisit_days": 3}, "x")
    assert site.revisit_days == 3
    # unset: CRAWL_REVISIT_DAYS's default (SiteConfig said inf while the setting said 7)
    assert make_site({"start": "https://a.example/"}, "x").revisit_days == 7.0
    assert make_site({"start": "https://a.example/", "revisit_days": float("inf")}, "x")
    for bad in (-1, "7", True, float("nan")):
        with pytest.raises(SitesError, match="revisit_days"):
            make_site({"start": "https://a.example/", "revisit_days": bad}, "x")


# --- batched lookups --------------------------------------------------------------------


def test_lookups_made_while_one_runs_share_the_next_batch():
    calls: list[list[str]] = []

    def fetch(urls):
        calls.append(list(urls))
        return {u: Known(article_id=i) for i, u in enumerate(urls) if "known" in u}

    async def main():
        lookups = BatchedLookups(fetch, on_error=lambda exc, n: None, max_batch=3)
        urls = ["a-known", "b", "c-known", "d", "a-known", "e"]
        return await asyncio.gather(*(lookups.get(u) for u in urls))

    results = asyncio.run(main())
    assert [r is not None for r in results] == [True, False, True, False, True, False]
    assert results[0] == results[4]
    assert sorted(u for c in calls for u in c) == ["a-known", "b", "c-known", "d", "e"]
    assert len(calls) == 2 and all(len(c) <= 3 for c in calls)


def test_a_failed_lookup_fetches_the_pages_in_full():
    errors = []

    def fetch(urls):
        raise RuntimeError("database is gone")

    async def main():
        lookups = BatchedLookups(fetch, on_error=lambda exc, n: errors.append((str(exc), n)))
        return await asyncio.gather(lookups.get("a"), lookups.get("b"))

    assert asyncio.run(main()) == [None, None]
    assert errors == [("database is gone", 2)]


# --- the middleware on a real archive ---------------------------------------------------


def article(url: str, etag: str) -> ArticleRecord:
    text = f"The story at {url}. " * 30
    return ArticleRecord(
        url=url,
        urls=[url],
        site="news.example",
        text=text,
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
        capture=CaptureRecord(url, url, 200, [("ETag", etag)], b"<html></html>", NOW),
    )


@pytest.fixture
def archive_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'archive.db'}"
    engine = create_archive_engine(url)
    upgrade_archive(engine)
    ArchiveWriter(engine).write_batch(
        [
            article("https://news.example/2024/05/01/a/", '"a1"'),
            article("https://news.example/2024/05/02/b/", '"b1"'),
        ]
    )
    engine.dispose()
    return url


def middleware(
    db_url: str, unchanged: list[int] | None = None, **settings
) -> tuple[IncrementalMiddleware, Spider]:
    """The middleware on the archive at ``db_url``; the ids it reports unchanged (the
    ``article_unchanged`` signal) are appended to ``unchanged``."""
    crawler = get_crawler(
        Spider,
        {
            "ARCHIVE_DB_URL": db_url,
            "INCREMENTAL_ENABLED": True,
            "INCREMENTAL_STATE_STORE": "archive.state.open_page_state",
            "INCREMENTAL_CONDITIONAL": True,
            **settings,
        },
    )
    spider = Spider("news")
    crawler.stats.open_spider()
    if unchanged is not None:

        def seen(article_id: int) -> None:  # pydispatch takes no builtin method
            unchanged.append(article_id)

        crawler.signals.connect(seen, signal=article_unchanged, weak=False)
    mw = IncrementalMiddleware.from_crawler(crawler)
    mw.spider_opened(spider)
    return mw, spider


def page(url: str, **meta) -> Request:
    return Request(url, meta={"source": "link", "revisit_days": 7.0, **meta})


def test_known_pages_get_validators_and_a_304_ends_them_as_unchanged(archive_url):
    """A 304 is counted and handed on (the article_unchanged signal) for the store stage
    to write: the middleware itself writes nothing to the archive."""
    unchanged: list[int] = []
    engine = create_archive_engine(archive_url)
    with engine.connect() as conn:
        before = dict(conn.exec_driver_sql("SELECT url, last_seen_at FROM articles").all())
        ids = dict(conn.exec_driver_sql("SELECT url, id FROM articles").all())

    async def main():
        mw, spider = middleware(archive_url, unchanged)
        known = page("https://news.example/2024/05/01/a/?utm_source=x")
        unknown = page("https://news.example/2024/05/03/c/")
        start = Request("https://news.example/2024/05/02/b/", meta={"source": "start"})
        for request in (known, unknown, start):
            assert await mw.process_request(request) is None
        assert known.headers.get("If-None-Match") == b'"a1"'
        assert b"If-None-Match" not in unknown.headers and b"If-None-Match" not in start.headers
        ok = HtmlResponse(unknown.url, body=b"<html></html>", request=unknown)
        assert mw.process_response(unknown, ok) is ok
        with pytest.raises(IgnoreRequest, match="not modified"):
            mw.process_response(known, Response(known.url, status=304, request=known))
        await mw.spider_closed(spider)
        return mw.stats.get_stats()

    stats = asyncio.run(main())
    assert stats["newsarchive/incremental/known"] == 1
    assert stats["newsarchive/incremental/not_modified"] == 1
    assert stats["newsarchive/articles/unchanged"] == 1
    assert unchanged == [ids["https://news.example/2024/05/01/a/"]]
    with engine.connect() as conn:
        after = dict(conn.exec_driver_sql("SELECT url, last_seen_at FROM articles").all())
    engine.dispose()
    assert after == before


def test_the_middleware_holds_no_writer():
    """One writer: neither the interface the middleware reads the archive through nor
    the archive's implementation of it can write (the test above: a 304 leaves the
    archive as it was)."""
    assert not hasattr(PageStateStore, "mark_seen")
    assert not hasattr(open_page_state("sqlite:///unused.db"), "mark_seen")


def test_a_redirect_to_an_unknown_url_drops_the_validators_it_carried(archive_url):
    async def main():
        mw, spider = middleware(archive_url)
        request = page("https://news.example/2024/05/01/a/")
        await mw.process_request(request)
        moved = request.replace(url="https://news.example/moved/a/")
        await mw.process_request(moved)
        await mw.spider_closed(spider)
        return request, moved

    request, moved = asyncio.run(main())
    assert b"If-None-Match" in request.headers
    assert b"If-None-Match" not in moved.headers and "incremental_article" not in moved.meta


def test_skips_are_counted_by_reason_and_recheck_skips_nothing(archive_url):
    listed = (NOW - timedelta(days=400)).isoformat()

    async def run(**settings):
        mw, spider = middleware(archive_url, **settings)
        outcomes = []
        for request in (
            page("https://news.example/2024/05/01/a/", source="sitemap", listed_date=listed),
            page("https://news.example/2024/05/02/b/", revisit_days=0),
        ):
            try:
                await mw.process_request(request)
                outcomes.append("fetch")
            except IgnoreRequest:
                outcomes.append("skip")
        await mw.spider_closed(spider)
        return outcomes, mw.stats.get_stats()

    outcomes, stats = asyncio.run(run())
    assert outcomes == ["skip", "skip"]
    assert stats["newsarchive/skipped/listed_unchanged"] == 1
    assert stats["newsarchive/skipped/revisit_window"] == 1
    outcomes, stats = asyncio.run(run(INCREMENTAL_RECHECK=True))
    assert outcomes == ["fetch", "fetch"]
    assert stats["newsarchive/incremental/conditional"] == 2


def test_a_fresh_archive_knows_nothing_and_the_middleware_can_be_off(tmp_path):
    async def main():
        mw, spider = middleware(f"sqlite:///{tmp_path / 'new.db'}")
        request = page("https://news.example/2024/05/01/a/")
        await mw.process_request(request)
        await mw.spider_closed(spider)
        return request

    assert b"If-None-Match" not in asyncio.run(main()).headers
    with pytest.raises(NotConfigured):
        IncrementalMiddleware.from_crawler(get_crawler(Spider, {"INCREMENTAL_ENABLED": False}))


def test_the_crawler_imports_no_archive_module():
    """Spiders know nothing of SQL: crawler/ reaches archive/ only by dotted path, but
    for the outcome names (archive/outcomes.py, which imports nothing)."""
    code = (
        "import sys, crawler.middlewares.incremental, crawler.spiders.news, crawler.incremental;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('archive', 'pipelines')"
        " and m not in ('archive', 'archive.outcomes') or m == 'sqlalchemy'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
