"""Classify stage: archive articles; follow, but do not archive, every other page.

The decision itself (og:type, JSON-LD type, dated URL, length and link density of
the extracted text) is ``pipelines.extraction.classify_page``; this stage counts
why each page was skipped, so a crawl's stats say what it passed over.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from archive.outcomes import Group, Kind, outcome
from crawler.items import PageItem
from pipelines.extract import PageDropped
from pipelines.extraction import classify_page

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class ClassifyPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClassifyPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem) or item.extracted is None:
            return item
        verdict = classify_page(item.extracted, item.final_url)
        item.verdict = verdict.reason
        if verdict.skip is not None:
            self.stats.inc_value(Group.SKIPPED.of(verdict.skip))
            raise PageDropped(
                outcome(Kind.SKIPPED, verdict.skip),
                f"skipped ({verdict.skip}): {item.final_url}",
                log_level="INFO",
            )
        return item
