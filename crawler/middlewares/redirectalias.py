"""Keep the URL a redirect came from, even when its target was fetched already.

Scrapy's dupefilter drops a redirect whose target it has seen, so an old slug that
301s to a known article would vanish without trace. For page requests this
middleware lets the redirected request through once: the page item then carries the
original URL, and the archive keeps it as an alias of the article. Each redirecting
URL costs one extra fetch; redirect hops stay bounded by ``REDIRECT_MAX_TIMES``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from archive.outcomes import Stat

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class RedirectAliasMiddleware:
    """Placed just outside RedirectMiddleware (600), so it sees the 3xx response first."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectAliasMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if (
            response.status in REDIRECT_STATUSES
            and b"Location" in response.headers
            and request.meta.get("source") in ("link", "sitemap", "feed")
        ):
            request.dont_filter = True
            self.stats.inc_value(Stat.REDIRECTS_FOLLOWED_FOR_ALIAS)
        return response
