"""Crawls with a slow stage slow down instead of piling pages up, and lose nothing at the end.

Each test runs ``newsarchive crawl`` as a user would, against a generated news site served
on 127.0.0.51, with a stage made slow on purpose (tests/support/slow_stages.py) and a
count of the HTML pages held between their download and the end of the pipelines.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import MockServer, run_cli, start_mockserver

ARTICLES = 24
PIPELINES = {
    "pipelines.extract.ExtractPipeline": 100,
    "pipelines.classify.ClassifyPipeline": 200,
    "pipelines.dedupe.DedupePipeline": 300,
    "pipelines.store.StorePipeline": 400,
}
# The crawl-run recorder too: the stats are read back from crawl_runs.
IN_FLIGHT = json.dumps(
    {"tests.support.slow_stages.PagesInFlight": 0, "pipelines.runs.CrawlRunRecorder": 530}
)
# Two downloads at a time, and Scrapy's scraper stops taking new responses as soon as
# it holds any (a byte limit of 1): at most two pages can be in flight.
TIGHT = {
    "CONCURRENT_REQUESTS": "2",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "2",
    "SCRAPER_SLOT_MAX_ACTIVE_SIZE": "1",
    "EXTRACT_WORKERS": "1",
    "EXTRACT_MAX_PENDING": "1",
}


def article_page(number: int) -> str:
    paragraphs = "\n".join(
        f"<p>Paragraph {k} of story {number}: the council of town {number} met on day {k} "
        f"and voted {number + k} to {k} on the new harbour plan, which had been debated "
        f"for {number * k + 3} weeks by residents, fishermen and shop owners alike.</p>"
        for k in range(1, 7)
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Harbour vote {number}</title>"
        "<meta property='og:type' content='article'>"
        f"<meta property='article:published_time' content='2024-03-{number % 28 + 1:02d}T08:00:00Z'>"
        f"</head><body><nav><a href='/'>Home</a></nav><article><h1>Harbour vote {number}</h1>"
        f"{paragraphs}</article></body></html>"
    )


def write_site(root: Path) -> None:
    site = root / "bp"
    links = "".join(
        f"<li><a href='/news/2024/03/harbour-vote-{n}/'>Vote {n}</a></li>" for n in range(ARTICLES)
    )
    (site).mkdir(parents=True)
    (site / "index.html").write_text(
        f"<!DOCTYPE html><html><head><title>Harbour News</title></head><body><ul>{links}</ul>"
        "</body></html>",
        encoding="utf-8",
    )
    for n in range(ARTICLES):
        page = site / "news" / "2024" / "03" / f"harbour-vote-{n}"
        page.mkdir(parents=True)
        (page / "index.html").write_text(article_page(n), encoding="utf-8")
    (site / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    (root / "hosts.json").write_text(json.dumps({"bp": "127.0.0.51"}), encoding="utf-8")


@pytest.fixture(scope="module")
def harbour_site(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("backpressure-sites")
    write_site(root)
    server: MockServer = start_mockserver(root)
    yield server
    server.process.terminate()
    server.process.wait(10)


def crawl(
    site: MockServer, workdir: Path, pipelines: dict[str, int], **settings: str
) -> dict[str, Any]:
    """Crawl the site into a fresh archive; the crawl run's stats."""
    workdir.mkdir(exist_ok=True)
    db = workdir / "archive.db"
    args = ["crawl", site.url("bp"), "--db", f"sqlite:///{db}", "-q"]
    args += ["-s", f"ITEM_PIPELINES={json.dumps(pipelines)}", "-s", f"EXTENSIONS={IN_FLIGHT}"]
    for name, value in settings.items():
        args += ["-s", f"{name}={value}"]
    result = run_cli(*args, cwd=workdir)
    assert result.returncode == 0, result.stderr
    with closing(sqlite3.connect(db)) as conn:
        stats = json.loads(conn.execute("SELECT stats FROM crawl_runs").fetchone()[0])
        stats["archived"] = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        stats["captures"] = conn.execute("SELECT count(*) FROM captures").fetchone()[0]
    return stats


@pytest.mark.slow
def test_a_slow_extractor_holds_the_downloads_back(harbour_site, tmp_path):
    slow = {**PIPELINES, "tests.support.slow_stages.SlowExtractPipeline": 100}
    del slow["pipelines.extract.ExtractPipeline"]

    bounded = crawl(harbour_site, tmp_path / "bounded", slow, **TIGHT)
    unbounded = crawl(
        harbour_site,
        tmp_path / "unbounded",
        slow,
        **{
            **TIGHT,
            "CONCURRENT_REQUESTS": "16",
            "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
            "SCRAPER_SLOT_MAX_ACTIVE_SIZE": "50000000",
            "EXTRACT_MAX_PENDING": "64",
        },
    )

    assert bounded["archived"] == unbounded["archived"] == ARTICLES
    assert bounded["test/max_pages_in_flight"] <= 2
    # The same crawl with loose bounds fetches far ahead of the slow worker: the bound,
    # not the speed of the test machine, is what kept the pages out.
    assert unbounded["test/max_pages_in_flight"] >= 8


@pytest.mark.slow
def test_a_slow_archive_writer_holds_the_downloads_back(harbour_site, tmp_path):
    slow = {**PIPELINES, "tests.support.slow_stages.SlowStorePipeline": 400}
    del slow["pipelines.store.StorePipeline"]

    stats = crawl(
        harbour_site,
        tmp_path,
        slow,
        **TIGHT,
        ARCHIVE_BATCH_SIZE="2",
        ARCHIVE_MAX_PENDING="2",
    )

    assert stats["archived"] == ARTICLES
    assert stats["test/max_pages_in_flight"] <= 2
    assert stats["test/max_writer_queue"] <= 2


@pytest.mark.slow
def test_articles_short_of_a_batch_are_written_when_the_crawl_ends(harbour_site, tmp_path):
    stats = crawl(
        harbour_site,
        tmp_path,
        PIPELINES,
        ARCHIVE_BATCH_SIZE="1000",
        ARCHIVE_FLUSH_INTERVAL="3600",
    )

    assert stats["newsarchive/articles/new"] == ARTICLES
    assert stats["archived"] == stats["captures"] == ARTICLES
    assert stats["newsarchive/run_status"] == "finished"
