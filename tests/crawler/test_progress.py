"""The progress line and summary count HTML pages per second, as the crawl benchmark does."""

from __future__ import annotations

import io

from scrapy.utils.test import get_crawler

from crawler.extensions.progress import Progress, run_status, summary_table

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


def test_how_a_run_ended():
    started = {"newsarchive/starts/html": 1}
    assert run_status("finished", started) == "finished"
    assert run_status("finished", {}) == "failed"  # no start page could be fetched
    assert run_status("shutdown", started) == "interrupted"
    # Ctrl-C before any start page came: the user stopped it, nothing failed.
    assert run_status("shutdown", {}) == "interrupted"
    assert run_status(None, started) == "failed"


def test_the_summary_says_how_failures_and_failed_tries_agree():
    stats = {
        "newsarchive/failed/dns": 1,
        "robotstxt/exception_count/<class 'twisted.internet.error.DNSLookupError'>": 1,
        "retry/count": 4,
        "downloader/exception_type_count/twisted.internet.error.DNSLookupError": 6,
    }
    rows = dict(line.strip().rsplit(None, 1) for line in summary_table(stats, 1.0).splitlines())
    assert rows["failed: dns"] == "1"
    assert rows["robots.txt unreachable"] == "1"
    assert rows["retries"] == "4"
    assert rows["failed tries (retries included)"] == "6"
