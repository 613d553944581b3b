"""crawler/compat.py: each private name of Scrapy or Twisted it relies on still works.

Each test below fails, naming the private name, when a Scrapy or Twisted upgrade moves
or changes one: its signature is checked, then its behaviour where it can be driven
without a crawl.

The client protocol is driven here over Twisted's in-memory StringTransport: no network,
no reactor. That the download handler ties each recorded exchange to its Scrapy request
(through the headers_received signal) is checked by a real crawl in
tests/e2e/test_warc_crawl.py (every capture names its response record).
"""

from __future__ import annotations

import asyncio
import gzip
import inspect
import signal
import warnings

import pytest
from scrapy import Request, Spider
from scrapy.core.downloader import Downloader
from scrapy.core.downloader.handlers import http11
from scrapy.core.engine import ExecutionEngine, _Slot
from scrapy.crawler import CrawlerProcessBase
from scrapy.downloadermiddlewares.redirect import BaseRedirectMiddleware, MetaRefreshMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.statscollectors import MemoryStatsCollector, StatsCollector
from scrapy.utils.test import get_crawler
from twisted.internet.address import IPv4Address
from twisted.internet.defer import Deferred
from twisted.internet.testing import StringTransport
from twisted.web._newclient import Request as TxRequest
from twisted.web.client import URI
from twisted.web.http_headers import Headers as TxHeaders

from crawler.compat import (
    MISSING,
    RecordingClientFactory,
    RecordingClientProtocol,
    RobotsSteps,
    SignalledCrawlerProcess,
    UnwrappedStats,
    decompression_too_large,
    meta_refresh_options,
    meta_refresh_request,
    requests_in_progress,
    use_client_factory,
    wake_engine,
)
from crawler.downloader import FlooredSlot, SlotLimitedDownloader
from crawler.middlewares.redirect import SafeRedirectMiddleware
from tests.support.offline import run_offline

RESPONSE = (
    b"HTTP/1.1 200 OK\r\n"
    b"content-TYPE: text/html\r\n"
    b"Transfer-Encoding: chunked\r\n"
    b"\r\n"
    b"5\r\nhello\r\n0\r\n\r\n"
)


class Listener:
    def __init__(self) -> None:
        self.started: list = []

    def response_started(self, exchange) -> None:
        self.started.append(exchange)


def connected_protocol(listener: Listener) -> tuple[RecordingClientProtocol, StringTransport]:
    factory = RecordingClientFactory(lambda protocol: None, "test", listener=listener)
    protocol = factory.buildProtocol(None)
    transport = StringTransport(peerAddress=IPv4Address("TCP", "127.0.0.61", 8080))
    protocol.makeConnection(transport)
    return protocol, transport


def tx_request() -> TxRequest:
    uri = URI.fromBytes(b"http://127.0.0.61:8080/story/?x=1")
    headers = TxHeaders({b"Host": [b"127.0.0.61:8080"], b"User-Agent": [b"test"]})
    return TxRequest._construct(b"GET", b"/story/?x=1", headers, None, True, uri)


def test_scrapys_private_http11_names_are_there():
    assert issubclass(RecordingClientProtocol, http11._LenientHTTP11ClientProtocol)
    assert issubclass(RecordingClientFactory, http11._LenientHTTP11ClientFactory)


def test_the_protocol_copies_the_request_and_response_bytes_and_reports_the_headers():
    listener = Listener()
    protocol, transport = connected_protocol(listener)
    responses = []
    protocol.request(tx_request()).addCallback(responses.append)
    sent = transport.value()
    assert sent.startswith(b"GET /story/?x=1 HTTP/1.1\r\n")
    for start in range(0, len(RESPONSE), 9):
        protocol.dataReceived(RESPONSE[start : start + 9])
    assert len(responses) == 1 and responses[0].code == 200
    (exchange,) = listener.started
    assert exchange.request_bytes() == sent
    assert exchange.response_bytes() == RESPONSE
    assert exchange.ip == "127.0.0.61"


