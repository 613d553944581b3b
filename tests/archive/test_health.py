"""Site health: the flags decided from one site's figures, and read from an archive."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from archive.health import Flag, SiteRecord, assess, check, site_records
from archive.read import open_archive
from tests.support.newsroom import (
    BLOCKED,
    COPY_SITE,
    FAILING,
    HEALTHY,
    SILENT,
    STALE,
    WIRE_SITE,
    build_newsroom,
)

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
OLD = NOW - timedelta(days=20)


def flags(record: SiteRecord, days: int = 3) -> list[str]:
    return [str(p.flag) for p in assess(record, days=days, now=NOW)]


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        # growing: new articles in the window
        (SiteRecord("a", NOW, 3, {"articles/new": 4}, {"articles/new": 2}), []),
        # edited only, still moving
        (SiteRecord("a", OLD, 3, {"articles/updated": 1}, {"articles/updated": 1}), []),
        # not crawled in the window: nothing to judge
        (SiteRecord("a", OLD, 0, {}, {}), []),
        # crawled, its pages became non-articles: silent
        (
            SiteRecord("a", OLD, 3, {"skipped/too_short": 9, "skipped/listing": 2}, {}),
            ["silent"],
        ),
        # crawled, found nothing at all (discovery broke): silent
        (SiteRecord("a", OLD, 2, {"skipped/listing": 2}, {"skipped/listing": 2}), ["silent"]),
        # crawled but its last article is recent enough: not silent
        (SiteRecord("a", NOW - timedelta(days=1), 2, {"skipped/too_short": 3}, {}), []),
        # never gave an article: not silent (nothing to fall silent from)
        (SiteRecord("a", None, 2, {"skipped/too_short": 3}, {}), []),
        # every page we have, unchanged: stale, not silent
        (
            SiteRecord(
                "a",
                OLD,
                3,
                {"skipped/listed_unchanged": 11, "articles/unchanged": 3, "skipped/listing": 2},
                {"articles/unchanged": 1},
            ),
            ["stale"],
        ),
        # pages a Ctrl-C took from a crawl are no failure, and no page fetched anew
        (
            SiteRecord(
                "a",
                OLD,
                3,
                {"skipped/listed_unchanged": 11, "skipped/crawl_stopped": 4},
                {"skipped/listed_unchanged": 2, "skipped/crawl_stopped": 4},
            ),
            ["stale"],
        ),
        # most fetches failed: failing (and neither silent nor stale: that is why)
        (
            SiteRecord(
                "a",
                OLD,
                3,
                {"failed/timeout": 7, "failed/http_503": 4, "articles/unchanged": 2},
                {"failed/timeout": 7, "failed/http_503": 4, "articles/unchanged": 2},
            ),
            ["failing"],
        ),
        # a few failures among good pages: healthy
        (
            SiteRecord(
                "a",
                NOW,
                3,
                {"failed/timeout": 2, "articles/new": 8},
                {"failed/timeout": 2, "articles/new": 8},
            ),
            [],
        ),
        # extraction failures are not fetch failures
        (
            SiteRecord(
                "a",
                NOW,
                1,
                {"failed/extract_timeout": 9, "articles/new": 1},
                {"failed/extract_timeout": 9, "articles/new": 1},
            ),
            [],
        ),
        # 403s, 429s and challenge pages: blocked
        (
            SiteRecord(
                "a",
                OLD,
                3,
                {"failed/http_403": 6, "blocked/challenge": 3},
                {"failed/http_403": 6, "blocked/challenge": 3},
            ),
            ["blocked"],
        ),
        # a single 429 and no article at all: blocked
        (
            SiteRecord(
                "a",
                OLD,
                1,
                {"failed/http_429": 1, "skipped/listing": 3},
                {"failed/http_429": 1, "skipped/listing": 3},
            ),
            ["blocked"],
        ),
        # one 429 among many articles: healthy
        (
            SiteRecord(
                "a",
                NOW,
                1,
                {"failed/http_429": 1, "articles/new": 9},
                {"failed/http_429": 1, "articles/new": 9},
            ),
            [],
        ),
    ],
)
def test_assess(record, expected):
    assert flags(record) == expected


def test_a_site_the_crawl_stopped_asking_is_blocked():
    recent = {"blocked/challenge": 5, "stopped/blocked": 1, "articles/new": 40}
    [problem] = assess(SiteRecord("w.example", NOW, 1, recent, recent), days=3, now=NOW)
    assert problem.line() == (
        "w.example: blocked: 5 of 45 fetches blocked in its last 1 crawl(s) (challenge 5); "
        "the crawl stopped asking it 1 time(s)"
    )


def test_a_problem_is_one_line_naming_site_flag_and_why():
    record = SiteRecord(
        "flaky.example",
        OLD,
        3,
        {"failed/timeout": 21, "failed/http_503": 12},
        {"failed/timeout": 7, "failed/http_503": 4, "articles/unchanged": 2},
    )
    [problem] = assess(record, days=3, now=NOW)
    assert problem.line() == (
        "flaky.example: failing: 11 of 13 fetches failed in its last 3 crawl(s) "
        "(timeout 7, http_503 4)"
    )
    assert problem.as_json() == {
        "site": "flaky.example",
        "flag": "failing",
        "detail": problem.detail,
    }


def test_silent_says_since_when_and_what_the_pages_became():
    record = SiteRecord("quiet.example", OLD, 3, {"skipped/too_short": 27}, {})
    [problem] = assess(record, days=3, now=NOW)
    assert problem.flag is Flag.SILENT
    assert problem.detail == (
        f"no new article over 3 crawl(s) in 3 day(s) (the last on {OLD:%Y-%m-%d %H:%M} UTC); "
        "27 other page(s): too_short 27"
    )


@pytest.fixture(scope="module")
def newsroom_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('health') / 'archive.db'}"
    build_newsroom(url, datetime.now(UTC))
    return url


def test_check_reads_every_site_of_an_archive(newsroom_url):
    with open_archive(newsroom_url) as arc:
        problems = check(arc, days=3)
        records = {r.site: r for r in site_records(arc, 3)}
    assert {site: [str(p.flag) for p in found] for site, found in problems.items()} == {
        HEALTHY: [],
        COPY_SITE: [],
        WIRE_SITE: [],
        SILENT: ["silent"],
        FAILING: ["failing"],
        BLOCKED: ["blocked"],
        STALE: ["stale"],
    }
    # the window holds the three latest runs, not the one of nine days ago
    assert records[HEALTHY].runs == 3
    assert records[HEALTHY].window["articles/new"] == 6
    assert records[SILENT].last_new < datetime.now(UTC) - timedelta(days=10)
    assert records[COPY_SITE].runs == 0
    # a wider window takes in the old run, when the silent site still gave articles
    with open_archive(newsroom_url) as arc:
        wider = check(arc, days=10)
    assert wider[SILENT] == []
