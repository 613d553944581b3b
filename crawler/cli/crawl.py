"""``newsarchive crawl``: discover, fetch, extract and archive."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.settings import SETTINGS_PRIORITIES, Settings

from archive.engine import (
    DB_URL_ENV,
    resolve_db_url,
)
from archive.locks import LockHeld, run_lock, runtime_lock_folder
from archive.outcomes import Stat
from crawler import warc
from crawler.cli import COMMANDS, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, add_db_option
from crawler.cli.errors import UsageError
from crawler.cli.options import add_settings_option, add_workers_option, days, whole_number
from crawler.cli.overrides import check_overrides
from crawler.compat import SignalledCrawlerProcess
from crawler.dates import parse_date
from crawler.defaults import ARCHIVE_SCHEMA_READY, PROGRESS_LABEL
from crawler.downloader import SlotLimitedDownloader
from crawler.extensions.progress import run_status
from crawler.frontier.connection import redis_from_url
from crawler.middlewares.netguard import ip_literal
from crawler.sites import (
    SiteConfig,
    crawl_identity,
    load_sites_file,
    sites_from_urls,
    warc_settings,
)
from crawler.spiders.news import NewsSpider
from pipelines.store import boilerplate_policy, open_archive

FRONTIER_SCHEDULER = "crawler.frontier.scheduler.FrontierScheduler"

EXIT_CODES = {
    "finished": EXIT_OK,
    "interrupted": EXIT_INTERRUPTED,
    "failed": EXIT_FAILED,
    "blocked": EXIT_FAILED,
}


class _CrawlerProcess(SignalledCrawlerProcess):
    """Scrapy's process, remembering whether a signal (Ctrl-C, SIGTERM) stopped it.

    The first signal stops the crawl gracefully (``finish_reason`` is ``shutdown``);
    a second one stops the reactor at once and no finish reason is recorded: the
    remembered signal is what tells that crawl was interrupted, not failed.
    """

    signalled: int | None = None

    def shutdown_signalled(self, signum: int) -> None:
        from twisted.internet import reactor

        self.signalled = signum
        reactor.callFromThread(self._acknowledge, signum)

    def _acknowledge(self, signum: int) -> None:
        """Say at once that the crawl is stopping, and stop fetching what had not started."""
        for crawler in self.crawlers:
            downloader = crawler.engine.downloader if crawler.engine else None
            if isinstance(downloader, SlotLimitedDownloader):
                downloader.stop_fetching()
        pages = sum(pages_in_flight(crawler) for crawler in self.crawlers)
        again = "Ctrl-C again" if signum == signal.SIGINT else "signal again"
        print(
            f"newsarchive crawl: stopping: finishing {pages} page(s) in flight "
            f"({again} to stop now)",
            file=sys.stderr,
            flush=True,
        )


def pages_in_flight(crawler: Crawler) -> int:
    """Pages being downloaded, and fetched pages still in the spider or the pipelines."""
    engine = crawler.engine
    if engine is None:
        return 0
    downloading = (
        engine.downloader.transferring()
        if isinstance(engine.downloader, SlotLimitedDownloader)
        else len(engine.downloader.active)
    )
    slot = getattr(engine.scraper, "slot", None)
    return downloading + (len(slot.active) if slot is not None else 0)


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "crawl",
        help=COMMANDS["crawl"],
        description="Crawl start URLs (site homes, sitemaps, RSS/Atom feeds, in any mix) "
        "or the sites of a TOML sites file into the archive.",
    )
    parser.add_argument("urls", nargs="*", metavar="URL", help="start URLs")
    parser.add_argument("--sites", metavar="FILE", help="TOML file of sites and their options")
    add_db_option(parser)
    parser.add_argument(
        "--depth", type=whole_number(0), help="link hops from a start page (default 2)"
    )
    parser.add_argument(
        "--max-pages",
        type=whole_number(1, "leave it out for no limit"),
        metavar="N",
        help="pages fetched per site at most, its start pages included (default: no limit)",
    )
    add_workers_option(parser)
    parser.add_argument(
        "--since",
        metavar="DATE",
        help="skip sitemap and feed entries dated before DATE (ISO 8601) without fetching them",
    )
    parser.add_argument(
        "--revisit-days",
        type=days,
        metavar="N",
        help="re-check archived articles first seen less than N days ago for edits "
        "(default 7, or the sites file's revisit_days; inf: all, 0: none)",
    )
    parser.add_argument(
        "--recheck",
        action="store_true",
        help="re-check every archived article, ignoring re-visit windows and sitemap dates "
        "(still conditionally: an unchanged page answers 304 without its body)",
    )
    add_settings_option(parser)
    parser.add_argument(
        "--warc",
        metavar="DIR",
        help="also write every response the crawl receives, as received, with its request, "
        "to WARC files in DIR (rotated at WARC_MAX_SIZE, a CDXJ index beside each; needs the "
        "warc extra)",
    )
    parser.add_argument(
        "--redis",
        metavar="URL",
        help="share one frontier with the other crawler processes (any machine) started "
        "with the same URL and starts, e.g. redis://127.0.0.1:6379/0 (needs the redis extra); "
        "the process ends once the shared frontier has stayed empty for REDIS_IDLE_TIMEOUT",
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print nothing unless something fails"
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    parser.set_defaults(run=run)


def common_settings(args: argparse.Namespace) -> Settings:
    """The settings every command that runs the pipelines takes from its options: the
    archive, logging, extraction workers (``-s`` overrides come last, in
    :func:`apply_overrides`)."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("ARCHIVE_DB_URL", resolve_db_url(args.db), priority="cmdline")
    level = "ERROR" if args.quiet else ("WARNING", "INFO", "DEBUG")[min(args.verbose, 2)]
    settings.set("LOG_LEVEL", level, priority="cmdline")
    if args.workers is not None:
        settings.set("EXTRACT_WORKERS", args.workers, priority="cmdline")
    if args.quiet:
        settings.set("PROGRESS_ENABLED", False, priority="cmdline")
    return settings


