"""The http(s) download handler: Scrapy's HTTP/1.1 handler, recording the wire for WARC files.

With ``WARC_DIR`` unset it is Scrapy's handler, unchanged. With it set, its connections
copy the bytes of every request and response (``crawler.compat``) and, when a download
ends, it hands the exchange to the WARC recorder (``crawler.extensions.warc``), before
any downloader middleware sees the response: redirects, 304s, error statuses, robots.txt
and retried attempts are all recorded. A download that fails after its headers arrived
(a timeout, a dropped connection, a body over ``DOWNLOAD_MAXSIZE``) is recorded as far as
it got, marked ``WARC-Truncated``.

An exchange is tied to its Scrapy request through the ``headers_received`` signal, which
Scrapy sends in the same synchronous chain in which the connection reports the parsed
headers (see ``crawler.compat.ExchangeListener``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag

from scrapy import signals
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError

from crawler.compat import use_client_factory
from crawler.defaults import WARC_DIR
from crawler.extensions.warc import recorder_of
from crawler.middlewares.incremental import CAPTURE_META

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from crawler.extensions.warc import WarcRecorder
    from crawler.warc.records import Original
    from crawler.warc.wire import Exchange

logger = logging.getLogger(__name__)


def truncation(exc: BaseException) -> str:
    """The ``WARC-Truncated`` reason for a download that failed after its headers."""
    if isinstance(exc, DownloadCancelledError):
        return "length"
    if isinstance(exc, DownloadTimeoutError):
        return "time"
    return "disconnect"


class RecordingDownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.recorder: WarcRecorder | None = recorder_of(crawler)
        self._unclaimed: Exchange | None = None
        self._exchanges: dict[Request, Exchange] = {}
        if self.recorder is not None:
            use_client_factory(self, self)
            crawler.signals.connect(self._headers_received, signal=signals.headers_received)
        elif WARC_DIR.get(crawler.settings):
            logger.warning("WARC_DIR is set but the WARC recorder extension is not enabled")

    def response_started(self, exchange: Exchange) -> None:
        self._unclaimed = exchange

    def _headers_received(self, request: Request, **kwargs: Any) -> None:
        exchange, self._unclaimed = self._unclaimed, None
        if exchange is not None:
            self._exchanges[request] = exchange

    async def download_request(self, request: Request) -> Response:
        recorder = self.recorder
        if recorder is None:
            return await super().download_request(request)
        url = urldefrag(request.url)[0]
        try:
            response: Response = await super().download_request(request)
        except Exception as exc:
            exchange = self._exchanges.pop(request, None)
            if exchange is not None:
                recorder.record(request, url, exchange, truncated=truncation(exc))
            raise
        exchange = self._exchanges.pop(request, None)
        if exchange is not None:
            recorder.record(request, url, exchange, not_modified=_not_modified(request))
            await recorder.room()
        return response


def _not_modified(request: Request) -> Original | None:
    """The capture a conditional request asked about, as the incremental middleware
    left it in the request's meta (``{"uri", "date", "record_id"}``)."""
    known = request.meta.get(CAPTURE_META)
    if not isinstance(known, dict) or not known.get("uri") or not known.get("date"):
        return None
    from crawler.warc.records import Original

    return Original(str(known["uri"]), str(known["date"]), known.get("record_id") or None)
