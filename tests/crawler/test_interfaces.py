"""crawler/interfaces.py: the spiders and the downloader still offer what components ask
of them, and a spider that offers nothing gets the stated defaults."""

from __future__ import annotations

from scrapy import Spider
from scrapy.utils.test import get_crawler

from crawler import interfaces
from crawler.downloader import SlotLimitedDownloader
from crawler.spiders.imports import ImportSpider
from crawler.spiders.news import NewsSpider
from crawler.urls import site_of


def news_spider(*urls: str) -> NewsSpider:
    crawler = get_crawler(NewsSpider, {"CRAWL_REDIRECTS_IN_SCOPE": True})
    spider = NewsSpider(url=" ".join(urls))
    spider.crawler = crawler
    spider.configs = spider.build_configs(crawler.settings)
    return spider


def test_the_news_spider_offers_every_spider_capability():
    spider = news_spider("http://127.0.0.71:8080/", "http://news.example.test/world/")
    assert isinstance(spider, interfaces.RecordsRunArgs)
    assert isinstance(spider, interfaces.NamesSeedHosts)
    assert isinstance(spider, interfaces.ScopesRedirects)
    assert isinstance(spider, interfaces.SiteConfigured)
    assert interfaces.seed_hosts(spider) == {"127.0.0.71", "news.example.test"}
    assert interfaces.run_args(spider)["start"] == [
        "http://127.0.0.71:8080/",
        "http://news.example.test/world/",
    ]
    assert [c.label for c in interfaces.site_configs(spider)] == interfaces.run_args(spider)[
        "sites"
    ]
    assert interfaces.redirect_allowed(
        spider, "http://news.example.test/a", "http://news.example.test/b"
    )
    assert not interfaces.redirect_allowed(
        spider, "http://news.example.test/a", "http://elsewhere.test/b"
    )


def test_the_import_spider_says_what_it_imports():
    spider = ImportSpider(files="a.warc.gz b.warc.gz", since="2024-01-01")
    assert isinstance(spider, interfaces.RecordsRunArgs)
    assert interfaces.run_args(spider)["import"] == ["a.warc.gz", "b.warc.gz"]
    assert interfaces.site_configs(spider) == ()


def test_a_spider_that_offers_nothing_gets_the_defaults():
    spider = Spider(name="bare")
    assert interfaces.run_args(spider) == {}
    assert interfaces.seed_hosts(spider) == frozenset()
    assert interfaces.site_configs(spider) == ()
    assert interfaces.redirect_allowed(spider, "http://a.test/", "http://b.test/")


def test_a_spider_may_offer_one_capability_alone():
    class Scoped(Spider):
        name = "scoped"

        def redirect_allowed(self, first_url: str, target: str) -> bool:
            return site_of(first_url) == site_of(target)

    spider = Scoped()
    assert not interfaces.redirect_allowed(spider, "http://a.test/", "http://b.test/")
    assert interfaces.seed_hosts(spider) == frozenset()


def test_the_crawls_downloader_raises_delays_and_cancels_requests_and_scrapys_does_not():
    from scrapy.core.downloader import Downloader

    crawler = get_crawler(Spider)
    ours, scrapys = SlotLimitedDownloader(crawler), Downloader(crawler)
    assert interfaces.raises_delays(ours) is ours and interfaces.cancels_queued(ours) is ours
    assert interfaces.raises_delays(scrapys) is None and interfaces.cancels_queued(scrapys) is None
