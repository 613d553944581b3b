"""Redirects that stay safe: Scrapy's redirect middlewares with five more rules.

1. A redirect back to a URL already in its chain is a loop: stopped at once and
   recorded as ``failed/redirect_loop`` (Scrapy would follow it 20 times, or its
   duplicate filter would drop it without a word).
2. A redirect to a site outside the crawl (``spider.redirect_allowed``) is refused
   and recorded as ``skipped/redirect_out_of_scope``.
3. A redirect to anything but ``http:``/``https:`` (``file:``, ``data:``, ``ftp:``) is
   refused and recorded as ``skipped/blocked_scheme`` (Scrapy would hand the 3xx
   response on as a page).
4. Credentials never follow a redirect to another origin: ``Cookie``,
   ``Authorization`` and ``Proxy-Authorization`` are removed from a redirected
   request whose scheme, host or port differs from the chain's first request.
   Scrapy already strips them when it builds the redirected request, but
   ``DEFAULT_REQUEST_HEADERS`` would put them back on the next pass through the
   downloader middlewares; this check runs after that (priority 600 > 400).
   ``CookiesMiddleware`` then adds the cookies the new host set itself, and
   ``HttpProxyMiddleware`` the credentials of a configured proxy.
5. A redirect to a consent page (``consent.example.com/?continue=...``) is the site
   putting a consent wall before its story: not followed, recorded as
   ``blocked/consent_wall`` and reported to the block middleware, which backs the site
   off and stops it after a run of them (``crawler/middlewares/blocks.py``), unless
   ``BLOCK_DETECTION_ENABLED`` is off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from w3lib.url import canonicalize_url

from archive.outcomes import BlockReason, FailReason, SkipReason
from crawler.blocks import is_consent_url
from crawler.compat import RedirectSteps
from crawler.failures import BLOCKED, FAILED, Refused
from crawler.interfaces import redirect_allowed
from crawler.middlewares.metarefresh import HeadMetaRefreshMiddleware
from crawler.signals import block_seen
from crawler.urls import ALLOWED_SCHEMES, DEFAULT_PORTS

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.http import Response

CREDENTIAL_HEADERS = (b"Cookie", b"Authorization", b"Proxy-Authorization")


def origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or DEFAULT_PORTS.get(scheme)


def strip_cross_origin_credentials(request: Request) -> bool:
    """Remove credential headers from a redirected request that left its chain's origin."""
    chain = request.meta.get("redirect_urls")
    if not chain or origin(chain[0]) == origin(request.url):
        return False
    removed = False
    for name in CREDENTIAL_HEADERS:
        if name in request.headers:
            del request.headers[name]
            removed = True
    return removed


class _SafeRedirectMixin(RedirectSteps):
    def follow(self, redirected: Request, request: Request, reason: Any) -> Request:
        chain = [*request.meta.get("redirect_urls", []), request.url]
        target = canonicalize_url(redirected.url)
        if is_consent_url(redirected.url) and self.crawler.settings.getbool(
            "BLOCK_DETECTION_ENABLED"
        ):
            self._consent_wall(request, redirected)
        if any(canonicalize_url(url) == target for url in chain):
            raise Refused(
                FailReason.REDIRECT_LOOP,
                f"redirect loop: {request.url} -> {redirected.url} after {len(chain) - 1} hop(s)",
                outcome=FAILED,
            )
        if not redirect_allowed(self.crawler.spider, chain[0], redirected.url):
            raise Refused(
                SkipReason.REDIRECT_OUT_OF_SCOPE,
                f"{chain[0]} redirects to {redirected.url}, outside the crawl's sites",
            )
        try:
            return super().follow(redirected, request, reason)
        except IgnoreRequest as exc:
            raise Refused(
                FailReason.TOO_MANY_REDIRECTS, f"{chain[0]}: {exc} ({len(chain)})", outcome=FAILED
            ) from exc

    def _consent_wall(self, request: Request, redirected: Request) -> None:
        self.crawler.signals.send_catch_log(
            block_seen, request=request, response=None, reason=BlockReason.CONSENT_WALL
        )
        raise Refused(
            BlockReason.CONSENT_WALL,
            f"{request.url} redirects to a consent page ({redirected.url})",
            outcome=BLOCKED,
        )

    def process_request(self, request: Request) -> None:
        strip_cross_origin_credentials(request)


class SafeRedirectMiddleware(_SafeRedirectMixin, RedirectMiddleware):
    """Follows 3xx redirects (replaces Scrapy's ``RedirectMiddleware``)."""

    def build_redirect_request(
        self, source_request: Request, response: Response, *, url: str, **kwargs: Any
    ) -> Request:
        scheme = urlsplit(url).scheme.lower()
        if scheme not in ALLOWED_SCHEMES:
            raise Refused(
                SkipReason.BLOCKED_SCHEME,
                f"{source_request.url} redirects to a {scheme}: URL, refused",
            )
        return super().build_redirect_request(source_request, response, url=url, **kwargs)


class SafeMetaRefreshMiddleware(_SafeRedirectMixin, HeadMetaRefreshMiddleware):
    """Follows ``<meta http-equiv=refresh>`` (replaces Scrapy's ``MetaRefreshMiddleware``).

    A meta refresh to a non-HTTP URL is not followed, and the page is kept, as in Scrapy.
    Only the page's first 4 KiB are read for it (``HeadMetaRefreshMiddleware``).
    """
