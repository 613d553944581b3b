"""A Scrapy scheduler on a frontier shared through Redis by several crawler processes.

It is scrapy-redis's ``Scheduler`` (shared queue, shared seen-set) made safe for
crawls that many processes on many machines run together, and that end by
themselves:

- **Persistent.** A worker that finishes never wipes the queue or the seen-set
  (scrapy-redis does unless ``SCHEDULER_PERSIST``); the last worker of a complete
  crawl deletes its keys, so the next scheduled run starts afresh, and an
  interrupted crawl resumes where it stopped.
- **Nothing lost when a worker dies.** Popped requests are leased (see
  ``crawler.frontier.queue``) and acknowledged only once Scrapy is completely done
  with them: downloaded, parsed, their new requests enqueued and their items
  through every pipeline (the store stage waits for its commit when
  ``ARCHIVE_WAIT_FOR_COMMIT`` is on, as ``newsarchive crawl --redis`` sets it). The
  requests of a worker whose lease expires go back to the queue. A request whose
  items failed to archive is handed back too, up to three attempts.
- **Seeded once.** Every worker's start requests go through the shared seen-set, so
  workers started together do not each fetch the start pages.
- **Ends by itself.** A worker closes once the shared frontier (queue and every
  worker's leased requests) has stayed empty for ``REDIS_IDLE_TIMEOUT`` seconds.
- **No Scrapy deprecation noise.** scrapy-redis passes ``spider=`` to the stats
  collector, which Scrapy 2.19 warns about on every request.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import time
from collections import deque
from typing import TYPE_CHECKING, Any

from redis.exceptions import RedisError
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from archive.outcomes import Stat
from crawler.compat import IncompatibleScrapy, requests_in_progress, wake_engine
from crawler.defaults import (
    ARCHIVE_WAIT_FOR_COMMIT,
    REDIS_IDLE_TIMEOUT,
    REDIS_KEY,
    REDIS_LEASE_TIMEOUT,
    REDIS_PARAMS,
    REDIS_POLL_INTERVAL,
    REDIS_PREFETCH,
    REDIS_URL,
)
from crawler.frontier import defaults
from crawler.frontier.connection import FrontierError, redis_from_url
from crawler.frontier.dupefilter import FrontierDupeFilter
from crawler.frontier.queue import LeasedPriorityQueue, keys_for
from crawler.interfaces import site_configs
from crawler.signals import request_not_fetched
from crawler.sites import crawl_identity

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

SEEDED_META = "frontier_seeded"


def frontier_prefix(crawler: Crawler, spider: Spider) -> str:
    """The crawl's Redis key prefix: ``REDIS_KEY``, else one derived from the spider's
    start URLs, identical on every machine that runs the same crawl."""
    explicit = REDIS_KEY.get(crawler.settings)
    if explicit:
        return str(explicit)
    configs = site_configs(spider)
    identity = crawl_identity(configs) if configs else "default"
    return f"{defaults.KEY_PREFIX}:{spider.name}:{identity}"


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class _Engine:
    """The two pieces of Scrapy's engine state the frontier needs and Scrapy 2.19 keeps
    private (``crawler.compat``): the requests still in progress (from download until
    every item they led to has left the pipelines), and the call that makes the engine
    ask the scheduler for requests now rather than at its next 5-second heartbeat."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    def in_progress(self) -> set[Request]:
        try:
            return requests_in_progress(self.crawler)
        except IncompatibleScrapy as exc:
            raise FrontierError(str(exc)) from exc

    def wake(self) -> None:
        try:
            wake_engine(self.crawler)
        except IncompatibleScrapy as exc:
            raise FrontierError(str(exc)) from exc


