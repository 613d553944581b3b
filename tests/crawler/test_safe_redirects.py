"""The redirect middlewares on requests and responses built in memory: loops, scope,
non-HTTP targets, and credentials that must not follow a redirect to another origin."""

from __future__ import annotations

import pytest
from scrapy import Request, Spider
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from crawler.failures import Refused
from crawler.middlewares.redirect import (
    SafeRedirectMiddleware,
    strip_cross_origin_credentials,
)
from crawler.urls import site_of

SECRETS = {
    "Cookie": "s=1",
    "Authorization": "Bearer t",
    "Proxy-Authorization": "Basic p",
}


class ScopedSpider(Spider):
    name = "scoped"

    def redirect_allowed(self, first_url: str, target: str) -> bool:
        return site_of(target) in {site_of(first_url), "news.example.com"}


def middleware() -> SafeRedirectMiddleware:
    crawler = get_crawler(ScopedSpider)
    crawler.spider = ScopedSpider()
    return SafeRedirectMiddleware.from_crawler(crawler)


def redirect(request: Request, location: str) -> Request:
    response = Response(request.url, status=302, headers={"Location": location})
    result = middleware().process_response(request, response)
    assert isinstance(result, Request)
    return result


def test_a_redirect_within_the_site_is_followed():
    hop = redirect(Request("https://news.example.com/a"), "/b")
    assert hop.url == "https://news.example.com/b"
    assert hop.meta["redirect_urls"] == ["https://news.example.com/a"]


def test_a_redirect_back_into_its_chain_is_a_loop():
    first = redirect(Request("https://news.example.com/a"), "/b")
    with pytest.raises(Refused) as refused:
        redirect(first, "/a")
    assert (refused.value.reason, refused.value.outcome) == ("redirect_loop", "failed")
    with pytest.raises(Refused):
        redirect(Request("https://news.example.com/self"), "/self")


def test_a_redirect_off_the_crawl_sites_is_refused():
    with pytest.raises(Refused) as refused:
        redirect(Request("https://news.example.com/a"), "https://tracker.example.net/x")
    assert refused.value.reason == "redirect_out_of_scope"


@pytest.mark.parametrize("target", ["file:///etc/passwd", "data:text/html,x", "ftp://h/x"])
def test_a_redirect_to_a_non_http_url_is_refused(target):
    with pytest.raises(Refused) as refused:
        redirect(Request("https://news.example.com/a"), target)
    assert refused.value.reason == "blocked_scheme"


def test_too_many_redirects_are_recorded_as_failed():
    request = Request("https://news.example.com/0")
    with pytest.raises(Refused) as refused:
        for n in range(1, 30):
            request = redirect(request, f"/{n}")
    assert (refused.value.reason, refused.value.outcome) == ("too_many_redirects", "failed")


def hop(first: str, url: str) -> Request:
    return Request(url, headers=SECRETS, meta={"redirect_urls": [first]})


@pytest.mark.parametrize(
    "url",
    [
        "https://other.example.org/landed",  # another host
        "https://news.example.com:8443/landed",  # another port
        "http://news.example.com/landed",  # another scheme
    ],
)
def test_credentials_are_removed_when_a_redirect_leaves_the_origin(url):
    request = hop("https://news.example.com/a", url)
    assert strip_cross_origin_credentials(request)
    assert not any(name in request.headers for name in SECRETS)


def test_credentials_stay_within_the_origin_and_on_requests_that_were_not_redirected():
    same = hop("https://news.example.com/a", "https://NEWS.example.com:443/b")
    assert not strip_cross_origin_credentials(same)
    assert all(name in same.headers for name in SECRETS)
    direct = Request("https://other.example.org/", headers=SECRETS)
    assert not strip_cross_origin_credentials(direct)
    assert "Authorization" in direct.headers


def test_the_middleware_strips_them_after_default_headers_put_them_back():
    """DefaultHeadersMiddleware (400) re-adds configured headers on every pass; the
    redirect middleware's process_request (600) runs after it."""
    request = hop("https://news.example.com/a", "https://other.example.org/landed")
    middleware().process_request(request)
    assert not any(name in request.headers for name in SECRETS)
