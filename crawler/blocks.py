"""Is this response the site refusing us? Challenge, captcha, access-denied, rate-limit
and consent-wall answers, told apart from pages. Pure functions, tested alone.

News sites behind a bot manager (Cloudflare, Akamai, DataDome, PerimeterX, Imperva...)
answer a crawler they distrust with an interstitial page instead of the article: "Just a
moment...", "Checking your browser", "Access denied", a captcha, or a redirect to a
consent page. Such a page has words, and extraction would archive it as an article.
:func:`block_reason` recognises it from what the response says of itself:

- the status: 403 is a refusal, 429 a rate limit; a 503 only with a challenge's marks
  (otherwise the server is down, and the page is retried);
- headers: Cloudflare's ``cf-mitigated: challenge``;
- markers in the page's first 64 KiB: strong ones that only interstitials carry (a
  challenge script, a captcha provider, an "Access Denied" title), and weak phrases
  ("verify you are human", "too many requests") that also occur in stories, trusted only
  on a page much smaller than the site's articles (:func:`is_small`);
- a redirect to a consent page (``consent.example.com``, ``/consent?continue=...``).

The crawler counts each as ``newsarchive/blocked/<reason>`` and backs off
(``crawler/middlewares/blocks.py``); nothing refused here reaches the archive.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Why a response is a block: declared with every other outcome name.
from archive.outcomes import BlockReason

# How much of a page is searched for markers (interstitials put them near the top).
SAMPLE_BYTES = 32 * 1024
# A page is "much smaller than the site's articles" below this share of their median
# size (once a site has TYPICAL_MIN_PAGES pages measured), and below SMALL_PAGE_BYTES.
SMALL_SHARE = 0.4
SMALL_PAGE_BYTES = 32 * 1024
TYPICAL_MIN_PAGES = 3
# Strong markers count on any page up to this size: no interstitial is larger, and a
# larger page (most articles) costs no search at all.
INTERSTITIAL_MAX_BYTES = 128 * 1024


def _markers(*phrases: str) -> tuple[bytes, ...]:
    # searched with ``in``, each a fast C scan: a regular expression alternating them
    # tries every phrase at every byte, ~100 times slower on a 32 KiB sample
    return tuple(p.encode() for p in phrases)


# Marks only interstitial pages carry (lower-case).
_STRONG: tuple[tuple[BlockReason, tuple[bytes, ...]], ...] = (
    (
        BlockReason.CHALLENGE,
        _markers(
            "<title>just a moment...</title>",
            "<title>just a moment\u2026</title>",
            "_cf_chl_opt",
            "cf-chl-widget",
            "cf_chl_prog",
            "<title>attention required! | cloudflare</title>",
            "checking your browser before accessing",
            "checking if the site connection is secure",
            "_incapsula_resource",
            "incapsula incident id",
            "awswafintegration",
            "sucuri website firewall - access denied",
        ),
    ),
    (
        BlockReason.CAPTCHA,
        _markers("captcha-delivery.com", "px-captcha", "perimeterx captcha", "geo.captcha"),
    ),
    (
        BlockReason.ACCESS_DENIED,
        _markers(
            "<title>access denied</title>",
            "the requested url was rejected. please consult with your administrator",
            "sorry, you have been blocked",
            "error 1020",
        ),
    ),
)
# Phrases that mean the same on a small page, and may be story text on a large one.
_WEAK: tuple[tuple[BlockReason, tuple[bytes, ...]], ...] = (
    (
        BlockReason.CHALLENGE,
        _markers(
            "just a moment",
            "checking your browser",
            "enable javascript and cookies to continue",
            "please enable js and disable any ad blocker",
            "please enable cookies",
            "ddos protection by",
            "browser verification",
        ),
    ),
    (
        BlockReason.CAPTCHA,
        _markers(
            "g-recaptcha",
            "h-captcha",
            "hcaptcha.com",
            "verify you are human",
            "verifying you are human",
            "are you a robot",
            "prove you are human",
            "unusual traffic from your computer network",
            "complete the security check",
        ),
    ),
    (
        BlockReason.ACCESS_DENIED,
        _markers(
            "access denied",
            "access to this page has been denied",
            "you don't have permission to access",
            "you do not have permission to access",
            "request blocked",
            "your access to this site has been limited",
            "forbidden",
        ),
    ),
    (BlockReason.RATE_LIMITED, _markers("too many requests", "rate limit exceeded")),
    (
        BlockReason.CONSENT_WALL,
        _markers(
            "before you continue",
            "we value your privacy",
            "cookie wall",
            "consent to the use of cookies",
            "accept all cookies",
            "agree to continue",
        ),
    ),
)
_CONSENT_HOST = re.compile(r"(?:^|[.-])(?:consent|guce)[.-]", re.IGNORECASE)
_CONSENT_PATH = re.compile(
    r"/(?:consent|collectconsent|cookie-?wall|cookie-?consent|privacy-?gate|gdpr-?consent)"
    r"(?:[/.?]|$)",
    re.IGNORECASE,
)


def is_small(size: int, typical: float | None) -> bool:
    """Whether a page of ``size`` bytes is much smaller than the site's articles
    (``typical``: their median size, None while unknown), and small at all: under
    SMALL_PAGE_BYTES (real news pages weigh 30 KB to 1 MB, an interstitial a few KB)."""
    if size >= SMALL_PAGE_BYTES:
        return False
    return typical is None or size < typical * SMALL_SHARE


def is_consent_url(url: str) -> bool:
    """A consent-management page (``consent.example.com/...``, ``/consent?continue=``)."""
    parts = urlsplit(url)
    return bool(
        _CONSENT_HOST.search(f".{parts.hostname or ''}.") or _CONSENT_PATH.search(parts.path)
    )


def marker_reason(body: bytes, *, small: bool) -> BlockReason | None:
    """The reason the page's markers give: strong ones on a page up to
    INTERSTITIAL_MAX_BYTES, weak ones only on a ``small`` page."""
    if len(body) > INTERSTITIAL_MAX_BYTES:
        return None
    sample = body[:SAMPLE_BYTES].lower()
    for reason, markers in _STRONG:
        if any(marker in sample for marker in markers):
            return reason
    if small:
        for reason, markers in _WEAK:
            if any(marker in sample for marker in markers):
                return reason
    return None


def block_reason(
    status: int,
    headers: dict[str, str],
    body: bytes,
    *,
    typical: float | None = None,
) -> BlockReason | None:
    """Why this response is the site refusing us, or None for a page, a redirect (see
    :func:`is_consent_url`) or an ordinary error. ``headers`` has lower-case names;
    ``typical`` is the median size of the site's pages so far (None: unknown)."""
    if headers.get("cf-mitigated", "").strip().lower() == "challenge":
        return BlockReason.CHALLENGE
    small = is_small(len(body), typical)
    if status == 429:
        return marker_reason(body, small=True) or BlockReason.RATE_LIMITED
    if status == 403:
        return marker_reason(body, small=True) or BlockReason.ACCESS_DENIED
    if status == 503:
        found = marker_reason(body, small=small)
        return found if found in (BlockReason.CHALLENGE, BlockReason.CAPTCHA) else None
    if status == 200:
        return marker_reason(body, small=small)
    return None
