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
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol, cast

from scrapy.core.downloader.handlers.http11 import (
    HTTP11DownloadHandler,
    _LenientHTTP11ClientFactory,
    _LenientHTTP11ClientProtocol,
)

from crawler.warc.wire import Exchange

if TYPE_CHECKING:
    from collections.abc import Iterable

    from twisted.internet.defer import Deferred
    from twisted.web._newclient import Request as TxRequest


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