def test_a_pool_builds_recording_protocols_once_told_to():
    class Handler:
        def __init__(self) -> None:
            from twisted.web.client import HTTPConnectionPool

            self._pool = HTTPConnectionPool(reactor=None, persistent=True)

    handler = Handler()
    listener = Listener()
    use_client_factory(handler, listener)  # type: ignore[arg-type]
    factory = handler._pool._factory(lambda protocol: None, "endpoint")
    protocol = factory.buildProtocol(None)
    assert isinstance(protocol, RecordingClientProtocol)
    assert protocol.listener is listener


# --- the other private steps, each given a public name in crawler/compat.py --------------


def parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_scrapys_downloader_steps_reach_ours_under_their_public_names():
    assert parameters(Downloader._get_slot) == ["self", "request", "spider"]
    assert parameters(Downloader._process_queue) == ["self", "slot"]
    # Scrapy's downloader calls both for each request it enqueues
    enqueue = inspect.getsource(Downloader._enqueue_request)
    assert "self._get_slot(request)" in enqueue and "self._process_queue(slot)" in enqueue
    crawler = get_crawler(Spider, {"DOWNLOAD_DELAY": 0})

    async def run() -> None:
        downloader = SlotLimitedDownloader(crawler)
        try:
            key, slot = downloader._get_slot(Request("http://127.0.0.62:8080/a"))
            assert key == "127.0.0.62" and isinstance(slot, FlooredSlot)
            downloader.process_queue_later(slot, 60)
            assert slot.latercall is not None  # Scrapy's _latercall, armed
            waiting: Deferred = Deferred()
            failures: list = []
            waiting.addErrback(failures.append)
            request = Request("ftp://127.0.0.62/never")  # no handler: fails at once
            slot.transferring.add(request)
            downloader.start_download(slot, request, waiting)  # Scrapy's _wait_for_download
            for _ in range(100):
                if failures:
                    break
                await asyncio.sleep(0.01)
            assert failures and not slot.transferring
        finally:
            downloader.close()

    asyncio.run(run())


def test_scrapys_redirect_steps_reach_ours_under_their_public_names():
    assert parameters(BaseRedirectMiddleware._redirect) == [
        "self",
        "redirected",
        "request",
        "reason",
    ]
    assert parameters(BaseRedirectMiddleware._build_redirect_request) == [
        "self",
        "source_request",
        "response",
        "url",
        "kwargs",
    ]
    calls: list[str] = []

    class Recording(SafeRedirectMiddleware):
        def build_redirect_request(self, source_request, response, *, url, **kwargs):
            calls.append("build")
            return super().build_redirect_request(source_request, response, url=url, **kwargs)

        def follow(self, redirected, request, reason):
            calls.append("follow")
            return super().follow(redirected, request, reason)

    crawler = get_crawler(Spider)
    crawler.spider = Spider(name="any")
    middleware = Recording.from_crawler(crawler)
    request = Request("http://127.0.0.62:8080/a")
    response = Response(request.url, status=301, headers={"Location": "/b"})
    redirected = middleware.process_response(request, response)
    assert isinstance(redirected, Request) and redirected.url == "http://127.0.0.62:8080/b"
    assert calls == ["build", "follow"]


def test_the_meta_refresh_middlewares_private_options_and_request_builder():
    settings = {"METAREFRESH_IGNORE_TAGS": ["noscript"], "METAREFRESH_MAXDELAY": 50}
    middleware = MetaRefreshMiddleware.from_crawler(get_crawler(Spider, settings))
    assert meta_refresh_options(middleware) == (["noscript"], 50)
    request = Request("http://127.0.0.62:8080/a", method="POST", body=b"x=1")
    page = HtmlResponse(request.url, body=b"<html></html>")
    refreshed = meta_refresh_request(middleware, request, page, "http://127.0.0.62:8080/b")
    assert (refreshed.method, refreshed.url, refreshed.body) == (
        "GET",
        "http://127.0.0.62:8080/b",
        b"",
    )


def test_the_robots_middlewares_private_parsers_are_read_by_host():
    middleware = RobotsSteps.from_crawler(get_crawler(Spider, {"ROBOTSTXT_OBEY": True}))
    request = Request("http://127.0.0.62:8080/private/a")
    assert middleware.stored_parser(request) is MISSING
    assert isinstance(middleware._parsers, dict)
    parser = object()
    middleware._parsers["127.0.0.62:8080"] = parser
    assert middleware.stored_parser(request) is parser
    assert middleware.stored_parser(Request("http://127.0.0.63:8080/")) is MISSING


