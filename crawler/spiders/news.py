"""The ``news`` spider: from site homes, sitemaps and feeds to fetched article pages.

Every start URL is fetched first and recognised by its content: an HTML page is
crawled breadth-first within its site (its robots.txt sitemaps and its
``<link rel="alternate">`` feeds are read too), a sitemap or sitemap index yields
its pages, a feed yields its entries. Every HTML page fetched becomes a
:class:`~crawler.items.PageItem`; the pipelines decide whether it is an article.

Run it as ``newsarchive crawl URL ...`` or ``scrapy crawl news -a url=URL``
(several URLs separated by spaces or commas; ``-a sites=sites.toml``,
``-a depth=N``, ``-a max_pages=N``, ``-a revisit_days=N``).

Re-crawls: page requests carry their site's ``revisit_days`` and any sitemap or feed
date (``listed_date``, and a news sitemap's ``listed_published``) in their meta, for
``crawler.middlewares.incremental``; entries dated before ``CRAWL_SINCE`` are not
requested at all, nor are entries that name an image, video or other file. What a news
sitemap or feed says of a page (title, publication date, language, keywords) travels
with its request as ``listing``, the article's fallback metadata.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, datetime
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request, Spider, signals
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS
from scrapy.settings import SETTINGS_PRIORITIES

from archive.outcomes import Group, SkipReason, Stat
from crawler.compat import offline_cookie_domains
from crawler.dates import parse_date
from crawler.defaults import (
    CRAWL_CONTACT,
    CRAWL_DEPTH,
    CRAWL_FEEDS,
    CRAWL_MAX_PAGES,
    CRAWL_REDIRECTS_IN_SCOPE,
    CRAWL_REVISIT_DAYS,
    CRAWL_ROBOTS_SITEMAPS,
    CRAWL_SINCE,
    CRAWL_SITEMAP_MAXSIZE,
)
from crawler.discovery import (
    Entry,
    Kind,
    amp_links,
    copy_of,
    html_links,
    is_feed_type,
    is_media_url,
    maybe_gunzip,
    parse_feed,
    parse_sitemap,
    sitemaps_in_robots,
    sniff_kind,
)
from crawler.failures import BLOCKED, FAILED, count_page_outcome, fetch_outcome
from crawler.items import PageItem
from crawler.logs import quiet_robots_errors
from crawler.pages import content_type, is_html_page, page_item
from crawler.sites import SiteConfig, load_sites_file, sites_from_urls, warc_settings
from crawler.urls import ALLOWED_SCHEMES, normalize_url, site_of, site_of_host
from crawler.warc import RECORD_META

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from twisted.python.failure import Failure

_SKIPPED_SUFFIXES = tuple(f".{ext}" for ext in IGNORED_EXTENSIONS)
_URL_SPLIT = re.compile(r"[\s,]+")


def _split_urls(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [u for u in _URL_SPLIT.split(value) if u]
    return list(value)


class NewsSpider(Spider):
    name = "news"

    def __init__(
        self,
        url: str | list[str] | None = None,
        sites: str | None = None,
        depth: int | str | None = None,
        max_pages: int | str | None = None,
        revisit_days: float | str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.start_url_args = _split_urls(url)
        self.sites_file = sites
        self.depth_arg = int(depth) if depth not in (None, "") else None
        self.max_pages_arg = int(max_pages) if max_pages not in (None, "") else None
        self.revisit_days_arg = float(revisit_days) if revisit_days not in (None, "") else None
        self.since: datetime | None = None
        self.configs: list[SiteConfig] = []
        self._pages_requested: dict[int, int] = defaultdict(int)
        self._requested: dict[int, set[str]] = defaultdict(set)
        self._robots_requested: set[str] = set()
        self._robots_sitemaps: dict[str, list[str]] = {}
        # Start pages (as given and where they redirected), fetched once as starts: a
        # link back to one (a site's logo links home) is not fetched again.
        self._starts: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        quiet_robots_errors()
        offline_cookie_domains()
        crawler.signals.connect(spider.robots_received, signal=signals.response_received)
        spider.configs = spider.build_configs(crawler.settings)
        if spider.sites_file:
            crawler.settings.setdict(warc_settings(spider.sites_file), priority="spider")
        spider.since = since_setting(crawler.settings)
        slots = dict(crawler.settings.getdict("DOWNLOAD_SLOTS"))
        slots.update(politeness_slots(spider.configs))
        crawler.settings.set("DOWNLOAD_SLOTS", slots, priority="spider")
        agent = contact_user_agent(crawler.settings)
        if agent is not None:
            crawler.settings.set("USER_AGENT", agent, priority="spider")
        else:
            spider.logger.info(
                "CRAWL_CONTACT is not set: set it to a URL or an e-mail address where the "
                "owners of the sites you crawl can reach you (-s CRAWL_CONTACT=...)"
            )
        return spider

    def build_configs(self, settings: BaseSettings) -> list[SiteConfig]:
        options: dict[str, Any] = {
            "depth": CRAWL_DEPTH.get(settings),
            "max_pages": CRAWL_MAX_PAGES.get(settings),
            "revisit_days": CRAWL_REVISIT_DAYS.get(settings),
        }
        arguments = (
            ("depth", self.depth_arg),
            ("max_pages", self.max_pages_arg),
            ("revisit_days", self.revisit_days_arg),
        )
        overrides = {k: v for k, v in arguments if v is not None}
        configs: list[SiteConfig] = []
        if self.sites_file:
            configs += load_sites_file(self.sites_file, base=options, overrides=overrides)
        if self.start_url_args:
            configs += sites_from_urls(self.start_url_args, {**options, **overrides})
        if not configs:
            raise ValueError("nothing to crawl: give start URLs (-a url=...) or a sites file")
        return configs

    @property
    def seed_hosts(self) -> frozenset[str]:
        """The hosts the user named in start URLs: the network guard lets these be private."""
        return frozenset(
            (urlsplit(url).hostname or "").lower()
            for config in self.configs
            for url in config.start
        )

    def redirect_allowed(self, first_url: str, target: str) -> bool:
        """Whether a redirect chain that began at ``first_url`` may go on to ``target``:
        to one of the crawl's sites, or within the site it started on."""
        if not CRAWL_REDIRECTS_IN_SCOPE.get(self.crawler.settings):
            return True
        site = site_of(target)
        return site == site_of(first_url) or any(site in c.sites for c in self.configs)

    def run_args(self) -> dict[str, Any]:
        """What this run was asked to crawl, as recorded with the crawl run."""
        return {
            "start": self.start_url_args,
            "sites_file": self.sites_file,
            "depth": self.depth_arg,
            "max_pages": self.max_pages_arg,
            "revisit_days": self.revisit_days_arg,
            "since": self.since.isoformat() if self.since else None,
            "sites": [config.label for config in self.configs],
        }

    # --- start -----------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        for index, config in enumerate(self.configs):
            self._starts.update(normalize_url(url) for url in config.start)
            for url in config.start:
                yield Request(
                    url,
                    callback=self.parse_start,
                    errback=self.fetch_failed,
                    meta={"config": index, "source": "start", **self._sitemap_size()},
                    dont_filter=True,
                )

    def parse_start(self, response: Response) -> Iterator[Any]:
        kind = sniff_kind(self._xml_body(response)[:4096], content_type(response))
        self.crawler.stats.inc_value(Group.STARTS.of(kind))
        self._starts.add(normalize_url(response.url))
        if kind == Kind.HTML:
            # A start page is one of its site's max_pages.
            self._pages_requested[int(response.meta["config"])] += 1
        if kind in (Kind.SITEMAP, Kind.SITEMAP_INDEX):
            yield from self.parse_sitemap(response)
        elif kind in (Kind.RSS, Kind.ATOM, Kind.JSON_FEED):
            yield from self.parse_feed(response)
        elif kind == Kind.HTML and isinstance(response, TextResponse):
            yield from self._robots_request(response)
            yield from self._feed_requests(response)
            yield from self.parse_page(response)
        else:
            self.logger.warning("start URL %s is neither HTML, a sitemap nor a feed", response.url)
            self.crawler.stats.inc_value(Group.SKIPPED.of(SkipReason.UNKNOWN_START))

    # --- HTML pages --------------------------------------------------------------

    def parse_page(self, response: Response) -> Iterator[Any]:
        if not is_html_page(response):
            self.crawler.stats.inc_value(Group.SKIPPED.of(SkipReason.NOT_HTML))
            return
        assert isinstance(response, TextResponse)
        original = self._original_request(response)
        if original is not None:
            yield from original
            return
        yield self._page_item(response)
        config = self._config(response)
        depth = int(response.meta.get("depth", 0))
        if response.meta.get("follow", True) and depth < config.depth:
            yield from self._link_requests(response, config)

    def _original_request(self, response: TextResponse) -> list[Request] | None:
        """For an AMP or mobile copy of a page of the site (``crawler.discovery.copy_of``):
        the request for the original instead, carrying the copy's URLs as its aliases, so
        the story is archived once, under its canonical URL. None for an original page,
        and for the page a copy led to (so that two pages naming each other end)."""
        if response.meta.get("copy_of"):
            return None
        canonical = copy_of(response.body, response.url)
        if canonical is None or not self._config(response).in_scope(canonical):
            return None
        self.crawler.stats.inc_value(Group.SKIPPED.of(SkipReason.COPY_OF_CANONICAL))
        first = (response.meta.get("redirect_urls") or [response.url])[0]
        meta: dict[str, Any] = {
            "aliases": [*response.meta.get("aliases", ()), first, response.url],
            "copy_of": response.url,
        }
        for key in ("listing", "listed_date", "listed_published"):
            if response.meta.get(key):
                meta[key] = response.meta[key]
        return list(
            self._page_request(
                canonical,
                response.meta["config"],
                str(response.meta.get("source", "link")),
                follow=bool(response.meta.get("follow", True)),
                **meta,
            )
        )

    def _page_item(self, response: TextResponse) -> PageItem:
        redirects = response.meta.get("redirect_urls") or []
        self.crawler.stats.inc_value(Stat.PAGES)
        return page_item(
            response,
            url=redirects[0] if redirects else response.url,
            fetched_at=datetime.now(UTC),
            source=str(response.meta.get("source", "link")),
            depth=int(response.meta.get("depth", 0)),
            crawl_config=self._config(response).label,
            warc_record=response.meta.get(RECORD_META),
            listing=response.meta.get("listing"),
            aliases=list(response.meta.get("aliases", ())),
        )

    def _link_requests(self, response: TextResponse, config: SiteConfig) -> Iterator[Request]:
        """Requests for the page's links within the site, except to files and to the
        page's own AMP copy (``<link rel=amphtml>``): the page itself is the original."""
        index = response.meta["config"]
        amp_copies = amp_links(response.body, response.url)
        for url in html_links(response.body, response.encoding, response.url):
            if urlsplit(url).path.lower().endswith(_SKIPPED_SUFFIXES):
                continue
            if amp_copies and normalize_url(url) in amp_copies:
                self.crawler.stats.inc_value(Group.SKIPPED.of(SkipReason.AMP_LINK))
                continue
            if config.in_scope(url):
                yield from self._page_request(url, index, "link", follow=True)

    def _page_request(
        self, url: str, index: int, source: str, *, follow: bool, **meta: Any
    ) -> Iterator[Request]:
        """A request for a page, unless the site's page budget is spent."""
        config = self.configs[index]
        url = normalize_url(url)
        if url in self._starts:
            return
        if config.max_pages:
            seen = self._requested[index]
            if url in seen:
                return
            if self._pages_requested[index] >= config.max_pages:
                self.crawler.stats.inc_value(Group.SKIPPED.of(SkipReason.MAX_PAGES))
                return
            seen.add(url)
            self._pages_requested[index] += 1
        yield Request(
            url,
            callback=self.parse_page,
            errback=self.fetch_failed,
            meta={
                "config": index,
                "source": source,
                "follow": follow,
                "revisit_days": config.revisit_days,
                **meta,
            },
        )

    # --- feeds, sitemaps, robots.txt --------------------------------------------------

    def _feed_requests(self, response: TextResponse) -> Iterator[Request]:
        if not CRAWL_FEEDS.get(self.crawler.settings):
            return
        for link in response.css("link[rel~=alternate][href]"):
            if is_feed_type(link.attrib.get("type")):
                url = urljoin(response.url, link.attrib["href"])
                if self._config(response).in_scope(url):
                    yield Request(
                        url,
                        callback=self.parse_feed,
                        errback=self.fetch_failed,
                        meta={**self._meta(response, "feed"), **self._sitemap_size()},
                    )

    def _robots_request(self, response: Response) -> Iterator[Request]:
        if not CRAWL_ROBOTS_SITEMAPS.get(self.crawler.settings):
            return
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(response.url))
        if origin in self._robots_requested:
            return
        self._robots_requested.add(origin)
        if origin in self._robots_sitemaps:  # Scrapy's robots.txt middleware read it already
            yield from self._sitemap_requests(response, self._robots_sitemaps[origin])
            return
        yield Request(
            f"{origin}/robots.txt",
            callback=self.parse_robots,
            errback=self.fetch_failed,
            meta={**self._meta(response, "robots"), "dont_obey_robotstxt": True},
        )

    def robots_received(self, response: Response, request: Request, spider: Spider) -> None:
        """Keep the sitemaps of each robots.txt Scrapy's robots.txt middleware fetched
        (ROBOTSTXT_OBEY), so that the start page's site is not asked for it twice."""
        if urlsplit(request.url).path != "/robots.txt" or "config" in request.meta:
            return
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(request.url))
        readable = isinstance(response, TextResponse) and response.status == HTTPStatus.OK
        self._robots_sitemaps[origin] = sitemaps_in_robots(response.text) if readable else []

    def parse_robots(self, response: Response) -> Iterator[Request]:
        if isinstance(response, TextResponse):
            yield from self._sitemap_requests(response, sitemaps_in_robots(response.text))

    def _sitemap_requests(self, response: Response, urls: list[str]) -> Iterator[Request]:
        """Requests for the sitemaps a robots.txt names, within ``response``'s config."""
        for url in urls:
            if self._config(response).in_scope(url):
                yield Request(
                    url,
                    callback=self.parse_sitemap,
                    errback=self.fetch_failed,
                    meta={**self._meta(response, "sitemap"), **self._sitemap_size()},
                )

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        kind, entries = parse_sitemap(self._xml_body(response))
        self.crawler.stats.inc_value(Group.DISCOVERED.of(kind))
        for entry in self._entries_in_scope(response, entries):
            if kind == Kind.SITEMAP_INDEX:
                yield Request(
                    entry.url,
                    callback=self.parse_sitemap,
                    errback=self.fetch_failed,
                    meta={**self._meta(response, "sitemap"), **self._sitemap_size()},
                )
            else:
                yield from self._entry_request(response, entry, "sitemap")

    def parse_feed(self, response: Response) -> Iterator[Request]:
        entries = parse_feed(self._xml_body(response))
        self.crawler.stats.inc_value(Group.DISCOVERED.of("feed"))
        for entry in self._entries_in_scope(response, entries):
            yield from self._entry_request(response, entry, "feed")

    def _entry_request(self, response: Response, entry: Entry, source: str) -> Iterator[Request]:
        meta: dict[str, Any] = {
            "listed_date": entry.date.isoformat() if entry.date else None,
            "listed_published": entry.published.isoformat() if entry.published else None,
        }
        listing = entry.listing()
        if listing:
            meta["listing"] = listing
        yield from self._page_request(
            entry.url, response.meta["config"], source, follow=False, **meta
        )

    def _entries_in_scope(self, response: Response, entries: list[Entry]) -> Iterator[Entry]:
        """Entries on the config's sites (a sitemap or feed the user named may list any
        host) that name pages, unless dated before ``CRAWL_SINCE``."""
        config = self._config(response)
        named = response.meta.get("source") == "start"
        for entry in entries:
            newest = entry.newest
            if self.since and newest and newest < self.since:
                self.crawler.stats.inc_value(Group.SKIPPED.of(SkipReason.SINCE))
                continue
            url = urljoin(response.url, entry.url)
            if is_media_url(url):
                self.crawler.stats.inc_value(Group.SKIPPED.of(SkipReason.NOT_A_PAGE))
            elif config.in_scope(url) or (named and urlsplit(url).scheme in ALLOWED_SCHEMES):
                yield replace(entry, url=url)
            else:
                self.crawler.stats.inc_value(Group.SKIPPED.of(SkipReason.OUT_OF_SCOPE))

    # --- failures ------------------------------------------------------------------------

    def fetch_failed(self, failure: Failure) -> None:
        """Errback of every request: count why it yielded no page, and say which page."""
        recorded = fetch_outcome(failure.value or Exception("unknown failure"))
        if recorded is None:
            return
        outcome, reason = recorded
        request = getattr(failure, "request", None)
        # the page as it was asked for, not the redirect hop where it failed
        url = (request.meta.get("redirect_urls") or [request.url])[0] if request else "?"
        count_page_outcome(self.crawler, url, f"{outcome}/{reason}")
        start = request is not None and request.meta.get("source") == "start"
        # A start URL that fails is one line even under --quiet: a crawl of it does nothing.
        level = logging.INFO
        if outcome in (FAILED, BLOCKED):
            level = logging.ERROR if start else logging.WARNING
        what = f"start URL {outcome}" if start else outcome
        self.logger.log(level, "%s (%s): %s: %s", what, reason, url, failure.getErrorMessage())

    # --- helpers -------------------------------------------------------------------------

    def _config(self, response: Response) -> SiteConfig:
        return self.configs[int(response.meta["config"])]

    def _meta(self, response: Response, source: str) -> dict[str, Any]:
        return {"config": response.meta["config"], "source": source}

    def _sitemap_size(self) -> dict[str, int]:
        return {"download_maxsize": CRAWL_SITEMAP_MAXSIZE.get(self.crawler.settings)}

    def _xml_body(self, response: Response) -> bytes:
        """The body, gunzipped if it is gzip data; b"" (and counted) if that fails."""
        max_size = response.meta.get(
            "download_maxsize", self.crawler.settings.getint("DOWNLOAD_MAXSIZE")
        )
        try:
            return maybe_gunzip(response.body, max_size=max_size)
        except ValueError as exc:  # the decompressed size passed the cap
            self._skip_body(response, "too_large", exc)
        except (OSError, EOFError, zlib.error) as exc:
            self._skip_body(response, "bad_gzip", exc)
        return b""

    def _skip_body(self, response: Response, reason: str, exc: Exception) -> None:
        self.crawler.stats.inc_value(Group.SKIPPED.of(reason))
        self.logger.info("skipped (%s): %s: %s", reason, response.url, exc)


