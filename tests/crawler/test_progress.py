"""The progress line and summary count HTML pages per second, as the crawl benchmark does."""

from __future__ import annotations

import io

from scrapy.utils.test import get_crawler

from crawler.extensions.progress import Progress, summary_table

STATS = {
    "downloader/response_count": 130,  # pages, plus robots.txt, sitemaps and feeds
    "newsarchive/pages": 100,
    "newsarchive/articles/new": 80,
    "newsarchive/skipped/listing": 20,
}


def test_the_line_rate_counts_html_pages_over_the_interval():
    crawler = get_crawler()
    out = io.StringIO()
    progress = Progress(crawler, interval=10.0, out=out)
    assert crawler.stats is not None
    progress._last = (progress._last[0] - 10.0, 40)  # ten seconds ago, 40 pages were in
    for key, value in STATS.items():
        crawler.stats.set_value(key, value)

    progress.tick()

    line = out.getvalue()
    assert line.startswith("[newsarchive] 100 pages (6.0 pages/s), 130 responses")
    assert "80 new" in line and "20 skipped" in line


def test_the_summary_rate_is_html_pages_over_the_elapsed_time():
    table = summary_table(STATS, elapsed=20.0)
    rows = {
        " ".join(line.split()[:-1]): line.split()[-1] for line in table.splitlines() if line.strip()
    }
    assert rows["pages/s"] == "5.0"
    assert rows["HTML pages"] == "100"
    assert rows["responses fetched"] == "130"


def test_requests_the_crawl_chose_not_to_send_are_not_fetch_errors():
    from crawler.extensions.progress import Counts

    stats = {
        "downloader/exception_count": 9,
        "downloader/exception_type_count/scrapy.exceptions.IgnoreRequest": 2,
        "downloader/exception_type_count/crawler.failures.Counted": 4,
        "downloader/exception_type_count/crawler.failures.Refused": 1,
        "downloader/exception_type_count/twisted.internet.error.TimeoutError": 2,
        "httperror/response_ignored_count": 3,
    }
    assert Counts.from_stats(stats).fetch_errors == 5
