"""What identifies a page: URL normalisation and the site a URL belongs to.

One article must be one archive row however it was reached, so every URL the
crawler stores or compares goes through :func:`normalize_url` first.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

DEFAULT_PORTS = {"http": 80, "https": 443}

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


def site_of(url: str) -> str:
    """The site a URL belongs to: its host (and non-default port), without ``www.``."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".").lower()
    host = host.removeprefix("www.")
    port = parts.port
    if port is not None and DEFAULT_PORTS.get(parts.scheme.lower()) != port:
        return f"{host}:{port}"
    return host


def same_site(url: str, other: str) -> bool:
    return site_of(url) == site_of(other)
