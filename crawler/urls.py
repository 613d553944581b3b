"""What identifies a page: URL normalisation and the site a URL belongs to.

One article must be one archive row however it was reached, so every URL the
crawler stores or compares goes through :func:`normalize_url` first.

A site is a publisher's registrable domain: ``www.``, ``amp.``, ``m.`` and the bare
domain of one publisher are one site for the crawl's scope, canonical URLs and
deduplication (``amp.example.co.uk`` and ``www.example.co.uk`` are ``example.co.uk``).
The Public Suffix List says where the registrable part starts; tldextract's copy of
it, bundled with the package, is read once, never fetched: a crawl makes no request
for it. Hosted publications under a shared domain listed in the PSL's private
section (``name.blogspot.com``, ``name.github.io``) stay apart.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import tldextract
from w3lib.url import canonicalize_url

DEFAULT_PORTS = {"http": 80, "https": 443}
# The schemes a crawl fetches and follows (links, redirects, refreshes, seeds).
ALLOWED_SCHEMES = frozenset(DEFAULT_PORTS)

# Query parameters that only say how a reader arrived, never which page it is.
TRACKING_PARAM = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|mc_cid|mc_eid|"
    r"igshid|_ga|_gl|_hsenc|_hsmi|mkt_tok|oly_anon_id|oly_enc_id|vero_id|wt_mc|"
    r"cmpid|ocid|ns_source|ns_mchannel|ns_campaign|ns_linkname|ns_fee|__twitter_impression)$",
    re.IGNORECASE,
)


def strip_tracking(query: str) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(k, v) for k, v in pairs if not TRACKING_PARAM.match(k)])


def normalize_url(url: str) -> str:
    """The archive's key for ``url``: lower-case scheme and host, no default port,
    no fragment, no tracking parameters, sorted query, ``/`` for an empty path."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    netloc = host if port is None or DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    path = parts.path or "/"
    cleaned = urlunsplit((scheme, netloc, path, strip_tracking(parts.query), ""))
    return canonicalize_url(cleaned, keep_fragments=False)


# Special-use top-level names (RFC 2606, 6761, 6762, 8375, ICANN's .internal) are not
# in the PSL, yet nothing under them is registered by another party: ``news.test`` is
# the site of ``amp.news.test`` as ``news.example`` is of ``www.news.example``.
SPECIAL_USE_SUFFIXES = ("test", "example", "invalid", "localhost", "local", "internal", "home.arpa")

_PSL = tldextract.TLDExtract(
    cache_dir=None,  # read the bundled snapshot; write no cache file
    suffix_list_urls=(),  # and never fetch the list
    fallback_to_snapshot=True,
    include_psl_private_domains=True,
    extra_suffixes=SPECIAL_USE_SUFFIXES,
)


@lru_cache(maxsize=65_536)
def site_of_host(host: str) -> str:
    """The registrable domain of a host name (``amp.example.co.uk`` -> ``example.co.uk``).

    An IP address, a single-label name (``intranet``) or a name under a suffix the PSL
    does not know is its own site, without ``www.``.
    """
    host = host.rstrip(".").lower()
    domain = _PSL.extract_str(host).top_domain_under_public_suffix
    return domain or host.removeprefix("www.")


def site_of(url: str) -> str:
    """The site a URL belongs to: its host's registrable domain (see :func:`site_of_host`),
    with the port when it is not the scheme's default (``127.0.0.2:8080``)."""
    parts = urlsplit(url)
    site = site_of_host(parts.hostname or "")
    port = parts.port
    if port is not None and DEFAULT_PORTS.get(parts.scheme.lower()) != port:
        return f"{site}:{port}"
    return site


def same_site(url: str, other: str) -> bool:
    return site_of(url) == site_of(other)
