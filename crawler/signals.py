"""The project's own Scrapy signals, declared once: what one component tells another
that it may not import (a middleware cannot import a pipeline, nor the crawler the
archive). Each is sent with ``crawler.signals.send_catch_log(SIGNAL, **arguments)``;
a receiver takes the arguments it names.
"""

from __future__ import annotations

# A page of ``site`` ended in ``outcome`` (a stats key without ``newsarchive/``, e.g.
# ``blocked/challenge``, ``failed/timeout``, ``skipped/listed_unchanged``,
# ``articles/new``), ``count`` pages at once (1 when not given). Sent for pages that end
# with no item (crawler/failures.py, the block middleware) and by the store stage for the
# articles it wrote; the crawl-run recorder (pipelines/runs.py) counts them per site.
site_outcome = object()

# ``response`` to ``request`` is a block (``reason``: a crawler.blocks.BlockReason), found
# by a component other than the block middleware, which keeps count and backs off.
block_seen = object()

# The archived article ``article_id`` was seen unchanged (its page answered 304 Not
# Modified to a conditional request). Sent by the incremental middleware; the store
# stage moves the article's ``last_seen_at`` with its batches.
article_unchanged = object()

# ``request`` was not fetched, or its retry not sent, because the crawl is stopping
# (Ctrl-C, SIGTERM). Sent by the downloader and the retry middleware; the shared
# frontier hands such a request back to its queue instead of acknowledging it, so the
# next run fetches it.
request_not_fetched = object()
