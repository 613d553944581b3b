"""Block pages told from pages (crawler/blocks.py), and what the crawl does about them
(crawler/middlewares/blocks.py): count, back off, stop the site, never pass one on."""

from __future__ import annotations

import gzip
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy import Request, Spider
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from archive.outcomes import BlockReason
from crawler.blocks import block_reason, is_consent_url, is_small
from crawler.failures import BLOCKED, Refused
from crawler.middlewares.blocks import BlockMiddleware
from crawler.signals import block_seen, site_outcome

BENCHMARK_PAGES = Path(__file__).parent.parent / "fixtures" / "benchmark" / "html"
ARTICLE = (
    b"<html><body>" + b"<p>A story of the harbour and its cranes.</p>" * 200 + b"</body></html>"
)

CLOUDFLARE = b"""<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title></head>
<body><h2>Checking if the site connection is secure</h2>
<script>window._cf_chl_opt={cvId: '3'};</script></body></html>"""
AKAMAI = b"""<HTML><HEAD>\n<TITLE>Access Denied</TITLE>\n</HEAD><BODY>
You don't have permission to access "http://www.example.com/" on this server.<P>
Reference #18.2f1e3b17.1718000000.4c1a2b3</BODY></HTML>"""
DATADOME = b"""<html><head><title>example.com</title></head><body>
<iframe src="https://geo.captcha-delivery.com/captcha/?initialCid=abc"></iframe></body></html>"""
SMALL_CAPTCHA = (
    b"<html><body><h1>Please verify you are human</h1><div class='g-recaptcha'></div></body></html>"
)
CONSENT = b"<html><head><title>Before you continue</title></head><body>We value your privacy</body></html>"


@pytest.mark.parametrize(
    ("status", "headers", "body", "reason"),
    [
        (403, {"server": "cloudflare", "cf-mitigated": "challenge"}, CLOUDFLARE, "challenge"),
        (503, {"server": "cloudflare"}, CLOUDFLARE, "challenge"),
        (200, {"cf-mitigated": "challenge"}, b"", "challenge"),
        (200, {}, CLOUDFLARE, "challenge"),
        (403, {}, AKAMAI, "access_denied"),
        (200, {}, AKAMAI, "access_denied"),
        (403, {}, b"Forbidden", "access_denied"),
        (403, {}, DATADOME, "captcha"),
        (200, {}, SMALL_CAPTCHA, "captcha"),
        (429, {"retry-after": "30"}, b"Too Many Requests", "rate_limited"),
        (200, {}, CONSENT, "consent_wall"),
    ],
)
def test_block_pages_are_recognised_with_their_reason(status, headers, body, reason):
    assert block_reason(status, headers, body) == BlockReason(reason)


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (200, ARTICLE),
        (404, b"<html><title>Not found</title></html>"),
        (503, b"down for maintenance"),  # the server is down: retried, not a block
        (500, CLOUDFLARE),
        (301, b""),
    ],
)
def test_pages_and_ordinary_errors_are_not_blocks(status, body):
    assert block_reason(status, {}, body) is None


def test_weak_markers_count_only_on_a_page_much_smaller_than_the_sites_articles():
    """ "Access denied" is a phrase a story can hold: on a page as large as the site's
    articles it is story text; on one much smaller, a refusal."""
    story = (
        b"<html><body><p>Journalists were told: access denied.</p>"
        + b"x" * 9000
        + b"</body></html>"
    )
    assert block_reason(200, {}, story, typical=10_000.0) is None
    assert block_reason(200, {}, story, typical=80_000.0) is BlockReason.ACCESS_DENIED
    assert block_reason(200, {}, story + b" " * 40_000) is None  # past 32 KiB: never small
    assert is_small(5_000, None) and not is_small(5_000, 10_000.0)
    # a strong marker counts on a page of any ordinary size, not on a huge one
    padded = CLOUDFLARE + b"<!-- -->" * 10_000
    assert block_reason(200, {}, padded, typical=20_000.0) is BlockReason.CHALLENGE
    assert block_reason(200, {}, padded + b" " * 100_000) is None


@pytest.mark.parametrize(
    "page", sorted(BENCHMARK_PAGES.glob("*.html.gz")), ids=lambda p: p.name[:12]
)
def test_no_saved_real_article_page_is_taken_for_a_block(page):
    body = gzip.decompress(page.read_bytes())
    for typical in (None, 60_000.0, 500_000.0):
        assert block_reason(200, {}, body, typical=typical) is None


@pytest.mark.parametrize(
    ("url", "consent"),
    [
        ("https://consent.yahoo.com/v2/collectConsent?sessionId=3", True),
        ("https://consent.google.com/ml?continue=https://news.google.com/", True),
        ("https://guce.example.com/consent?brandType=x", True),
        ("https://www.example.com/privacy/consent?redirect=%2Fstory", True),
        ("https://www.example.com/cookie-wall/?return=/a/", True),
        ("https://www.example.com/2024/05/consent-decree-signed/", False),
        ("https://www.example.com/news/consenting-adults/", False),
        ("https://www.example.com/", False),
    ],
)
def test_consent_pages_by_their_url(url, consent):
    assert is_consent_url(url) is consent


# --- the middleware ------------------------------------------------------------------------


