"""Retries spaced out in time: Scrapy's retry rules with exponential backoff and Retry-After.

Scrapy retries a timeout, a lost connection or a 5xx/429 at once, which hits a
struggling server again while it is down. Here retry ``n`` (1, 2, ...) waits
``RETRY_BACKOFF_BASE * 2**(n-1)`` seconds, at most ``RETRY_BACKOFF_MAX``, with
jitter (a random 50-100 % of that), or what the server's ``Retry-After`` asks when
it asks. A ``Retry-After`` longer than ``RETRY_AFTER_MAX`` is not waited for: the
page is recorded as failed now, and a later crawl tries again. After
``RETRY_TIMES`` retries the page is recorded as failed with its last reason.

The wait happens in the downloader middleware chain, without blocking the reactor;
other requests go on meanwhile. On a graceful stop (Ctrl-C, SIGTERM) a retry is
given up at once so that the crawl can end, and the page is recorded as
``skipped/crawl_stopped``, not failed: a page in flight that timed out (or met a 5xx)
while the crawl was stopping still had its retries, and the site is not to blame for
the one our stop took away (``newsarchive health`` would count a timeout against it).
That retry is not counted in ``retry/count`` either: it was never sent.
A page whose retries were spent is still recorded as failed with its last reason.
"""

from __future__ import annotations

import asyncio
import random
import time
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import load_object
from scrapy.utils.python import global_object_name
from scrapy.utils.response import response_status_message

from archive.outcomes import SkipReason
from crawler.defaults import RETRY_AFTER_MAX, RETRY_BACKOFF_BASE, RETRY_BACKOFF_MAX
from crawler.failures import Refused
from crawler.signals import request_not_fetched

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

_POLL = 0.25


def parse_retry_after(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delay-seconds or HTTP-date), or None."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when: datetime = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    seconds: float = when.timestamp() - (time.time() if now is None else now)
    return max(0.0, seconds)


def backoff_delay(retry: int, base: float, cap: float) -> float:
    """The longest wait before retry number ``retry`` (1 for the first retry)."""
    return min(cap, base * 2.0 ** max(0, retry - 1))


class BackoffRetryMiddleware:
    """Replaces Scrapy's ``RetryMiddleware`` at its priority (550), with its settings
    (``RETRY_ENABLED``, ``RETRY_TIMES``, ``RETRY_HTTP_CODES``, ``RETRY_EXCEPTIONS``...)."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.max_retry_times = settings.getint("RETRY_TIMES")
        self.retry_http_codes = {int(x) for x in settings.getlist("RETRY_HTTP_CODES")}
        self.priority_adjust = settings.getint("RETRY_PRIORITY_ADJUST")
        self.give_up_log_level = settings["RETRY_GIVE_UP_LOG_LEVEL"]
        self.exceptions_to_retry = tuple(
            load_object(e) if isinstance(e, str) else e
            for e in settings.getlist("RETRY_EXCEPTIONS")
        )
        self.backoff_base = RETRY_BACKOFF_BASE.get(settings)
        self.backoff_max = RETRY_BACKOFF_MAX.get(settings)
        self.retry_after_max = RETRY_AFTER_MAX.get(settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        if not crawler.settings.getbool("RETRY_ENABLED"):
            raise NotConfigured
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        asked = parse_retry_after(response.headers.get(b"Retry-After"))
        if asked is not None and asked > self.retry_after_max:
            self.crawler.stats.inc_value("retry/retry_after_too_long")
            return response
        reason = response_status_message(response.status)
        retry = self._retry(request, reason)
        if retry is None:
            return response
        delay = asked if asked is not None else self._jittered(retry)
        if not await self._wait(delay):
            raise self._stopped(request, reason)
        return retry

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if request.meta.get("dont_retry", False) or not isinstance(
            exception, self.exceptions_to_retry
        ):
            return None
        retry = self._retry(request, exception)
        if retry is None:
            return None
        if not await self._wait(self._jittered(retry)):
            raise self._stopped(request, exception)
        return retry

    def _retry(self, request: Request, reason: str | Exception) -> Request | None:
        assert self.crawler.spider is not None
        return get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=reason,
            max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
            priority_adjust=request.meta.get("priority_adjust", self.priority_adjust),
            give_up_log_level=request.meta.get("give_up_log_level", self.give_up_log_level),
        )

    def _jittered(self, retry: Request) -> float:
        delay = backoff_delay(int(retry.meta["retry_times"]), self.backoff_base, self.backoff_max)
        return delay * random.uniform(0.5, 1.0)

    def _stopped(self, request: Request, reason: str | Exception) -> Refused:
        """The page whose retry the crawl's stop gave up: skipped, not failed.

        ``get_retry_request`` counted the retry when it made it (``retry/count`` and
        ``retry/reason_count/<reason>``, the reason named as it names it); that retry is
        never sent, so it is taken back out of the counts the summary shows."""
        stats = self.crawler.stats
        assert stats is not None
        name = global_object_name(reason.__class__) if isinstance(reason, Exception) else reason
        for key in ("retry/count", f"retry/reason_count/{name}"):
            stats.inc_value(key, -1)
        self.crawler.signals.send_catch_log(request_not_fetched, request=request)
        return Refused(
            SkipReason.CRAWL_STOPPED,
            f"the crawl stopped before its retry ({reason}): {request.url}",
        )

    async def _wait(self, delay: float) -> bool:
        """Sleep ``delay`` seconds; False if the crawl is stopping meanwhile."""
        deadline = time.monotonic() + delay
        while (left := deadline - time.monotonic()) > 0:
            if not self.crawler.crawling:
                return False
            await asyncio.sleep(min(_POLL, left))
        return bool(self.crawler.crawling)
