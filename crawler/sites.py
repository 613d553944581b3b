"""Per-site crawl options, from the command line or a TOML sites file.

A sites file::

    [defaults]            # optional: applies to every [[site]] below
    depth = 2
    delay = 1.0

    [[site]]
    name = "Example News"                       # optional, for people
    start = ["https://news.example.com/", "https://news.example.com/feed/"]
    allow = ['/20\\d\\d/']                      # URL regexes to follow (default: all)
    deny = ['/video/', '\\?share=']             # URL regexes never to fetch
    depth = 3                                   # link hops from a start page
    max_pages = 500                             # pages fetched for this site (0: no limit)
    delay = 0.5                                 # seconds between requests to one host
    concurrency = 2                             # requests at once to one host
    revisit_days = 7                            # re-check archived articles first seen
                                                # less than N days ago (inf: all, 0: none)

    [warc]                # optional: write every response to WARC files (docs/warc.md)
    dir = "warcs"
    max_size = 500_000_000
    prefix = "example"
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.defaults import CRAWL_DEPTH, CRAWL_MAX_PAGES, CRAWL_REVISIT_DAYS
from crawler.urls import ALLOWED_SCHEMES, site_of


class SitesError(ValueError):
    """A sites file or start URL the crawler cannot use; the message says where and why."""


@dataclass(slots=True, frozen=True)
class SiteConfig:
    start: tuple[str, ...]
    name: str | None = None
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    depth: int = CRAWL_DEPTH.default
    max_pages: int = CRAWL_MAX_PAGES.default
    delay: float | None = None
    concurrency: int | None = None
    revisit_days: float = CRAWL_REVISIT_DAYS.default
    _allow_re: tuple[re.Pattern[str], ...] = field(default=(), repr=False, compare=False)
    _deny_re: tuple[re.Pattern[str], ...] = field(default=(), repr=False, compare=False)

    @property
    def sites(self) -> frozenset[str]:
        """The sites (host[:port], no ``www.``) this config's links may stay within."""
        return frozenset(site_of(url) for url in self.start)

    @property
    def label(self) -> str:
        return self.name or ", ".join(sorted(self.sites))

    def in_scope(self, url: str) -> bool:
        """Whether a discovered link may be followed: same site, allowed, not denied."""
        if urlsplit(url).scheme not in ALLOWED_SCHEMES or site_of(url) not in self.sites:
            return False
        if any(p.search(url) for p in self._deny_re):
            return False
        return not self._allow_re or any(p.search(url) for p in self._allow_re)


OPTION_NAMES = {f.name for f in fields(SiteConfig) if not f.name.startswith("_")}


def _compile(patterns: tuple[str, ...], where: str) -> tuple[re.Pattern[str], ...]:
    try:
        return tuple(re.compile(p) for p in patterns)
    except re.error as exc:
        raise SitesError(f"{where}: bad regular expression {exc.pattern!r}: {exc}") from exc


def check_start_url(url: str, where: str = "start URL") -> str:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsing the port is what raises for one out of range
    except ValueError as exc:
        raise SitesError(f"{where}: {url!r} is not a valid URL ({exc})") from None
    if parts.scheme not in ALLOWED_SCHEMES or not parts.hostname:
        raise SitesError(f"{where}: {url!r} is not an http(s) URL")
    if parts.port == 0:
        raise SitesError(f"{where}: {url!r} is not a valid URL (port 0)")
    return url