def apply_overrides(settings: Settings, pairs: list[str]) -> None:
    """``-s NAME=VALUE`` options, then the checks of our settings' values."""
    overrides = []
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"-s takes NAME=VALUE, not {pair!r}")
        overrides.append((name.strip(), setting_value(value)))
    check_overrides(overrides)
    for name, value in overrides:
        settings.set(name, value, priority="cmdline")
    check_settings(settings)


def crawl_settings(args: argparse.Namespace) -> Settings:
    settings = common_settings(args)
    if args.sites:
        settings.setdict(warc_settings(args.sites), priority="spider")
    if args.redis:
        settings.set("REDIS_URL", args.redis, priority="cmdline")
    if args.since:
        settings.set("CRAWL_SINCE", args.since, priority="cmdline")
    if args.revisit_days is not None:
        settings.set("CRAWL_REVISIT_DAYS", args.revisit_days, priority="cmdline")
    if args.recheck:
        settings.set("INCREMENTAL_RECHECK", True, priority="cmdline")
    if args.warc:
        settings.set("WARC_DIR", args.warc, priority="cmdline")
    apply_overrides(settings, args.set)
    share_frontier(settings)
    return settings


def share_frontier(settings: Settings) -> None:
    """A Redis URL, given as ``--redis URL`` or ``-s REDIS_URL=URL``, puts the crawl on the
    shared frontier (a ``-s`` of SCHEDULER or ARCHIVE_WAIT_FOR_COMMIT stays as given);
    the frontier's scheduler without one is refused here, not inside Scrapy."""
    if not settings.get("REDIS_URL"):
        if settings.get("SCHEDULER") == FRONTIER_SCHEDULER:
            raise UsageError("the Redis frontier needs a Redis server: --redis URL")
        return
    for name, value in (("SCHEDULER", FRONTIER_SCHEDULER), ("ARCHIVE_WAIT_FOR_COMMIT", True)):
        if (settings.getpriority(name) or 0) < SETTINGS_PRIORITIES["cmdline"]:
            settings.set(name, value, priority="cmdline")


