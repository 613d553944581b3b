"""One date parser for sitemaps and feeds, page metadata and command-line options."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

import pytest

from crawler.cli.reextract import parse_since
from crawler.dates import parse_date
from crawler.discovery import parse_feed, parse_sitemap
from pipelines.extraction.metadata import parse_datetime

FORMS = [
    ("2024-05-12", datetime(2024, 5, 12, tzinfo=UTC)),
    ("2024-05-12T08:30:00Z", datetime(2024, 5, 12, 8, 30, tzinfo=UTC)),
    ("2024-05-12T10:30:00.123456789+0100", datetime(2024, 5, 12, 9, 30, 0, 123456, UTC)),
    ("2024-05-12 10:30:00 -05:00", datetime(2024, 5, 12, 15, 30, tzinfo=UTC)),
    ("  2024-05-12T10:30:00\n", datetime(2024, 5, 12, 10, 30, tzinfo=UTC)),
    ("Sun, 12 May 2024 08:30:00 GMT", datetime(2024, 5, 12, 8, 30, tzinfo=UTC)),
    ("Sun, 12 May 2024 10:30:00 +0200", datetime(2024, 5, 12, 8, 30, tzinfo=UTC)),
]
NOT_DATES = ["yesterday", "", "   ", None, "2024-05-12T08:30:00Z" + " " * 10 + "x" * 60]


@pytest.mark.parametrize(("value", "expected"), FORMS)
def test_forms(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", NOT_DATES)
def test_not_dates(value):
    assert parse_date(value) is None


@pytest.mark.parametrize(("value", "expected"), FORMS)
def test_every_layer_reads_a_date_alike(value, expected):
    """A sitemap's lastmod, a feed's pubDate, a page's meta date and ``--since``."""
    sitemap = (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>'
        f"<loc>http://127.0.0.1/a</loc><lastmod>{value}</lastmod></url></urlset>"
    ).encode()
    feed = (
        '<rss version="2.0"><channel><item><link>http://127.0.0.1/a</link>'
        f"<pubDate>{value}</pubDate></item></channel></rss>"
    ).encode()
    assert parse_sitemap(sitemap)[1][0].date == expected
    assert parse_feed(feed)[0].date == expected
    assert parse_datetime(value) == expected
    assert parse_since(value) == expected


def test_metadata_refuses_placeholder_years():
    assert parse_date("1970-01-01") == datetime(1970, 1, 1, tzinfo=UTC)
    assert parse_datetime("1970-01-01") is None
    assert parse_datetime("2024-05-12T10:30:00&#43;02:00") == datetime(
        2024, 5, 12, 8, 30, tzinfo=UTC
    )


def test_an_option_that_is_no_date_is_a_usage_error():
    with pytest.raises(argparse.ArgumentTypeError, match="not a date: 'yesterday'"):
        parse_since("yesterday")
