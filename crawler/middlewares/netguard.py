"""Network guard: the crawler fetches public web addresses only, by link or by redirect.

A page, feed or redirect can point the crawler at ``http://169.254.169.254/`` (a
cloud metadata service), ``http://10.0.0.5/admin`` or ``http://localhost:8080/``;
fetching those from inside a network is server-side request forgery. Every request
passes this downloader middleware, redirect hops included (Scrapy sends a redirected
request through the downloader middlewares again), and is refused when:

- its scheme is not ``http`` or ``https`` (``file:``, ``data:``, ``ftp:``, ``s3:``...);
- its host is, or resolves to, any address outside the public internet (private,
  loopback, link-local, cloud metadata, unique-local, multicast, reserved: see
  :data:`BLOCKED_NETWORKS`), unless the host is one the user named in a start URL
  (``spider.seed_hosts``), in ``NETGUARD_ALLOWED_HOSTS`` or given an address in
  ``DNS_HOSTS`` (``crawler/resolver.py``).

Host names are resolved here, in a thread and cached, before Scrapy resolves them
again to connect; a name that resolves differently the second time (DNS rebinding)
is caught on the way back: a response whose peer address is not public is dropped.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import time
from collections import OrderedDict
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured

from archive.outcomes import SkipReason
from crawler.defaults import NETGUARD_ALLOWED_HOSTS, NETGUARD_ENABLED
from crawler.failures import Refused
from crawler.interfaces import seed_hosts
from crawler.resolver import dns_hosts
from crawler.urls import ALLOWED_SCHEMES

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Most specific first: the first network that holds an address names why it is refused.
BLOCKED_NETWORKS: tuple[tuple[str, str], ...] = (
    ("169.254.169.254/32", "metadata"),  # AWS, GCP, Azure, OpenStack...
    ("169.254.170.2/32", "metadata"),  # AWS ECS task metadata
    ("100.100.100.200/32", "metadata"),  # Alibaba Cloud
    ("192.0.0.192/32", "metadata"),  # Oracle Cloud
    ("fd00:ec2::254/128", "metadata"),  # AWS over IPv6
    ("0.0.0.0/8", "unspecified"),
    ("10.0.0.0/8", "private"),
    ("100.64.0.0/10", "shared"),  # carrier-grade NAT
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link-local"),
    ("172.16.0.0/12", "private"),
    ("192.0.0.0/24", "reserved"),
    ("192.0.2.0/24", "documentation"),
    ("192.88.99.0/24", "reserved"),  # 6to4 relay anycast
    ("192.168.0.0/16", "private"),
    ("198.18.0.0/15", "benchmarking"),
    ("198.51.100.0/24", "documentation"),
    ("203.0.113.0/24", "documentation"),
    ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved"),  # 255.255.255.255 included
    ("::/128", "unspecified"),
    ("::1/128", "loopback"),
    ("::/96", "reserved"),  # deprecated IPv4-compatible addresses
    ("64:ff9b:1::/48", "private"),  # local-use NAT64
    ("100::/64", "reserved"),  # discard-only
    ("2001::/23", "reserved"),  # IETF protocol assignments, Teredo included
    ("2001:db8::/32", "documentation"),
    ("3fff::/20", "documentation"),
    ("5f00::/16", "reserved"),  # segment routing
    ("fc00::/7", "unique-local"),
    ("fe80::/10", "link-local"),
    ("fec0::/10", "site-local"),
    ("ff00::/8", "multicast"),
)
_NETWORKS = tuple((ipaddress.ip_network(net), name) for net, name in BLOCKED_NETWORKS)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_DNS_CACHE_TTL = 300.0
_DNS_CACHE_SIZE = 10_000


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries to the IPv4 internet, if it does
    (IPv4-mapped ``::ffff:a.b.c.d``, 6to4 ``2002::/16``, NAT64 ``64:ff9b::/96``)."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def blocked_reason(address: str | IPAddress) -> str | None:
    """Why the crawler must not connect to ``address``, or None for a public address.

    An IPv6 address that carries an IPv4 one is judged by the IPv4 address too, so
    ``::ffff:127.0.0.1`` is loopback. ``address`` must be an IP literal (ValueError if not).
    """
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address) and ip.scope_id:
        ip = ipaddress.IPv6Address(str(ip).split("%", 1)[0])
    inner = embedded_ipv4(ip)
    if inner is not None:
        return blocked_reason(inner)
    for network, name in _NETWORKS:
        if ip.version == network.version and ip in network:
            return name
    return None if ip.is_global else "reserved"


def ip_literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def normalize_host(host: str) -> str:
    return host.strip().rstrip(".").lower().strip("[]")


class NetworkGuardMiddleware:
    """Refuses requests to non-HTTP schemes and to non-public addresses (see module doc)."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.allowed_hosts: set[str] = {
            normalize_host(h) for h in NETGUARD_ALLOWED_HOSTS.get(settings)
        } | set(dns_hosts(settings))
        self.dns_timeout = settings.getfloat("DNS_TIMEOUT") or 60.0
        self._cache: OrderedDict[str, tuple[float, tuple[str, ...]]] = OrderedDict()
        self._lookups: dict[str, asyncio.Future[tuple[str, ...]]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NetworkGuardMiddleware:
        if not NETGUARD_ENABLED.get(crawler.settings):
            raise NotConfigured
        guard = cls(crawler)
        crawler.signals.connect(guard.spider_opened, signal=signals.spider_opened)
        return guard

    def spider_opened(self, spider: Spider) -> None:
        self.allowed_hosts |= {normalize_host(h) for h in seed_hosts(spider)}

    # --- requests --------------------------------------------------------------------

    async def process_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        scheme = parts.scheme.lower()
        if scheme not in ALLOWED_SCHEMES:
            self._refuse(request, SkipReason.BLOCKED_SCHEME, f"{scheme}: URLs are never fetched")
        host = normalize_host(parts.hostname or "")
        if not host:
            self._refuse(request, SkipReason.BLOCKED_ADDRESS, "the URL has no host")
        if host in self.allowed_hosts:
            return
        literal = ip_literal(host)
        addresses = (str(literal),) if literal is not None else await self._resolve(host)
        for address in addresses:
            reason = blocked_reason(address)
            if reason is not None:
                self._refuse(
                    request,
                    SkipReason.BLOCKED_ADDRESS,
                    f"{host} is a {reason} address ({address}), not a start URL's host",
                )

    def process_response(self, request: Request, response: Response) -> Response:
        """Drop a response that came from a non-public address after all (DNS rebinding)."""
        peer = getattr(response, "ip_address", None)
        host = normalize_host(urlsplit(request.url).hostname or "")
        if peer is None or host in self.allowed_hosts or request.meta.get("proxy"):
            return response
        reason = blocked_reason(peer)
        if reason is not None:
            self._refuse(
                request,
                SkipReason.BLOCKED_ADDRESS,
                f"{host} answered from a {reason} address ({peer})",
            )
        return response

    def _refuse(self, request: Request, reason: str, message: str) -> None:
        logger.warning("refused %s: %s", request.url, message)
        raise Refused(reason, f"refused {request.url}: {message}")

    # --- resolution --------------------------------------------------------------------

    async def _resolve(self, host: str) -> tuple[str, ...]:
        """Every address ``host`` resolves to (cached); () when it does not resolve, so
        the download fails as Scrapy reports it."""
        cached = self._cache.get(host)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        pending = self._lookups.get(host)
        if pending is None:
            pending = asyncio.ensure_future(self._lookup(host))
            self._lookups[host] = pending
            pending.add_done_callback(lambda _: self._lookups.pop(host, None))
        return await asyncio.shield(pending)

    async def _lookup(self, host: str) -> tuple[str, ...]:
        try:
            infos = await asyncio.wait_for(
                asyncio.to_thread(socket.getaddrinfo, host, None, 0, socket.SOCK_STREAM),
                self.dns_timeout,
            )
        except (OSError, UnicodeError, TimeoutError) as exc:
            logger.debug("cannot resolve %s: %s", host, exc)
            return ()
        addresses = tuple(dict.fromkeys(str(info[4][0]) for info in infos))
        self._cache[host] = (time.monotonic() + _DNS_CACHE_TTL, addresses)
        self._cache.move_to_end(host)
        while len(self._cache) > _DNS_CACHE_SIZE:
            self._cache.popitem(last=False)
        return addresses
