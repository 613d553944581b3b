"""The naive baseline of the crawl benchmark: extraction in the spider's callback.

A plain Scrapy spider, written the way the tutorials show: it follows the site's links
(home, index pages, articles; two hops, like ``newsarchive crawl``), calls
``trafilatura.bare_extraction(..., with_metadata=True)`` in its callback, and inserts each
article through a SQLAlchemy session, one commit per article. Extraction then runs in
Scrapy's reactor thread, on one core, and every download waits while a page is parsed.

    python -m bench.crawl_naive --start http://127.0.0.2:PORT/ --db sqlite:///naive.db
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import trafilatura
from scrapy import Request, Spider
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response
from sqlalchemy import DateTime, Integer, String, Text, create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

DEPTH = 2


class Base(DeclarativeBase):
    pass


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    date: Mapped[str | None] = mapped_column(String(32))
    sitename: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(DateTime)


class NaiveSpider(Spider):
    name = "naive"

    def __init__(self, start: str, db: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_url = start
        self.engine = create_engine(db)
        Base.metadata.create_all(self.engine)
        self.session = Session(self.engine)
        self.pages = 0
        self.articles = 0

    async def start(self) -> Any:
        yield Request(self.start_url, callback=self.parse)

    def parse(self, response: Response) -> Iterator[Request]:
        self.pages += 1
        doc = trafilatura.bare_extraction(response.text, url=response.url, with_metadata=True)
        if doc is not None and doc.text:
            self.session.add(
                Article(
                    url=response.url,
                    title=doc.title,
                    author=doc.author,
                    date=doc.date,
                    sitename=doc.sitename,
                    text=doc.text,
                    fetched_at=datetime.now(),
                )
            )
            self.session.commit()
            self.articles += 1
        if response.meta.get("depth", 0) < DEPTH:
            for href in response.css("a::attr(href)").getall():
                yield response.follow(href, callback=self.parse)

    def closed(self, reason: str) -> None:
        self.session.close()
        self.engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--start", required=True, help="the site's home URL")
    parser.add_argument("--db", required=True, help="SQLAlchemy URL of the articles table")
    args = parser.parse_args()
    host = args.start.split("/")[2].split(":")[0]
    process = CrawlerProcess(
        {
            "LOG_LEVEL": "WARNING",
            "ROBOTSTXT_OBEY": True,
            "DEPTH_LIMIT": DEPTH,
            "CONCURRENT_REQUESTS": 32,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
            "TELNETCONSOLE_ENABLED": False,
        }
    )
    crawler = process.create_crawler(NaiveSpider)
    process.crawl(crawler, start=args.start, db=args.db, allowed_domains=[host])
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    spider = crawler.spider
    result = {
        "responses": int(stats.get("response_received_count", 0)),
        "pages": spider.pages if isinstance(spider, NaiveSpider) else 0,
        "articles": spider.articles if isinstance(spider, NaiveSpider) else 0,
    }
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