def make_site(options: dict[str, Any], where: str) -> SiteConfig:
    """A validated SiteConfig from a dict of options (one ``[[site]]`` table)."""
    unknown = set(options) - OPTION_NAMES
    if unknown:
        raise SitesError(
            f"{where}: unknown option(s) {', '.join(sorted(unknown))}; "
            f"known: {', '.join(sorted(OPTION_NAMES))}"
        )
    start = options.get("start")
    if isinstance(start, str):
        start = [start]
    if not start or not isinstance(start, list):
        raise SitesError(f"{where}: 'start' must be a URL or a list of URLs")
    values = dict(options, start=tuple(check_start_url(u, where) for u in start))
    for key in ("allow", "deny"):
        value = values.get(key, ())
        values[key] = (value,) if isinstance(value, str) else tuple(value)
    for key, kind in (("depth", int), ("max_pages", int), ("concurrency", int)):
        if key in values and (not isinstance(values[key], kind) or values[key] < 0):
            raise SitesError(f"{where}: {key!r} must be a whole number >= 0")
    if "delay" in values and not isinstance(values["delay"], int | float):
        raise SitesError(f"{where}: 'delay' must be a number of seconds")
    revisit = values.get("revisit_days", 0)
    if isinstance(revisit, bool) or not isinstance(revisit, int | float) or not revisit >= 0:
        raise SitesError(f"{where}: 'revisit_days' must be a number of days >= 0 (or inf)")
    site = SiteConfig(**values)
    return replace(site, _allow_re=_compile(site.allow, where), _deny_re=_compile(site.deny, where))


def load_sites_file(
    path: str | Path,
    base: dict[str, Any] | None = None,
    overrides: dict[str, Any] | None = None,
) -> list[SiteConfig]:
    """The sites a TOML sites file lists. Precedence, lowest first: ``base`` (settings),
    the file's ``[defaults]``, each ``[[site]]`` table, ``overrides`` (command line)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SitesError(f"cannot read sites file {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:  # TOML is UTF-8 by definition
        raise SitesError(
            f"{path}: not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start}): "
            "save it as UTF-8"
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise SitesError(f"{path}: {exc}") from exc
    defaults = data.get("defaults", {})
    sites = data.get("site", [])
    if not isinstance(sites, list) or not sites:
        raise SitesError(f"{path}: no [[site]] tables")
    unknown = set(data) - {"defaults", "site", "warc"}
    if unknown:
        raise SitesError(f"{path}: unknown top-level key(s) {', '.join(sorted(unknown))}")
    return [
        make_site({**(base or {}), **defaults, **table, **(overrides or {})}, f"{path}: site #{n}")
        for n, table in enumerate(sites, 1)
    ]


# A sites file's [warc] table: its keys and the settings they set.
WARC_OPTIONS = {"dir": "WARC_DIR", "max_size": "WARC_MAX_SIZE", "prefix": "WARC_PREFIX"}


def warc_settings(path: str | Path) -> dict[str, Any]:
    """The settings a sites file's ``[warc]`` table sets (none without one)."""
    path = Path(path)
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("warc", {})
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SitesError(f"cannot read sites file {path}: {exc}") from exc
    if not isinstance(table, dict):
        raise SitesError(f"{path}: [warc] must be a table")
    unknown = set(table) - set(WARC_OPTIONS)
    if unknown:
        raise SitesError(
            f"{path}: [warc]: unknown option(s) {', '.join(sorted(unknown))}; "
            f"known: {', '.join(sorted(WARC_OPTIONS))}"
        )
    return {WARC_OPTIONS[key]: value for key, value in table.items()}


def sites_from_urls(urls: list[str], options: dict[str, Any] | None = None) -> list[SiteConfig]:
    """One SiteConfig per site among the start URLs given on the command line."""
    by_site: dict[str, list[str]] = {}
    for url in urls:
        by_site.setdefault(site_of(check_start_url(url)), []).append(url)
    return [
        make_site({**(options or {}), "start": starts}, f"start URL {starts[0]}")
        for starts in by_site.values()
    ]


def crawl_identity(configs: Sequence[SiteConfig]) -> str:
    """A short stable name for what a crawl covers (its start URLs, in any order):
    the same sites file or URLs give the same name on every machine. Crawl locks and
    the shared frontier's Redis keys are named after it."""
    starts = sorted({url for config in configs for url in config.start})
    return hashlib.sha1("\n".join(starts).encode("utf-8")).hexdigest()[:16]
