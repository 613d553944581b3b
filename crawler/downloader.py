"""Scrapy's downloader with per-site concurrency limits that hold under asyncio, and
each host's least delay between requests.

Scrapy 2.19's ``Downloader._process_queue`` starts each queued download as an asyncio
task, and the task marks its request as transferring only once it runs, on a later turn
of the event loop. The loop that hands out free transfer slots therefore sees every slot
still free and starts the whole queue at once: a site gets up to ``CONCURRENT_REQUESTS``
requests at a time whatever ``CONCURRENT_REQUESTS_PER_DOMAIN`` or a site's
``concurrency`` say (scrapy/scrapy#6982). Beyond politeness, the connection pool keeps
only that many idle connections per host, so every burst above it opens connections
that are closed right after one response: measured here, 64 of 107 requests of a small
crawl opened a new connection, and connection set-up was an eighth of the reactor
thread's CPU. This subclass reserves the transfer slot before the task is created;
``_download`` adds the request again (a set) and frees it when the download ends.
(Scrapy's private steps are reached through ``crawler.compat.DownloaderSteps``.)

Slots stay per host (Scrapy's key: the host name). A site's own ``delay`` and
``concurrency`` (``DOWNLOAD_SLOTS``, from a sites file) may be keyed by the site, its
registrable domain, and then apply to each of its hosts (``www.``, ``amp.``, ``m.``).
Each slot also has a *floor*: the least delay between two of its requests, the longest
of its site's ``delay``, its robots.txt ``Crawl-delay`` and the back-off of a host that
answered with blocks (:meth:`SlotLimitedDownloader.raise_delay`). AutoThrottle adapts a
slot's delay to the server's latency, and ``DOWNLOAD_DELAY_JITTER`` varies it, but the
wait between two requests never goes below the floor.

When a crawl is asked to stop (Ctrl-C, SIGTERM), :meth:`stop_fetching` forgets the
requests waiting in the slots' queues, and any that reaches one later: with a download
delay they would otherwise be fetched one by one, delay after delay, for seconds after
the user asked to stop.
"""

from __future__ import annotations

from collections import deque
from time import monotonic
from typing import TYPE_CHECKING

from scrapy.core.downloader import Slot

from crawler.compat import DownloaderSteps
from crawler.failures import Counted
from crawler.signals import request_not_fetched
from crawler.urls import site_of_host

if TYPE_CHECKING:
    from collections.abc import Callable

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.internet.defer import Deferred


class FlooredSlot(Slot):
    """A downloader slot whose delay, however adjusted or jittered, is at least ``floor``."""

    __slots__ = ("floor",)

    def __init__(
        self, concurrency: int, delay: float, jitter: float | None = None, floor: float = 0.0
    ) -> None:
        super().__init__(concurrency, delay, jitter)
        self.floor = floor

    def download_delay(self) -> float:
        return max(super().download_delay(), self.floor)


def _not_fetched(request: Request) -> Exception:
    return Counted(f"not fetched, the crawl stopped: {request}")


class SlotLimitedDownloader(DownloaderSteps):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.floors: dict[str, float] = {}
        self.stopping = False

    def delay_floor(self, key: str) -> float:
        """The least delay, in seconds, between two requests to the slot ``key`` (a host)."""
        return self.floors.get(key, 0.0)

    def raise_delay(self, key: str, seconds: float) -> float:
        """Make the slot ``key`` wait at least ``seconds`` between requests from now on
        (a floor never goes down during a crawl); the slot's floor after."""
        floor = max(self.floors.get(key, 0.0), seconds)
        self.floors[key] = floor
        slot = self.slots.get(key)
        if isinstance(slot, FlooredSlot):
            slot.floor = floor
        return floor

    def cancel_queued(
        self, matches: Callable[[Request], bool], error: Callable[[Request], Exception]
    ) -> int:
        """Fail the requests waiting in the slots' queues (not yet sent) that ``matches``
        selects, each with ``error(request)`` (their errbacks record it); how many."""
        cancelled = 0
        for slot in list(self.slots.values()):
            kept: deque[tuple[Request, Deferred[Response]]] = deque()
            while slot.queue:
                request, waiting = slot.queue.popleft()
                if matches(request):
                    waiting.errback(error(request))
                    cancelled += 1
                else:
                    kept.append((request, waiting))
            slot.queue.extend(kept)
        return cancelled

    def slot_for(self, request: Request) -> tuple[str, Slot]:
        key = self.get_slot_key(request)
        if key not in self.slots:
            if key not in self.per_slot_settings:
                site_settings = self.per_slot_settings.get(site_of_host(key))
                if site_settings is not None:
                    self.per_slot_settings[key] = site_settings
            configured = self.per_slot_settings.get(key, {}).get("delay")
            if configured:
                self.raise_delay(key, float(configured))
        key, slot = super().slot_for(request)
        if not isinstance(slot, FlooredSlot):
            # just created by Scrapy, still empty and known to no one else: replace it
            slot = FlooredSlot(slot.concurrency, slot.delay, slot.jitter, self.delay_floor(key))
            self.slots[key] = slot
        return key, slot

    def process_queue(self, slot: Slot) -> None:
        if self.stopping:
            self.cancel_queued(lambda _: True, self._not_fetched)
            return
        if slot.latercall:
            return
        now = monotonic()
        delay = slot.download_delay()
        if delay:
            penalty = delay - now + slot.lastseen
            if penalty > 0:
                self.process_queue_later(slot, penalty)
                return
        while slot.queue and slot.free_transfer_slots() > 0:
            slot.lastseen = now
            request, queue_dfd = slot.queue.popleft()
            slot.transferring.add(request)
            self.start_download(slot, request, queue_dfd)
            if delay:
                self.process_queue(slot)
                break

    def stop_fetching(self) -> int:
        """Send nothing new from now on: fail the requests waiting in the slots' queues,
        and any that reaches one later (not counted as page failures: the crawl is
        stopping); how many were waiting."""
        self.stopping = True
        return self.cancel_queued(lambda _: True, self._not_fetched)

    def _not_fetched(self, request: Request) -> Exception:
        self.crawler.signals.send_catch_log(request_not_fetched, request=request)
        return _not_fetched(request)

    def transferring(self) -> int:
        return sum(len(slot.transferring) for slot in self.slots.values())