def setting_value(value: str) -> Any:
    """A ``-s`` value: JSON for a dict or list (``-s NETGUARD_ALLOWED_HOSTS='["intranet"]'``),
    else the string as given (Scrapy's settings convert strings to numbers and booleans)."""
    if value.lstrip().startswith(("{", "[")):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _number(settings: Settings, name: str) -> float:
    try:
        return settings.getfloat(name)
    except ValueError:
        raise UsageError(f"{name} must be a number") from None


def check_settings(settings: Settings) -> None:
    """Refuse, before Scrapy starts, the values of our settings that could only fail later."""
    since = settings.get("CRAWL_SINCE")
    if since and parse_date(str(since)) is None:
        raise UsageError(f"--since {since!r} is not an ISO 8601 date")
    if not _number(settings, "CRAWL_REVISIT_DAYS") >= 0:
        raise UsageError("--revisit-days must be a number of days >= 0 (or inf)")
    if not 0 < _number(settings, "DEDUP_NEAR_THRESHOLD") <= 1:
        raise UsageError("DEDUP_NEAR_THRESHOLD must be above 0 and at most 1")
    try:
        boilerplate_policy(settings)
    except ValueError as exc:
        raise UsageError(f"ARCHIVE_BOILERPLATE_*: {exc}") from None
    if not _number(settings, "ARCHIVE_BOILERPLATE_RECLEAN_BUDGET") >= 0:
        raise UsageError("ARCHIVE_BOILERPLATE_RECLEAN_BUDGET must be >= 0")
    check_politeness_settings(settings)
    check_warc_settings(settings)


def check_politeness_settings(settings: Settings) -> None:
    """Delays and counts are numbers >= 0; DNS_HOSTS maps host names to IP addresses."""
    for name in ("CRAWL_DELAY_MAX", "BLOCK_BACKOFF_START", "BLOCK_BACKOFF_MAX", "BLOCK_STOP_AFTER"):
        if not _number(settings, name) >= 0:
            raise UsageError(f"{name} must be a number >= 0")
    try:
        hosts = settings.getdict("DNS_HOSTS")
    except ValueError:
        hosts = None
    if hosts is None or not all(ip_literal(str(address).strip()) for address in hosts.values()):
        raise UsageError(
            'DNS_HOSTS must map host names to IP addresses: \'{"news.example.com": "10.0.0.5"}\''
        )


def check_warc_settings(settings: Settings) -> None:
    """WARC files can be written where WARC_DIR says, with the warc extra installed."""
    directory = settings.get("WARC_DIR")
    if not directory:
        return
    try:
        warc.require()
    except warc.WarcUnavailable as exc:
        raise UsageError(str(exc)) from None
    if not _number(settings, "WARC_MAX_SIZE") > 0:
        raise UsageError("WARC_MAX_SIZE must be a number of bytes above 0")
    path = Path(directory).expanduser()
    if path.exists() and not path.is_dir():
        raise UsageError(f"--warc {directory}: not a folder")
    # the folder is made if need be, but not a missing path to it (as db and export -o)
    parent = path.absolute().parent
    if not path.exists() and not parent.is_dir():
        raise UsageError(f"--warc {directory}: folder {parent} does not exist")


def check_starts(args: argparse.Namespace) -> list[SiteConfig]:
    """Fail before starting Scrapy if the start URLs or sites file are unusable."""
    configs = load_sites_file(args.sites) if args.sites else []
    if args.urls:
        configs += sites_from_urls(args.urls)
    return configs


def check_archive(settings: Settings) -> None:
    """Fail before starting Scrapy, in one line, if the archive cannot be opened, or
    is behind this release and may not be upgraded (ARCHIVE_AUTO_UPGRADE off); the
    crawl's store stage and run recorder then take it as it is (ARCHIVE_SCHEMA_READY)."""
    open_archive(settings).dispose()
    settings.set(ARCHIVE_SCHEMA_READY.name, True, priority="cmdline")


