"""``newsarchive crawl``: discover, fetch, extract and archive."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from sqlalchemy.exc import SQLAlchemyError

from archive.engine import (
    ArchiveError,
    check_schema,
    create_archive_engine,
    resolve_db_url,
    upgrade_archive,
)
from archive.locks import LockHeld, run_lock
from crawler.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, add_db_option
from crawler.extensions.progress import run_status
from crawler.frontier.connection import FrontierError, redis_from_url
from crawler.sites import SiteConfig, crawl_identity, load_sites_file, sites_from_urls
from crawler.spiders.news import NewsSpider

EXIT_INTERRUPTED = 130
EXIT_CODES = {"finished": EXIT_OK, "interrupted": EXIT_INTERRUPTED, "failed": EXIT_FAILED}


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "crawl",
        help="crawl sites, sitemaps or feeds into the archive",
        description="Crawl start URLs (site homes, sitemaps, RSS/Atom feeds, in any mix) "
        "or the sites of a TOML sites file into the archive.",
    )
    parser.add_argument("urls", nargs="*", metavar="URL", help="start URLs")
    parser.add_argument("--sites", metavar="FILE", help="TOML file of sites and their options")
    add_db_option(parser)
    parser.add_argument("--depth", type=int, help="link hops from a start page (default 2)")
    parser.add_argument("--max-pages", type=int, help="pages per site at most (default: no limit)")
    parser.add_argument("--workers", type=int, help="extraction processes (default: one per core)")
    parser.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a setting (see crawler/settings.py); repeatable",
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


def crawl_settings(args: argparse.Namespace) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("ARCHIVE_DB_URL", resolve_db_url(args.db), priority="cmdline")
    level = "ERROR" if args.quiet else ("WARNING", "INFO", "DEBUG")[min(args.verbose, 2)]
    settings.set("LOG_LEVEL", level, priority="cmdline")
    if args.workers is not None:
        settings.set("EXTRACT_WORKERS", args.workers, priority="cmdline")
    if args.quiet:
        settings.set("PROGRESS_ENABLED", False, priority="cmdline")
    if args.redis:
        settings.set("SCHEDULER", "crawler.frontier.scheduler.FrontierScheduler", "cmdline")
        settings.set("REDIS_URL", args.redis, priority="cmdline")
        settings.set("ARCHIVE_WAIT_FOR_COMMIT", True, priority="cmdline")
    for pair in args.set:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise argparse.ArgumentTypeError(f"-s takes NAME=VALUE, not {pair!r}")
        settings.set(name.strip(), value, priority="cmdline")
    return settings


def check_starts(args: argparse.Namespace) -> list[SiteConfig]:
    """Fail before starting Scrapy if the start URLs or sites file are unusable."""
    configs = load_sites_file(args.sites) if args.sites else []
    if args.urls:
        configs += sites_from_urls(args.urls)
    return configs


def check_archive(settings: Settings) -> None:
    """Fail before starting Scrapy, in one line, if the archive cannot be opened, or
    is behind this release and may not be upgraded (ARCHIVE_AUTO_UPGRADE off)."""
    engine = create_archive_engine(settings.get("ARCHIVE_DB_URL"), write=True)
    try:
        if settings.getbool("ARCHIVE_AUTO_UPGRADE"):
            upgrade_archive(engine)
        else:
            check_schema(engine)
    except SQLAlchemyError as exc:
        where = engine.url.render_as_string(hide_password=True)
        raise ArchiveError(f"cannot open the archive {where}: {str(exc).splitlines()[0]}") from exc
    finally:
        engine.dispose()


def run(args: argparse.Namespace) -> int:
    if not args.urls and not args.sites:
        print("newsarchive crawl: give start URLs or --sites FILE", file=sys.stderr)
        return EXIT_USAGE
    configs = check_starts(args)
    try:
        settings = crawl_settings(args)
    except argparse.ArgumentTypeError as exc:
        print(f"newsarchive crawl: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        check_archive(settings)
        if args.redis:
            # Workers of one crawl overlap on purpose: the shared frontier splits the work.
            redis_from_url(args.redis)
            return crawl(args, settings)
        with run_lock(settings.get("ARCHIVE_DB_URL"), f"crawl-{crawl_identity(configs)}"):
            return crawl(args, settings)
    except LockHeld as exc:
        if not args.quiet:
            print(
                f"newsarchive crawl: the previous run of this crawl is still going ({exc}); "
                "nothing to do",
                file=sys.stderr,
            )
        return EXIT_OK
    except (ArchiveError, FrontierError) as exc:
        print(f"newsarchive crawl: {exc}", file=sys.stderr)
        return EXIT_FAILED


def crawl(args: argparse.Namespace, settings: Settings) -> int:
    """Run the crawl in this process; the exit code says how it ended."""
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(NewsSpider)
    process.crawl(
        crawler,
        url=args.urls,
        sites=args.sites,
        depth=args.depth,
        max_pages=args.max_pages,
    )
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    status = run_status(stats.get("finish_reason"), stats)
    if status == "failed":
        logging.getLogger("newsarchive").error(
            "crawl failed: %s",
            stats.get("newsarchive/archive_error") or "no start URL could be fetched",
        )
        if not stats.get("finish_reason"):
            print("newsarchive crawl: the crawl did not start (see the log above)", file=sys.stderr)
    return EXIT_CODES[status]
