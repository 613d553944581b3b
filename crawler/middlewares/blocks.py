"""Downloader middleware: a site that refuses us is backed off, then left alone.

Every response (errors included, decompressed, before the retry middleware sees it)
is checked by :func:`crawler.blocks.block_reason`; a redirect to a consent page is
recognised by the redirect middleware, which reports it here (the ``block_seen``
signal). A block is never handed on as a page: it is counted as
``newsarchive/blocked/<reason>`` (and per site in ``crawl_run_outcomes``) and the
request ends there. A 429 is left to the retry middleware, which waits as its
``Retry-After`` asks; still rate-limited after its retries, the page is counted
``blocked/rate_limited`` (``crawler/failures.py``).

Each block slows the host down: the least delay between its requests goes to
``BLOCK_BACKOFF_START`` seconds, doubling with each further block up to
``BLOCK_BACKOFF_MAX`` (or what a ``Retry-After`` asks, within that), and stays there
for the rest of the crawl. After ``BLOCK_STOP_AFTER`` blocks in a row, each answered to
a request sent after the previous back-off (the requests already in flight when a site
starts refusing count once), the site is stopped: its remaining requests are not sent
(``skipped/site_stopped``), the log and the crawl summary say so, and the crawl run
records ``stopped/blocked`` for the site. A page the site answers normally resets the
count. A site that answered nothing but blocks is listed in ``newsarchive/blocked_only``:
the crawl then ends with status ``blocked`` and exit code 1.

The page sizes the site served normally give the size its articles have (the median of
the last 50), against which a page with weak markers is judged.
"""

from __future__ import annotations

import logging
import statistics
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured

from archive.outcomes import PREFIX, BlockReason, SkipReason, Stat
from crawler.blocks import TYPICAL_MIN_PAGES, block_reason
from crawler.defaults import (
    BLOCK_BACKOFF_MAX,
    BLOCK_BACKOFF_START,
    BLOCK_DETECTION_ENABLED,
    BLOCK_STOP_AFTER,
)
from crawler.failures import BLOCKED, Refused
from crawler.interfaces import cancels_queued, raises_delays
from crawler.middlewares.retry import parse_retry_after
from crawler.signals import block_seen, site_outcome
from crawler.urls import site_of

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

SIZE_SAMPLES = 50
STOPPED = Stat.STOPPED_BLOCKED.removeprefix(PREFIX)


@dataclass(slots=True)
class SiteState:
    """What one site's answers were so far."""

    answered: int = 0  # responses that were not blocks (robots.txt aside)
    blocks: Counter[str] = field(default_factory=Counter)
    streak: int = 0  # blocks in a row, each after a back-off
    backoff: float = 0.0
    backed_off_at: float = float("-inf")
    stopped: str | None = None  # why the site was stopped
    sizes: deque[int] = field(default_factory=lambda: deque(maxlen=SIZE_SAMPLES))

    def typical_size(self) -> float | None:
        return statistics.median(self.sizes) if len(self.sizes) >= TYPICAL_MIN_PAGES else None


def _is_robots(request: Request) -> bool:
    return urlsplit(request.url).path == "/robots.txt"


def _headers(response: Response) -> dict[str, str]:
    return {
        name.decode("latin-1").lower(): values[-1].decode("latin-1")
        for name, values in response.headers.items()
        if values
    }


class BlockMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.stop_after = BLOCK_STOP_AFTER.get(settings)
        self.backoff_start = BLOCK_BACKOFF_START.get(settings)
        self.backoff_max = BLOCK_BACKOFF_MAX.get(settings)
        self.sites: dict[str, SiteState] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BlockMiddleware:
        if not BLOCK_DETECTION_ENABLED.get(crawler.settings):
            raise NotConfigured
        middleware = cls(crawler)
        crawler.signals.connect(middleware.block_seen, signal=block_seen)
        return middleware

    def block_seen(self, request: Request, response: Response | None, reason: BlockReason) -> None:
        """A block another component found (a redirect to a consent page)."""
        site = site_of(request.url)
        self._blocked(site, self.sites.setdefault(site, SiteState()), request, response, reason)

    def process_request(self, request: Request) -> None:
        state = self.sites.get(site_of(request.url))
        if state is not None and state.stopped and not _is_robots(request):
            raise self._refusal(request, state)

    @staticmethod
    def _refusal(request: Request, state: SiteState) -> Refused:
        return Refused(
            SkipReason.SITE_STOPPED,
            f"not sent: {request.url}: the site was stopped ({state.stopped})",
        )

    def process_response(self, request: Request, response: Response) -> Response:
        if _is_robots(request):
            return response
        site = site_of(request.url)
        state = self.sites.setdefault(site, SiteState())
        reason = block_reason(
            response.status, _headers(response), response.body, typical=state.typical_size()
        )
        if reason is None:
            self._answered(site, state, response)
            return response
        self._blocked(site, state, request, response, reason)
        if reason == BlockReason.RATE_LIMITED and response.status == 429:
            return response  # the retry middleware waits and tries again
        raise Refused(
            str(reason), f"{request.url} answered {response.status}: {reason}", outcome=BLOCKED
        )

    # --- per site ----------------------------------------------------------------------

    def _answered(self, site: str, state: SiteState, response: Response) -> None:
        state.answered += 1
        state.streak = 0
        if response.status == 200 and response.body:
            state.sizes.append(len(response.body))
        if state.answered == 1 and state.blocks:
            self._update_blocked_only()

    def _blocked(
        self,
        site: str,
        state: SiteState,
        request: Request,
        response: Response | None,
        reason: BlockReason,
    ) -> None:
        state.blocks[reason] += 1
        self.stats.inc_value(Stat.POLITENESS_BLOCK_RESPONSES)
        sent_at = time.monotonic() - float(request.meta.get("download_latency") or 0.0)
        if sent_at >= state.backed_off_at:
            state.streak += 1
            self._back_off(state, request, response)
        if not state.answered:
            self._update_blocked_only()
        if self.stop_after and state.streak >= self.stop_after and not state.stopped:
            self._stop(site, state, reason)

    def _back_off(self, state: SiteState, request: Request, response: Response | None) -> None:
        if self.backoff_start <= 0:
            return
        state.backoff = min(
            self.backoff_max, state.backoff * 2 if state.backoff else self.backoff_start
        )
        asked = parse_retry_after(response.headers.get(b"Retry-After")) if response else None
        delay = max(state.backoff, min(asked or 0.0, self.backoff_max))
        state.backed_off_at = time.monotonic()
        engine = self.crawler.engine
        downloader = raises_delays(engine.downloader) if engine else None
        key = request.meta.get("download_slot")
        if downloader is not None and key is not None:
            downloader.raise_delay(key, delay)
            self.stats.max_value(Stat.POLITENESS_BACKOFF, delay)
            logger.info("%s answers with blocks: %g s between its requests now", key, delay)

    def _stop(self, site: str, state: SiteState, reason: BlockReason) -> None:
        state.stopped = f"{state.streak} blocks in a row, the last {reason}"
        engine = self.crawler.engine
        downloader = cancels_queued(engine.downloader) if engine else None
        if downloader is not None:
            # requests that passed process_request already and wait for their slot
            downloader.cancel_queued(
                lambda request: site_of(request.url) == site and not _is_robots(request),
                lambda request: self._refusal(request, state),
            )
        self.stats.inc_value(Stat.STOPPED_BLOCKED)
        stopped = sorted(s for s, st in self.sites.items() if st.stopped)
        self.stats.set_value(Stat.STOPPED_SITES, ", ".join(stopped))
        self.crawler.signals.send_catch_log(site_outcome, site=site, outcome=STOPPED)
        logger.warning(
            "stopping %s: %s; its remaining pages are not requested (the site refuses this "
            "crawler: see docs/crawling.md#blocks-challenges-and-rate-limits)",
            site,
            state.stopped,
        )

    def _update_blocked_only(self) -> None:
        """Keep ``newsarchive/blocked_only`` naming the sites that answered nothing but
        blocks (with their reasons), "" while there are none."""
        names = [
            f"{s} ({', '.join(sorted(st.blocks))})"
            for s, st in sorted(self.sites.items())
            if st.blocks and not st.answered
        ]
        self.stats.set_value(Stat.BLOCKED_ONLY, "; ".join(names))
