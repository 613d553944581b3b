"""Incremental re-crawls: which known pages to fetch again, and how.

A second crawl of a site should fetch only what may have changed. For each page
request whose URL the archive already holds as an article, :func:`decide` says
whether to skip it or to fetch it conditionally (``If-None-Match`` /
``If-Modified-Since`` from the stored capture, so an unchanged page costs a 304 and
no body):

1. ``recheck`` (``newsarchive crawl --recheck``) fetches every known page, skipping
   nothing (still conditionally).
2. A listed date (sitemap ``lastmod``, feed entry date, news sitemap publication
   date) newer than when the archive last saw the page means it changed: it is
   fetched whatever its age.
3. A sitemap ``lastmod`` no newer than that means it did not: skipped
   (``listed_unchanged``). Feed dates are publication dates, which edits do not
   move, so an older one proves nothing and the page falls through to rule 4.
4. The site's re-visit window: an article the archive *first saw* more than
   ``revisit_days`` ago is not re-checked (``revisit_window``); counting from first
   sight, not publication, keeps a 2015 story discovered today watched tomorrow.
   ``inf`` re-checks every known article, ``0`` none (new URLs only).

The crawler knows nothing of SQL. What the archive knows reaches it through the
:class:`PageStateStore` interface defined here; ``archive.state`` implements it, and
the downloader middleware loads that implementation by dotted path from the
``INCREMENTAL_STATE_STORE`` setting, so no module of ``crawler/`` imports ``archive/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Protocol

from archive.outcomes import SkipReason

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

# Sources whose listed date is a modification date (sitemap lastmod).
MODIFICATION_DATED_SOURCES = frozenset({"sitemap"})


class KnownPage(Protocol):
    """What the archive holds for a URL: its article and the validators of its capture."""

    @property
    def article_id(self) -> int: ...
    @property
    def first_seen_at(self) -> datetime: ...
    @property
    def last_seen_at(self) -> datetime: ...
    @property
    def etag(self) -> str | None: ...
    @property
    def last_modified(self) -> str | None: ...
    @property
    def capture(self) -> dict[str, str] | None:
        """The current capture as a revisit names it: ``{"uri", "date", "record_id"}``
        (its final URL, WARC date and WARC record id), or None."""


class PageStateStore(Protocol):
    """The archive as the incremental middleware sees it: read only (an article seen
    unchanged is handed to the store stage by the ``crawler.signals.article_unchanged``
    signal). Methods block (SQL): the middleware calls them in a thread, never in the
    reactor."""

    def lookup(self, urls: Sequence[str]) -> Mapping[str, KnownPage]:
        """The known pages among these normalised URLs (unknown ones are left out)."""
        ...

    def archived_records(self, record_ids: Sequence[str]) -> set[str]:
        """The WARC record ids among these that a capture already holds (an import
        skips them)."""
        ...

    def close(self) -> None: ...


# Why a re-crawl does not fetch a page (SkipReason.LISTED_UNCHANGED, .REVISIT_WINDOW).
Skip = SkipReason


@dataclass(frozen=True, slots=True)
class Decision:
    skip: Skip | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # The listed date says the page changed since the archive last saw it.
    listed_newer: bool = False


def listed_until(listed: datetime) -> datetime:
    """The latest moment a listed date may mean: a date without a time of day (midnight
    exactly) may be any moment of that day."""
    return listed + timedelta(days=1) if listed.timetz().replace(tzinfo=None) == time() else listed


def conditional_headers(known: KnownPage) -> dict[str, str]:
    headers = {}
    if known.etag:
        headers["If-None-Match"] = known.etag
    if known.last_modified:
        headers["If-Modified-Since"] = known.last_modified
    return headers


def decide(
    known: KnownPage,
    *,
    now: datetime,
    source: str | None = None,
    listed: datetime | None = None,
    revisit_days: float = float("inf"),
    recheck: bool = False,
    conditional: bool = True,
    published: datetime | None = None,
) -> Decision:
    """Skip a known page, or fetch it (conditionally unless ``conditional`` is off).
    ``listed`` is the date its listing gives (its meaning depends on ``source``),
    ``published`` a news sitemap's publication date, which only ever says "newer"."""
    headers = conditional_headers(known) if conditional else {}
    if recheck:
        return Decision(headers=headers)
    if published is not None and listed_until(published) > known.last_seen_at:
        return Decision(headers=headers, listed_newer=True)
    if listed is not None:
        if listed_until(listed) > known.last_seen_at:
            return Decision(headers=headers, listed_newer=True)
        if source in MODIFICATION_DATED_SOURCES:
            return Decision(Skip.LISTED_UNCHANGED)
    if (now - known.first_seen_at).total_seconds() > revisit_days * 86_400:
        return Decision(Skip.REVISIT_WINDOW)
    return Decision(headers=headers)