def test_scrapys_crawler_process_installs_its_private_shutdown_handler(monkeypatch):
    assert parameters(CrawlerProcessBase._signal_shutdown)[:2] == ["self", "signum"]
    source = inspect.getsource(CrawlerProcessBase)
    assert "install_shutdown_handlers, self._signal_shutdown" in source
    # Scrapy's own handler stops the reactor: it is replaced by a recorder here, so that
    # no global reactor is touched; what is checked is that ours runs after it.
    calls: list[str] = []
    monkeypatch.setattr(
        CrawlerProcessBase, "_signal_shutdown", lambda self, signum, _: calls.append("scrapy")
    )

    class Process(SignalledCrawlerProcess):
        def shutdown_signalled(self, signum: int) -> None:
            calls.append(f"ours {signum}")

    process = object.__new__(Process)  # no reactor, no logging set-up
    process._signal_shutdown(signal.SIGINT, None)  # as the first Ctrl-C calls it
    assert calls == ["scrapy", f"ours {signal.SIGINT}"]


def test_the_engines_private_slot_holds_the_requests_in_progress_and_wakes_it():
    assert "self._slot" in inspect.getsource(ExecutionEngine.__init__)
    crawler = get_crawler(Spider)
    woken: list[bool] = []

    class NextCall:
        def schedule(self) -> None:
            woken.append(True)

    async def run() -> None:  # the engine and its slot are made in an event loop
        crawler.engine = ExecutionEngine(crawler, lambda spider: None)
        assert requests_in_progress(crawler) == set()  # no spider open yet
        request = Request("http://127.0.0.62:8080/a")
        slot = _Slot(False, NextCall(), scheduler=None)  # type: ignore[arg-type]
        slot.add_request(request)
        crawler.engine._slot = slot
        assert requests_in_progress(crawler) == {request}
        wake_engine(crawler)
        assert woken == [True]

    asyncio.run(run())


def test_scrapys_decompression_limit_error_is_recognised():
    from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware

    crawler = get_crawler(Spider, {"DOWNLOAD_MAXSIZE": 1000, "DOWNLOAD_WARNSIZE": 0})
    crawler.spider = Spider(name="any")
    middleware = HttpCompressionMiddleware.from_crawler(crawler)
    request = Request("http://127.0.0.62:8080/bomb")
    bomb = Response(
        request.url, body=gzip.compress(b"x" * 100_000), headers={"Content-Encoding": "gzip"}
    )
    with pytest.raises(IgnoreRequest) as refused:
        middleware.process_response(request, bomb)
    assert decompression_too_large(refused.value)
    assert not decompression_too_large(IgnoreRequest("other"))


def test_the_stats_collector_skips_scrapys_private_wrapper_and_keeps_its_methods():
    assert "__getattribute__" in vars(StatsCollector)  # still there: worth skipping
    stats = UnwrappedStats(get_crawler(Spider))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        stats.inc_value("pages", spider=None)
        stats.inc_value("pages")
        stats.max_value("delay", 2.0)
    assert stats.get_stats() == {"pages": 2, "delay": 2.0}
    wrapped = MemoryStatsCollector(get_crawler(Spider))
    with pytest.warns(Warning, match="spider"):
        wrapped.inc_value("pages", spider=Spider(name="any"))


# --- cookies ---------------------------------------------------------------------------


def test_scrapys_cookie_middleware_reads_the_bundled_suffix_list_offline(tmp_path):
    """With cookies on, the first cookie a site sets made Scrapy's middleware fetch the
    Public Suffix List from the internet and cache it under ~/.cache. After
    offline_cookie_domains, in an interpreter where any connection or name lookup fails
    and with an empty home, it tells a public suffix from a site's domain and writes
    nothing."""
    code = (
        "from scrapy.downloadermiddlewares import cookies\n"
        "from crawler.compat import offline_cookie_domains\n"
        "offline_cookie_domains()\n"
        "assert cookies._is_public_domain('co.uk')\n"
        "assert cookies._is_public_domain('blogspot.com')\n"
        "assert not cookies._is_public_domain('news.example.co.uk')\n"
        "print('offline ok')\n"
    )
    run_offline(code, tmp_path)
