"""robots.txt ``Crawl-delay``, honoured: the least wait between two requests to a host.

Scrapy obeys robots.txt rules (``ROBOTSTXT_OBEY``) but ignores ``Crawl-delay``. When a
host's robots.txt is fetched (by Scrapy's robots middleware, before any other request
to that host, or by the spider for its sitemaps), this extension reads the delay the
file asks of our user agent and makes it the floor of the host's download slot
(``crawler/downloader.py``), capped at ``CRAWL_DELAY_MAX`` seconds: a site asking for an
hour between pages would otherwise never be crawled. ``CRAWL_DELAY_MAX = 0`` ignores
``Crawl-delay``; so does a crawl that does not obey robots.txt.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from protego import Protego
from scrapy import signals
from scrapy.exceptions import NotConfigured

from archive.outcomes import Stat
from crawler.defaults import CRAWL_DELAY_MAX
from crawler.interfaces import raises_delays

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


def crawl_delay(robots_txt: bytes, user_agent: str) -> float | None:
    """The ``Crawl-delay`` a robots.txt asks of ``user_agent`` (its group, else ``*``)."""
    try:
        parser = Protego.parse(robots_txt.decode("utf-8", errors="replace"))
        delay = parser.crawl_delay(user_agent)
    except (ValueError, TypeError):
        return None
    return float(delay) if delay is not None and delay > 0 else None


class RobotsCrawlDelay:
    def __init__(self, crawler: Crawler, cap: float) -> None:
        self.crawler = crawler
        self.cap = cap
        self.user_agent = str(
            crawler.settings.get("ROBOTSTXT_USER_AGENT") or crawler.settings.get("USER_AGENT")
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RobotsCrawlDelay:
        cap = CRAWL_DELAY_MAX.get(crawler.settings)
        if cap <= 0 or not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        extension = cls(crawler, cap)
        crawler.signals.connect(extension.response_downloaded, signal=signals.response_downloaded)
        return extension

    def response_downloaded(self, response: Response, request: Request, spider: Spider) -> None:
        if response.status != 200 or not request.url.split("?", 1)[0].endswith("/robots.txt"):
            return
        agent = request.headers.get(b"User-Agent")
        asked = crawl_delay(response.body, agent.decode("latin-1") if agent else self.user_agent)
        engine = self.crawler.engine
        downloader = raises_delays(engine.downloader) if engine else None
        key = request.meta.get("download_slot")
        if asked is None or downloader is None or key is None:
            return
        delay = min(asked, self.cap)
        downloader.raise_delay(key, delay)
        self.crawler.stats.max_value(Stat.POLITENESS_CRAWL_DELAY, delay)
        logger.info(
            "%s asks for %g s between requests (Crawl-delay); waiting %g s", key, asked, delay
        )
