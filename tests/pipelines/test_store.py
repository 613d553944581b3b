"""The store stage's writer thread: batches by size and time, and the last one at shutdown."""

from __future__ import annotations

import threading
import time

from archive.models import Article
from archive.writer import ArchiveWriter, WriteResult
from pipelines.dedupe import article_urls
from pipelines.store import BatchWriterThread
from tests.support.records import count, record


class Batches:
    """What the thread reports back: the size of each batch written, in order."""

    def __init__(self) -> None:
        self.sizes: list[int] = []
        self.outcomes: list[str] = []
        self.errors: list[Exception] = []
        self.lock = threading.Lock()

    def results(self, batch: list[object], results: list[WriteResult]) -> None:
        with self.lock:
            self.sizes.append(len(batch))
            self.outcomes += [r.outcome.value for r in results]


def writer_thread(engine, batches: Batches, *, batch_size: int, flush_interval: float):
    thread = BatchWriterThread(
        ArchiveWriter(engine),
        lambda: None,  # no crawl run
        batch_size=batch_size,
        flush_interval=flush_interval,
        on_results=batches.results,
        on_error=batches.errors.append,
    )
    thread.start()
    return thread


def records(n: int):
    return [record(f"https://news.example.com/{i}/", f"Story number {i}.") for i in range(n)]


def test_articles_short_of_a_batch_are_written_at_shutdown(engine):
    batches = Batches()
    thread = writer_thread(engine, batches, batch_size=100, flush_interval=3600)
    for rec in records(7):
        thread.put(rec)
    time.sleep(0.2)
    assert count(engine, Article) == 0  # neither the size nor the time was reached

    thread.stop()
    thread.join(30)

    assert not thread.is_alive()
    assert batches.sizes == [7] and batches.outcomes == ["new"] * 7
    assert count(engine, Article) == 7


def test_full_batches_are_written_at_once_and_the_rest_after_the_interval(engine):
    batches = Batches()
    thread = writer_thread(engine, batches, batch_size=4, flush_interval=0.3)
    for rec in records(10):
        thread.put(rec)
    deadline = time.monotonic() + 30
    while sum(batches.sizes) < 10 and time.monotonic() < deadline:
        time.sleep(0.05)
    thread.stop()
    thread.join(30)

    assert batches.sizes == [4, 4, 2]
    assert count(engine, Article) == 10
    assert not batches.errors


def test_an_amp_or_mobile_copy_that_led_to_a_page_is_one_of_its_urls():
    urls = article_urls(
        "https://www.paper.example/a/",
        "https://www.paper.example/a/",
        "https://www.paper.example/a/",
        ["https://amp.paper.example/a/", "https://m.paper.example/a/", "https://else.example/a/"],
    )
    assert urls == [
        "https://www.paper.example/a/",
        "https://amp.paper.example/a/",
        "https://m.paper.example/a/",
    ]


def test_what_a_news_sitemap_or_feed_said_fills_only_what_the_page_did_not():
    from datetime import UTC, datetime

    from pipelines.extract import fill_from_listing
    from pipelines.extraction import Extracted

    listing = {
        "title": "Harbour cranes return",
        "published": "2024-09-02T06:30:00+02:00",
        "language": "de-DE",
        "keywords": ["harbour", "cranes"],
    }
    bare = Extracted(url="https://n.example/a/")
    fill_from_listing(bare, listing)
    assert (bare.title, bare.published_at, bare.language, bare.tags) == (
        "Harbour cranes return",
        datetime(2024, 9, 2, 4, 30, tzinfo=UTC),
        "de",
        ["harbour", "cranes"],
    )
    stated = Extracted(url="https://n.example/b/", title="Own", language="en", tags=["own"])
    fill_from_listing(stated, listing)
    assert (stated.title, stated.language, stated.tags) == ("Own", "en", ["own"])
    fill_from_listing(stated, None)