class FrontierScheduler(Scheduler):  # type: ignore[misc]
    def __init__(
        self,
        crawler: Crawler,
        server: Any,
        *,
        idle_timeout: float,
        lease_timeout: float,
        poll_interval: float,
        prefetch: int = 1,
    ) -> None:
        super().__init__(server, persist=True)
        self.crawler = crawler
        self.stats = crawler.stats
        self.idle_timeout = idle_timeout
        self.lease_timeout = lease_timeout
        self.poll_interval = poll_interval
        self.worker = new_worker_id()
        self.engine = _Engine(crawler)
        self.queue: LeasedPriorityQueue
        self.prefix = ""
        self.prefetch = prefetch
        # Leased requests taken ahead of the engine's asking, to save round trips.
        self._prefetched: deque[tuple[Request, bytes]] = deque()
        # Leased requests the engine has, until it is done with them.
        self._leases: dict[Request, bytes] = {}
        self._failed: set[Request] = set()
        # Leased requests the crawl's stop left unfetched: handed back, not acknowledged.
        self._unfetched: set[Request] = set()
        self._starved = False
        self._idle_since: float | None = None
        self._loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierScheduler:
        settings = crawler.settings
        url = REDIS_URL.get(settings)
        if not url:
            raise FrontierError(
                "the Redis frontier needs REDIS_URL (newsarchive crawl --redis URL)"
            )
        lease = REDIS_LEASE_TIMEOUT.get(settings)
        if lease <= 0:
            raise FrontierError("REDIS_LEASE_TIMEOUT must be a positive number of seconds")
        if not ARCHIVE_WAIT_FOR_COMMIT.get(settings):
            logger.warning(
                "ARCHIVE_WAIT_FOR_COMMIT is off: requests are acknowledged before their "
                "articles are committed, so a killed worker can lose up to a batch of them"
            )
        scheduler = cls(
            crawler,
            redis_from_url(str(url), REDIS_PARAMS.get(settings)),
            idle_timeout=REDIS_IDLE_TIMEOUT.get(settings),
            lease_timeout=lease,
            poll_interval=max(0.05, REDIS_POLL_INTERVAL.get(settings)),
            prefetch=max(1, REDIS_PREFETCH.get(settings)),
        )
        crawler.signals.connect(scheduler._spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(scheduler._item_error, signal=signals.item_error)
        crawler.signals.connect(scheduler._not_fetched, signal=request_not_fetched)
        return scheduler

    # --- Scrapy's scheduler interface ------------------------------------------------

    def open(self, spider: Spider) -> None:
        self.spider = spider
        self.prefix = frontier_prefix(self.crawler, spider)
        self.queue = LeasedPriorityQueue(
            self.server, spider, self.prefix, self.worker, self.lease_timeout
        )
        self.df = FrontierDupeFilter(
            self.server,
            keys_for(self.prefix, self.worker)["seen"],
            self.crawler.request_fingerprinter,
            debug=self.crawler.settings.getbool("DUPEFILTER_DEBUG"),
        )
        queued, processing, reclaimed = self.queue.heartbeat()
        logger.info(
            "shared frontier %s as worker %s: %d requests queued, %d in progress elsewhere%s",
            self.prefix,
            self.worker,
            queued,
            processing,
            f", {reclaimed} taken back from dead workers" if reclaimed else "",
        )
        self._count_reclaimed(reclaimed)
        self.stats.set_value(Stat.FRONTIER, self.prefix)
        self.stats.set_value(Stat.FRONTIER_WORKER, self.worker)
        self._loop = task.LoopingCall(self._tick)
        self._loop.start(self.poll_interval, now=False)

    def close(self, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        self._settle(done=set(self._leases))
        while self._prefetched:  # taken but never started: straight back to the queue
            self.queue.release(self._prefetched.popleft()[1], count_attempt=False)
        cleaned = self.queue.finish(cleanup=reason == "finished")
        if cleaned:
            logger.info("shared frontier %s complete; its keys are deleted", self.prefix)

    def enqueue_request(self, request: Request) -> bool:
        seed = bool(request.meta.get("is_start_request")) and SEEDED_META not in request.meta
        if seed:
            request.meta[SEEDED_META] = True
        if seed or not request.dont_filter:
            fingerprint = self.df.request_fingerprint(request)
            if not self.queue.push_unseen(request, fingerprint, self.df.key):
                if seed:
                    self.stats.inc_value(Stat.FRONTIER_SEEDED_ELSEWHERE)
                else:
                    self.df.log(request, self.spider)
                return False
        else:
            self.queue.push(request)
        self.stats.inc_value("scheduler/enqueued/redis")
        self.stats.inc_value("scheduler/enqueued")
        return True

    def next_request(self) -> Request | None:
        if not self._prefetched:
            try:
                self._prefetched.extend(self.queue.pop_leased(self.prefetch))
            except RedisError as exc:  # the heartbeat wakes the engine to try again
                logger.warning("cannot take requests from the shared frontier: %s", exc)
        if not self._prefetched:
            self._starved = True
            return None
        self._starved = False
        self._idle_since = None
        request, entry = self._prefetched.popleft()
        self._leases[request] = entry
        self.stats.inc_value("scheduler/dequeued/redis")
        self.stats.inc_value("scheduler/dequeued")
        return request

    def has_pending_requests(self) -> bool:
        return bool(self._prefetched) or len(self.queue) > 0

    # --- leases -------------------------------------------------------------------------

    def _tick(self) -> None:
        """Every REDIS_POLL_INTERVAL: acknowledge finished requests, renew the lease,
        reclaim dead workers' requests, and wake the engine if it waits for work."""
        try:
            self._settle(done=set(self._leases) - self.engine.in_progress())
            _queued, _processing, reclaimed = self.queue.heartbeat()
        except RedisError as exc:  # a Redis restart must not stop the heartbeat
            logger.warning("shared frontier heartbeat failed: %s", exc)
            self.engine.wake()
            return
        self._count_reclaimed(reclaimed)
        if self._starved:
            # Ask for work now (and let an idle worker count its idle time) rather than
            # at the engine's next 5-second heartbeat.
            self.engine.wake()

    def _settle(self, done: set[Request]) -> None:
        """Acknowledge the ``done`` requests; hand back those whose items failed.

        A lease is forgotten here only once Redis has taken the acknowledgement, so a
        Redis hiccup leaves it to the next heartbeat instead of leasing it forever."""
        failed = [request for request in done if request in self._failed]
        unfetched = [r for r in done if r in self._unfetched and r not in self._failed]
        acked = [r for r in done if r not in self._failed and r not in self._unfetched]
        self.queue.ack([self._leases[request] for request in acked])
        for request in acked:
            del self._leases[request]
        for request in unfetched:  # the crawl stopped first: the next run fetches it
            self.queue.release(self._leases.pop(request), count_attempt=False)
            self._unfetched.discard(request)
        for request in failed:
            kept = self.queue.release(self._leases[request], count_attempt=True)
            del self._leases[request]
            self._failed.discard(request)
            if kept:
                self.stats.inc_value(Stat.FRONTIER_HANDED_BACK)
            else:
                logger.error("giving up on %s after repeated failures", request.url)
                self.stats.inc_value(Stat.FRONTIER_GAVE_UP)

    def _count_reclaimed(self, reclaimed: int) -> None:
        if reclaimed:
            logger.warning("took back %d requests from dead workers", reclaimed)
            self.stats.inc_value(Stat.FRONTIER_RECLAIMED, reclaimed)

    # --- signals --------------------------------------------------------------------------

    def _not_fetched(self, request: Request) -> None:
        if request in self._leases:
            self._unfetched.add(request)

    def _item_error(self, item: Any, response: Response, spider: Spider, failure: Any) -> None:
        if response is not None and response.request in self._leases:
            self._failed.add(response.request)

    def _spider_idle(self, spider: Spider) -> None:
        """Keep this worker open while any worker has work, then for REDIS_IDLE_TIMEOUT."""
        try:
            self._settle(done=set(self._leases) - self.engine.in_progress())
            queued, processing, reclaimed = self.queue.heartbeat()
        except RedisError as exc:  # cannot tell whether work remains: keep waiting
            logger.warning("shared frontier unreachable: %s", exc)
            raise DontCloseSpider from exc
        self._count_reclaimed(reclaimed)
        now = time.monotonic()
        if queued or processing:
            self._idle_since = None
            raise DontCloseSpider
        if self._idle_since is None:
            self._idle_since = now
            # Said at the default level: otherwise a lone worker looks hung for this long.
            logger.warning(
                "shared frontier is empty: waiting %.0f s (REDIS_IDLE_TIMEOUT) for other "
                "workers to add pages, then closing",
                self.idle_timeout,
            )
        if now - self._idle_since < self.idle_timeout:
            raise DontCloseSpider
