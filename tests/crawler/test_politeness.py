"""Polite by default: the settings, each host's least delay (crawler/downloader.py),
robots.txt Crawl-delay (crawler/extensions/crawldelay.py) and the user agent's contact.

How the defaults behave against a server is measured end to end in
tests/e2e/test_news_sites_as_they_are.py."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from scrapy import Request, Spider
from scrapy.http import TextResponse
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler
from twisted.internet.defer import Deferred

from crawler.downloader import FlooredSlot, SlotLimitedDownloader
from crawler.extensions.crawldelay import RobotsCrawlDelay, crawl_delay
from crawler.failures import Refused
from crawler.sites import sites_from_urls
from crawler.spiders.news import contact_user_agent, politeness_slots


def project_settings(**overrides) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.setdict(overrides, priority="cmdline")
    return settings


def test_the_defaults_are_polite():
    settings = project_settings()
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 2
    assert 0 < settings.getfloat("AUTOTHROTTLE_TARGET_CONCURRENCY") <= 2
    assert settings.getfloat("AUTOTHROTTLE_START_DELAY") <= 2
    assert settings.getbool("ROBOTSTXT_OBEY") and settings.getfloat("CRAWL_DELAY_MAX") > 0
    assert settings["USER_AGENT"].startswith("newsarchive/")
    assert settings.getbool("BLOCK_DETECTION_ENABLED")


def test_the_user_agent_names_the_contact_the_user_gives():
    assert contact_user_agent(project_settings()) is None
    agent = contact_user_agent(project_settings(CRAWL_CONTACT="https://example.org/crawler"))
    assert agent == (
        "newsarchive/0.1 (news archiving crawler; +https://pypi.org/project/newsarchive/; "
        "contact: https://example.org/crawler)"
    )
    # a user agent given on the command line is the user's own: left as it is
    assert (
        contact_user_agent(project_settings(CRAWL_CONTACT="a@b.example", USER_AGENT="X/1")) is None
    )


def test_a_floored_slot_never_waits_less_than_its_floor_whatever_its_jitter():
    slot = FlooredSlot(2, delay=0.1, jitter=0.5, floor=1.5)
    assert all(slot.download_delay() == 1.5 for _ in range(50))
    slot.floor = 0.0
    assert all(0.05 <= slot.download_delay() <= 0.15 for _ in range(50))


def in_downloader(test, **settings) -> None:
    """Run ``test(downloader)`` inside an event loop, as a crawl builds its downloader."""
    crawler = get_crawler(Spider, {"DOWNLOAD_DELAY_JITTER": 0, **settings})

    async def run() -> None:
        dl = SlotLimitedDownloader(crawler)
        try:
            test(dl)
        finally:
            dl.close()

    asyncio.run(run())


def test_a_raised_delay_holds_for_the_hosts_slot_now_and_when_it_is_made_again():
    def test(dl: SlotLimitedDownloader) -> None:
        key, slot = dl.slot_for(Request("https://www.example.com/a"))
        assert (key, slot.download_delay()) == ("www.example.com", 0.0)
        assert dl.raise_delay(key, 3.0) == 3.0
        assert dl.raise_delay(key, 1.0) == 3.0  # a floor never goes down
        assert slot.download_delay() == 3.0
        del dl.slots[key]  # Scrapy drops idle slots; a new one keeps the floor
        assert dl.slot_for(Request("https://www.example.com/b"))[1].download_delay() == 3.0

    in_downloader(test)


def test_a_sites_delay_and_concurrency_apply_to_each_of_its_hosts():
    slots = politeness_slots(
        [*sites_from_urls(["https://www.example.com/"], {"delay": 2.0, "concurrency": 1})]
    )
    assert slots == {"example.com": {"delay": 2.0, "concurrency": 1}}

    def test(dl: SlotLimitedDownloader) -> None:
        for host in ("www.example.com", "amp.example.com", "example.com"):
            _, slot = dl.slot_for(Request(f"https://{host}/a"))
            assert (slot.concurrency, slot.download_delay()) == (1, 2.0)
            slot.delay = 0.1  # AutoThrottle lowers the delay: the site's own stays the floor
            assert slot.download_delay() == 2.0
        assert dl.slot_for(Request("https://www.other.com/a"))[1].concurrency == 8

    in_downloader(test, DOWNLOAD_SLOTS=slots)


def test_requests_waiting_in_a_slot_can_be_cancelled():
    failures: list[str] = []

    def test(dl: SlotLimitedDownloader) -> None:
        _, slot = dl.slot_for(Request("https://www.example.com/a"))
        for path in ("a", "b"):
            waiting: Deferred = Deferred()
            waiting.addErrback(lambda failure: failures.append(str(failure.value)))
            slot.queue.append((Request(f"https://www.example.com/{path}"), waiting))
        cancelled = dl.cancel_queued(
            lambda request: request.url.endswith("/b"),
            lambda request: Refused("x", f"no {request.url}"),
        )
        assert cancelled == 1 and failures == ["no https://www.example.com/b"]
        assert [request.url for request, _ in slot.queue] == ["https://www.example.com/a"]
        slot.queue.clear()

    in_downloader(test)


@pytest.mark.parametrize(
    ("robots", "delay"),
    [
        (b"User-agent: *\nCrawl-delay: 1.5\nDisallow: /private/\n", 1.5),
        (b"User-agent: newsarchive\nCrawl-delay: 3\n\nUser-agent: *\nCrawl-delay: 1\n", 3.0),
        (b"User-agent: otherbot\nCrawl-delay: 9\n\nUser-agent: *\nDisallow:\n", None),
        (b"User-agent: *\nDisallow: /x\n", None),
        (b"\xff\xfe\x00garbage", None),
    ],
)
def test_crawl_delay_is_read_for_our_user_agent(robots, delay):
    assert crawl_delay(robots, "newsarchive/0.1 (news archiving crawler)") == delay


def robots_extension(**settings) -> tuple[RobotsCrawlDelay, SimpleNamespace]:
    crawler = get_crawler(Spider, {"ROBOTSTXT_OBEY": True, **settings})
    floors: dict[str, float] = {}
    crawler.engine = SimpleNamespace(downloader=SimpleNamespace(raise_delay=floors.__setitem__))
    return RobotsCrawlDelay.from_crawler(crawler), SimpleNamespace(floors=floors, crawler=crawler)


def robots_response(body: bytes, url: str = "https://www.example.com/robots.txt"):
    request = Request(url, meta={"download_slot": "www.example.com"})
    return TextResponse(url, body=body, request=request, encoding="utf-8"), request


def test_crawl_delay_becomes_the_hosts_floor_capped_by_crawl_delay_max():
    extension, seen = robots_extension(CRAWL_DELAY_MAX=10.0)
    response, request = robots_response(b"User-agent: *\nCrawl-delay: 3600\n")
    extension.response_downloaded(response, request, None)
    assert seen.floors == {"www.example.com": 10.0}
    assert seen.crawler.stats.get_value("newsarchive/politeness/crawl_delay") == 10.0
    # a page is not a robots.txt, whatever it says
    page, request = robots_response(b"Crawl-delay: 5", "https://www.example.com/robots.txt.html")
    extension.response_downloaded(page, request, None)
    assert seen.floors == {"www.example.com": 10.0}


@pytest.mark.parametrize("settings", [{"CRAWL_DELAY_MAX": 0}, {"ROBOTSTXT_OBEY": False}])
def test_crawl_delay_is_ignored_when_switched_off_or_robots_txt_is(settings):
    from scrapy.exceptions import NotConfigured

    with pytest.raises(NotConfigured):
        robots_extension(**settings)
