"""How each way a fetch ends badly is recorded: outcome and reason."""

from __future__ import annotations

import pytest
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils._compression import _DecompressionMaxSizeExceeded

from crawler.failures import Counted, Refused, fetch_outcome


def _too_large_while_decompressing() -> IgnoreRequest:
    try:
        raise IgnoreRequest("too big") from _DecompressionMaxSizeExceeded(11, 10)
    except IgnoreRequest as exc:
        return exc


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (DownloadTimeoutError("took longer"), ("failed", "timeout")),
        (ResponseDataLossError(), ("failed", "data_loss")),
        (DownloadFailedError("lost"), ("failed", "connection_lost")),
        (DownloadConnectionRefusedError(), ("failed", "connection_refused")),
        (CannotResolveHostError(), ("failed", "dns")),
        (DownloadCancelledError(), ("skipped", "too_large")),
        (_too_large_while_decompressing(), ("skipped", "too_large")),
        (IgnoreRequest("Forbidden by robots.txt"), ("skipped", "robots_txt")),
        (IgnoreRequest("max redirections reached"), ("failed", "too_many_redirects")),
        (HttpError(Response("http://x/", status=503)), ("failed", "http_503")),
        (Refused("blocked_address", "no"), ("skipped", "blocked_address")),
        (Refused("redirect_loop", "no", outcome="failed"), ("failed", "redirect_loop")),
        (ValueError("odd"), ("failed", "valueerror")),
        (Counted("not modified: http://x/"), None),
    ],
)
def test_fetch_outcome(exc, expected):
    assert fetch_outcome(exc) == expected
