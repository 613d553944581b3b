"""Why a request produced no page: one outcome and reason for every way a fetch can end badly.

A crawl counts each fetch that yields no page under ``newsarchive/failed/<reason>``
(something went wrong: a timeout, a lost connection, a 5xx after its retries),
``newsarchive/skipped/<reason>`` (the crawler chose not to: robots.txt, a body over
the size cap, an address it must not contact) or ``newsarchive/blocked/<reason>``
(the site refused us: a challenge or captcha page, access denied, a rate limit after
its retries, a consent wall; see ``crawler/blocks.py``). The spider's errback calls
:func:`fetch_outcome`; middlewares that refuse a request raise :class:`Refused`
with the reason they want recorded.

A page that ends before the item pipelines (a failed or blocked fetch, an unchanged page
an incremental re-crawl skipped) is counted with :func:`count_page_outcome`: the run's
stats key, and the ``crawler.signals.site_outcome`` signal with the page's site, from
which the crawl-run recorder (``pipelines/runs.py``) records the run's outcomes per site
(``crawl_run_outcomes``), as it does for the pages the pipelines drop or archive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
    UnsupportedURLSchemeError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectError, ConnectionDone, ConnectionLost
from twisted.internet.error import TimeoutError as TxTimeoutError

from archive.outcomes import BlockReason, FailReason, Kind, SkipReason, http_status, stats_key
from crawler.compat import decompression_too_large
from crawler.signals import site_outcome
from crawler.urls import site_of

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

FAILED = Kind.FAILED
SKIPPED = Kind.SKIPPED
BLOCKED = Kind.BLOCKED


def count_page_outcome(crawler: Crawler, url: str, outcome: str) -> None:
    """Count one page's ``outcome`` in the run's stats and, by the page's site, in the
    run's per-site outcomes."""
    crawler.stats.inc_value(stats_key(outcome))
    site = site_of(url)
    if site:  # a failure with no request has no site
        crawler.signals.send_catch_log(site_outcome, site=site, outcome=outcome)


class Refused(IgnoreRequest):
    """A request a middleware refused or gave up on, with the reason to record."""

    def __init__(self, reason: str, message: str, *, outcome: str = SKIPPED) -> None:
        super().__init__(message)
        self.reason = reason
        self.outcome = outcome


class Counted(IgnoreRequest):
    """A request a middleware stopped and already counted (an unchanged page of an
    incremental re-crawl): the errback records nothing more."""


_BY_TYPE: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], str], ...] = (
    ((DownloadTimeoutError, TxTimeoutError), FailReason.TIMEOUT),
    (ResponseDataLossError, FailReason.DATA_LOSS),
    ((DownloadFailedError, ConnectionLost, ConnectionDone), FailReason.CONNECTION_LOST),
    (DownloadConnectionRefusedError, FailReason.CONNECTION_REFUSED),
    (CannotResolveHostError, FailReason.DNS),
    (ConnectError, FailReason.CONNECT_ERROR),
    (UnsupportedURLSchemeError, FailReason.UNSUPPORTED_SCHEME),
)


def fetch_outcome(exc: BaseException) -> tuple[str, str] | None:
    """``(outcome, reason)`` for the exception a request's errback received; None when
    the middleware that stopped the request counted it already."""
    if isinstance(exc, Counted):
        return None
    if isinstance(exc, Refused):
        return exc.outcome, exc.reason
    if isinstance(exc, HttpError):
        if exc.response.status == 429:  # still rate-limited after the retries
            return BLOCKED, BlockReason.RATE_LIMITED
        return FAILED, http_status(exc.response.status)
    if isinstance(exc, DownloadCancelledError):  # Scrapy cancels a download for its size only
        return SKIPPED, SkipReason.TOO_LARGE
    if isinstance(exc, IgnoreRequest):
        if decompression_too_large(exc):
            return SKIPPED, SkipReason.TOO_LARGE
        if "robots.txt" in str(exc):
            return SKIPPED, SkipReason.ROBOTS_TXT
        if "max redirections" in str(exc):
            return FAILED, FailReason.TOO_MANY_REDIRECTS
        return SKIPPED, SkipReason.IGNORED
    for types, reason in _BY_TYPE:
        if isinstance(exc, types):
            return FAILED, reason
    return FAILED, type(exc).__name__.lower()
