"""Scrapy's and Twisted's private names the crawler relies on, in one place.

Each use below has a test in ``tests/crawler/test_compat.py``, so an upgrade of Scrapy or
Twisted that moves one fails there, by name, rather than somewhere in a crawl.

Wire recording (WARC files written at fetch time): Scrapy's and Twisted's ``Headers``
re-case header names and merge repeated ones, and the body Scrapy hands on has lost its
transfer framing, so the bytes a WARC record must hold exist only at the connection.
:class:`RecordingClientProtocol` is Scrapy's own HTTP/1.1 client protocol
(``_LenientHTTP11ClientProtocol``) that also copies what it writes and reads for each
request into an :class:`~crawler.warc.wire.Exchange`, and hands the exchange to its
listener when the response's headers are parsed. :func:`use_client_factory` makes a
download handler's connection pool build such protocols (``HTTPConnectionPool._factory``).

The other private steps our components replace or read are given public names here, in
thin subclasses of Scrapy's classes that our components extend:

- :class:`DownloaderSteps`: ``Downloader._get_slot`` and ``_process_queue`` (the
  downloader's per-site concurrency and delay floors, ``crawler/downloader.py``), and
  what its queue runs: ``_latercall``, ``_wait_for_download``, ``_schedule_coro``.
- :class:`RedirectSteps`: ``BaseRedirectMiddleware._redirect`` and
  ``_build_redirect_request`` (the safe redirects, ``crawler/middlewares/redirect.py``);
  :func:`meta_refresh_options` and :func:`meta_refresh_request` read
  ``MetaRefreshMiddleware``'s ``_ignore_tags``, ``_maxdelay`` and call
  ``_redirect_request_using_get`` (``crawler/middlewares/metarefresh.py``).
- :class:`RobotsSteps`: ``RobotsTxtMiddleware._parsers``, the robots.txt parser the
  middleware stored for each host (``crawler/middlewares/robots.py``).
- :class:`SignalledCrawlerProcess`: ``CrawlerProcess._signal_shutdown`` (the first
  Ctrl-C or SIGTERM, ``crawler/cli/crawl.py``).
- :func:`requests_in_progress` and :func:`wake_engine`: ``ExecutionEngine._slot``
  (the Redis frontier, ``crawler/frontier/scheduler.py``).
- :func:`decompression_too_large`: ``scrapy.utils._compression``
  (``crawler/failures.py``).
- :class:`UnwrappedStats`: Scrapy's stats collector without its private per-call
  wrapper, ``StatsCollector.__getattribute__`` (``crawler/stats.py``).
- :func:`offline_cookie_domains`: ``scrapy.downloadermiddlewares.cookies._split_domain``,
  the Public Suffix List reader of Scrapy's cookie middleware, which would fetch the list
  from the internet (and cache it in ``~/.cache``) the first time a site sets a cookie
  with ``COOKIES_ENABLED`` on: replaced by one that reads tldextract's bundled copy.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol, cast

from scrapy.core.downloader import Downloader, Slot
from scrapy.core.downloader.handlers.http11 import (
    HTTP11DownloadHandler,
    _LenientHTTP11ClientFactory,
    _LenientHTTP11ClientProtocol,
)
from scrapy.crawler import CrawlerProcess
from scrapy.downloadermiddlewares.redirect import BaseRedirectMiddleware, MetaRefreshMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import _schedule_coro
from scrapy.utils.httpobj import urlparse_cached

from crawler.warc.wire import Exchange

if TYPE_CHECKING:
    from collections.abc import Coroutine, Iterable

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.internet.defer import Deferred
    from twisted.web._newclient import Request as TxRequest


class IncompatibleScrapy(RuntimeError):
    """The installed Scrapy lacks a private name the crawler relies on."""


class ExchangeListener(Protocol):
    def response_started(self, exchange: Exchange) -> None:
        """Called when a response's headers are parsed: the exchange it belongs to.

        Called synchronously in the chain that goes on to Scrapy's ``headers_received``
        signal for the same request, with nothing in between."""


class _TeeTransport:
    """A transport that copies what is written to it."""

    def __init__(self, transport: Any, sink: list[bytes]) -> None:
        self._transport = transport
        self._sink = sink

    def write(self, data: bytes) -> None:
        self._sink.append(data)
        self._transport.write(data)

    def writeSequence(self, data: Iterable[bytes]) -> None:
        chunks = list(data)
        self._sink.extend(chunks)
        self._transport.writeSequence(chunks)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class _RecordedRequest:
    """A Twisted client request whose bytes are copied as it writes itself out."""

    def __init__(self, request: Any, sink: list[bytes]) -> None:
        self._request = request
        self._sink = sink

    def writeTo(self, transport: Any) -> Any:
        return self._request.writeTo(_TeeTransport(transport, self._sink))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._request, name)


def _peer_host(transport: Any) -> str | None:
    try:
        return str(transport.getPeer().host)
    except AttributeError:
        return None


class RecordingClientProtocol(_LenientHTTP11ClientProtocol):
    """Scrapy's HTTP/1.1 client protocol, copying each request's and response's bytes."""

    listener: ExchangeListener | None = None
    _exchange: Exchange | None = None

    def request(self, request: Any) -> Deferred[Any]:
        exchange = Exchange(datetime.now(UTC), _peer_host(self.transport))
        self._exchange = exchange
        recorded = cast("TxRequest", _RecordedRequest(request, exchange.sent))
        deferred: Deferred[Any] = super().request(recorded)
        deferred.addCallback(self._response_started, exchange)
        return deferred

    def _response_started(self, response: Any, exchange: Exchange) -> Any:
        if self.listener is not None:
            self.listener.response_started(exchange)
        return response

    def dataReceived(self, data: bytes) -> None:
        exchange = self._exchange
        if exchange is not None:
            exchange.received.append(data)
        super().dataReceived(data)  # type: ignore[no-untyped-call]


