"""Scrapy's robots.txt middleware, with every request that waited for a host's robots.txt
judged by it.

While a host's robots.txt is being fetched, Scrapy 2.13+ has each further request to that
host await the same Deferred (``maybe_deferred_to_future``); the first waiter's callback
returns None, so from the second waiter on each is handed None, which means "no robots.txt:
all allowed", and is fetched whatever robots.txt says. Three or more requests to one host
at once do this: several start URLs of one site, or a crawl resumed from a shared frontier
(a worker killed, its leased requests taken back). Once the Deferred has fired, the parser
the middleware stored for the host is the answer: this middleware reads it from there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from twisted.internet.defer import Deferred

from crawler.compat import MISSING, RobotsSteps

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.robotstxt import RobotParser


class RobotsTxtMiddleware(RobotsSteps):
    async def robot_parser(self, request: Request) -> RobotParser | None:
        parser = await super().robot_parser(request)
        stored = self.stored_parser(request)
        if stored is MISSING or stored is None or isinstance(stored, Deferred):
            return parser
        return stored  # type: ignore[no-any-return]
