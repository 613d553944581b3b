"""The crawl-run recorder records, per site, how the pages of a crawl run ended: the
store stage's articles, the pages the pipelines dropped and those that ended before
them; the store stage writes under the recorder's run."""

from __future__ import annotations

import asyncio
import hashlib
import time
from datetime import UTC, datetime

import pytest
from scrapy import Spider, signals
from scrapy.exceptions import CloseSpider, DropItem, NotConfigured
from scrapy.utils.test import get_crawler
from sqlalchemy import func, select

import crawler.settings as project_settings
from archive.engine import create_archive_engine
from archive.models import Article, Capture, CrawlRun, CrawlRunOutcome
from crawler.failures import count_page_outcome
from crawler.items import PageItem
from crawler.signals import article_unchanged
from pipelines.extract import PageDropped
from pipelines.extraction import Extracted
from pipelines.runs import CrawlRunRecorder, drop_outcome
from pipelines.store import StorePipeline

WRITTEN = [
    ("a.example", "articles/new"),
    ("b.example", "articles/duplicate"),
]


def page(site: str, path: str, text: str | None = None, verdict: str | None = None) -> PageItem:
    url = f"https://{site}{path}"
    item = PageItem(
        url=url,
        final_url=url,
        status=200,
        headers=[("Content-Type", "text/html")],
        body=f"<p>{text}</p>".encode(),
        encoding="utf-8",
        fetched_at=datetime.now(UTC),
        site=site,
        source="test",
        verdict=verdict,
    )
    if text is not None:
        item.extracted = Extracted(url=url, text=text, title=path, language="en")
        item.urls = [url]
        item.content_hash = hashlib.sha256(text.encode()).hexdigest()
    return item


def test_drop_outcomes_name_the_stats_key():
    failed = PageDropped("failed/extract_timeout", "failed (extract_timeout): url", "WARNING")
    assert drop_outcome(failed) == "failed/extract_timeout"
    binary = PageDropped("skipped/binary", "skipped (binary): url", "INFO")
    assert drop_outcome(binary) == "skipped/binary"
    not_article = PageDropped("skipped/listing", "skipped (listing): url", "INFO")
    assert drop_outcome(not_article) == "skipped/listing"
    assert drop_outcome(DropItem("other")) == "dropped"


def test_a_run_records_its_outcomes_per_site(db_url):
    settings = {
        "ARCHIVE_DB_URL": db_url,
        "ARCHIVE_AUTO_UPGRADE": True,
        "ARCHIVE_BATCH_SIZE": 100,
        "ARCHIVE_FLUSH_INTERVAL": 0.05,
        "ARCHIVE_MAX_PENDING": 100,
    }
    crawler = get_crawler(Spider, settings)
    spider = Spider(name="t")
    pipe = StorePipeline.from_crawler(crawler)
    recorder = CrawlRunRecorder.from_crawler(crawler)

    def dropped(item: PageItem, exception: Exception) -> None:
        crawler.signals.send_catch_log(
            signals.item_dropped, item=item, response=None, exception=exception, spider=spider
        )

    async def crawl() -> None:
        await pipe.open_spider()  # the pipelines open first, then spider_opened is sent
        await recorder.spider_opened(spider)
        await pipe.process_item(page("a.example", "/1", "First story."))
        await pipe.process_item(page("a.example", "/2", "Second story."))
        await pipe.process_item(page("b.example", "/1", "First story."))  # a copy
        dropped(page("a.example", "/3"), PageDropped("failed/extract_error", "x", "WARNING"))
        dropped(page("a.example", "/4"), PageDropped("failed/extract_timeout", "x", "WARNING"))
        dropped(page("a.example", "/5"), PageDropped("skipped/empty_text", "x", "INFO"))
        dropped(
            page("b.example", "/t", "tags", verdict="skip:listing"),
            PageDropped("skipped/listing", "skipped (listing): url", "INFO"),
        )
        # pages that end before the pipelines: a failed fetch, a 304 of an archived page
        count_page_outcome(crawler, "https://b.example/gone", "failed/http_503")
        count_page_outcome(crawler, "https://www.a.example/1", "articles/unchanged")
        await pipe.close_spider()
        # the writer thread hands its results to the loop: wait until they are counted
        deadline = time.monotonic() + 30
        while sum(recorder.site_outcomes[o] for o in WRITTEN) < 3 and time.monotonic() < deadline:
            await asyncio.sleep(0.01)

    asyncio.run(crawl())
    recorder.spider_closed(spider, "finished")
    engine = create_archive_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                CrawlRunOutcome.crawl_run_id,
                CrawlRunOutcome.site,
                CrawlRunOutcome.outcome,
                CrawlRunOutcome.count,
            )
        ).all()
        run_id = conn.scalar(select(CrawlRun.id))
        captured_in = set(conn.scalars(select(Capture.crawl_run_id)))
    engine.dispose()
    assert captured_in == {run_id}, "the store stage writes under the recorder's run"
    assert {(site, outcome): n for run, site, outcome, n in rows if run == run_id} == {
        ("a.example", "articles/new"): 2,
        ("a.example", "articles/unchanged"): 1,
        ("a.example", "failed/extract_error"): 1,
        ("a.example", "failed/extract_timeout"): 1,
        ("a.example", "skipped/empty_text"): 1,
        ("b.example", "articles/duplicate"): 1,
        ("b.example", "failed/http_503"): 1,
        ("b.example", "skipped/listing"): 1,
    }
    assert len(rows) == 8
    assert crawler.stats.get_value("newsarchive/failed/http_503") == 1
    assert crawler.stats.get_value("newsarchive/articles/unchanged") == 1


