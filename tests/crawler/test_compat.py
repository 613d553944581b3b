"""crawler/compat.py: each private name of Scrapy or Twisted it relies on still works.

The client protocol is driven here over Twisted's in-memory StringTransport: no network,
no reactor. That the download handler ties each recorded exchange to its Scrapy request
(through the headers_received signal) is checked by a real crawl in
tests/e2e/test_warc_crawl.py (every capture names its response record).
"""

from __future__ import annotations

from scrapy.core.downloader.handlers import http11
from twisted.internet.address import IPv4Address
from twisted.internet.testing import StringTransport
from twisted.web._newclient import Request as TxRequest
from twisted.web.client import URI
from twisted.web.http_headers import Headers as TxHeaders

from crawler.compat import RecordingClientFactory, RecordingClientProtocol, use_client_factory

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