class Downloader:
    def __init__(self) -> None:
        self.floors: dict[str, float] = {}
        self.cancelled: list[str] = []

    def raise_delay(self, key: str, seconds: float) -> float:
        self.floors[key] = max(self.floors.get(key, 0.0), seconds)
        return self.floors[key]

    def cancel_queued(self, matches, error) -> int:
        queued = [Request("https://www.guarded.example/queued/", meta={"download_slot": "x"})]
        for request in queued:
            if matches(request):
                self.cancelled.append(str(error(request)))
        return len(self.cancelled)


@pytest.fixture
def middleware():
    crawler = get_crawler(
        Spider,
        {
            "BLOCK_DETECTION_ENABLED": True,
            "BLOCK_BACKOFF_START": 2.0,
            "BLOCK_BACKOFF_MAX": 5.0,
            "BLOCK_STOP_AFTER": 3,
        },
    )
    crawler.engine = SimpleNamespace(downloader=Downloader())
    outcomes: list[tuple[str, str]] = []
    crawler.signals.connect(
        lambda site, outcome: outcomes.append((site, outcome)), site_outcome, weak=False
    )
    mw = BlockMiddleware.from_crawler(crawler)
    mw.outcomes = outcomes
    return mw


def fetch(
    mw, path: str, status: int = 200, body: bytes = ARTICLE, sent_ago: float = 0.0, **headers
):
    request = Request(
        f"https://www.guarded.example{path}",
        meta={"download_slot": "www.guarded.example", "download_latency": sent_ago},
    )
    response = HtmlResponse(request.url, status=status, body=body, headers=headers, request=request)
    return request, mw.process_response(request, response)


def test_a_block_is_refused_backs_the_host_off_and_a_page_resets_the_count(middleware):
    fetch(middleware, "/")
    with pytest.raises(Refused) as refused:
        fetch(middleware, "/a/", 403, CLOUDFLARE)
    assert (refused.value.outcome, refused.value.reason) == (BLOCKED, "challenge")
    floors = middleware.crawler.engine.downloader.floors
    assert floors == {"www.guarded.example": 2.0}
    time.sleep(0.01)
    with pytest.raises(Refused):
        fetch(middleware, "/b/", 403, CLOUDFLARE)
    assert floors["www.guarded.example"] == 4.0  # doubled
    fetch(middleware, "/c/")  # answered normally: the run of blocks is over
    state = middleware.sites["guarded.example"]
    assert state.streak == 0 and state.blocks == {"challenge": 2} and not state.stopped


def test_requests_in_flight_when_the_blocks_began_count_once(middleware):
    fetch(middleware, "/")
    with pytest.raises(Refused):
        fetch(middleware, "/a/", 403, CLOUDFLARE)
    for path in ("/b/", "/c/", "/d/", "/e/"):  # sent a second ago, before the back-off
        with pytest.raises(Refused):
            fetch(middleware, path, 403, CLOUDFLARE, sent_ago=1.0)
    state = middleware.sites["guarded.example"]
    assert state.streak == 1 and sum(state.blocks.values()) == 5 and not state.stopped


def test_a_run_of_blocks_stops_the_site_and_its_queued_requests(middleware):
    fetch(middleware, "/")
    for path in ("/a/", "/b/", "/c/"):
        time.sleep(0.01)
        with pytest.raises(Refused):
            fetch(middleware, path, 403, AKAMAI)
    stats = middleware.crawler.stats
    assert stats.get_value("newsarchive/stopped/blocked") == 1
    assert stats.get_value("newsarchive/stopped_sites") == "guarded.example"
    assert middleware.outcomes == [("guarded.example", "stopped/blocked")]
    assert middleware.crawler.engine.downloader.cancelled == [
        "not sent: https://www.guarded.example/queued/: the site was stopped "
        "(3 blocks in a row, the last access_denied)"
    ]
    with pytest.raises(Refused) as refused:
        middleware.process_request(Request("https://amp.guarded.example/d/"))
    assert refused.value.reason == "site_stopped"
    middleware.process_request(Request("https://www.guarded.example/robots.txt"))
    middleware.process_request(Request("https://www.other.example/d/"))
    assert not stats.get_value("newsarchive/blocked_only")


def test_a_429_goes_on_to_the_retry_middleware_a_site_of_blocks_only_is_named(middleware):
    _, response = fetch(middleware, "/", 429, b"slow down", **{"Retry-After": "4"})
    assert response.status == 429
    assert middleware.crawler.engine.downloader.floors["www.guarded.example"] == 4.0
    blocked_only = middleware.crawler.stats.get_value("newsarchive/blocked_only")
    assert blocked_only == "guarded.example (rate_limited)"
    fetch(middleware, "/a/")
    assert middleware.crawler.stats.get_value("newsarchive/blocked_only") == ""


def test_a_block_another_component_reports_is_counted_the_same(middleware):
    request = Request(
        "https://www.guarded.example/a/", meta={"download_slot": "www.guarded.example"}
    )
    middleware.crawler.signals.send_catch_log(
        block_seen, request=request, response=None, reason=BlockReason.CONSENT_WALL
    )
    state = middleware.sites["guarded.example"]
    assert state.blocks == {"consent_wall": 1} and state.streak == 1


def test_block_detection_can_be_switched_off():
    from scrapy.exceptions import NotConfigured

    with pytest.raises(NotConfigured):
        BlockMiddleware.from_crawler(get_crawler(Spider, {"BLOCK_DETECTION_ENABLED": False}))
