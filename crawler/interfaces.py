"""What middlewares, extensions, pipelines and the frontier may ask of the spider and of
the downloader, declared once.

Components are built by Scrapy for whatever spider runs (``news``, ``import``, a test's
bare ``Spider``) and whatever downloader is configured, so each capability is a small
:class:`~typing.Protocol`, checked at run time, and each helper below says what a
component gets when the spider or the downloader does not offer it. The spiders in
``crawler/spiders/`` implement them; ``tests/crawler/test_interfaces.py`` checks that
they still do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from scrapy import Request

    from crawler.sites import SiteConfig


@runtime_checkable
class RecordsRunArgs(Protocol):
    """A spider that says what its run was asked to do (recorded with the crawl run and
    in each WARC file's ``warcinfo``)."""

    def run_args(self) -> dict[str, Any]: ...


@runtime_checkable
class NamesSeedHosts(Protocol):
    """A spider that knows the hosts its user named in start URLs: the network guard
    lets these be private addresses."""

    @property
    def seed_hosts(self) -> frozenset[str]: ...


@runtime_checkable
class ScopesRedirects(Protocol):
    """A spider that says where a redirect may lead (its sites)."""

    def redirect_allowed(self, first_url: str, target: str) -> bool: ...


@runtime_checkable
class SiteConfigured(Protocol):
    """A spider that crawls the sites of a sites file or of start URLs (the Redis
    frontier derives its key from them)."""

    configs: list[SiteConfig]


@runtime_checkable
class RaisesDelays(Protocol):
    """A downloader whose per-host least delay a component may raise (robots.txt
    ``Crawl-delay``, back-off from blocks): ``crawler.downloader.SlotLimitedDownloader``."""

    def raise_delay(self, key: str, seconds: float) -> float: ...


@runtime_checkable
class CancelsQueued(Protocol):
    """A downloader whose queued requests a component may fail before they are sent
    (a site stopped for its blocks): ``crawler.downloader.SlotLimitedDownloader``."""

    def cancel_queued(
        self, matches: Callable[[Request], bool], error: Callable[[Request], Exception]
    ) -> int: ...


def run_args(spider: object) -> dict[str, Any]:
    """What the run was asked to do; empty for a spider that does not say."""
    return dict(spider.run_args()) if isinstance(spider, RecordsRunArgs) else {}


def seed_hosts(spider: object) -> frozenset[str]:
    """The hosts named in the crawl's start URLs; none for a spider without sites."""
    return spider.seed_hosts if isinstance(spider, NamesSeedHosts) else frozenset()


def redirect_allowed(spider: object, first_url: str, target: str) -> bool:
    """Whether a redirect chain that began at ``first_url`` may go on to ``target``;
    a spider that does not scope its crawl allows every redirect."""
    if isinstance(spider, ScopesRedirects):
        return spider.redirect_allowed(first_url, target)
    return True


def site_configs(spider: object) -> Sequence[SiteConfig]:
    """The sites the spider crawls; none for a spider without a sites configuration."""
    return spider.configs if isinstance(spider, SiteConfigured) else ()


def raises_delays(downloader: object) -> RaisesDelays | None:
    """The downloader, when its per-host delays can be raised."""
    return downloader if isinstance(downloader, RaisesDelays) else None


def cancels_queued(downloader: object) -> CancelsQueued | None:
    """The downloader, when its queued requests can be cancelled."""
    return downloader if isinstance(downloader, CancelsQueued) else None
