"""A DNS resolver for crawls in tests: no name resolves, and nothing is asked of any
DNS server. ``-s DNS_RESOLVER=tests.support.dnsstub.NoSuchHostResolver``."""

from __future__ import annotations

from typing import Any

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import DNSLookupError


class NoSuchHostResolver(CachingThreadedResolver):
    def getHostByName(self, name: str, timeout: Any = ()) -> defer.Deferred[str]:
        return defer.fail(DNSLookupError(f"{name}: no such host (tests.support.dnsstub)"))
