"""Meta-refresh redirects, read from the first 4 KiB of the page only.

Scrapy's ``MetaRefreshMiddleware`` looks for ``<meta http-equiv="refresh">`` in the first
4,096 characters of a page, but gets them through ``response.text``: that decodes the
whole body and caches the decoded copy on the response for as long as the response
lives. For a 200 KB news page that is a full decode in the reactor thread and 200-800 KB
more held per page in flight (the text of a page with one non-Latin-1 character takes
2 or 4 bytes a character), on every page, only to read its head. This subclass reads
the same 4,096 bytes from the raw body, with the same rules, and caches nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse
from scrapy.utils.httpobj import urlparse_cached
from w3lib import html

from crawler.compat import RedirectSteps, meta_refresh_options, meta_refresh_request
from crawler.urls import ALLOWED_SCHEMES

if TYPE_CHECKING:
    from collections.abc import Iterable

    from scrapy import Request, Spider
    from scrapy.http import Response

HEAD_BYTES = 4096


def head_meta_refresh(
    response: HtmlResponse, ignore_tags: Iterable[str]
) -> tuple[None, None] | tuple[float, str]:
    """``(interval, url)`` of the page's meta refresh, or ``(None, None)``."""
    head = response.body[:HEAD_BYTES]
    encoding = response.encoding
    base = html.get_base_url(head, response.url, encoding)
    return html.get_meta_refresh(head, base, encoding, ignore_tags=ignore_tags)


class HeadMetaRefreshMiddleware(RedirectSteps, MetaRefreshMiddleware):
    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        if (
            request.meta.get("dont_redirect", False)
            or request.method == "HEAD"
            or not isinstance(response, HtmlResponse)
            or urlparse_cached(request).scheme not in ALLOWED_SCHEMES
        ):
            return response
        ignore_tags, max_delay = meta_refresh_options(self)
        interval, url = head_meta_refresh(response, ignore_tags)
        if not url:
            return response
        redirected = meta_refresh_request(self, request, response, url)
        if urlparse_cached(redirected).scheme not in ALLOWED_SCHEMES:
            return response
        if cast("float", interval) < max_delay:
            return self.follow(redirected, request, "meta refresh")
        return response
