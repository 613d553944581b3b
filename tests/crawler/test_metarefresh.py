"""Meta-refresh redirects read from the page's first 4 KiB, without decoding the page."""

from __future__ import annotations

from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.middlewares.metarefresh import HEAD_BYTES, HeadMetaRefreshMiddleware


def middleware() -> HeadMetaRefreshMiddleware:
    return HeadMetaRefreshMiddleware.from_crawler(get_crawler())


def page(head: str, body_bytes: int = 0) -> HtmlResponse:
    html = f"<html><head>{head}</head><body>{'x' * body_bytes}</body></html>"
    return HtmlResponse(
        "https://n.example/old/",
        body=html.encode("utf-8"),
        headers={"Content-Type": "text/html; charset=utf-8"},
    )


def test_a_meta_refresh_in_the_head_redirects():
    request = Request("https://n.example/old/")
    result = middleware().process_response(
        request, page('<meta http-equiv="refresh" content="0; url=/new/">')
    )
    assert isinstance(result, Request)
    assert result.url == "https://n.example/new/"


def test_a_page_without_refresh_passes_and_is_not_decoded():
    response = page("<title>Story</title>", body_bytes=200_000)
    assert middleware().process_response(Request(response.url), response) is response
    # Scrapy's own middleware leaves the whole decoded text cached on the response.
    assert response._cached_ubody is None


def test_a_refresh_past_the_head_bytes_or_too_slow_is_ignored():
    late = page(
        f"<title>{'t' * HEAD_BYTES}</title><meta http-equiv='refresh' content='0; url=/x/'>"
    )
    assert middleware().process_response(Request(late.url), late) is late
    slow = page('<meta http-equiv="refresh" content="600; url=/new/">')
    assert middleware().process_response(Request(slow.url), slow) is slow


def test_dont_redirect_and_non_html_pass_through():
    response = page('<meta http-equiv="refresh" content="0; url=/new/">')
    request = Request(response.url, meta={"dont_redirect": True})
    assert middleware().process_response(request, response) is response
