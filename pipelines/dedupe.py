"""Dedupe stage: the keys that make one story one archive row.

Each article gets the normalised URLs it was reached under (its same-site
canonical first, then the final and the requested URL) and a hash of its
normalised text. The store stage matches both, and the MinHash signature the
extraction worker computed for near-duplicates, against the archive inside its
write transaction, where concurrent crawls cannot race it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from archive.text import content_hash, normalize_text
from crawler.items import PageItem
from crawler.urls import normalize_url, same_site

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["DedupePipeline", "article_urls", "content_hash", "normalize_text"]


def article_urls(
    url: str, final_url: str, canonical: str | None, aliases: list[str] | None = None
) -> list[str]:
    """The normalised URLs of a page, primary first: the canonical URL when it stays on
    the page's site (a cross-site canonical is a syndication claim, not an identity; the
    site is the registrable domain, so a canonical on ``www.`` names an ``amp.`` page),
    then the final and the requested URL and the ``aliases`` of the same site (copies
    of the page on other hosts that led to it)."""
    candidates = [final_url, url, *(a for a in aliases or () if same_site(a, final_url))]
    if (
        canonical
        and canonical.startswith(("http://", "https://"))
        and same_site(canonical, final_url)
    ):
        candidates.insert(0, canonical)
    return list(dict.fromkeys(normalize_url(u) for u in candidates))


class DedupePipeline:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls()

    def process_item(self, item: Any) -> Any:
        if isinstance(item, PageItem) and item.extracted is not None:
            item.urls = article_urls(
                item.url, item.final_url, item.extracted.canonical_url, item.aliases
            )
            item.content_hash = content_hash(item.extracted.text)
        return item