class RecordingClientFactory(_LenientHTTP11ClientFactory):
    """Builds :class:`RecordingClientProtocol` connections reporting to ``listener``."""

    def __init__(self, quiescent_callback: Any, metadata: Any, listener: ExchangeListener) -> None:
        super().__init__(quiescent_callback, metadata)  # type: ignore[no-untyped-call]
        self.listener = listener

    def buildProtocol(self, addr: Any) -> RecordingClientProtocol:
        protocol = RecordingClientProtocol(self._quiescentCallback)  # type: ignore[no-untyped-call]
        protocol.listener = self.listener
        return protocol


def use_client_factory(handler: HTTP11DownloadHandler, listener: ExchangeListener) -> None:
    """Make ``handler``'s connection pool open recording connections for ``listener``."""
    handler._pool._factory = partial(RecordingClientFactory, listener=listener)  # type: ignore[assignment]


# --- the downloader (crawler/downloader.py) --------------------------------------------


class DownloaderSteps(Downloader):
    """Scrapy's downloader, with the two private steps ours replaces under public names.

    Scrapy calls ``_get_slot`` for each request it enqueues (and AutoThrottle for each
    response), and ``_process_queue`` whenever a slot may start a download: when a
    request is enqueued, when a download ends and when a slot's delay has passed."""

    def _get_slot(self, request: Request, spider: Any = None) -> tuple[str, Slot]:
        return self.slot_for(request)

    def slot_for(self, request: Request) -> tuple[str, Slot]:
        """The key and slot of ``request``, the slot created on first use (Scrapy's)."""
        return super()._get_slot(request)

    def _process_queue(self, slot: Slot) -> None:
        self.process_queue(slot)

    def process_queue(self, slot: Slot) -> None:
        """Start what ``slot`` may start now (Scrapy's rules)."""
        super()._process_queue(slot)

    def process_queue_later(self, slot: Slot, delay: float) -> None:
        """Come back to ``slot`` in ``delay`` seconds; until then it starts nothing."""
        slot.latercall = call_later(delay, self._latercall, slot)

    def start_download(self, slot: Slot, request: Request, waiting: Deferred[Response]) -> None:
        """Download ``request`` (already taken off ``slot``'s queue) in a task of its own;
        ``waiting`` fires with the response or the failure."""
        schedule(self._wait_for_download(slot, request, waiting))


def schedule(coro: Coroutine[Any, Any, None]) -> None:
    """Run ``coro`` as a task of the event loop (Scrapy's own helper)."""
    _schedule_coro(coro)


# --- redirects (crawler/middlewares/redirect.py, metarefresh.py) ----------------------


