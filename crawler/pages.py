"""A fetched response as the pipelines' page: the one rule for crawls and imports.

A crawl's spider and ``newsarchive import`` both turn responses into
:class:`~crawler.items.PageItem` here, so an imported page is decided and decoded (its
encoding as Scrapy reads it from headers and body) exactly as a crawled one.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from scrapy.http import Response, TextResponse

from crawler.discovery import Kind, sniff_kind
from crawler.items import PageItem
from crawler.urls import site_of

if TYPE_CHECKING:
    from scrapy.http import Headers


def content_type(response: Response) -> str:
    value = response.headers.get(b"Content-Type") or b""
    return value.decode("latin-1")


def header_pairs(headers: Headers) -> list[tuple[str, str]]:
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        for value in values
    ]


def is_html_page(response: Response) -> bool:
    """Whether a response is a page for the pipelines: text that sniffs as HTML (or as
    nothing else the crawler knows: no feed, no sitemap)."""
    return isinstance(response, TextResponse) and sniff_kind(
        response.body[:4096], content_type(response)
    ) in (Kind.HTML, Kind.OTHER)


def page_item(
    response: TextResponse,
    *,
    url: str,
    fetched_at: datetime,
    source: str,
    depth: int,
    crawl_config: str | None,
    warc_record: str | None = None,
    listing: dict[str, Any] | None = None,
    aliases: list[str] | None = None,
) -> PageItem:
    """The page item of an HTML response; ``url`` is the URL first requested,
    ``listing`` what a sitemap or feed said of it, ``aliases`` its copies' URLs."""
    return PageItem(
        url=url,
        final_url=response.url,
        status=response.status,
        headers=header_pairs(response.headers),
        body=response.body,
        encoding=response.encoding,
        fetched_at=fetched_at,
        site=site_of(response.url),
        source=source,
        depth=depth,
        crawl_config=crawl_config,
        warc_record=warc_record,
        listing=listing,
        aliases=list(aliases or ()),
    )