def archive_named(args: argparse.Namespace) -> bool:
    """Whether the user named the archive (--db, $NEWSARCHIVE_DB): its lock file may
    then go beside it; the default archive.db gets no company in the working folder."""
    return bool(args.db or os.environ.get(DB_URL_ENV))


def run(args: argparse.Namespace) -> int:
    if not args.urls and not args.sites:
        raise UsageError("give start URLs or --sites FILE")
    configs = check_starts(args)
    settings = crawl_settings(args)
    shared = settings.get("REDIS_URL")
    if shared:
        redis_from_url(str(shared), settings.getdict("REDIS_PARAMS"))
    try:
        check_archive(settings)
        if shared:
            # Workers of one crawl overlap on purpose: the shared frontier splits the work.
            return crawl(args, settings)
        if not settings.getbool("CRAWL_LOCK"):
            return crawl(args, settings)
        with run_lock(
            settings.get("ARCHIVE_DB_URL"),
            f"crawl-{crawl_identity(configs)}",
            folder=None if archive_named(args) else runtime_lock_folder(),
        ):
            return crawl(args, settings)
    except LockHeld as exc:
        if not args.quiet:
            print(
                f"newsarchive crawl: the previous run of this crawl is still going ({exc}); "
                "nothing to do",
                file=sys.stderr,
            )
        return EXIT_OK


def crawl(args: argparse.Namespace, settings: Settings) -> int:
    """Run the crawl in this process; the exit code says how it ended."""
    return run_spider(
        settings,
        NewsSpider,
        url=args.urls,
        sites=args.sites,
        depth=args.depth,
        max_pages=args.max_pages,
        revisit_days=args.revisit_days,
    )[0]


def run_spider(settings: Settings, spidercls: type[Spider], **kwargs: Any) -> tuple[int, Crawler]:
    """Run a spider through the pipelines in this process: the exit code that says how it
    ended, and the crawler (its stats, its spider)."""
    process = _CrawlerProcess(settings)
    # Scrapy leaves the root logger at NOTSET and filters in its handler, so each page's
    # DEBUG records ("Crawled", "Scraped from") were built, with their caller looked up,
    # and then dropped. Filtering at Scrapy's loggers skips building them.
    logging.getLogger("scrapy").setLevel(settings.get("LOG_LEVEL") or "DEBUG")
    crawler = process.create_crawler(spidercls)
    process.crawl(crawler, **kwargs)
    process.start()
    return _exit_code(process, crawler), crawler


# Why a run with no start failed, by what it was (PROGRESS_LABEL).
NOTHING_STARTED = {
    "crawl": "no start URL could be fetched",
    "import": "no file held a record that could be read",
}


def _exit_code(process: _CrawlerProcess, crawler: Crawler) -> int:
    stats = crawler.stats.get_stats() if crawler.stats else {}
    status = run_status(stats.get("finish_reason"), stats)
    if process.signalled is not None and not stats.get("finish_reason"):
        logging.getLogger("newsarchive").error(
            "crawl stopped by a second signal: pages in flight were not finished; "
            "run the same command again to complete the archive"
        )
        return EXIT_INTERRUPTED
    if status == "blocked":
        logging.getLogger("newsarchive").error(
            "crawl blocked: these sites answered nothing but challenge, captcha, access-denied, "
            "rate-limit or consent pages, and nothing of theirs was archived: %s. They refuse "
            "this crawler; see docs/crawling.md#blocks-challenges-and-rate-limits",
            stats.get(Stat.BLOCKED_ONLY),
        )
    if status == "failed":
        label = PROGRESS_LABEL.get(crawler.settings) or "crawl"
        logging.getLogger("newsarchive").error(
            "%s failed: %s",
            label,
            stats.get(Stat.ARCHIVE_ERROR)
            or stats.get(Stat.WARC_ERROR)
            or NOTHING_STARTED.get(label, NOTHING_STARTED["crawl"]),
        )
        if not stats.get("finish_reason"):
            print("newsarchive: the run did not start (see the log above)", file=sys.stderr)
    return EXIT_CODES[status]