def since_setting(settings: BaseSettings) -> datetime | None:
    """CRAWL_SINCE as an aware datetime; a bad date is an error, not a silent no-op."""
    value = CRAWL_SINCE.get(settings)
    if not value:
        return None
    since = value if isinstance(value, datetime) else parse_date(str(value))
    if since is None:
        raise ValueError(f"CRAWL_SINCE {value!r} is not an ISO 8601 date")
    return since if since.tzinfo else since.replace(tzinfo=UTC)


def politeness_slots(configs: list[SiteConfig]) -> dict[str, dict[str, Any]]:
    """Scrapy DOWNLOAD_SLOTS for the sites that set a delay or concurrency, keyed by site
    (a registrable domain): the downloader applies them to each host of the site."""
    slots: dict[str, dict[str, Any]] = {}
    for config in configs:
        slot: dict[str, Any] = {}
        if config.delay is not None:
            slot["delay"] = config.delay
        if config.concurrency:
            slot["concurrency"] = config.concurrency
        if slot:
            for url in config.start:
                slots[site_of_host(urlsplit(url).hostname or "")] = slot
    return slots


def contact_user_agent(settings: BaseSettings) -> str | None:
    """USER_AGENT with CRAWL_CONTACT added, when a contact is set and the user agent is
    the project's (one given on the command line is used as it is)."""
    contact = str(CRAWL_CONTACT.get(settings) or "").strip()
    priority = settings.getpriority("USER_AGENT") or 0
    if not contact or priority > SETTINGS_PRIORITIES["project"]:
        return None
    agent = str(settings.get("USER_AGENT"))
    if agent.endswith(")"):
        return f"{agent[:-1]}; contact: {contact})"
    return f"{agent} (contact: {contact})"
