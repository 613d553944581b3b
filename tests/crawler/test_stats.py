"""The crawl's stats collector keeps Scrapy's behaviour, and a crawl uses it."""

from __future__ import annotations

import json
import sqlite3

from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.misc import load_object
from scrapy.utils.test import get_crawler

from crawler.stats import CrawlStats
from tests.conftest import run_cli


def test_it_counts_as_scrapys_collector_does():
    crawler = get_crawler()
    ours, scrapys = CrawlStats(crawler), MemoryStatsCollector(crawler)
    for stats in (ours, scrapys):
        stats.inc_value("pages")
        stats.inc_value("pages", 2)
        stats.max_value("largest", 5)
        stats.max_value("largest", 3)
        stats.min_value("first", 7)
        stats.min_value("first", 9)
        stats.set_value("status", "running")
    expected = {"pages": 3, "largest": 5, "first": 7, "status": "running"}
    assert ours.get_stats() == scrapys.get_stats() == expected
    assert ours.get_value("missing", "default") == "default"


def test_a_spider_argument_is_accepted_and_ignored():
    stats = CrawlStats(get_crawler())
    stats.inc_value("pages", spider=None)
    assert stats.get_value("pages", spider=None) == 1


def test_the_project_settings_choose_it():
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    assert load_object(settings["STATS_CLASS"]) is CrawlStats


def test_a_crawl_counts_with_it(tmp_path, mockserver):
    result = run_cli("crawl", mockserver.url("blog", "/atom.xml"), "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    db = sqlite3.connect(tmp_path / "archive.db")
    (stats,) = db.execute("SELECT stats FROM crawl_runs").fetchone()
    db.close()
    recorded = json.loads(stats)
    assert recorded["newsarchive/pages"] > 0
    assert recorded["downloader/response_count"] >= recorded["newsarchive/pages"]
