"""DNS_HOSTS: host names answered before DNS (crawler/resolver.py)."""

from __future__ import annotations

from scrapy.settings import Settings
from twisted.internet.defer import Deferred

from crawler.resolver import HostsResolver, dns_hosts


class Reactor:
    """Enough of a reactor for the resolver's constructor; it must never be asked."""

    def getThreadPool(self):
        raise AssertionError("a listed name must not be resolved in a thread")


def test_a_listed_name_is_answered_with_its_address_without_a_lookup():
    settings = Settings({"DNS_HOSTS": {"WWW.Paper.test.": " 127.0.0.70 "}})
    assert dns_hosts(settings) == {"www.paper.test": "127.0.0.70"}
    resolver = HostsResolver(Reactor(), cache_size=0, timeout=5.0, hosts=dns_hosts(settings))
    answered: Deferred[str] = resolver.getHostByName("www.PAPER.test")
    results: list[str] = []
    answered.addCallback(results.append)
    assert results == ["127.0.0.70"]


def test_the_project_settings_install_it():
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    assert settings["TWISTED_DNS_RESOLVER"] == "crawler.resolver.HostsResolver"
    assert dns_hosts(settings) == {}
