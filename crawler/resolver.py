"""Host names answered from the ``DNS_HOSTS`` setting before DNS, as ``/etc/hosts`` would.

``-s DNS_HOSTS='{"www.example.test": "127.0.0.60"}'`` sends the crawl's requests for
that name to that address without asking DNS, like curl's ``--resolve``: a site
moving to a new server can be crawled there before its DNS changes, and the tests
give their fixture sites real host names (``www.``, ``amp.``, ``m.`` of one
publisher) on loopback addresses. A host listed here counts as one the user named,
so the network guard lets it be private (``crawler/middlewares/netguard.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer

from crawler.defaults import DNS_HOSTS

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from scrapy.settings import BaseSettings
    from twisted.internet.base import ReactorBase
    from twisted.internet.defer import Deferred


def dns_hosts(settings: BaseSettings) -> dict[str, str]:
    """DNS_HOSTS as ``{host name (lower case, no final dot): address}``."""
    return {
        str(name).strip().rstrip(".").lower(): str(address).strip()
        for name, address in DNS_HOSTS.get(settings).items()
    }


class HostsResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, answering the names of ``DNS_HOSTS`` itself."""

    def __init__(
        self, reactor: ReactorBase, cache_size: int, timeout: float, hosts: Mapping[str, str]
    ) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.hosts = dict(hosts)

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: ReactorBase) -> HostsResolver:
        # Scrapy passes its CrawlerProcess here, which has the settings a crawler has.
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(reactor, cache_size, settings.getfloat("DNS_TIMEOUT"), dns_hosts(settings))

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        address = self.hosts.get(name.rstrip(".").lower())
        if address is not None:
            return defer.succeed(address)
        return super().getHostByName(name, timeout)
