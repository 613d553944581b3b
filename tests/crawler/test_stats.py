"""The crawl's stats collector keeps Scrapy's behaviour, and the project uses it (every
crawl test runs with it: their stats come from it)."""

from __future__ import annotations

from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.misc import load_object
from scrapy.utils.test import get_crawler

from crawler.stats import CrawlStats


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
