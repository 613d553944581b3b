"""The crawl's stats collector: Scrapy's in-memory one without its per-access wrapper.

Scrapy 2.13+'s ``StatsCollector.__getattribute__`` runs on every attribute access to
warn callers that still pass the deprecated ``spider`` argument: an f-string, a failed
lookup (a raised and caught ``AttributeError``) and a wrapper call, ~2.4 µs per
``inc_value`` against ~0.1 µs for the method itself. Scrapy's middlewares, its core
stats and ours make dozens of such calls per page, all in the reactor thread. This
collector keeps Scrapy's methods and storage and skips the wrapper: a ``spider``
argument is accepted and ignored, without the warning. Skipping a private wrapper is
Scrapy-version business: it is done in ``crawler.compat.UnwrappedStats``.
"""

from __future__ import annotations

from crawler.compat import UnwrappedStats


class CrawlStats(UnwrappedStats):
    """The crawl's stats collector (``STATS_CLASS``)."""
