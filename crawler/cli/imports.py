"""``newsarchive import``: the HTML pages of WARC and ARC files, extracted and archived.

The files' response records go through a crawl's pipelines (``crawler.spiders.imports``):
same screen, extraction pool, article test, dedup, clusters, boilerplate learning,
versions and store, the same progress line and summary, one crawl run recorded.
"""

from __future__ import annotations

import argparse
import glob
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from crawler import warc
from crawler.cli import COMMANDS, EXIT_FAILED, EXIT_OK, add_db_option
from crawler.cli.crawl import (
    apply_overrides,
    check_archive,
    common_settings,
    run_spider,
)
from crawler.cli.errors import UsageError
from crawler.cli.options import add_settings_option, add_site_option, add_workers_option
from crawler.cli.reextract import parse_since

ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz", ".warc.gz.open")


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import",
        help=COMMANDS["import"],
        description="Run extraction, deduplication and the archive over the HTML pages of "
        "WARC or ARC files (gzip-compressed or not; a crawl's --warc files, Common Crawl's "
        "CC-NEWS, any other tool's), with each record's URL and date as the fetch's. "
        "Importing the same files again adds nothing.",
    )
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="WARC or ARC files, or glob patterns"
    )
    add_site_option(parser, "site's pages")
    parser.add_argument(
        "--since",
        type=parse_since,
        metavar="DATE",
        help="only records fetched at or after DATE (ISO 8601, UTC unless stated)",
    )
    parser.add_argument(
        "--until",
        type=parse_since,
        metavar="DATE",
        help="only records fetched at or before DATE (ISO 8601, UTC unless stated)",
    )
    add_db_option(parser)
    add_workers_option(parser)
    add_settings_option(parser)
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print nothing unless something fails"
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    parser.set_defaults(run=run)


def archive_files(patterns: list[str]) -> list[str]:
    """The files the arguments name, globs expanded (sorted), as absolute normalised
    paths (the captures' ``warc_file``), each once, in order; a pattern that matches
    nothing, or a file that is missing, is a usage error."""
    files: list[str] = []
    for pattern in patterns:
        matches = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else [pattern]
        if not matches:
            raise argparse.ArgumentTypeError(f"{pattern}: no file matches")
        for match in matches:
            path = Path(match)
            if path.is_dir():
                raise argparse.ArgumentTypeError(
                    f"{match}: a folder (name its files, or a pattern: {match}/*.warc.gz)"
                )
            if not path.is_file():
                raise argparse.ArgumentTypeError(f"{match}: no such file")
            files.append(os.path.abspath(path))  # normalised: a/../b is b, named once
    return list(dict.fromkeys(files))


def run(args: argparse.Namespace) -> int:
    try:
        warc.require()
    except warc.WarcUnavailable as exc:
        raise UsageError(str(exc)) from None
    from crawler.spiders.imports import ImportSpider
    from crawler.warc.reader import in_time_order

    # A bad path, date or setting raises ArgumentTypeError: one line, exit 2 (cli.errors).
    files = archive_files(args.paths)
    check_dates(args.since, args.until)
    files = in_time_order(files)
    settings = common_settings(args)
    settings.set("PROGRESS_LABEL", "import", priority="cmdline")
    apply_overrides(settings, args.set)
    check_archive(settings)
    code, crawler = run_spider(
        settings,
        ImportSpider,
        files=files,
        sites=args.site or (),
        since=args.since,
        until=args.until,
    )
    spider = crawler.spider
    stopped = list(spider.stopped) if isinstance(spider, ImportSpider) else []
    for message in stopped:
        print(f"newsarchive import: {message}", file=sys.stderr)
    if stopped and code == EXIT_OK:
        return EXIT_FAILED
    return code


def check_dates(since: datetime | None, until: datetime | None) -> None:
    if since and until and until < since:
        raise argparse.ArgumentTypeError("--until is before --since")