def test_the_recorder_is_an_extension_the_setting_switches_off():
    with pytest.raises(NotConfigured):
        CrawlRunRecorder.from_crawler(get_crawler(Spider, {"ARCHIVE_RUNS_ENABLED": False}))
    assert CrawlRunRecorder.from_crawler(get_crawler(Spider, {})) is not None
    assert "pipelines.runs.CrawlRunRecorder" in project_settings.EXTENSIONS


def test_a_crawl_without_the_recorder_archives_its_articles_under_no_run(db_url):
    settings = {"ARCHIVE_DB_URL": db_url, "ARCHIVE_FLUSH_INTERVAL": 0.05}
    crawler = get_crawler(Spider, settings)
    pipe = StorePipeline.from_crawler(crawler)

    async def crawl() -> None:
        await pipe.open_spider()
        await pipe.process_item(page("a.example", "/1", "First story."))
        await pipe.close_spider()

    asyncio.run(crawl())
    engine = create_archive_engine(db_url)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(CrawlRun)) == 0
        assert list(conn.scalars(select(Capture.crawl_run_id))) == [None]
    engine.dispose()


def test_the_store_stage_writes_the_articles_a_recrawl_saw_unchanged(db_url):
    """One writer: the incremental middleware's article_unchanged signal reaches the store
    stage, whose writer thread moves the article's last_seen_at with its next batch."""
    settings = {"ARCHIVE_DB_URL": db_url, "ARCHIVE_FLUSH_INTERVAL": 0.05}

    async def crawl(*items: PageItem, unchanged: tuple[int, ...] = ()) -> None:
        crawler = get_crawler(Spider, settings)
        pipe = StorePipeline.from_crawler(crawler)
        await pipe.open_spider()
        for article_id in unchanged:
            crawler.signals.send_catch_log(article_unchanged, article_id=article_id)
        for item in items:
            await pipe.process_item(item)
        await pipe.close_spider()

    def last_seen() -> dict[str, datetime]:
        engine = create_archive_engine(db_url)
        with engine.connect() as conn:
            rows = conn.execute(
                select(Capture.final_url, Article.last_seen_at).join(
                    Article, Article.capture_id == Capture.id
                )
            ).all()
        engine.dispose()
        return dict(rows)

    asyncio.run(crawl(page("a.example", "/1", "First story."), page("a.example", "/2", "Two.")))
    before = last_seen()
    engine = create_archive_engine(db_url)
    with engine.connect() as conn:
        first = conn.scalar(
            select(Article.id)
            .join(Capture, Article.capture_id == Capture.id)
            .where(Capture.final_url == "https://a.example/1")
        )
    engine.dispose()
    asyncio.run(crawl(page("a.example", "/3", "Third story."), unchanged=(first,)))
    after = last_seen()
    assert after["https://a.example/1"] > before["https://a.example/1"]
    assert after["https://a.example/2"] == before["https://a.example/2"]
    assert set(after) == {*before, "https://a.example/3"}


def test_a_run_that_cannot_be_recorded_closes_the_crawl_in_one_line(tmp_path, caplog):
    """No archive and ARCHIVE_AUTO_UPGRADE off: the recorder asks Scrapy to close the
    spider (archive_error), with the reason in the stats and one log line."""
    crawler = get_crawler(
        Spider,
        {"ARCHIVE_DB_URL": f"sqlite:///{tmp_path / 'none.db'}", "ARCHIVE_AUTO_UPGRADE": False},
    )
    recorder = CrawlRunRecorder.from_crawler(crawler)
    crawler.stats.open_spider()
    with pytest.raises(CloseSpider) as closed:
        asyncio.run(recorder.spider_opened(Spider(name="t")))
    assert closed.value.reason == "archive_error"
    assert "no archive" in crawler.stats.get_value("newsarchive/archive_error")
    assert crawler.stats.get_value("newsarchive/crawl_run_id") is None
    [line] = [r.getMessage() for r in caplog.records if r.name == "pipelines.runs"]
    assert line.startswith("cannot record the crawl run: ") and "\n" not in line
    recorder.spider_closed(Spider(name="t"), "archive_error")  # nothing to finish