class RedirectSteps(BaseRedirectMiddleware):
    """Scrapy's redirect middleware steps under public names: ``follow`` (``_redirect``:
    the checks and bookkeeping of a redirect about to be followed) and
    ``build_redirect_request`` (``_build_redirect_request``: the redirected request)."""

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        return self.follow(redirected, request, reason)

    def follow(self, redirected: Request, request: Request, reason: Any) -> Request:
        return super()._redirect(redirected, request, reason)

    def _build_redirect_request(
        self, source_request: Request, response: Response, *, url: str, **kwargs: Any
    ) -> Request:
        return self.build_redirect_request(source_request, response, url=url, **kwargs)

    def build_redirect_request(
        self, source_request: Request, response: Response, *, url: str, **kwargs: Any
    ) -> Request:
        return super()._build_redirect_request(source_request, response, url=url, **kwargs)


def meta_refresh_options(middleware: MetaRefreshMiddleware) -> tuple[list[str], float]:
    """``METAREFRESH_IGNORE_TAGS`` and ``METAREFRESH_MAXDELAY`` as the middleware read them."""
    return middleware._ignore_tags, middleware._maxdelay


def meta_refresh_request(
    middleware: BaseRedirectMiddleware, request: Request, response: Response, url: str
) -> Request:
    """The GET request a meta refresh from ``response`` to ``url`` leads to (Scrapy's)."""
    return middleware._redirect_request_using_get(request, response, url)


# --- the crawler process (crawler/cli/crawl.py) ----------------------------------------


class RobotsSteps(RobotsTxtMiddleware):
    def stored_parser(self, request: Request) -> Any:
        """What the middleware holds for ``request``'s host: its robots.txt parser, None
        (robots.txt could not be fetched: all allowed), a Deferred while it is being
        fetched, or no entry (``MISSING``) before the host's first request."""
        return self._parsers.get(urlparse_cached(request).netloc, MISSING)


MISSING = object()


class SignalledCrawlerProcess(CrawlerProcess):
    """Scrapy's process, telling :meth:`shutdown_signalled` when the first Ctrl-C or
    SIGTERM has started its graceful stop (Scrapy's ``_signal_shutdown``)."""

    def _signal_shutdown(self, signum: int, frame: Any) -> None:
        super()._signal_shutdown(signum, frame)
        self.shutdown_signalled(signum)

    def shutdown_signalled(self, signum: int) -> None:
        """Called in the signal handler, after Scrapy's own; runs no reactor code."""


# --- the engine (crawler/frontier/scheduler.py) ----------------------------------------


def _engine_slot(crawler: Crawler) -> Any:
    engine = crawler.engine
    if engine is None:
        return None
    if not hasattr(engine, "_slot"):
        raise IncompatibleScrapy(
            "this Scrapy version's engine keeps no _slot: the Redis frontier cannot tell "
            "when a request is done (it is written for Scrapy 2.19)"
        )
    return engine._slot


def requests_in_progress(crawler: Crawler) -> set[Request]:
    """The requests the engine is not done with: from download until every item they
    led to has left the pipelines."""
    slot = _engine_slot(crawler)
    return set(slot.inprogress) if slot is not None else set()


def wake_engine(crawler: Crawler) -> None:
    """Make the engine ask the scheduler for requests now, not at its next heartbeat."""
    slot = _engine_slot(crawler)
    if slot is not None and slot.closing is None:
        slot.nextcall.schedule()


# --- failures (crawler/failures.py) ----------------------------------------------------


def decompression_too_large(exc: BaseException) -> bool:
    """Whether ``exc`` is Scrapy refusing a body that decompresses past its size limit."""
    from scrapy.utils._compression import _DecompressionMaxSizeExceeded

    return isinstance(exc.__cause__, _DecompressionMaxSizeExceeded)


# --- stats (crawler/stats.py) ----------------------------------------------------------


class UnwrappedStats(MemoryStatsCollector):
    """Scrapy's in-memory stats collector without the ``StatsCollector.__getattribute__``
    that wraps each method to warn about a ``spider`` argument (the methods still take
    one)."""

    # the C slot itself: a Python-level override would still cost ~0.7 µs an access
    __getattribute__ = object.__getattribute__


# --- cookies (crawler/spiders/news.py) ---------------------------------------------------


def offline_cookie_domains() -> None:
    """Make Scrapy's cookie middleware tell public suffixes from tldextract's bundled list,
    never fetching it (publicsuffix.org, GitHub) nor writing a cache file, as our own site
    identity does (crawler/urls.py): a crawl sends requests to the sites it crawls only."""
    import tldextract
    from scrapy.downloadermiddlewares import cookies

    cookies._split_domain = tldextract.TLDExtract(
        cache_dir=None,
        suffix_list_urls=(),
        fallback_to_snapshot=True,
        include_psl_private_domains=True,
    )
