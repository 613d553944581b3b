"""The network guard's address rule, as a pure function over every range, and the
middleware on requests built in memory. No test here sends a packet: private, link-local
and public addresses are only ever judged, never contacted."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest
from scrapy import Request, Spider
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.failures import Refused
from crawler.middlewares.netguard import (
    BLOCKED_NETWORKS,
    NetworkGuardMiddleware,
    blocked_reason,
    embedded_ipv4,
)

# (address, reason) for the ranges the issue names, and the others the guard refuses.
REFUSED = [
    ("10.0.0.1", "private"),
    ("10.255.255.255", "private"),
    ("172.16.0.1", "private"),
    ("172.31.255.254", "private"),
    ("192.168.0.1", "private"),
    ("192.168.255.255", "private"),
    ("127.0.0.1", "loopback"),
    ("127.0.0.99", "loopback"),
    ("127.255.255.254", "loopback"),
    ("169.254.0.1", "link-local"),
    ("169.254.169.254", "metadata"),
    ("169.254.170.2", "metadata"),
    ("100.100.100.200", "metadata"),
    ("192.0.0.192", "metadata"),
    ("::1", "loopback"),
    ("fc00::1", "unique-local"),
    ("fd12:3456:789a::1", "unique-local"),
    ("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "unique-local"),
    ("fd00:ec2::254", "metadata"),
    ("fe80::1", "link-local"),
    ("fe80::1%eth0", "link-local"),
    ("0.0.0.0", "unspecified"),
    ("::", "unspecified"),
    ("100.64.0.1", "shared"),
    ("192.0.2.10", "documentation"),
    ("198.18.0.1", "benchmarking"),
    ("224.0.0.1", "multicast"),
    ("239.255.255.250", "multicast"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", "reserved"),
    ("ff02::1", "multicast"),
    ("2001:db8::1", "documentation"),
    ("fec0::1", "site-local"),
    ("64:ff9b:1::1", "private"),
    # IPv6 forms that carry an IPv4 address are judged by it
    ("::ffff:127.0.0.1", "loopback"),
    ("::ffff:10.1.2.3", "private"),
    ("::ffff:169.254.169.254", "metadata"),
    ("64:ff9b::7f00:1", "loopback"),
    ("64:ff9b::a9fe:a9fe", "metadata"),
    ("2002:c0a8:0101::1", "private"),
    ("2002:7f00:0001::1", "loopback"),
    ("::127.0.0.1", "reserved"),
]
PUBLIC = [
    "93.184.216.34",
    "8.8.8.8",
    "1.1.1.1",
    "172.15.255.255",
    "172.32.0.0",
    "192.169.0.1",
    "100.63.255.255",
    "100.128.0.0",
    "169.253.255.255",
    "2606:4700:4700::1111",
    "2a00:1450:4001:82a::200e",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:0808:0808::1",
]


@pytest.mark.parametrize(("address", "reason"), REFUSED)
def test_non_public_addresses_are_refused_with_their_reason(address, reason):
    assert blocked_reason(address) == reason


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address):
    assert blocked_reason(address) is None


@pytest.mark.parametrize(("network", "reason"), BLOCKED_NETWORKS)
def test_every_address_of_every_blocked_network_is_refused(network, reason):
    """The first, last and a middle address of each network in the table."""
    net = ipaddress.ip_network(network)
    for address in (net[0], net[-1], net[net.num_addresses // 2]):
        found = blocked_reason(address)
        assert found is not None, address
        if net.prefixlen == net.max_prefixlen:
            assert found == reason


def test_neighbours_of_private_ranges_are_public():
    for network in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"):
        net = ipaddress.ip_network(network)
        assert blocked_reason(net[0] - 1) is None
        assert blocked_reason(net[-1] + 1) is None


def test_embedded_ipv4_addresses():
    assert str(embedded_ipv4(ipaddress.ip_address("::ffff:10.0.0.1"))) == "10.0.0.1"
    assert str(embedded_ipv4(ipaddress.ip_address("2002:0a00:0001::"))) == "10.0.0.1"
    assert str(embedded_ipv4(ipaddress.ip_address("64:ff9b::0a00:0001"))) == "10.0.0.1"
    assert embedded_ipv4(ipaddress.ip_address("2606:4700::1")) is None
    assert embedded_ipv4(ipaddress.ip_address("10.0.0.1")) is None


def test_a_host_name_is_not_an_address():
    with pytest.raises(ValueError):
        blocked_reason("example.com")


# --- the middleware, on requests built in memory (no request is sent) ----------------------


class SeededSpider(Spider):
    name = "seeded"
    seed_hosts = frozenset({"127.0.0.20", "intranet.example"})


def guard(**settings) -> NetworkGuardMiddleware:
    crawler = get_crawler(SeededSpider, {"NETGUARD_ENABLED": True, **settings})
    middleware = NetworkGuardMiddleware.from_crawler(crawler)
    middleware.spider_opened(SeededSpider())
    return middleware


def check(middleware: NetworkGuardMiddleware, request: Request) -> None:
    asyncio.run(middleware.process_request(request))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.99/",
        "http://10.0.0.1/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:8080/",
        "http://[fd00::1]/",
        "http://0x7f000063/",  # 127.0.0.99 in hex, as the resolver reads it
        "http://2130706531/",  # 127.0.0.99 as a number
        "http://localhost/",
    ],
)
def test_requests_to_non_public_hosts_are_refused(url):
    with pytest.raises(Refused) as refused:
        check(guard(), Request(url))
    assert refused.value.reason == "blocked_address"


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "data:text/html,hi", "ftp://example.com/x", "s3://bucket/key"]
)
def test_non_http_schemes_are_refused(url):
    with pytest.raises(Refused) as refused:
        check(guard(), Request(url))
    assert refused.value.reason == "blocked_scheme"


def test_a_redirect_hop_to_an_internal_host_is_refused():
    hop = Request(
        "http://127.0.0.99:8080/secret",
        meta={"redirect_urls": ["http://127.0.0.20:8080/a"], "redirect_times": 1},
    )
    with pytest.raises(Refused):
        check(guard(), hop)


def test_start_hosts_and_allowed_hosts_pass_unresolved():
    middleware = guard(NETGUARD_ALLOWED_HOSTS=["127.0.0.21", "Wiki.Internal."])
    for url in (
        "http://127.0.0.20:8080/",
        "http://intranet.example/news/",
        "http://127.0.0.21/",
        "http://wiki.internal/x",
    ):
        check(middleware, Request(url))


def test_hosts_given_an_address_in_dns_hosts_count_as_named_by_the_user():
    middleware = guard(DNS_HOSTS={"WWW.Paper.test.": "127.0.0.70", "amp.paper.test": "127.0.0.71"})
    for url in ("http://www.paper.test:8080/", "http://amp.paper.test/a/"):
        check(middleware, Request(url))
    with pytest.raises(Refused):
        check(middleware, Request("http://127.0.0.71/a/"))


def test_a_response_from_an_internal_peer_is_dropped():
    """DNS rebinding: the name resolved to a public address, the connection went elsewhere."""
    middleware = guard()
    request = Request("http://news.example.com/a")
    response = HtmlResponse(
        request.url, body=b"<html></html>", ip_address=ipaddress.ip_address("10.0.0.7")
    )
    with pytest.raises(Refused):
        middleware.process_response(request, response)
    public = HtmlResponse(
        request.url, body=b"<html></html>", ip_address=ipaddress.ip_address("93.184.216.34")
    )
    assert middleware.process_response(request, public) is public


def test_the_guard_can_be_switched_off():
    from scrapy.exceptions import NotConfigured

    with pytest.raises(NotConfigured):
        NetworkGuardMiddleware.from_crawler(get_crawler(SeededSpider, {"NETGUARD_ENABLED": False}))
